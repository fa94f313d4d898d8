import type { DomainEvent, FreeTextFields, PersonalText } from '@oksio/kernel';
import type { ContactChannel, MinorSymptom, Protected, ServiceType, UnjustifiedFinding } from './commands';
import type { ClockBasis } from './interruption-clock';
import type { SlaExclusionCause } from './penalties';
import type { IncidentTerms } from './terms';

/**
 * Facts of the ticket stream `ticket-<ticketId>`. Instants are ISO-8601 UTC strings, money is a
 * decimal string in EUR HT with two decimals, durations are milliseconds of counted time.
 */
export type TicketEvent =
  | DomainEvent<
      'CallQualified',
      {
        ticketId: string;
        customerId: string;
        callerContactId: string;
        callerKind: 'contact' | 'delegate';
        impactedSiteIds: string[];
        qualifiedAt: string;
      }
    >
  | DomainEvent<
      'TicketOpened',
      {
        ticketId: string;
        reference: string;
        customerId: string;
        /** Client's notification: start of the interruption clock (INC-03, INC-13). */
        notifiedAt: string;
        /** When support takes it into account: first business instant ≥ notifiedAt (INC-01). */
        receivedAt: string;
        openedAt: string;
        declaredByContactId: string;
        serviceType: ServiceType;
        subscriptionId: string;
        impactedSiteIds: string[];
        /** Free text (personal data): sealed for the customer when stored, see TICKET_FREE_TEXT. */
        description: PersonalText;
        location: PersonalText;
        consequences: PersonalText;
        keepInformed: Protected | null;
        terms: IncidentTerms;
      }
    >
  | DomainEvent<
      'IncidentClassified',
      {
        ticketId: string;
        classification: 'interruption' | 'minor_anomaly';
        totalUnavailability: boolean;
        attributableToNetworkOnly: boolean;
        minorSymptom: MinorSymptom | null;
        /** Whether the restoration commitment of INC-10 now applies to this ticket. */
        slaApplies: boolean;
        classifiedAt: string;
      }
    >
  | DomainEvent<'InterruptionClockFrozen', { ticketId: string; reason: 'site_access_requested'; siteId: string; frozenAt: string }>
  | DomainEvent<'InterruptionClockResumed', { ticketId: string; reason: 'site_access_obtained'; resumedAt: string }>
  | DomainEvent<
      'RestorationNotified',
      {
        ticketId: string;
        reference: string;
        via: ContactChannel;
        restoredAt: string;
        /** Counted interruption time on the clock's basis, freezes excluded (INC-13). */
        interruptionMs: number;
        clockBasis: ClockBasis;
      }
    >
  | DomainEvent<'SlaBreached', { ticketId: string; reference: string; subscriptionId: string; deadline: string; recordedAt: string }>
  | DomainEvent<
      'SlaPenaltyComputed',
      {
        ticketId: string;
        subscriptionId: string;
        billingMonth: string;
        interruptionMs: number;
        clockBasis: ClockBasis;
        /** '0' when no tier applies. */
        tierPercentage: string;
        monthlyFee: string;
        /** Before the INC-12 cap, which depends on the other tickets of the month and applies at grant. */
        amount: string;
      }
    >
  | DomainEvent<'SlaExclusionRecorded', { ticketId: string; cause: SlaExclusionCause; note: PersonalText | null; recordedAt: string }>
  | DomainEvent<
      'SlaPenaltyGranted',
      {
        ticketId: string;
        reference: string;
        customerId: string;
        subscriptionId: string;
        /** The month whose fee caps the penalties (INC-12): the Paris month of the notification. */
        billingMonth: string;
        /** What Billing credits on the next invoice (BIL-11), positive, EUR HT. */
        amount: string;
        computedAmount: string;
        monthlyCap: string;
        alreadyGrantedInMonth: string;
        requestedByContactId: string;
        grantedAt: string;
      }
    >
  | DomainEvent<'TicketFoundUnjustified', { ticketId: string; finding: UnjustifiedFinding; note: PersonalText | null; foundAt: string }>
  | DomainEvent<
      'IncidentFeeCharged',
      {
        ticketId: string;
        reference: string;
        customerId: string;
        subscriptionId: string;
        /** BIL-08 fee kind. */
        fee: 'unjustified_ticket' | 'unjustified_expertise';
        /** EUR HT; Billing adds VAT (BIL-01). */
        amount: string;
        rule: 'INC-07' | 'INC-08';
        chargedAt: string;
        /** The Paris month of the charge ('YYYY-MM'): the fee goes on that month's (or the next) invoice. */
        billingMonth: string;
      }
    >
  | DomainEvent<'IncumbentExpertiseRequested', { ticketId: string; requestedByContactId: string; requestedAt: string }>
  | DomainEvent<'IncumbentExpertiseConcluded', { ticketId: string; justified: boolean; note: PersonalText | null; concludedAt: string }>
  | DomainEvent<'ResolutionConfirmed', { ticketId: string; contactId: string; confirmedAt: string }>
  | DomainEvent<
      'TicketClosed',
      {
        ticketId: string;
        reference: string;
        mode: 'support' | 'client_confirmed' | 'automatic';
        /** How the client was informed (INC-09); automatic closure confirms by e-mail. */
        clientInformedVia: ContactChannel | null;
        closedAt: string;
      }
    >
  | DomainEvent<
      'ClosureConfirmationEmailRequested',
      {
        ticketId: string;
        reference: string;
        customerId: string;
        /** Recipients for the notifier: the declaring contact, and the person to keep informed if any. */
        declaredByContactId: string;
        keepInformed: Protected | null;
        requestedAt: string;
      }
    >
  | DomainEvent<'TicketReopened', { ticketId: string; reference: string; requestedByContactId: string; reason: PersonalText; reopenedAt: string }>;

export type TicketEventType = TicketEvent['type'];

/**
 * What people type into a ticket — the description, location and consequences the caller gives,
 * support's notes, the reason of a reopening — can name anyone (a contact, an e-mail address, an
 * on-site person): personal data. The platform seals these fields for the ticket's customer
 * (`customer-<id>`, category communications) before the events are stored; read models keep the
 * sealed form and the API opens it when read (issue 18 item 7).
 */
export const TICKET_FREE_TEXT: FreeTextFields<TicketEvent> = {
  TicketOpened: ['description', 'location', 'consequences'],
  SlaExclusionRecorded: ['note'],
  TicketFoundUnjustified: ['note'],
  IncumbentExpertiseConcluded: ['note'],
  TicketReopened: ['reason'],
};

/** Every event type, for projections' subscriptions. */
export const TICKET_EVENT_TYPES: readonly TicketEventType[] = [
  'CallQualified',
  'TicketOpened',
  'IncidentClassified',
  'InterruptionClockFrozen',
  'InterruptionClockResumed',
  'RestorationNotified',
  'SlaBreached',
  'SlaPenaltyComputed',
  'SlaExclusionRecorded',
  'SlaPenaltyGranted',
  'TicketFoundUnjustified',
  'IncidentFeeCharged',
  'IncumbentExpertiseRequested',
  'IncumbentExpertiseConcluded',
  'ResolutionConfirmed',
  'TicketClosed',
  'ClosureConfirmationEmailRequested',
  'TicketReopened',
];

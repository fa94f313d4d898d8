import type { IncidentTerms } from './terms';
import type { SlaExclusionCause } from './penalties';

/** Services of the catalogue (RULES.md). */
export const SERVICE_TYPES = ['DATA', 'MOBILE', 'FIXED_VGA', 'FIXED_SIP', 'HOSTED_PBX'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** Encrypted personal data produced by the application before deciding (see customer decider). */
export type Protected = Record<string, unknown>;

/** Someone who may call support for the customer: a contact, or a delegate acting as the client (ACC-03). */
export interface AuthorisedCaller {
  contactId: string;
  kind: 'contact' | 'delegate';
  /** The customer allowed this person to call support (INC-02). */
  authorisedForSupport: boolean;
}

/** Optional instant of a fact already past (ISO with offset); defaults to `now`, never after it. */
interface At {
  at?: string;
}

export type TicketCommand =
  /**
   * INC-02: first step on the stream. The application loads the customer's contacts/delegates and
   * sites and passes them; the decider checks the caller and the impacted sites against them.
   */
  | {
      type: 'QualifyCall';
      ticketId: string;
      customerId: string;
      callerContactId: string;
      authorisedCallers: AuthorisedCaller[];
      customerSiteIds: string[];
      impactedSiteIds: string[];
    }
  /** INC-03/04/13: the qualified call opens the ticket; `notifiedAt` starts the interruption clock. */
  | {
      type: 'OpenTicket';
      /** `INC-2026-000123`, allocated by the application. */
      reference: string;
      /** The client's notification of the interruption (ISO with offset); not in the future. */
      notifiedAt: string;
      declaredByContactId: string;
      serviceType: ServiceType;
      /** The impacted subscription (the link, line or licence); penalties and fees are charged to it. */
      subscriptionId: string;
      description: string;
      location: string;
      consequences: string;
      /** Person to keep informed when different from the caller (encrypted details). */
      keepInformed?: Protected | null;
      /** Resolved from the subscription's terms snapshot; missing keys take the defaults. */
      terms?: Partial<IncidentTerms>;
    }
  /**
   * INC-05: OKSIO's findings. The decider, not the agent, derives the classification: an
   * Interruption is a total unavailability attributable to the network only.
   */
  | {
      type: 'ClassifyIncident';
      totalUnavailability: boolean;
      attributableToNetworkOnly: boolean;
      /** A minor-impact symptom observed instead (micro-cuts, slow responses, one destination unreachable). */
      minorSymptom?: MinorSymptom | null;
    }
  /** INC-06: OKSIO asked the client for access to a site → the clock freezes. */
  | ({ type: 'RequestSiteAccess'; siteId: string } & At)
  /** INC-06: physical access obtained → the clock resumes. */
  | ({ type: 'RecordSiteAccessObtained' } & At)
  /** INC-13: OKSIO notifies the client of the restoration → the clock stops. */
  | ({ type: 'NotifyRestoration'; via: ContactChannel } & At)
  /** From the scheduler (due action 'incident.sla_breach'). */
  | { type: 'RecordSlaBreach'; deadline: string }
  /** INC-14: the interruption falls under an exclusion → no penalty. */
  | { type: 'RecordSlaExclusion'; cause: SlaExclusionCause; note?: string }
  /**
   * INC-15: the client asks for the penalty. The application reads the penalties already granted
   * to the same link for the ticket's billing month (INC-12) from the read model and passes them.
   */
  | {
      type: 'GrantSlaPenalty';
      requestedByContactId: string;
      alreadyGranted: { billingMonth: string; amount: string };
    }
  /** INC-07: after checking, the ticket is outside OKSIO's responsibility or caused by abnormal/fraudulent use. */
  | { type: 'DeclareTicketUnjustified'; finding: UnjustifiedFinding; chargeFee?: boolean; note?: string }
  /** INC-08: after unsuccessful escalations the client asks for an expertise by the incumbent. */
  | { type: 'RequestExpertise'; requestedByContactId: string }
  /** INC-08: the incumbent's expertise came back. */
  | { type: 'RecordExpertiseOutcome'; justified: boolean; note?: string }
  /** INC-09: the client confirmed the resolution → the ticket closes. */
  | { type: 'ConfirmResolution'; contactId: string }
  /** INC-09: support closes the ticket after informing the client. */
  | { type: 'CloseTicket'; clientInformedVia: ContactChannel }
  /** INC-09: from the scheduler (due action 'incident.auto_close'). */
  | { type: 'AutoCloseTicket' }
  /** INC-09: the client says the problem is back, within the reopening window. */
  | { type: 'ReopenTicket'; requestedByContactId: string; reason: string };

export type ContactChannel = 'phone' | 'email';
export type MinorSymptom = 'micro_cuts' | 'slow_responses' | 'unreachable_destination' | 'other';
export type UnjustifiedFinding = 'outside_oksio_responsibility' | 'abnormal_use' | 'fraudulent_use';

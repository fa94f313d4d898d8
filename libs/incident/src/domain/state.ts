import type { Protected, ServiceType, UnjustifiedFinding } from './commands';
import type { InterruptionClock } from './interruption-clock';
import type { SlaExclusionCause } from './penalties';
import type { IncidentTerms } from './terms';

/**
 * Ticket lifecycle:
 *   new ──QualifyCall──► qualified ──OpenTicket──► open ──NotifyRestoration / DeclareTicketUnjustified──► resolved
 *   resolved ──CloseTicket / ConfirmResolution / AutoCloseTicket──► closed ──ReopenTicket (window)──► open
 *
 * Plain JSON only (strings, numbers, booleans, arrays, objects): the aggregate-state projection
 * stores it as JSON and `dueDates` must give the same answer from the reloaded copy.
 */
export type TicketStatus = 'new' | 'qualified' | 'open' | 'resolved' | 'closed';

export interface TicketState {
  status: TicketStatus;
  ticketId: string | null;
  customerId: string | null;
  callerContactId: string | null;
  impactedSiteIds: string[];
  reference: string | null;
  serviceType: ServiceType | null;
  subscriptionId: string | null;
  declaredByContactId: string | null;
  keepInformed: Protected | null;
  terms: IncidentTerms | null;
  clock: InterruptionClock | null;
  classification: 'interruption' | 'minor_anomaly' | null;
  /** Why the ticket was resolved; null while open. */
  resolution: { kind: 'restored'; at: string } | { kind: 'unjustified'; at: string; finding: UnjustifiedFinding } | null;
  closedAt: string | null;
  /** Set once: the breach is recorded exactly once per ticket, even across reopenings. */
  slaBreach: { deadline: string } | null;
  exclusion: SlaExclusionCause | null;
  /** Latest computation at restoration (recomputed after a reopening) and the total granted for this ticket. */
  penalty: { computed: string; tierPercentage: string; interruptionMs: number } | null;
  penaltyGranted: string;
  expertise: 'none' | 'requested' | 'justified' | 'unjustified';
  feesCharged: Array<'unjustified_ticket' | 'unjustified_expertise'>;
}

export const initialTicketState: TicketState = {
  status: 'new',
  ticketId: null,
  customerId: null,
  callerContactId: null,
  impactedSiteIds: [],
  reference: null,
  serviceType: null,
  subscriptionId: null,
  declaredByContactId: null,
  keepInformed: null,
  terms: null,
  clock: null,
  classification: null,
  resolution: null,
  closedAt: null,
  slaBreach: null,
  exclusion: null,
  penalty: null,
  penaltyGranted: '0.00',
  expertise: 'none',
  feesCharged: [],
};

/**
 * Whether the restoration commitment (INC-10) binds this ticket: a DATA guaranteed link (INC-16:
 * never MOBILE; the other services have no restoration commitment in their CP), qualified as an
 * Interruption (INC-05, INC-12 "only a total interruption counts"), and not found unjustified (INC-07).
 */
export function slaApplies(state: TicketState): boolean {
  return (
    state.serviceType === 'DATA' &&
    state.terms?.guaranteedLink === true &&
    state.classification === 'interruption' &&
    state.resolution?.kind !== 'unjustified'
  );
}

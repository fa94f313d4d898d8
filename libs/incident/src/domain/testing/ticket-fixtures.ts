import type { AuthorisedCaller, ServiceType, TicketCommand } from '../commands';
import type { TicketEvent } from '../events';
import type { IncidentTerms } from '../terms';
import { ticketDecider } from '../ticket.decider';

/** Builders for the ticket specs: histories are produced by the decider itself, so they stay valid. */

export const d = (instant: string) => new Date(instant);
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export const CALLERS: AuthorisedCaller[] = [
  { contactId: 'c-tech', kind: 'contact', authorisedForSupport: true },
  { contactId: 'c-billing', kind: 'contact', authorisedForSupport: false },
  { contactId: 'dlg-1', kind: 'delegate', authorisedForSupport: true },
];
export const SITES = ['site-paris', 'site-lyon', 'site-metz'];

export function qualifyCall(overrides: Partial<Extract<TicketCommand, { type: 'QualifyCall' }>> = {}): TicketCommand {
  return {
    type: 'QualifyCall',
    ticketId: 't-1',
    customerId: 'k-1',
    callerContactId: 'c-tech',
    authorisedCallers: CALLERS,
    customerSiteIds: SITES,
    impactedSiteIds: ['site-paris'],
    ...overrides,
  };
}

export function openTicket(overrides: Partial<Extract<TicketCommand, { type: 'OpenTicket' }>> = {}): Extract<TicketCommand, { type: 'OpenTicket' }> {
  return {
    type: 'OpenTicket',
    reference: 'INC-2026-000123',
    notifiedAt: '2026-06-09T10:00:00+02:00',
    declaredByContactId: 'c-tech',
    serviceType: 'DATA',
    subscriptionId: 'sub-data-1',
    description: 'No Internet access at all',
    location: 'Paris office, 2nd floor router',
    consequences: 'Whole office offline',
    keepInformed: { $pii: 'encrypted-person' },
    terms: { guaranteedLink: true, monthlyFee: '100.00' },
    ...overrides,
  };
}

/** Runs commands in order through decide/evolve and returns all the events. */
export function history(steps: Array<[TicketCommand, Date]>, previous: TicketEvent[] = []): TicketEvent[] {
  let state = previous.reduce(ticketDecider.evolve, ticketDecider.initialState);
  const events = [...previous];
  for (const [command, now] of steps) {
    const produced = ticketDecider.decide(command, state, now);
    state = produced.reduce(ticketDecider.evolve, state);
    events.push(...produced);
  }
  return events;
}

export interface TicketSetup {
  ticketId?: string;
  reference?: string;
  notifiedAt: string;
  serviceType?: ServiceType;
  subscriptionId?: string;
  terms?: Partial<IncidentTerms>;
  /** Default: classified as an Interruption right at the notification. */
  classification?: 'interruption' | 'minor_anomaly' | null;
}

/** A qualified, opened (and by default classified) ticket, everything done at the notification instant. */
export function openedTicket(setup: TicketSetup): TicketEvent[] {
  const at = d(setup.notifiedAt);
  const steps: Array<[TicketCommand, Date]> = [
    [qualifyCall({ ticketId: setup.ticketId ?? 't-1' }), at],
    [
      openTicket({
        notifiedAt: setup.notifiedAt,
        reference: setup.reference ?? 'INC-2026-000123',
        serviceType: setup.serviceType ?? 'DATA',
        subscriptionId: setup.subscriptionId ?? 'sub-data-1',
        terms: setup.terms ?? { guaranteedLink: true, monthlyFee: '100.00' },
      }),
      at,
    ],
  ];
  const classification = setup.classification === undefined ? 'interruption' : setup.classification;
  if (classification === 'interruption') steps.push([{ type: 'ClassifyIncident', totalUnavailability: true, attributableToNetworkOnly: true }, at]);
  if (classification === 'minor_anomaly') {
    steps.push([{ type: 'ClassifyIncident', totalUnavailability: false, attributableToNetworkOnly: true, minorSymptom: 'micro_cuts' }, at]);
  }
  return history(steps);
}

export function fold(events: TicketEvent[]) {
  return events.reduce(ticketDecider.evolve, ticketDecider.initialState);
}

import { type Decider, type DomainEvent } from '@oksio/kernel';
import { checkTermsFitService } from './ticket.decider';
import { type IncidentTerms, resolveIncidentTerms } from './terms';

/**
 * The incident terms of one link (subscription), as its contract sets them (CON-01 "per contract":
 * guaranteed link, clock basis, monthly fee HT as the penalty base and cap, tiers, fees, windows).
 * Recorded once by whoever provisions the contract; every ticket opened on the link takes them, so
 * support staff do not type a contract's terms into each ticket. Kept as overrides of the defaults
 * (what the contract says), resolved and checked against the link's service when set.
 */
export interface LinkTermsState {
  subscriptionId: string | null;
  overrides: Partial<IncidentTerms>;
}

export type LinkTermsCommand = { type: 'SetLinkIncidentTerms'; subscriptionId: string; service: string; overrides: Partial<IncidentTerms> };

export type LinkTermsEvent = DomainEvent<'LinkIncidentTermsSet', { subscriptionId: string; service: string; overrides: Partial<IncidentTerms> }>;

export const LINK_TERMS_EVENT_TYPES = ['LinkIncidentTermsSet'] as const;

export const linkTermsStream = (subscriptionId: string): string => `linkterms-${subscriptionId}`;

export const initialLinkTermsState: LinkTermsState = { subscriptionId: null, overrides: {} };

/** Key order does not make terms different. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export const linkTermsDecider: Decider<LinkTermsCommand, LinkTermsEvent, LinkTermsState> = {
  initialState: initialLinkTermsState,

  decide(command, state) {
    // Refused as a ticket would refuse them (INC-10, INC-11, INC-16), before any ticket is opened.
    checkTermsFitService(resolveIncidentTerms(command.overrides), command.service);
    if (state.subscriptionId !== null && canonical(state.overrides) === canonical(command.overrides)) return [];
    return [{ type: 'LinkIncidentTermsSet', data: { subscriptionId: command.subscriptionId, service: command.service, overrides: command.overrides } }];
  },

  evolve(state, event) {
    return event.type === 'LinkIncidentTermsSet' ? { subscriptionId: event.data.subscriptionId, overrides: event.data.overrides } : state;
  },
};

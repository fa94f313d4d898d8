import type { CommandOf, OrderItemInput, SubscriptionCommand } from '../commands';
import type { SubscriptionEvent } from '../events';
import type { ServiceKind, TermsOverrides } from '../terms';
import { subscriptionDecider, type SubscriptionDecider } from '../subscription.decider';

/** 10:00 UTC is 11:00 or 12:00 in Paris: always the same local date, whatever the DST offset. */
export const on = (date: string): Date => new Date(`${date}T10:00:00Z`);

/** Runs commands through the decider and returns the events, so histories stay consistent with the rules. */
export function play(steps: Array<[SubscriptionCommand, Date]>, decider: SubscriptionDecider = subscriptionDecider): SubscriptionEvent[] {
  let state = decider.initialState;
  const history: SubscriptionEvent[] = [];
  for (const [command, now] of steps) {
    for (const event of decider.decide(command, state, now)) {
      history.push(event);
      state = decider.evolve(state, event);
    }
  }
  return history;
}

export const SUB = 's1';

const DEFAULT_ITEMS: Record<ServiceKind, OrderItemInput[]> = {
  DATA: [{ itemId: 'link-1', label: 'SDSL Paris', plan: 'SDSL-4M' }],
  MOBILE: [
    { itemId: 'line-1', label: '0612345678' },
    { itemId: 'line-2', label: '0698765432' },
  ],
  FIXED_VGA: [{ itemId: 'line-1', label: '0145000001' }],
  FIXED_SIP: [
    { itemId: 'line-1', label: '0145000001' },
    { itemId: 'line-2', label: '0145000002' },
  ],
  HOSTED_PBX: [{ itemId: 'pbx', label: 'Standard hébergé' }],
};

export interface ScenarioOptions {
  quoteDate?: string;
  signedOn?: string;
  activatedOn?: string;
  overrides?: TermsOverrides;
  items?: OrderItemInput[];
}

export function placeOrder(service: ServiceKind, o: ScenarioOptions = {}): CommandOf<'PlaceOrder'> {
  return {
    type: 'PlaceOrder',
    subscriptionId: SUB,
    customerId: 'k1',
    service,
    items: o.items ?? DEFAULT_ITEMS[service],
    contractOverrides: o.overrides,
    quoteDate: o.quoteDate ?? '2026-02-20',
    orderAmount: '1200.00',
  };
}

export function signed(service: ServiceKind, o: ScenarioOptions = {}): SubscriptionEvent[] {
  const signedOn = o.signedOn ?? '2026-03-02';
  return play([
    [placeOrder(service, o), on(o.quoteDate ?? '2026-02-20')],
    [{ type: 'RecordFeasibilityResult', feasible: true, studyReference: 'EF-1' }, on('2026-02-25')],
    [{ type: 'SignSubscription', signedOn }, on(signedOn)],
  ]);
}

/** Signed and activated; MOBILE activates every ordered line on `activatedOn`. */
export function active(service: ServiceKind, o: ScenarioOptions = {}): SubscriptionEvent[] {
  const activatedOn = o.activatedOn ?? '2026-03-15';
  const items = o.items ?? DEFAULT_ITEMS[service];
  const steps: Array<[SubscriptionCommand, Date]> =
    service === 'MOBILE'
      ? items.map((i): [SubscriptionCommand, Date] => [{ type: 'ActivateMobileLine', lineId: i.itemId, simActivatedOn: activatedOn }, on(activatedOn)])
      : [[{ type: 'ActivateService', activatedOn }, on(activatedOn)]];
  return continueWith(signed(service, o), steps);
}

/** Continues a history with more commands. */
export function continueWith(history: SubscriptionEvent[], steps: Array<[SubscriptionCommand, Date]>): SubscriptionEvent[] {
  let state = history.reduce(subscriptionDecider.evolve, subscriptionDecider.initialState);
  const next = [...history];
  for (const [command, now] of steps) {
    for (const event of subscriptionDecider.decide(command, state, now)) {
      next.push(event);
      state = subscriptionDecider.evolve(state, event);
    }
  }
  return next;
}

export const stateOf = (history: SubscriptionEvent[]) => history.reduce(subscriptionDecider.evolve, subscriptionDecider.initialState);

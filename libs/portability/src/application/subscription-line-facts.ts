import { DomainError, NotFoundError, type Decider } from '@oksio/kernel';
import {
  commitmentBindingOn,
  monthsRemaining,
  subscriptionDecider,
  yearMonthOf,
  type EndBilling,
  type SubscriptionCommand,
  type SubscriptionEvent,
  type SubscriptionState,
} from '@oksio/subscription';

/**
 * What Portability asks of the Subscription context, on the subscription's own stream and with its
 * own decider (`subscription-<id>`, `subscriptionDecider.evolve`).
 *
 * POR-06: "la demande de portabilité sortante vaut résiliation du contrat OKSIO pour ce numéro",
 * effective on the actual porting date; inside a commitment the early-termination fee (SUB-07) is
 * due. The subscription domain has no per-line termination for a MOBILE line (its per-line end,
 * `RecordLocalLoopSubscriptionEnded`, is SUB-16 for fixed lines only), so this module extends the
 * subscription decider with ONE command, `TerminateLineByPortOut`, decided here on the subscription
 * state and emitting the subscription's own events: `ItemTerminated` (the line, with the SUB-06/07
 * billing basis) and, when no line is left, `SubscriptionTerminated` (`all_items_terminated`).
 * Every other command goes to `subscriptionDecider` unchanged.
 * TODO(lead): move `TerminateLineByPortOut` into libs/subscription/src/domain (commands.ts,
 * termination.ts, `ItemTerminationCause` += 'port_out', rule 'POR-06') and delete this wrapper.
 */
export type TerminateLineByPortOut = { type: 'TerminateLineByPortOut'; lineId: string; portingId: string; portedOn: string };
export type SubscriptionLineCommand = SubscriptionCommand | TerminateLineByPortOut;

/** The commitment period binding on `date` (SUB-05: only the initial one for CG services), or null. */
export function bindingCommitmentLastDay(state: SubscriptionState, date: string): string | null {
  if (!state.schedule || !state.terms) return null;
  return commitmentBindingOn(state.schedule, date, state.terms.noticeRule)?.lastDay ?? null;
}

function endBilling(state: SubscriptionState, endsOn: string, basis: 'early_termination_average' | 'none'): EndBilling {
  const monthBilledInFull = state.terms?.billFullMonthAtTermination ? yearMonthOf(endsOn) : null;
  const lastDay = basis === 'none' ? null : bindingCommitmentLastDay(state, endsOn);
  if (!lastDay) return { monthBilledInFull, monthsRemaining: 0, commitmentPeriodLastDay: null, feeBasis: 'none' };
  const months = monthsRemaining(endsOn, lastDay);
  return { monthBilledInFull, monthsRemaining: months, commitmentPeriodLastDay: lastDay, feeBasis: months > 0 ? 'early_termination_average' : 'none' };
}

export function terminateLineByPortOut(c: TerminateLineByPortOut, state: SubscriptionState): SubscriptionEvent[] {
  const subscriptionId = state.subscriptionId;
  if (!subscriptionId) throw new DomainError('subscription_not_found', 'No such subscription', 'POR-06', 'subscriptionId');
  if (state.service !== 'MOBILE') throw new DomainError('not_a_mobile_subscription', `Subscription ${subscriptionId} is ${state.service}, not MOBILE`, 'POR-06', 'subscriptionId');
  const item = state.items[c.lineId];
  if (!item) throw new DomainError('line_not_found', `Subscription ${subscriptionId} has no line ${c.lineId}`, 'POR-06', 'lineId');
  if (item.status === 'terminated') {
    if (item.endsOn === c.portedOn) return [];
    throw new DomainError('line_already_terminated', `Line ${c.lineId} already ended on ${item.endsOn}`, 'POR-06', 'lineId');
  }
  if (state.phase !== 'active' && state.phase !== 'signed') {
    throw new DomainError('subscription_not_active', `Subscription ${subscriptionId} is ${state.phase}`, 'POR-06', 'subscriptionId');
  }
  const billing = endBilling(state, c.portedOn, 'early_termination_average');
  const itemEnded = {
    type: 'ItemTerminated',
    data: {
      subscriptionId,
      itemId: c.lineId,
      endsOn: c.portedOn,
      // Not (yet) in the subscription domain's ItemTerminationCause / rule unions: see the TODO above.
      cause: 'port_out',
      rule: 'POR-06',
      localLoopChange: null,
      ...billing,
    },
  } as unknown as SubscriptionEvent;
  const events: SubscriptionEvent[] = [itemEnded];
  const after = subscriptionDecider.evolve(state, itemEnded);
  if (after.phase === 'active' && Object.values(after.items).every((i) => i.status === 'terminated')) {
    events.push({
      type: 'SubscriptionTerminated',
      data: {
        subscriptionId,
        endsOn: c.portedOn,
        cause: 'all_items_terminated',
        rule: 'POR-06',
        ...endBilling(state, c.portedOn, 'none'),
        earlyTerminationFeeDue: false,
        noIndemnityToClient: false,
        sumsDueRemain: true,
        survivingObligations: ['payment_of_sums_due'],
        acceptedOrdersInProgress: [],
      },
    });
  }
  return events;
}

export const subscriptionLineDecider: Decider<SubscriptionLineCommand, SubscriptionEvent, SubscriptionState> = {
  initialState: subscriptionDecider.initialState,
  evolve: subscriptionDecider.evolve,
  decide(command, state, now) {
    if (command.type === 'TerminateLineByPortOut') return terminateLineByPortOut(command, state);
    return subscriptionDecider.decide(command, state, now);
  },
};

/** The line facts Portability needs, read from the subscription's state (write side, consistent). */
export interface SubscriptionLineFacts {
  subscriptionId: string;
  customerId: string;
  service: string | null;
  phase: string;
  signedOn: string | null;
  line: { lineId: string; status: string; serviceStartOn: string | null; endsOn: string | null; hasLineInfo: boolean };
  suspended: boolean;
}

export function lineFacts(state: SubscriptionState, subscriptionId: string, lineId: string): SubscriptionLineFacts {
  if (!state.subscriptionId) {
    throw new NotFoundError('subscription_not_found', `No subscription ${subscriptionId}`, [{ field: 'subscriptionId', message: 'unknown subscription' }]);
  }
  if (state.service !== 'MOBILE') {
    throw new DomainError('not_a_mobile_subscription', `Subscription ${subscriptionId} is ${state.service}: number portability concerns MOBILE lines`, 'POR-07', 'subscriptionId');
  }
  const item = state.items[lineId];
  if (!item) throw new DomainError('line_not_found', `Subscription ${subscriptionId} has no line ${lineId}`, 'POR-07', 'lineId');
  const suspended = Object.values(state.suspensions).some((s) => s.scope === 'full' && (s.itemIds.length === 0 || s.itemIds.includes(lineId)));
  return {
    subscriptionId,
    customerId: state.customerId as string,
    service: state.service,
    phase: state.phase,
    signedOn: state.signedOn,
    line: { lineId, status: item.status, serviceStartOn: item.serviceStartOn, endsOn: item.endsOn, hasLineInfo: item.lineInfo !== null },
    suspended,
  };
}

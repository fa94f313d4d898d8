import { DomainError, NotFoundError } from '@oksio/kernel';
import type { SubscriptionState } from '@oksio/subscription';

/**
 * What Portability reads of a subscription contract, on its own stream and with its own decider
 * (`subscription-<id>`, `subscriptionDecider`). The line's end by a port-out (POR-06) is the
 * Subscription domain's command `TerminateLineByPortOut`, sent from the porting consequences.
 */

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

import { DomainError } from '@oksio/kernel';
import type { CommandOf } from './commands';
import type { SubscriptionEvent } from './events';
import { pastDate, requireClause, requirePhase, requireSubscription, requireTerms, requireText, type DecideContext } from './guards';
import { requireLocalDate } from './local-date';
import type { SubscriptionState } from './state';
import {
  assertPriceChangeNotice,
  assertSipRateChange,
  assertTermsChangeNotice,
  priceChangeEarliestEffectiveDate,
  sipRateChangeEarliestEffectiveDate,
  termsChangeEarliestEffectiveDate,
  type PriceChangeException,
} from './notices';

/**
 * Notices of changes OKSIO sends to one contract (CON-02 … CON-04). The notice periods come from
 * the contract's signed terms snapshot (CON-01); the notice is recorded, the signed terms are not
 * rewritten (a terms amendment is not modelled, see RULES-COVERAGE.md).
 */

const EXCEPTIONS: PriceChangeException[] = ['force_majeure', 'supplier_price_surge'];

function common(c: { changeId: string; noticeOn: string; effectiveOn: string; description: string }, state: SubscriptionState, ctx: DecideContext, rule: string) {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['signed', 'active'], rule);
  const changeId = requireText(c.changeId, 'changeId', rule);
  const description = requireText(c.description, 'description', rule);
  const noticeOn = pastDate(c.noticeOn, 'noticeOn', ctx.today, rule);
  const effectiveOn = requireLocalDate(c.effectiveOn, 'effectiveOn', rule);
  return { subscriptionId, changeId, description, noticeOn, effectiveOn };
}

/** CON-02: a tariff change applies no earlier than notice + N months (2 by CG 6.1), except force majeure or a supplier price surge. */
export function notifyTariffChange(c: CommandOf<'NotifyTariffChange'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const base = common(c, state, ctx, 'CON-02');
  const terms = requireTerms(state);
  const exception = c.exception ?? null;
  if (exception !== null && !EXCEPTIONS.includes(exception)) {
    throw new DomainError('invalid_exception', `exception must be one of ${EXCEPTIONS.join(', ')}`, 'CON-02', 'exception');
  }
  assertPriceChangeNotice(base.noticeOn, base.effectiveOn, exception ?? undefined, terms.priceChangeNoticeMonths);
  const earliestEffectiveOn = priceChangeEarliestEffectiveDate(base.noticeOn, exception ?? undefined, terms.priceChangeNoticeMonths);
  return [{ type: 'TariffChangeNotified', data: { ...base, earliestEffectiveOn, exception, rule: 'CON-02' } }];
}

/** CON-03: new general terms take effect no earlier than notice + N months (1 by CG 14). */
export function notifyTermsChange(c: CommandOf<'NotifyTermsChange'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const base = common(c, state, ctx, 'CON-03');
  const terms = requireTerms(state);
  const termsVersion = requireText(c.termsVersion, 'termsVersion', 'CON-03');
  assertTermsChangeNotice(base.noticeOn, base.effectiveOn, terms.termsChangeNoticeMonths);
  const earliestEffectiveOn = termsChangeEarliestEffectiveDate(base.noticeOn, terms.termsChangeNoticeMonths);
  return [{ type: 'TermsChangeNotified', data: { ...base, earliestEffectiveOn, termsVersion, rule: 'CON-03' } }];
}

/** CON-04: SIP per-minute rates change only on a 1 January after the notice; only contracts whose terms allow it. */
export function notifySipRateChange(c: CommandOf<'NotifySipRateChange'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const base = common(c, state, ctx, 'CON-04');
  requireClause(requireTerms(state), 'perMinuteRatesRevisableYearly', 'CON-04');
  assertSipRateChange(base.noticeOn, base.effectiveOn);
  return [{ type: 'SipRateChangeNotified', data: { ...base, earliestEffectiveOn: sipRateChangeEarliestEffectiveDate(base.noticeOn), rule: 'CON-04' } }];
}

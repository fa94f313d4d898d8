import { DomainError } from '@oksio/kernel';
import type { CommandOf } from './commands';
import { commitmentSchedule, initialPeriod, periodByIndex } from './commitment';
import { checkDataEligibility, checkFixedLineEligibility, type EligibilityResult } from './eligibility';
import type { EventOf, SubscriptionEvent } from './events';
import { amount, pastDate, requireId, requirePhase, requireService, requireSubscription, requireTerms, requireText, requireSchedule, type DecideContext } from './guards';
import { addDays, endOfLocalDay, isBefore, requireLocalDate } from './local-date';
import type { SubscriptionState } from './state';
import { resolveTerms, SERVICE_KINDS, validateTermsOverrides } from './terms';

/** Order → feasibility → guarantee → cancellation → signature → activation → renewals. */

export function placeOrder(c: CommandOf<'PlaceOrder'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  if (state.phase !== 'none') throw new DomainError('subscription_exists', `Subscription ${state.subscriptionId} already has an order`, undefined, 'subscriptionId');
  const subscriptionId = requireText(c.subscriptionId, 'subscriptionId');
  const customerId = requireText(c.customerId, 'customerId');
  if (!SERVICE_KINDS.includes(c.service)) throw new DomainError('unknown_service', `Unknown service ${String(c.service)}`, 'CON-01', 'service');
  const contractOverrides = validateTermsOverrides(c.contractOverrides);
  const quoteDate = pastDate(c.quoteDate, 'quoteDate', ctx.today);
  const orderAmount = amount(c.orderAmount, 'orderAmount', 'SUB-09');
  if (!Array.isArray(c.items) || c.items.length === 0) throw new DomainError('items_required', 'An order has at least one site, line or licence', undefined, 'items');
  const seen = new Set<string>();
  c.items.forEach((item, i) => {
    requireText(item.itemId, `items[${i}].itemId`);
    requireText(item.label, `items[${i}].label`);
    if (seen.has(item.itemId)) throw new DomainError('duplicate_item', `Item ${item.itemId} appears twice`, undefined, `items[${i}].itemId`);
    seen.add(item.itemId);
    refuseIneligible(c.service, item, i);
  });
  return [
    {
      type: 'OrderPlaced',
      data: {
        subscriptionId,
        customerId,
        service: c.service,
        items: c.items.map((i) => ({ itemId: i.itemId, label: i.label, plan: i.plan ?? null })),
        contractOverrides,
        quoteDate,
        orderAmount: orderAmount.toString(),
        placedAt: ctx.now.toISOString(),
      },
    },
  ];
}

/** SUB-17 / SUB-18: an access known to be ineligible is never ordered. */
function refuseIneligible(service: string, item: CommandOf<'PlaceOrder'>['items'][number], index: number): void {
  let result: EligibilityResult | null = null;
  let field = '';
  if ((service === 'FIXED_VGA' || service === 'FIXED_SIP') && item.fixedLineFacts) {
    result = checkFixedLineEligibility(item.fixedLineFacts);
    field = `items[${index}].fixedLineFacts`;
  } else if (service === 'DATA' && item.dataLineFacts) {
    result = checkDataEligibility(item.dataLineFacts);
    field = `items[${index}].dataLineFacts`;
  }
  if (result && !result.eligible) {
    const codes = result.reasons.map((r) => r.code).join(', ');
    throw new DomainError('line_not_eligible', `Item ${item.itemId} is not eligible: ${codes}`, result.reasons[0].rule, field);
  }
}

export function recordFeasibilityResult(c: CommandOf<'RecordFeasibilityResult'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['ordered', 'signed'], 'SUB-09');
  if (state.order?.acceptance !== 'pending') throw new DomainError('feasibility_already_recorded', 'The feasibility study is already concluded', 'SUB-09', 'feasible');
  const studyReference = c.studyReference ?? null;
  if (c.feasible) return [{ type: 'OrderAccepted', data: { subscriptionId, acceptedOn: ctx.today, studyReference } }];
  const reason = requireText(c.reason, 'reason', 'SUB-09');
  return [{ type: 'OrderRefused', data: { subscriptionId, refusedOn: ctx.today, reason, studyReference } }];
}

/** SUB-09 (CG 5): a guarantee may be demanded "même en cours d'exécution de commande", i.e. until delivery. */
export function requestGuarantee(c: CommandOf<'RequestGuarantee'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['ordered', 'signed'], 'SUB-09');
  if (state.guarantee === 'requested') throw new DomainError('guarantee_already_requested', 'A guarantee request is pending', 'SUB-09', 'insolvencyRiskReason');
  const insolvencyRiskReason = requireText(c.insolvencyRiskReason, 'insolvencyRiskReason', 'SUB-09');
  const requested = c.amount === undefined ? null : amount(c.amount, 'amount', 'SUB-09').toString();
  return [{ type: 'GuaranteeRequested', data: { subscriptionId, requestedOn: ctx.today, insolvencyRiskReason, amount: requested } }];
}

export function recordGuaranteeAnswer(c: CommandOf<'RecordGuaranteeAnswer'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  if (state.guarantee !== 'requested') throw new DomainError('no_guarantee_requested', 'No guarantee was requested', 'SUB-09', 'provided');
  return c.provided
    ? [{ type: 'GuaranteeProvided', data: { subscriptionId, providedOn: ctx.today } }]
    : [{ type: 'GuaranteeRefused', data: { subscriptionId, refusedOn: ctx.today } }];
}

export function cancelOrderForRefusedGuarantee(_c: CommandOf<'CancelOrderForRefusedGuarantee'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['ordered', 'signed'], 'SUB-09');
  if (state.guarantee !== 'refused') throw new DomainError('guarantee_not_refused', 'Orders are cancelled only when a requested guarantee is refused', 'SUB-09', 'guarantee');
  return [{ type: 'OrderCancelledByOksio', data: { subscriptionId, cancelledOn: ctx.today, reason: 'guarantee_refused' } }];
}

/**
 * SUB-09: an accepted order cancelled without OKSIO's written agreement leaves the order amount
 * due; with the agreement (or before acceptance) the client still reimburses the costs incurred.
 */
export function cancelOrderByClient(c: CommandOf<'CancelOrderByClient'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['ordered', 'signed'], 'SUB-09');
  const order = state.order!;
  const agreementReference = c.withOksioWrittenAgreement ? requireText(c.agreementReference, 'agreementReference', 'SUB-09') : null;
  const costs = c.costsIncurred === undefined ? null : amount(c.costsIncurred, 'costsIncurred', 'SUB-09');
  const orderWasAccepted = order.acceptance === 'accepted';
  const orderAmountDue = orderWasAccepted && !c.withOksioWrittenAgreement;
  const amountStillDue = orderAmountDue ? order.orderAmount : (costs?.toString() ?? '0.00');
  const amountDueBasis = orderAmountDue ? 'order_amount' : costs && !costs.isZero() ? 'costs_incurred' : 'none';
  return [
    {
      type: 'OrderCancelledByClient',
      data: { subscriptionId, cancelledOn: ctx.today, orderWasAccepted, withOksioWrittenAgreement: c.withOksioWrittenAgreement, agreementReference, amountStillDue, amountDueBasis },
    },
  ];
}

/** SUB-01 + CON-01: effective on the signature date; the resolved terms are frozen in the event. */
export function signSubscription(c: CommandOf<'SignSubscription'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['ordered'], 'SUB-01');
  const order = state.order!;
  const signedOn = pastDate(c.signedOn, 'signedOn', ctx.today, 'SUB-01');
  if (isBefore(signedOn, order.quoteDate)) throw new DomainError('signature_before_quote', `Signed on ${signedOn}, before the quote of ${order.quoteDate}`, 'SUB-01', 'signedOn');
  const terms = resolveTerms(state.service!, order.contractOverrides, { asOf: signedOn });
  const lineInfoDueOn = terms.lineInfoCollectionDays === null ? null : addDays(signedOn, terms.lineInfoCollectionDays);
  return [
    {
      type: 'SubscriptionSigned',
      data: { subscriptionId, customerId: state.customerId!, service: state.service!, signedOn, agreementEffectiveOn: signedOn, terms, lineInfoDueOn },
    },
  ];
}

function requireDeliverable(state: SubscriptionState): void {
  if (state.order?.acceptance !== 'accepted') throw new DomainError('order_not_accepted', 'The feasibility study has not accepted the order', 'SUB-09', 'subscriptionId');
  if (state.guarantee === 'requested' || state.guarantee === 'refused') {
    throw new DomainError('guarantee_pending', 'A requested guarantee has not been provided', 'SUB-09', 'guarantee');
  }
}

function commitmentStarted(state: SubscriptionState, activatedOn: string): EventOf<'CommitmentStarted'> {
  const terms = requireTerms(state);
  const schedule = commitmentSchedule(activatedOn, terms);
  return {
    type: 'CommitmentStarted',
    data: { subscriptionId: state.subscriptionId!, activatedOn, period: initialPeriod(schedule), termMonths: terms.initialTermMonths, renewalPeriodMonths: terms.renewalPeriodMonths },
  };
}

/** SUB-02: activation of a whole non-mobile contract starts the commitment on the 1st of the next month. */
export function activateService(c: CommandOf<'ActivateService'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  if (state.service === 'MOBILE') throw new DomainError('use_line_activation', 'MOBILE lines start on their SIM activation: use ActivateMobileLine', 'SUB-15', 'type');
  requirePhase(state, ['signed'], 'SUB-02');
  requireDeliverable(state);
  const activatedOn = pastDate(c.activatedOn, 'activatedOn', ctx.today, 'SUB-02');
  if (isBefore(activatedOn, state.signedOn!)) throw new DomainError('activation_before_signature', 'A service cannot start before the agreement', 'SUB-01', 'activatedOn');
  const itemIds = Object.values(state.items)
    .filter((i) => i.status === 'ordered')
    .map((i) => i.itemId);
  return [{ type: 'ServiceActivated', data: { subscriptionId, activatedOn, itemIds } }, commitmentStarted(state, activatedOn)];
}

/**
 * SUB-15: a line's service starts on its SIM activation. The contract's commitment (SUB-02) is
 * anchored on the first line recorded as activated; later lines join the running commitment.
 */
export function activateMobileLine(c: CommandOf<'ActivateMobileLine'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['MOBILE'], 'SUB-15');
  requirePhase(state, ['signed', 'active'], 'SUB-15');
  requireDeliverable(state);
  requireId(state.items, c.lineId, 'lineId', 'line', 'SUB-15');
  if (state.items[c.lineId].status !== 'ordered') throw new DomainError('line_already_active', `Line ${c.lineId} is already activated`, 'SUB-15', 'lineId');
  const simActivatedOn = pastDate(c.simActivatedOn, 'simActivatedOn', ctx.today, 'SUB-15');
  if (isBefore(simActivatedOn, state.signedOn!)) throw new DomainError('activation_before_signature', 'A line cannot start before the agreement', 'SUB-01', 'simActivatedOn');
  const events: SubscriptionEvent[] = [{ type: 'MobileLineActivated', data: { subscriptionId, lineId: c.lineId, simActivatedOn, serviceStartOn: simActivatedOn } }];
  if (!state.schedule) events.push(commitmentStarted(state, simActivatedOn));
  return events;
}

/** SUB-15: each line's RIO and previous end-of-contract date, collected once ("fermes et définitives"). */
export function recordLineInfo(c: CommandOf<'RecordLineInfo'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['MOBILE'], 'SUB-15');
  requirePhase(state, ['signed', 'active'], 'SUB-15');
  requireId(state.items, c.lineId, 'lineId', 'line', 'SUB-15');
  if (state.items[c.lineId].lineInfo) throw new DomainError('line_info_already_collected', 'The collected dates are firm and final', 'SUB-15', 'lineId');
  const rio = requireText(c.rio, 'rio', 'SUB-15');
  const previousContractEndsOn = c.previousContractEndsOn === null ? null : requireLocalDate(c.previousContractEndsOn, 'previousContractEndsOn', 'SUB-15');
  const withinDeadline = state.lineInfoDueOn === null || !isBefore(state.lineInfoDueOn, ctx.today);
  return [{ type: 'LineInfoCollected', data: { subscriptionId, lineId: c.lineId, rio, previousContractEndsOn, collectedOn: ctx.today, withinDeadline } }];
}

/**
 * SUB-03: tacit renewal, sent by the scheduler once the period's last day is over. Idempotent:
 * a renewal already applied returns no event; one not yet due is refused.
 */
export function applyRenewal(c: CommandOf<'ApplyRenewal'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  const periodLastDay = requireLocalDate(c.periodLastDay, 'periodLastDay', 'SUB-03');
  const schedule = requireSchedule(state);
  const current = periodByIndex(schedule, state.startedPeriodIndex);
  if (isBefore(periodLastDay, current.firstDay)) return [];
  requirePhase(state, ['active'], 'SUB-03');
  if (periodLastDay !== current.lastDay) {
    if (isBefore(current.lastDay, periodLastDay)) throw new DomainError('renewal_not_due', `The current period ends on ${current.lastDay}`, 'SUB-03', 'periodLastDay');
    throw new DomainError('not_a_period_end', `${periodLastDay} is not the last day of the current period (${current.lastDay})`, 'SUB-03', 'periodLastDay');
  }
  if (ctx.now < endOfLocalDay(periodLastDay)) throw new DomainError('renewal_not_due', `The period runs until the end of ${periodLastDay}`, 'SUB-03', 'periodLastDay');
  if (state.pendingTermination && !isBefore(periodLastDay, state.pendingTermination.endsOn)) {
    throw new DomainError('termination_pending', `The contract ends on ${state.pendingTermination.endsOn}`, 'SUB-04', 'periodLastDay');
  }
  return [{ type: 'SubscriptionRenewed', data: { subscriptionId, endedPeriodLastDay: periodLastDay, period: periodByIndex(schedule, current.index + 1) } }];
}

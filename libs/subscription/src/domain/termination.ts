import { DomainError } from '@oksio/kernel';
import type { CommandOf, ImmediateTerminationReason, LocalLoopChange } from './commands';
import { commitmentBindingOn, endAfterNoticeFromReceipt, endAtPeriodEndAfterNotice, periodEndingOn } from './commitment';
import type { EndBilling, EventOf, SubscriptionEvent, SurvivingObligation, TerminationCause } from './events';
import {
  endBilling,
  noFee,
  pastDate,
  requireClause,
  requireId,
  requirePhase,
  requireSchedule,
  requireService,
  requireSubscription,
  requireTerms,
  requireText,
  type DecideContext,
} from './guards';
import { addDays, addMonths, endOfLocalDay, isAfter, isBefore, lastDayOfMonth, requireLocalDate, yearMonthOf, type LocalDate } from './local-date';
import { acceptedOrdersInProgress, evolve, type SubscriptionState } from './state';

/** Ends of a contract: by notice, at once, per line, by withdrawal, for non-payment or force majeure. */

interface Ending {
  endsOn: LocalDate;
  cause: TerminationCause;
  rule: string;
  billing: EndBilling;
  earlyTerminationFeeDue: boolean;
  noIndemnityToClient: boolean;
}

/** SUB-20: payment obligations and accepted orders in progress survive; HOSTED_PBX adds CP 10.4 (art. 9.4). */
export function subscriptionTerminated(state: SubscriptionState, ending: Ending): EventOf<'SubscriptionTerminated'> {
  const orders = acceptedOrdersInProgress(state);
  const survivingObligations: SurvivingObligation[] = ['payment_of_sums_due'];
  if (orders.length > 0) survivingObligations.push('accepted_orders_in_progress');
  if (state.service === 'HOSTED_PBX') survivingObligations.push('respect_of_oksio_rights');
  return {
    type: 'SubscriptionTerminated',
    data: {
      subscriptionId: state.subscriptionId!,
      endsOn: ending.endsOn,
      cause: ending.cause,
      rule: ending.rule,
      ...ending.billing,
      earlyTerminationFeeDue: ending.earlyTerminationFeeDue,
      noIndemnityToClient: ending.noIndemnityToClient,
      sumsDueRemain: true,
      survivingObligations,
      acceptedOrdersInProgress: orders,
    },
  };
}

/**
 * SUB-04 / SUB-05: a termination letter. Without `requestedEndOn` the contract ends at the end
 * the notice rules give; an earlier requested end is an early termination (client only) whose fee
 * basis is the months remaining in the binding commitment period (SUB-07).
 */
export function receiveTerminationNotice(c: CommandOf<'ReceiveTerminationNotice'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  const terms = requireTerms(state);
  const rule = terms.noticeRule === 'before_period_end' ? 'SUB-04' : 'SUB-05';
  requirePhase(state, ['active'], rule);
  const schedule = requireSchedule(state);
  const noticeId = requireText(c.noticeId, 'noticeId', rule);
  if (c.from !== 'client' && c.from !== 'oksio') throw new DomainError('invalid_party', 'from is client or oksio', rule, 'from');
  if (c.channel !== 'registered_letter_with_ack') {
    throw new DomainError('registered_letter_required', 'A termination is admissible only by registered letter with acknowledgement of receipt', rule, 'channel');
  }
  const receivedOn = pastDate(c.lrarReceivedOn, 'lrarReceivedOn', ctx.today, rule);
  if (state.pendingTermination) throw new DomainError('termination_already_pending', `The contract already ends on ${state.pendingTermination.endsOn}`, rule, 'noticeId');

  let endWithoutFee: LocalDate;
  let noticeDeadlineForCurrentPeriod: LocalDate | null = null;
  if (terms.noticeRule === 'before_period_end') {
    const outcome = endAtPeriodEndAfterNotice(schedule, receivedOn, terms.noticeMonths);
    endWithoutFee = outcome.endsOn;
    noticeDeadlineForCurrentPeriod = outcome.deadlineForCurrentPeriod;
  } else {
    endWithoutFee = endAfterNoticeFromReceipt(schedule, receivedOn, terms.noticeMonths, terms.noticeEndsNoEarlierThanInitialTerm);
  }

  const requestedEndOn = c.requestedEndOn === undefined ? null : requireLocalDate(c.requestedEndOn, 'requestedEndOn', rule);
  let endsOn = endWithoutFee;
  let early = false;
  if (requestedEndOn !== null) {
    if (isBefore(requestedEndOn, receivedOn)) throw new DomainError('end_before_notice', 'A contract cannot end before the letter is received', rule, 'requestedEndOn');
    if (!isBefore(requestedEndOn, endWithoutFee)) {
      // A later end is fine, but under SUB-04 the contract only ends at a period end.
      if (rule === 'SUB-04' && !periodEndingOn(schedule, requestedEndOn)) {
        throw new DomainError('not_a_period_end', `${requestedEndOn} is not the end of a commitment period`, rule, 'requestedEndOn');
      }
      endsOn = requestedEndOn;
    } else {
      // OKSIO cannot shorten its own notice: its immediate termination is SUB-08's.
      if (c.from === 'oksio') throw new DomainError('notice_period_not_respected', `The notice ends the contract on ${endWithoutFee} at the earliest`, rule, 'requestedEndOn');
      if (!commitmentBindingOn(schedule, requestedEndOn, terms.noticeRule)) {
        throw new DomainError('notice_period_not_respected', `After the initial period the notice ends the contract on ${endWithoutFee} at the earliest`, 'SUB-05', 'requestedEndOn');
      }
      endsOn = requestedEndOn;
      early = true;
    }
  }
  const billing = early ? endBilling(terms, schedule, endsOn, 'early_termination_average') : noFee(terms, endsOn);
  return [
    {
      type: 'TerminationNoticeReceived',
      data: {
        subscriptionId,
        noticeId,
        from: c.from,
        channel: c.channel,
        lrarReceivedOn: receivedOn,
        requestedEndOn,
        rule,
        endsOn,
        endWithoutFee,
        noticeDeadlineForCurrentPeriod,
        early,
        ...billing,
        earlyTerminationFeeDue: billing.monthsRemaining > 0,
      },
    },
  ];
}

/** Sent by the scheduler once the last day of service is over; idempotent once applied. */
export function applyTermination(c: CommandOf<'ApplyTermination'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  requireSubscription(state);
  const endsOn = requireLocalDate(c.endsOn, 'endsOn');
  if (state.phase === 'terminated' && state.endedOn === endsOn) return [];
  requirePhase(state, ['active']);
  const pending = state.pendingTermination;
  if (!pending || pending.endsOn !== endsOn) throw new DomainError('termination_not_scheduled', `No termination is scheduled on ${endsOn}`, undefined, 'endsOn');
  if (ctx.now < endOfLocalDay(endsOn)) throw new DomainError('termination_not_due', `The service runs until the end of ${endsOn}`, pending.rule, 'endsOn');
  const { endsOn: _e, cause, rule, earlyTerminationFeeDue, noIndemnityToClient, ...billing } = pending;
  return [subscriptionTerminated(state, { endsOn, cause, rule, billing, earlyTerminationFeeDue, noIndemnityToClient })];
}

const IMMEDIATE_REASONS: ImmediateTerminationReason[] = ['client_breach', 'false_declaration', 'payment_incident', 'force_majeure', 'fraud_or_sim_duplication'];

/**
 * SUB-08: OKSIO terminates at once, owing no indemnity; sums due remain, and since the end is the
 * client's doing the early-termination basis (SUB-07) is emitted. Force majeure goes through
 * SUS-05 (it must have lasted more than a month); SIM fraud/duplication is SUS-03 (MOBILE).
 */
export function terminateImmediately(c: CommandOf<'TerminateImmediately'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  requireSubscription(state);
  if (!IMMEDIATE_REASONS.includes(c.reason)) throw new DomainError('invalid_reason', `Unknown reason ${String(c.reason)}`, 'SUB-08', 'reason');
  if (c.reason === 'force_majeure') return forceMajeureTermination(state, ctx);
  requirePhase(state, ['signed', 'active'], 'SUB-08');
  requireText(c.details, 'details', 'SUB-08');
  const rule = c.reason === 'fraud_or_sim_duplication' ? 'SUS-03' : 'SUB-08';
  if (c.reason === 'fraud_or_sim_duplication') requireService(state, ['MOBILE'], 'SUS-03');
  const terms = requireTerms(state);
  const billing = endBilling(terms, state.schedule, ctx.today, 'early_termination_average');
  return [
    subscriptionTerminated(state, { endsOn: ctx.today, cause: c.reason, rule, billing, earlyTerminationFeeDue: billing.monthsRemaining > 0, noIndemnityToClient: true }),
  ];
}

/** SUS-05: force majeure lasting more than 1 month lets either party terminate, without indemnity either way. */
export function terminateForForceMajeure(_c: CommandOf<'TerminateForForceMajeure'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  requireSubscription(state);
  return forceMajeureTermination(state, ctx);
}

function forceMajeureTermination(state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  requirePhase(state, ['active'], 'SUS-05');
  const terms = requireTerms(state);
  const ongoing = Object.values(state.suspensions).find((s) => s.forceMajeure);
  if (!ongoing?.forceMajeure) throw new DomainError('no_force_majeure', 'No force majeure suspension is in progress', 'SUS-05', 'reason');
  if (isBefore(ctx.today, ongoing.forceMajeure.terminationRightFrom)) {
    throw new DomainError('force_majeure_not_prolonged', `Force majeure since ${ongoing.forceMajeure.startedOn} has not lasted more than 1 month`, 'SUS-05', 'reason');
  }
  return [subscriptionTerminated(state, { endsOn: ctx.today, cause: 'force_majeure', rule: 'SUS-05', billing: noFee(terms, ctx.today), earlyTerminationFeeDue: false, noIndemnityToClient: true })];
}

const LOCAL_LOOP_CHANGES: LocalLoopChange[] = ['cancelled', 'temporary', 'moderated', 'selective_access', 'other_limitation'];

/**
 * SUB-16: when the incumbent's line subscription is cancelled or limited, that line's contract
 * ends by itself and the early-termination fee is due. The last line ending ends the contract.
 */
export function recordLocalLoopSubscriptionEnded(c: CommandOf<'RecordLocalLoopSubscriptionEnded'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['FIXED_VGA', 'FIXED_SIP'], 'SUB-16');
  const terms = requireTerms(state);
  requireClause(terms, 'localLoopEndTerminatesLine', 'SUB-16');
  requirePhase(state, ['active'], 'SUB-16');
  requireId(state.items, c.lineId, 'lineId', 'line', 'SUB-16');
  if (state.items[c.lineId].status !== 'active') throw new DomainError('line_not_active', `Line ${c.lineId} is not active`, 'SUB-16', 'lineId');
  if (!LOCAL_LOOP_CHANGES.includes(c.change)) throw new DomainError('invalid_change', `Unknown local-loop change ${String(c.change)}`, 'SUB-16', 'change');
  const endedOn = pastDate(c.endedOn, 'endedOn', ctx.today, 'SUB-16');
  const billing = endBilling(terms, state.schedule, endedOn, 'early_termination_average');
  const events: SubscriptionEvent[] = [
    { type: 'ItemTerminated', data: { subscriptionId, itemId: c.lineId, endsOn: endedOn, cause: 'local_loop_subscription_ended', rule: 'SUB-16', localLoopChange: c.change, ...billing } },
  ];
  return [...events, ...endIfNoItemLeft(state, events, endedOn, 'SUB-16')];
}

/** The last day of the commitment period binding on `date` (SUB-05: only the initial one for CG services), or null. */
export function bindingCommitmentLastDay(state: SubscriptionState, date: LocalDate): LocalDate | null {
  if (!state.schedule || !state.terms) return null;
  return commitmentBindingOn(state.schedule, date, state.terms.noticeRule)?.lastDay ?? null;
}

/**
 * POR-06 (CP Mobile 6.2): "la demande de portabilité sortante vaut résiliation du contrat OKSIO
 * pour ce numéro", effective on the actual porting date: the MOBILE line ends that day (SUB-06:
 * that month billed in full). Inside the binding commitment period the early-termination fee is
 * due (SUB-07): the event carries its basis (months remaining to the period's last day) for
 * Billing. The last line ending ends the contract (`all_items_terminated`). Sent again for the same
 * line and date (a retried consequence), it records nothing.
 */
export function terminateLineByPortOut(c: CommandOf<'TerminateLineByPortOut'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['MOBILE'], 'POR-06');
  const portingId = requireText(c.portingId, 'portingId', 'POR-06');
  requireText(c.lineId, 'lineId', 'POR-06');
  requireId(state.items, c.lineId, 'lineId', 'line', 'POR-06');
  const portedOn = pastDate(c.portedOn, 'portedOn', ctx.today, 'POR-06');
  const item = state.items[c.lineId];
  if (item.status === 'terminated') {
    if (item.endsOn === portedOn) return [];
    throw new DomainError('line_already_terminated', `Line ${c.lineId} already ended on ${item.endsOn}`, 'POR-06', 'lineId');
  }
  requirePhase(state, ['signed', 'active'], 'POR-06');
  const terms = requireTerms(state);
  if (item.serviceStartOn && isBefore(portedOn, item.serviceStartOn)) {
    throw new DomainError('ported_before_service_start', `Line ${c.lineId} started on ${item.serviceStartOn}`, 'POR-06', 'portedOn');
  }
  const billing = endBilling(terms, state.schedule, portedOn, 'early_termination_average');
  const events: SubscriptionEvent[] = [
    {
      type: 'ItemTerminated',
      data: {
        subscriptionId,
        itemId: c.lineId,
        endsOn: portedOn,
        cause: 'port_out',
        rule: 'POR-06',
        localLoopChange: null,
        ...billing,
        portingId,
        earlyTerminationFeeDue: billing.monthsRemaining > 0,
      },
    },
  ];
  // A contract signed but not yet active can lose its only line too: it ends as well.
  const after = events.reduce(evolve, state);
  if (Object.values(after.items).every((i) => i.status === 'terminated')) {
    events.push(subscriptionTerminated(after, { endsOn: portedOn, cause: 'all_items_terminated', rule: 'POR-06', billing: noFee(terms, portedOn), earlyTerminationFeeDue: false, noIndemnityToClient: false }));
  }
  return events;
}

/**
 * When the events just decided leave no item running, the contract ends too (the fees were
 * counted on the item). Decided on the state AFTER those events, so that, e.g., the change order
 * that ended the last link is no longer listed as in progress (SUB-20).
 */
export function endIfNoItemLeft(state: SubscriptionState, decided: SubscriptionEvent[], endsOn: LocalDate, rule: string): SubscriptionEvent[] {
  const after = decided.reduce(evolve, state);
  if (after.phase !== 'active' || Object.values(after.items).some((i) => i.status !== 'terminated')) return [];
  const terms = requireTerms(after);
  return [subscriptionTerminated(after, { endsOn, cause: 'all_items_terminated', rule, billing: noFee(terms, endsOn), earlyTerminationFeeDue: false, noIndemnityToClient: false })];
}

/** SUB-19: OKSIO withdraws the PBX software with at least 18 months' notice; the fee stops at the end of that month. */
export function announceSoftwareWithdrawal(c: CommandOf<'AnnounceSoftwareWithdrawal'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['HOSTED_PBX'], 'SUB-19');
  const months = requireClause(requireTerms(state), 'softwareWithdrawalNoticeMonths', 'SUB-19');
  requirePhase(state, ['active'], 'SUB-19');
  if (state.pendingTermination?.cause === 'software_withdrawn') throw new DomainError('withdrawal_already_announced', 'The withdrawal is already announced', 'SUB-19', 'serviceEndsOn');
  const earliest = addMonths(ctx.today, months);
  const serviceEndsOn = c.serviceEndsOn === undefined ? earliest : requireLocalDate(c.serviceEndsOn, 'serviceEndsOn', 'SUB-19');
  if (isBefore(serviceEndsOn, earliest)) {
    throw new DomainError('withdrawal_notice_too_short', `Notified on ${ctx.today}, the service may end on ${earliest} at the earliest`, 'SUB-19', 'serviceEndsOn');
  }
  return [
    {
      type: 'SoftwareWithdrawalAnnounced',
      data: { subscriptionId, noticeOn: ctx.today, serviceEndsOn, feeStopsAfter: lastDayOfMonth(serviceEndsOn), monthBilledInFull: yearMonthOf(serviceEndsOn) },
    },
  ];
}

/**
 * SUS-02 (CG 6.1 III): termination for an unpaid invoice takes effect 2 days after the LRAR's
 * receipt (last day of service = receipt + 2 days). Sums due remain (SUB-08) and, the end being
 * the client's doing, the early-termination basis is emitted.
 */
export function notifyTerminationForNonPayment(c: CommandOf<'NotifyTerminationForNonPayment'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['active'], 'SUS-02');
  const terms = requireTerms(state);
  const invoiceRef = requireText(c.invoiceRef, 'invoiceRef', 'SUS-02');
  const invoiceDueOn = requireLocalDate(c.invoiceDueOn, 'invoiceDueOn', 'SUS-02');
  const lrarReceivedOn = pastDate(c.lrarReceivedOn, 'lrarReceivedOn', ctx.today, 'SUS-02');
  if (!isAfter(lrarReceivedOn, invoiceDueOn)) throw new DomainError('invoice_not_overdue', `Invoice ${invoiceRef} was not overdue when the letter arrived`, 'SUS-02', 'lrarReceivedOn');
  const endsOn = addDays(lrarReceivedOn, terms.nonPaymentTerminationNoticeDays);
  if (state.pendingTermination && !isBefore(endsOn, state.pendingTermination.endsOn)) {
    throw new DomainError('termination_already_pending', `The contract already ends on ${state.pendingTermination.endsOn}`, 'SUS-02', 'lrarReceivedOn');
  }
  const billing = endBilling(terms, state.schedule, endsOn, 'early_termination_average');
  return [
    {
      type: 'NonPaymentTerminationNotified',
      data: { subscriptionId, invoiceRef, invoiceDueOn, lrarReceivedOn, endsOn, ...billing, earlyTerminationFeeDue: billing.monthsRemaining > 0 },
    },
  ];
}

import { DomainError } from '@oksio/kernel';
import type { CommandOf, LostOrStolenKind, MisuseKind, SuspensionReason, SuspensionScope } from './commands';
import type { SubscriptionEvent } from './events';
import { pastDate, requireClause, requireId, requirePhase, requireService, requireSubscription, requireTerms, requireText, type DecideContext } from './guards';
import { addBusinessDays, addDays, addMonths, businessDaysAfter, isAfter, isBefore, requireLocalDate, type LocalDate } from './local-date';
import type { SubscriptionState } from './state';

/** Suspensions of service (SUS-01 … SUS-05) and of deliveries (SUS-06). */

const SCOPES: SuspensionScope[] = ['full', 'international_calls', 'premium_rate_numbers', 'outgoing_calls', 'mobile_data'];
const MISUSE_KINDS: MisuseKind[] = ['spam', 'mass_generation', 'gsm_gateway', 'sim_box', 'rerouting', 'other_misuse'];
const LOST_KINDS: LostOrStolenKind[] = ['lost', 'stolen', 'misappropriated', 'unauthorised_use'];

const RULE_OF: Record<SuspensionReason, string> = {
  legal_obligation: 'SUS-01',
  illegal_use: 'SUS-01',
  unpaid: 'SUS-02',
  misuse: 'SUS-03',
  force_majeure: 'SUS-05',
  lost_or_stolen_sim: 'SUS-04',
};

/** SUS-01: suspension/reconnection costs are billable when the suspension results from the client's fault. */
const CLIENT_AT_FAULT = new Set<SuspensionReason>(['unpaid', 'illegal_use', 'misuse', 'lost_or_stolen_sim']);

function requireNewSuspension(state: SubscriptionState, suspensionId: string, rule: string): string {
  const id = requireText(suspensionId, 'suspensionId', rule);
  if (state.suspensions[id]) throw new DomainError('suspension_exists', `Suspension ${id} is in force`, rule, 'suspensionId');
  return id;
}

function requireActiveItems(state: SubscriptionState, itemIds: string[], rule: string): void {
  itemIds.forEach((id, i) => {
    requireId(state.items, id, `itemIds[${i}]`, 'item', rule);
    if (state.items[id].status !== 'active') throw new DomainError('item_not_active', `Item ${id} is not active`, rule, `itemIds[${i}]`);
  });
}

/**
 * SUS-01 … SUS-03, SUS-05. A partial scope (barring international calls …) is a conservatory
 * measure, allowed without prior information; a full suspension on legal or illegal-use grounds
 * needs the client to have been informed (CG 7 "après avoir prévenu le Client"). Non-payment:
 * never before due date + 7 days (SUS-02, decision: also for conservatory measures). Misuse: at
 * once (SUS-03). Fees continue during every suspension except force majeure, which suspends both
 * parties' obligations (SUS-05).
 */
export function suspendService(c: CommandOf<'SuspendService'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  const reason = c.reason;
  if (!(reason in RULE_OF) || reason === ('lost_or_stolen_sim' as string)) {
    throw new DomainError('invalid_reason', `Unknown suspension reason ${String(reason)} (lost/stolen SIM: ReportLostOrStolenSim)`, 'SUS-01', 'reason');
  }
  const rule = RULE_OF[reason];
  requirePhase(state, ['active'], rule);
  const terms = requireTerms(state);
  const suspensionId = requireNewSuspension(state, c.suspensionId, rule);
  if (!SCOPES.includes(c.scope)) throw new DomainError('invalid_scope', `Unknown scope ${String(c.scope)}`, 'SUS-01', 'scope');
  const itemIds = c.itemIds ?? [];
  requireActiveItems(state, itemIds, rule);
  const conservatory = c.scope !== 'full';

  let clientInformedOn: LocalDate | null = null;
  if (c.clientInformedOn !== undefined) clientInformedOn = pastDate(c.clientInformedOn, 'clientInformedOn', ctx.today, 'SUS-01');
  if ((reason === 'legal_obligation' || reason === 'illegal_use') && !conservatory && clientInformedOn === null) {
    throw new DomainError('client_not_informed', 'OKSIO suspends only after informing the client', 'SUS-01', 'clientInformedOn');
  }

  let unpaidInvoice = null;
  if (reason === 'unpaid') {
    if (!c.unpaidInvoice) throw new DomainError('required', 'The unpaid invoice is required', 'SUS-02', 'unpaidInvoice');
    const invoiceRef = requireText(c.unpaidInvoice.invoiceRef, 'unpaidInvoice.invoiceRef', 'SUS-02');
    const dueOn = requireLocalDate(c.unpaidInvoice.dueOn, 'unpaidInvoice.dueOn', 'SUS-02');
    const earliest = addDays(dueOn, terms.nonPaymentSuspensionDelayDays);
    if (isBefore(ctx.today, earliest)) {
      throw new DomainError('suspension_too_early', `Invoice due on ${dueOn}: suspension allowed from ${earliest}`, 'SUS-02', 'unpaidInvoice.dueOn');
    }
    unpaidInvoice = { invoiceRef, dueOn };
  }

  let misuseKind: MisuseKind | null = null;
  if (reason === 'misuse') {
    if (!c.misuseKind || !MISUSE_KINDS.includes(c.misuseKind)) throw new DomainError('required', 'The kind of misuse is required', 'SUS-03', 'misuseKind');
    misuseKind = c.misuseKind;
  }

  let forceMajeure = null;
  if (reason === 'force_majeure') {
    const startedOn = c.forceMajeureStartedOn === undefined ? ctx.today : pastDate(c.forceMajeureStartedOn, 'forceMajeureStartedOn', ctx.today, 'SUS-05');
    // "plus de 1 (un) mois": the right opens the day after the one-month anniversary.
    forceMajeure = { startedOn, terminationRightFrom: addDays(addMonths(startedOn, terms.forceMajeureTerminationAfterMonths), 1) };
  }

  return [
    {
      type: 'ServiceSuspended',
      data: {
        subscriptionId,
        suspensionId,
        reason,
        scope: c.scope,
        itemIds,
        suspendedAt: ctx.now.toISOString(),
        rule,
        conservatory,
        clientInformedOn,
        unpaidInvoice,
        misuseKind,
        lostOrStolen: null,
        forceMajeure,
        subscriptionFeesContinue: reason !== 'force_majeure',
      },
    },
  ];
}

/**
 * SUS-04: the line is put out of service on the client's call; the client confirms by LRAR within
 * 2 business days following the discovery of the facts (or the police complaint). The contract
 * continues and the subscription is billed meanwhile.
 */
export function reportLostOrStolenSim(c: CommandOf<'ReportLostOrStolenSim'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['MOBILE'], 'SUS-04');
  const days = requireClause(requireTerms(state), 'lostSimConfirmationBusinessDays', 'SUS-04');
  requirePhase(state, ['active'], 'SUS-04');
  const suspensionId = requireNewSuspension(state, c.suspensionId, 'SUS-04');
  requireId(state.items, c.lineId, 'lineId', 'line', 'SUS-04');
  if (state.items[c.lineId].status !== 'active') throw new DomainError('item_not_active', `Line ${c.lineId} is not active`, 'SUS-04', 'lineId');
  if (!LOST_KINDS.includes(c.kind)) throw new DomainError('invalid_kind', `Unknown kind ${String(c.kind)}`, 'SUS-04', 'kind');
  const factsOn = pastDate(c.factsOn, 'factsOn', ctx.today, 'SUS-04');
  const confirmationDueOn = addBusinessDays(ctx.calendar, factsOn, days);
  return [
    {
      type: 'ServiceSuspended',
      data: {
        subscriptionId,
        suspensionId,
        reason: 'lost_or_stolen_sim',
        scope: 'full',
        itemIds: [c.lineId],
        suspendedAt: ctx.now.toISOString(),
        rule: 'SUS-04',
        conservatory: false,
        clientInformedOn: null,
        unpaidInvoice: null,
        misuseKind: null,
        lostOrStolen: { kind: c.kind, factsOn, confirmationDueOn },
        forceMajeure: null,
        subscriptionFeesContinue: true,
      },
    },
  ];
}

/** SUS-04: the confirming letter; theft needs the police report; if disputed, the out-of-service date is the letter's receipt. */
export function confirmLostOrStolenSim(c: CommandOf<'ConfirmLostOrStolenSim'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireId(state.suspensions, c.suspensionId, 'suspensionId', 'suspension', 'SUS-04');
  const lost = state.suspensions[c.suspensionId].lostOrStolen;
  if (!lost) throw new DomainError('not_a_lost_sim_suspension', `Suspension ${c.suspensionId} is not for a lost or stolen SIM`, 'SUS-04', 'suspensionId');
  if (lost.confirmedOn) throw new DomainError('already_confirmed', `Confirmed by a letter received on ${lost.confirmedOn}`, 'SUS-04', 'suspensionId');
  const lrarReceivedOn = pastDate(c.lrarReceivedOn, 'lrarReceivedOn', ctx.today, 'SUS-04');
  const lrarSentOn = c.lrarSentOn === undefined ? null : requireLocalDate(c.lrarSentOn, 'lrarSentOn', 'SUS-04');
  if (lrarSentOn && isAfter(lrarSentOn, lrarReceivedOn)) throw new DomainError('sent_after_receipt', 'A letter is sent before it is received', 'SUS-04', 'lrarSentOn');
  if (lost.kind === 'stolen' && !c.policeReportEnclosed) throw new DomainError('police_report_required', 'A theft is confirmed with a copy of the police report', 'SUS-04', 'policeReportEnclosed');
  // The clause binds the sending ("adresser … dans les deux jours ouvrés"); without a postmark, the receipt date is all we know.
  const withinDeadline = !isAfter(lrarSentOn ?? lrarReceivedOn, lost.confirmationDueOn);
  return [
    {
      type: 'LostOrStolenSimConfirmed',
      data: { subscriptionId, suspensionId: c.suspensionId, lrarReceivedOn, lrarSentOn, policeReportEnclosed: c.policeReportEnclosed, withinDeadline, outOfServiceDateIfDisputed: lrarReceivedOn },
    },
  ];
}

/**
 * Reconnection. SUS-04: a lost/stolen line comes back only on the client's written request, with
 * a new SIM billed and possibly a new number. SUS-05: the client is told of the resumption.
 */
export function liftSuspension(c: CommandOf<'LiftSuspension'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['active'], 'SUS-01');
  requireId(state.suspensions, c.suspensionId, 'suspensionId', 'suspension', 'SUS-01');
  const suspension = state.suspensions[c.suspensionId];
  const lostSim = suspension.reason === 'lost_or_stolen_sim';
  if (lostSim && c.writtenRequestFromClient !== true) {
    throw new DomainError('written_request_required', 'A lost or stolen line is reactivated on the client\'s written request', 'SUS-04', 'writtenRequestFromClient');
  }
  if (c.newNumber !== undefined && !lostSim) throw new DomainError('number_change_not_allowed', 'Only a reactivated lost/stolen line may change number', 'SUS-04', 'newNumber');
  return [
    {
      type: 'SuspensionLifted',
      data: {
        subscriptionId,
        suspensionId: c.suspensionId,
        reason: suspension.reason,
        liftedAt: ctx.now.toISOString(),
        reconnectionCostsBillable: CLIENT_AT_FAULT.has(suspension.reason),
        newSimBilled: lostSim,
        newNumber: c.newNumber ?? null,
        resumptionNoticeToClient: suspension.reason === 'force_majeure',
      },
    },
  ];
}

/**
 * SUS-06 (CP Mobile 14.4): deliveries may be suspended once an invoice has been unpaid for more
 * than 8 business days after its due date, i.e. from the 9th business day after it.
 */
export function suspendDeliveries(c: CommandOf<'SuspendDeliveries'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['MOBILE'], 'SUS-06');
  const threshold = requireClause(requireTerms(state), 'deliverySuspensionAfterBusinessDays', 'SUS-06');
  requirePhase(state, ['signed', 'active'], 'SUS-06');
  if (state.deliveriesSuspended) throw new DomainError('deliveries_already_suspended', `Suspended since ${state.deliveriesSuspended.since}`, 'SUS-06', 'invoiceRef');
  const invoiceRef = requireText(c.invoiceRef, 'invoiceRef', 'SUS-06');
  const invoiceDueOn = requireLocalDate(c.invoiceDueOn, 'invoiceDueOn', 'SUS-06');
  const overdue = businessDaysAfter(ctx.calendar, invoiceDueOn, ctx.today);
  if (overdue <= threshold) {
    throw new DomainError('deliveries_suspension_too_early', `Invoice due on ${invoiceDueOn} is ${overdue} business days overdue; more than ${threshold} needed`, 'SUS-06', 'invoiceDueOn');
  }
  return [{ type: 'DeliveriesSuspended', data: { subscriptionId, invoiceRef, invoiceDueOn, suspendedOn: ctx.today, businessDaysOverdue: overdue } }];
}

export function resumeDeliveries(_c: CommandOf<'ResumeDeliveries'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  if (!state.deliveriesSuspended) throw new DomainError('deliveries_not_suspended', 'Deliveries are not suspended', 'SUS-06', 'subscriptionId');
  return [{ type: 'DeliveriesResumed', data: { subscriptionId, resumedOn: ctx.today } }];
}

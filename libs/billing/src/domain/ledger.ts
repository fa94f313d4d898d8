import { ConflictError, DomainError, Money, type BusinessCalendar, type Decider, type DomainEvent, type PersonalText } from '@oksio/kernel';
import { addBusinessDays, addDays, addMonths, daysBetween, localDateOf, requireLocalDate, type HalfYear, type LocalDate } from './calendar';
import { lateInterest, type InterestPiece, type LateSegment } from './legal-interest';
import type { BillingSettings } from './settings';

/**
 * The life of one issued invoice after its number (stream `invoice-<invoiceId>`): payments and
 * SEPA rejections (BIL-04), overdue with the 40 € indemnity and late interest (BIL-05), the
 * non-payment signals Subscription acts on (SUS-02, SUS-06), disputes (BIL-06) and credits.
 * The issued document itself is immutable and lives in the register; its facts seed the state.
 */
export interface IssuedFacts {
  invoiceId: string;
  number: string;
  customerId: string;
  issuedOn: LocalDate;
  dueOn: LocalDate;
  totalTTC: string;
  vatRate: string;
  subscriptionIds: string[];
  /** subscriptionId → service kind (SUS-06 concerns MOBILE). */
  services: Record<string, string>;
}

export type PaymentMethod = 'sepa_direct_debit' | 'bank_transfer' | 'cheque';
export type DisputeOutcome = 'upheld' | 'partially_upheld' | 'rejected';
export type DisputeStatus = 'open' | 'documents_received' | 'lapsed' | 'resolved';

export interface PaymentState {
  paymentId: string;
  amount: string;
  receivedOn: LocalDate;
  method: PaymentMethod;
  rejectedOn: LocalDate | null;
}

export interface DisputeState {
  disputeId: string;
  amount: string;
  lrarReceivedOn: LocalDate;
  documentsDueOn: LocalDate;
  documentsReceivedOn: LocalDate | null;
  status: DisputeStatus;
  closedOn: LocalDate | null;
  outcome: DisputeOutcome | null;
  creditAmount: string | null;
}

export interface LedgerState {
  issued: IssuedFacts;
  payments: Record<string, PaymentState>;
  credits: Array<{ creditNoteId: string; amountTTC: string; on: LocalDate }>;
  disputes: Record<string, DisputeState>;
  overdueSince: LocalDate | null;
  indemnity: string | null;
  suspensionAllowedOn: LocalDate | null;
  deliveriesSuspensionAllowedOn: LocalDate | null;
  interestAssessed: string;
  interestAssessedTo: LocalDate | null;
}

export type LedgerCommand =
  | { type: 'RecordPayment'; paymentId: string; amount: string; receivedOn: LocalDate; method: PaymentMethod; mandateId: string | null }
  | { type: 'RejectPayment'; paymentId: string; rejectedOn: LocalDate; reason: string }
  | { type: 'MarkOverdue' }
  | { type: 'CheckNonPaymentSuspension' }
  | { type: 'CheckDeliverySuspension' }
  | { type: 'AssessLateInterest'; asOf: LocalDate }
  | { type: 'OpenDispute'; disputeId: string; channel: string; lrarReceivedOn: LocalDate; invoiceReceivedOn?: LocalDate; reasons: string; amount: string }
  | { type: 'RecordDisputeDocuments'; disputeId: string; receivedOn: LocalDate }
  | { type: 'LapseDispute'; disputeId: string }
  | { type: 'ResolveDispute'; disputeId: string; outcome: DisputeOutcome; creditAmount?: string; creditNoteId: string; note?: string }
  | { type: 'GrantCredit'; creditNoteId: string; amountHT: string; reason: string };

type Base = { invoiceId: string; invoiceNumber: string; customerId: string };
type E<T extends string, D extends object> = DomainEvent<T, D & Base>;

export type LedgerEvent =
  | E<'PaymentRecorded', { paymentId: string; amount: string; receivedOn: LocalDate; method: PaymentMethod; mandateId: string | null; outstandingAfter: string }>
  | E<'PaymentRejected', { paymentId: string; amount: string; rejectedOn: LocalDate; reason: PersonalText; outstandingAfter: string }>
  | E<'InvoiceSettled', { settledOn: LocalDate; subscriptionIds: string[] }>
  | E<
      'InvoiceBecameOverdue',
      { dueOn: LocalDate; overdueSince: LocalDate; outstanding: string; payableNow: string; recoveryIndemnity: string; subscriptionIds: string[]; rule: 'BIL-05' }
    >
  | E<
      'NonPaymentSuspensionAllowed',
      { invoiceRef: string; dueOn: LocalDate; allowedFrom: LocalDate; outstanding: string; subscriptionIds: string[]; rule: 'SUS-02' }
    >
  | E<
      'DeliveriesSuspensionAllowed',
      { invoiceRef: string; dueOn: LocalDate; allowedFrom: LocalDate; businessDaysAfterDue: number; outstanding: string; subscriptionIds: string[]; rule: 'SUS-06' }
    >
  | E<'LateInterestAssessed', { from: LocalDate; to: LocalDate; amount: string; totalAssessed: string; pieces: Array<Record<string, unknown>>; rule: 'BIL-05' }>
  | E<'DisputeOpened', { disputeId: string; amount: string; reasons: PersonalText; lrarReceivedOn: LocalDate; invoiceReceivedOn: LocalDate; documentsDueOn: LocalDate; payableNow: string; rule: 'BIL-06' }>
  | E<'DisputeDocumentsReceived', { disputeId: string; receivedOn: LocalDate }>
  | E<'DisputeLapsed', { disputeId: string; closedOn: LocalDate; amountNowPayable: string; rule: 'BIL-06' }>
  | E<'DisputeResolved', { disputeId: string; outcome: DisputeOutcome; closedOn: LocalDate; creditAmountTTC: string; creditAmountHT: string; creditNoteId: string | null; note: PersonalText | null }>
  | E<'CreditGranted', { creditNoteId: string; amountHT: string; amountTTC: string; vatRate: string; reason: string; grantedOn: LocalDate }>;

export const LEDGER_EVENT_TYPES = [
  'PaymentRecorded',
  'PaymentRejected',
  'InvoiceSettled',
  'InvoiceBecameOverdue',
  'NonPaymentSuspensionAllowed',
  'DeliveriesSuspensionAllowed',
  'LateInterestAssessed',
  'DisputeOpened',
  'DisputeDocumentsReceived',
  'DisputeLapsed',
  'DisputeResolved',
  'CreditGranted',
] as const;

export const invoiceStream = (invoiceId: string): string => `invoice-${invoiceId}`;

const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;
function requireAmount(value: unknown, field: string, rule: string): Money {
  if (typeof value !== 'string' || !AMOUNT.test(value) || !Money.eur(value).isPositive()) {
    throw new DomainError('invalid_amount', `${field} must be a positive amount in euros with at most 2 decimals, e.g. "120.50"`, rule, field);
  }
  return Money.eur(value);
}

// ---- derived amounts -------------------------------------------------------------------------

export function paidTotal(s: LedgerState): Money {
  return Money.sum(Object.values(s.payments).filter((p) => !p.rejectedOn).map((p) => Money.eur(p.amount)));
}
export function creditedTotal(s: LedgerState): Money {
  return Money.sum(s.credits.map((c) => Money.eur(c.amountTTC)));
}
/** What the client still owes on the invoice (TTC), disputed part included. */
export function outstanding(s: LedgerState): Money {
  return Money.max(Money.zero(), Money.eur(s.issued.totalTTC).subtract(paidTotal(s)).subtract(creditedTotal(s)));
}
/** BIL-06: only the disputed amount is suspended. */
export function disputedTotal(s: LedgerState): Money {
  return Money.sum(Object.values(s.disputes).filter((d) => d.status === 'open' || d.status === 'documents_received').map((d) => Money.eur(d.amount)));
}
export function payableNow(s: LedgerState): Money {
  return Money.max(Money.zero(), outstanding(s).subtract(disputedTotal(s)));
}

/** The amount late on day `t` (a day after the due date): unpaid, uncredited and not under dispute on that day. */
function amountLateOn(s: LedgerState, t: LocalDate): Money {
  const paid = Money.sum(Object.values(s.payments).filter((p) => !p.rejectedOn && p.receivedOn < t).map((p) => Money.eur(p.amount)));
  const credited = Money.sum(s.credits.filter((c) => c.on < t).map((c) => Money.eur(c.amountTTC)));
  const disputed = Money.sum(
    Object.values(s.disputes)
      .filter((d) => d.lrarReceivedOn < t && (d.closedOn === null || d.closedOn >= t))
      .map((d) => Money.eur(d.amount)),
  );
  return Money.max(Money.zero(), Money.eur(s.issued.totalTTC).subtract(paid).subtract(credited).subtract(disputed));
}

/**
 * BIL-05: the periods during which an amount was late, from the day after the due date to `asOf`
 * (inclusive), cut wherever the late amount changes (payment received, credit, dispute opened or
 * closed): a payment on day X still counts day X, as "days late = payment date − due date".
 */
export function lateSegments(s: LedgerState, asOf: LocalDate, from?: LocalDate): LateSegment[] {
  const start = from ?? addDays(s.issued.dueOn, 1);
  if (asOf < start) return [];
  const cuts = new Set<LocalDate>([start]);
  for (const p of Object.values(s.payments)) if (!p.rejectedOn) cuts.add(addDays(p.receivedOn, 1));
  for (const c of s.credits) cuts.add(addDays(c.on, 1));
  for (const d of Object.values(s.disputes)) {
    cuts.add(addDays(d.lrarReceivedOn, 1));
    if (d.closedOn) cuts.add(addDays(d.closedOn, 1));
  }
  const sorted = [...cuts].filter((c) => c >= start && c <= asOf).sort();
  const segments: LateSegment[] = [];
  sorted.forEach((segFrom, i) => {
    const segTo = i + 1 < sorted.length ? addDays(sorted[i + 1], -1) : asOf;
    const amount = amountLateOn(s, segFrom);
    if (amount.isPositive()) segments.push({ from: segFrom, to: segTo, amount });
  });
  return segments;
}

export interface LedgerOptions {
  settings: Pick<BillingSettings, 'lateInterestMultiplier' | 'recoveryIndemnity' | 'dayCountBasis' | 'disputeWindowDays' | 'disputeDocumentsDays' | 'claimLimitMonths' | 'nonPaymentSuspensionDelayDays' | 'deliverySuspensionAfterBusinessDays'>;
  legalRates: Readonly<Record<HalfYear, string>>;
  calendar: BusinessCalendar;
}

/** Late interest owed up to `asOf` (BIL-05); throws `legal_rate_missing` for a half-year without a rate. */
export function lateInterestOf(s: LedgerState, asOf: LocalDate, options: Pick<LedgerOptions, 'settings' | 'legalRates'>, from?: LocalDate): { amount: Money; pieces: InterestPiece[] } {
  return lateInterest(lateSegments(s, asOf, from), {
    rates: options.legalRates,
    multiplier: options.settings.lateInterestMultiplier,
    dayCountBasis: options.settings.dayCountBasis,
  });
}

export function initialLedgerState(issued: IssuedFacts): LedgerState {
  return {
    issued,
    payments: {},
    credits: [],
    disputes: {},
    overdueSince: null,
    indemnity: null,
    suspensionAllowedOn: null,
    deliveriesSuspensionAllowedOn: null,
    interestAssessed: '0.00',
    interestAssessedTo: null,
  };
}

/** SUS-06 concerns the MOBILE contracts on the invoice. */
export const mobileSubscriptions = (issued: IssuedFacts): string[] => issued.subscriptionIds.filter((id) => issued.services[id] === 'MOBILE');

export function deliverySuspensionFrom(issued: IssuedFacts, options: Pick<LedgerOptions, 'settings' | 'calendar'>): LocalDate {
  // "more than 8 business days after its due date": from the 9th business day after it.
  return addBusinessDays(options.calendar, issued.dueOn, options.settings.deliverySuspensionAfterBusinessDays + 1);
}

function overdueEvent(s: LedgerState, today: LocalDate, options: LedgerOptions, base: Base): LedgerEvent[] {
  if (s.overdueSince || today <= s.issued.dueOn || !payableNow(s).isPositive()) return [];
  return [
    {
      type: 'InvoiceBecameOverdue',
      data: {
        ...base,
        dueOn: s.issued.dueOn,
        overdueSince: addDays(s.issued.dueOn, 1),
        outstanding: outstanding(s).toString(),
        payableNow: payableNow(s).toString(),
        // BIL-05 (D441-5): a flat 40 € per late invoice, once.
        recoveryIndemnity: Money.eur(options.settings.recoveryIndemnity).toString(),
        subscriptionIds: s.issued.subscriptionIds,
        rule: 'BIL-05',
      },
    },
  ];
}

function suspensionEvent(s: LedgerState, today: LocalDate, options: LedgerOptions, base: Base): LedgerEvent[] {
  const allowedFrom = addDays(s.issued.dueOn, options.settings.nonPaymentSuspensionDelayDays);
  if (today < allowedFrom || s.suspensionAllowedOn || !payableNow(s).isPositive()) return [];
  return [
    {
      type: 'NonPaymentSuspensionAllowed',
      data: { ...base, invoiceRef: s.issued.number, dueOn: s.issued.dueOn, allowedFrom, outstanding: payableNow(s).toString(), subscriptionIds: s.issued.subscriptionIds, rule: 'SUS-02' },
    },
  ];
}

function deliveriesEvent(s: LedgerState, today: LocalDate, options: LedgerOptions, base: Base): LedgerEvent[] {
  const mobile = mobileSubscriptions(s.issued);
  if (mobile.length === 0) return [];
  const allowedFrom = deliverySuspensionFrom(s.issued, options);
  if (today < allowedFrom || s.deliveriesSuspensionAllowedOn || !payableNow(s).isPositive()) return [];
  return [
    {
      type: 'DeliveriesSuspensionAllowed',
      data: {
        ...base,
        invoiceRef: s.issued.number,
        dueOn: s.issued.dueOn,
        allowedFrom,
        businessDaysAfterDue: options.settings.deliverySuspensionAfterBusinessDays + 1,
        outstanding: payableNow(s).toString(),
        subscriptionIds: mobile,
        rule: 'SUS-06',
      },
    },
  ];
}

function decide(command: LedgerCommand, s: LedgerState, now: Date, options: LedgerOptions): LedgerEvent[] {
  const today = localDateOf(now);
  const base: Base = { invoiceId: s.issued.invoiceId, invoiceNumber: s.issued.number, customerId: s.issued.customerId };
  const notFuture = (date: LocalDate, field: string, rule: string) => {
    if (date > today) throw new DomainError('date_in_future', `${field} ${date} is after today (${today})`, rule, field);
  };
  switch (command.type) {
    case 'RecordPayment': {
      const amount = requireAmount(command.amount, 'amount', 'BIL-04');
      const receivedOn = requireLocalDate(command.receivedOn, 'receivedOn', 'BIL-04');
      notFuture(receivedOn, 'receivedOn', 'BIL-04');
      if (receivedOn < s.issued.issuedOn) throw new DomainError('payment_before_invoice', `Payment received on ${receivedOn}, before the invoice date ${s.issued.issuedOn}`, 'BIL-04', 'receivedOn');
      if (s.payments[command.paymentId]) throw new ConflictError('payment_exists', `Payment ${command.paymentId} is already recorded`, [{ field: 'paymentId', message: 'already recorded' }]);
      const owed = outstanding(s);
      if (amount.compare(owed) > 0) throw new DomainError('overpayment', `The invoice ${s.issued.number} has ${owed.toString()} € outstanding; ${amount.toString()} € is more`, 'BIL-04', 'amount');
      const after = owed.subtract(amount);
      const events: LedgerEvent[] = [
        { type: 'PaymentRecorded', data: { ...base, paymentId: command.paymentId, amount: amount.toString(), receivedOn, method: command.method, mandateId: command.mandateId, outstandingAfter: after.toString() } },
      ];
      if (after.isZero()) events.push({ type: 'InvoiceSettled', data: { ...base, settledOn: receivedOn, subscriptionIds: s.issued.subscriptionIds } });
      return events;
    }
    case 'RejectPayment': {
      const payment = s.payments[command.paymentId];
      if (!payment) throw new DomainError('payment_not_found', `No payment ${command.paymentId} on invoice ${s.issued.number}`, 'BIL-04', 'paymentId');
      if (payment.rejectedOn) throw new ConflictError('payment_already_rejected', `Payment ${command.paymentId} was rejected on ${payment.rejectedOn}`, [{ field: 'paymentId', message: 'already rejected' }]);
      const rejectedOn = requireLocalDate(command.rejectedOn, 'rejectedOn', 'BIL-04');
      notFuture(rejectedOn, 'rejectedOn', 'BIL-04');
      if (rejectedOn < payment.receivedOn) throw new DomainError('rejection_before_payment', 'A rejection cannot precede the payment', 'BIL-04', 'rejectedOn');
      if (!command.reason?.trim()) throw new DomainError('reason_required', 'The SEPA reject reason is required', 'BIL-04', 'reason');
      const event: LedgerEvent = {
        type: 'PaymentRejected',
        data: { ...base, paymentId: command.paymentId, amount: payment.amount, rejectedOn, reason: command.reason, outstandingAfter: outstanding(s).add(Money.eur(payment.amount)).toString() },
      };
      // A rejected direct debit leaves the invoice unpaid as if never paid: the signals a payment
      // had made pointless are given now when their dates have passed (BIL-05, SUS-02, SUS-06).
      const events: LedgerEvent[] = [event];
      let after = evolveLedger(s, event);
      for (const next of [overdueEvent, suspensionEvent, deliveriesEvent]) {
        for (const e of next(after, today, options, base)) {
          events.push(e);
          after = evolveLedger(after, e);
        }
      }
      return events;
    }
    case 'MarkOverdue': {
      if (today <= s.issued.dueOn) throw new DomainError('not_yet_overdue', `Invoice ${s.issued.number} is due on ${s.issued.dueOn}`, 'BIL-05', 'dueOn');
      return overdueEvent(s, today, options, base);
    }
    case 'CheckNonPaymentSuspension': {
      const allowedFrom = addDays(s.issued.dueOn, options.settings.nonPaymentSuspensionDelayDays);
      if (today < allowedFrom) throw new DomainError('suspension_too_early', `Suspension for non-payment allowed from ${allowedFrom}`, 'SUS-02', 'dueOn');
      return suspensionEvent(s, today, options, base);
    }
    case 'CheckDeliverySuspension': {
      const allowedFrom = deliverySuspensionFrom(s.issued, options);
      if (today < allowedFrom) throw new DomainError('deliveries_suspension_too_early', `Deliveries may be suspended from ${allowedFrom}`, 'SUS-06', 'dueOn');
      return deliveriesEvent(s, today, options, base);
    }
    case 'AssessLateInterest': {
      const asOf = requireLocalDate(command.asOf, 'asOf', 'BIL-05');
      notFuture(asOf, 'asOf', 'BIL-05');
      const from = s.interestAssessedTo ? addDays(s.interestAssessedTo, 1) : addDays(s.issued.dueOn, 1);
      if (asOf < from) return [];
      const interest = lateInterestOf(s, asOf, options, from);
      if (interest.amount.isZero()) return [];
      return [
        {
          type: 'LateInterestAssessed',
          data: {
            ...base,
            from,
            to: asOf,
            amount: interest.amount.toString(),
            totalAssessed: Money.eur(s.interestAssessed).add(interest.amount).toString(),
            pieces: interest.pieces.map((p) => ({ halfYear: p.halfYear, from: p.from, to: p.to, days: p.days, base: p.base.toString(), legalRate: p.legalRate, appliedRate: p.appliedRate, interest: p.interest.toExactString() })),
            rule: 'BIL-05',
          },
        },
      ];
    }
    case 'OpenDispute': {
      if (s.disputes[command.disputeId]) throw new ConflictError('dispute_exists', `Dispute ${command.disputeId} exists`, [{ field: 'disputeId', message: 'already opened' }]);
      if (command.channel !== 'registered_letter_with_ack') {
        throw new DomainError('dispute_requires_registered_letter', 'An invoice is disputed by registered letter with acknowledgement of receipt (LRAR)', 'BIL-06', 'channel');
      }
      if (!command.reasons?.trim()) throw new DomainError('dispute_reasons_required', 'A dispute must state its reasons ("dûment motivée")', 'BIL-06', 'reasons');
      const lrarReceivedOn = requireLocalDate(command.lrarReceivedOn, 'lrarReceivedOn', 'BIL-06');
      notFuture(lrarReceivedOn, 'lrarReceivedOn', 'BIL-06');
      const invoiceReceivedOn = command.invoiceReceivedOn ? requireLocalDate(command.invoiceReceivedOn, 'invoiceReceivedOn', 'BIL-06') : s.issued.issuedOn;
      if (invoiceReceivedOn < s.issued.issuedOn) throw new DomainError('invoice_received_before_issue', 'The invoice cannot be received before it is issued', 'BIL-06', 'invoiceReceivedOn');
      if (lrarReceivedOn < s.issued.issuedOn) throw new DomainError('dispute_before_invoice', 'A dispute cannot precede the invoice', 'BIL-06', 'lrarReceivedOn');
      const claimLimit = addMonths(s.issued.issuedOn, options.settings.claimLimitMonths);
      if (lrarReceivedOn > claimLimit) {
        throw new DomainError('claim_time_barred', `No billing claim is accepted more than 1 year after the invoice date (${s.issued.issuedOn}; last day ${claimLimit})`, 'BIL-06', 'lrarReceivedOn');
      }
      if (daysBetween(invoiceReceivedOn, lrarReceivedOn) > options.settings.disputeWindowDays) {
        throw new DomainError(
          'dispute_window_closed',
          `Invoice received on ${invoiceReceivedOn}: disputes are accepted within ${options.settings.disputeWindowDays} days (until ${addDays(invoiceReceivedOn, options.settings.disputeWindowDays)}); it is now final`,
          'BIL-06',
          'lrarReceivedOn',
        );
      }
      const amount = requireAmount(command.amount, 'amount', 'BIL-06');
      const disputable = outstanding(s).subtract(disputedTotal(s));
      if (amount.compare(disputable) > 0) throw new DomainError('disputed_amount_too_high', `At most ${disputable.toString()} € of invoice ${s.issued.number} can be disputed`, 'BIL-06', 'amount');
      return [
        {
          type: 'DisputeOpened',
          data: {
            ...base,
            disputeId: command.disputeId,
            amount: amount.toString(),
            reasons: command.reasons.trim(),
            lrarReceivedOn,
            invoiceReceivedOn,
            documentsDueOn: addDays(lrarReceivedOn, options.settings.disputeDocumentsDays),
            payableNow: disputable.subtract(amount).toString(),
            rule: 'BIL-06',
          },
        },
      ];
    }
    case 'RecordDisputeDocuments': {
      const dispute = requireDispute(s, command.disputeId);
      if (dispute.status !== 'open') throw new DomainError('dispute_not_open', `Dispute ${dispute.disputeId} is ${dispute.status}`, 'BIL-06', 'disputeId');
      const receivedOn = requireLocalDate(command.receivedOn, 'receivedOn', 'BIL-06');
      notFuture(receivedOn, 'receivedOn', 'BIL-06');
      if (receivedOn > dispute.documentsDueOn) {
        throw new DomainError('documents_too_late', `Supporting documents were due by ${dispute.documentsDueOn} (30 days after the dispute)`, 'BIL-06', 'receivedOn');
      }
      return [{ type: 'DisputeDocumentsReceived', data: { ...base, disputeId: dispute.disputeId, receivedOn } }];
    }
    case 'LapseDispute': {
      const dispute = requireDispute(s, command.disputeId);
      if (dispute.status !== 'open') return [];
      if (today <= dispute.documentsDueOn) throw new DomainError('documents_still_expected', `Documents may arrive until ${dispute.documentsDueOn}`, 'BIL-06', 'disputeId');
      return [{ type: 'DisputeLapsed', data: { ...base, disputeId: dispute.disputeId, closedOn: today, amountNowPayable: dispute.amount, rule: 'BIL-06' } }];
    }
    case 'ResolveDispute': {
      const dispute = requireDispute(s, command.disputeId);
      if (dispute.status !== 'open' && dispute.status !== 'documents_received') throw new DomainError('dispute_not_open', `Dispute ${dispute.disputeId} is ${dispute.status}`, 'BIL-06', 'disputeId');
      const disputed = Money.eur(dispute.amount);
      let credit: Money;
      if (command.outcome === 'rejected') {
        if (command.creditAmount && !Money.eur(command.creditAmount).isZero()) throw new DomainError('credit_on_rejection', 'A rejected dispute grants no credit', 'BIL-06', 'creditAmount');
        credit = Money.zero();
      } else if (command.outcome === 'upheld') {
        credit = command.creditAmount ? requireAmount(command.creditAmount, 'creditAmount', 'BIL-06') : disputed;
        if (!credit.equals(disputed)) throw new DomainError('credit_must_equal_disputed', `An upheld dispute credits the disputed ${disputed.toString()} €`, 'BIL-06', 'creditAmount');
      } else {
        credit = requireAmount(command.creditAmount, 'creditAmount', 'BIL-06');
        if (credit.compare(disputed) >= 0) throw new DomainError('partial_credit_too_high', `A partial credit is below the disputed ${disputed.toString()} €`, 'BIL-06', 'creditAmount');
      }
      const ht = credit.divide(Money.eur('1').add(Money.eur(s.issued.vatRate).divide(100)).amount).roundToCent();
      return [
        {
          type: 'DisputeResolved',
          data: {
            ...base,
            disputeId: dispute.disputeId,
            outcome: command.outcome,
            closedOn: today,
            creditAmountTTC: credit.toString(),
            creditAmountHT: ht.toString(),
            creditNoteId: credit.isZero() ? null : command.creditNoteId,
            note: command.note ?? null,
          },
        },
      ];
    }
    case 'GrantCredit': {
      const ht = requireAmount(command.amountHT, 'amountHT', 'BIL-01');
      if (!command.reason?.trim()) throw new DomainError('reason_required', 'A credit note states its reason', 'BIL-01', 'reason');
      if (s.credits.some((c) => c.creditNoteId === command.creditNoteId)) throw new ConflictError('credit_exists', `Credit ${command.creditNoteId} exists`, [{ field: 'creditNoteId', message: 'already granted' }]);
      const ttc = ht.add(ht.percentage(s.issued.vatRate).roundToCent());
      const room = Money.eur(s.issued.totalTTC).subtract(creditedTotal(s));
      if (ttc.compare(room) > 0) throw new DomainError('credit_exceeds_invoice', `At most ${room.toString()} € TTC of invoice ${s.issued.number} can still be credited`, 'BIL-01', 'amountHT');
      return [{ type: 'CreditGranted', data: { ...base, creditNoteId: command.creditNoteId, amountHT: ht.toString(), amountTTC: ttc.toString(), vatRate: s.issued.vatRate, reason: command.reason.trim(), grantedOn: today } }];
    }
  }
}

function requireDispute(s: LedgerState, disputeId: string): DisputeState {
  const d = s.disputes[disputeId];
  if (!d) throw new DomainError('dispute_not_found', `No dispute ${disputeId} on invoice ${s.issued.number}`, 'BIL-06', 'disputeId');
  return d;
}

export function evolveLedger(s: LedgerState, event: LedgerEvent): LedgerState {
  const d = event.data as any;
  switch (event.type) {
    case 'PaymentRecorded':
      return { ...s, payments: { ...s.payments, [d.paymentId]: { paymentId: d.paymentId, amount: d.amount, receivedOn: d.receivedOn, method: d.method, rejectedOn: null } } };
    case 'PaymentRejected':
      return { ...s, payments: { ...s.payments, [d.paymentId]: { ...s.payments[d.paymentId], rejectedOn: d.rejectedOn } } };
    case 'InvoiceBecameOverdue':
      return { ...s, overdueSince: d.overdueSince, indemnity: d.recoveryIndemnity };
    case 'NonPaymentSuspensionAllowed':
      return { ...s, suspensionAllowedOn: d.allowedFrom };
    case 'DeliveriesSuspensionAllowed':
      return { ...s, deliveriesSuspensionAllowedOn: d.allowedFrom };
    case 'LateInterestAssessed':
      return { ...s, interestAssessed: d.totalAssessed, interestAssessedTo: d.to };
    case 'DisputeOpened':
      return {
        ...s,
        disputes: {
          ...s.disputes,
          [d.disputeId]: { disputeId: d.disputeId, amount: d.amount, lrarReceivedOn: d.lrarReceivedOn, documentsDueOn: d.documentsDueOn, documentsReceivedOn: null, status: 'open', closedOn: null, outcome: null, creditAmount: null },
        },
      };
    case 'DisputeDocumentsReceived':
      return { ...s, disputes: { ...s.disputes, [d.disputeId]: { ...s.disputes[d.disputeId], documentsReceivedOn: d.receivedOn, status: 'documents_received' } } };
    case 'DisputeLapsed':
      return { ...s, disputes: { ...s.disputes, [d.disputeId]: { ...s.disputes[d.disputeId], status: 'lapsed', closedOn: d.closedOn } } };
    case 'DisputeResolved': {
      const disputes = { ...s.disputes, [d.disputeId]: { ...s.disputes[d.disputeId], status: 'resolved' as const, closedOn: d.closedOn, outcome: d.outcome, creditAmount: d.creditAmountTTC } };
      const credits = d.creditNoteId ? [...s.credits, { creditNoteId: d.creditNoteId, amountTTC: d.creditAmountTTC, on: d.closedOn }] : s.credits;
      return { ...s, disputes, credits };
    }
    case 'CreditGranted':
      return { ...s, credits: [...s.credits, { creditNoteId: d.creditNoteId, amountTTC: d.amountTTC, on: d.grantedOn }] };
    default:
      return s;
  }
}

/** The decider of one invoice's ledger, seeded with the issued invoice's facts. */
export function createLedgerDecider(issued: IssuedFacts, options: LedgerOptions): Decider<LedgerCommand, LedgerEvent, LedgerState> {
  return {
    initialState: initialLedgerState(issued),
    decide: (command, state, now) => decide(command, state, now, options),
    evolve: evolveLedger,
  };
}

export function mandateMatches(method: PaymentMethod, activeMandateId: string | null, given: string | null): void {
  if (method !== 'sepa_direct_debit') return;
  if (!activeMandateId) throw new DomainError('no_active_mandate', 'A SEPA direct debit needs an active SEPA mandate for the customer', 'BIL-04', 'mandateId');
  if (given && given !== activeMandateId) {
    throw new DomainError('mandate_not_active', `Mandate ${given} is not the customer's active mandate: a changed bank account needs a new SEPA mandate`, 'BIL-04', 'mandateId');
  }
}

import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, ConflictError, DomainError, Money, NotFoundError, deterministicId, type BusinessCalendar, type Clock } from '@oksio/kernel';
import { DueActions, EventSourcedRepository, RUNTIME, type CommandContext, type DueAction, type Runtime, causedBy } from '@oksio/platform';
import { PiiVault } from '@oksio/privacy';
import {
  addDays,
  createChargesDecider,
  createLedgerDecider,
  chargesStream,
  draftInvoice,
  invoiceStream,
  lastDayOf,
  lateInterestOf,
  liabilityCap,
  localDateOf,
  describeIban,
  mandateDecider,
  mandateMatches,
  mandateStream,
  mandateSubject,
  nextMonth,
  REFERENCE_STREAM,
  referenceDecider,
  requireLocalDate,
  requireYearMonth,
  billableMonths,
  customerBillingDecider,
  customerBillingStream,
  overlayReserved,
  handsetInvoice,
  handsetOrderDecider,
  handsetOrderStream,
  outstanding,
  type HandsetLineInput,
  type PaymentStatus,
  type AccountState,
  type BillingSettings,
  type CreditNoteDocument,
  type InvoiceDocument,
  type LedgerCommand,
  type LedgerState,
  type Party,
  type PaymentMethod,
  type PriceChangeException,
  type PriceKind,
  type ReferenceState,
} from '../domain';
import { issuedFactsOf } from '../projections/invoices.projection';
import { runDueAt } from '../projections/accounts.projection';
import { InvoiceRegisterService } from './register.service';
import { BILLING_CALENDAR, BILLING_SETTINGS, DUE } from './tokens';

/** What the rating sub-context offers (BIL-07/BIL-09); absent in deployments without SIP rating. */
export interface ConsumptionSource {
  consumptionTotal(subscriptionId: string, month: string): Promise<Money>;
}
export const CONSUMPTION_SOURCE = Symbol('CONSUMPTION_SOURCE');

export interface RunResult {
  month: string;
  issuedOn: string;
  issued: Array<{ invoiceId: string; number: string; customerId: string; totalTTC: string }>;
  alreadyIssued: Array<{ invoiceId: string; number: string; customerId: string }>;
  nothingDue: string[];
  failed: Array<{ customerId: string; code: string; message: string; rule: string | null }>;
}

const SCHEDULER_CTX = (action: DueAction, reason: string): CommandContext => ({
  actor: { id: 'billing-scheduler', role: 'system' },
  correlationId: action.commandId,
  causationId: null,
  commandId: action.commandId,
  reason,
});

/** Application service of the billing context: shared by REST, GraphQL and the scheduler. */
@Injectable()
export class BillingService {
  private readonly logger = new Logger('Billing');

  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly dataSource: DataSource,
    private readonly register: InvoiceRegisterService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
    @Inject(BILLING_CALENDAR) private readonly calendar: BusinessCalendar,
    private readonly vault: PiiVault,
    @Optional() @Inject(CONSUMPTION_SOURCE) private readonly consumption: ConsumptionSource | null,
  ) {}

  // ---- reference data (catalogue, legal rates) ----------------------------------------------

  async reference(): Promise<ReferenceState> {
    return (await this.repository.load(referenceDecider, REFERENCE_STREAM)).state;
  }

  async publishPriceChange(input: { code: string; price: string; effectiveFrom: string; label?: string; kind?: PriceKind; exception?: PriceChangeException }, ctx: CommandContext) {
    const result = await this.repository.execute(referenceDecider, REFERENCE_STREAM, { type: 'PublishPriceChange', ...input }, ctx, this.clock.now());
    return result.events[0]?.data ?? null;
  }

  async publishLegalRate(input: { halfYear: string; rate: string }, ctx: CommandContext) {
    await this.repository.execute(referenceDecider, REFERENCE_STREAM, { type: 'PublishLegalInterestRate', ...input }, ctx, this.clock.now());
    return { halfYear: input.halfYear, rate: (await this.reference()).legalRates[input.halfYear] };
  }

  // ---- invoicing runs -------------------------------------------------------------------------

  /**
   * Issues the invoices of a billing month: one per customer, id derived from (customer, month),
   * so a re-run (or the due action racing an operator) never bills twice. Subscriptions and
   * consumption of the month in arrears, pending access fees and charges (BIL-02).
   */
  async runMonth(monthInput: string, ctx: CommandContext): Promise<RunResult> {
    const month = requireYearMonth(monthInput, 'month', 'BIL-02');
    const now = this.clock.now();
    const issuedOn = localDateOf(now);
    if (issuedOn <= lastDayOf(month)) {
      throw new DomainError('billing_month_not_over', `${month} is billed in arrears, from ${addDays(lastDayOf(month), 1)} on`, 'BIL-02', 'month');
    }
    await this.awaitProjections(['billing-accounts', 'billing-invoices']);
    const reference = await this.reference();
    const rows: Array<{ customer_id: string; state: AccountState }> = await this.dataSource.query(
      `SELECT customer_id, state FROM billing_accounts WHERE status <> 'ordered' ORDER BY customer_id, subscription_id`,
    );
    const byCustomer = new Map<string, AccountState[]>();
    for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r.state]);
    const result: RunResult = { month, issuedOn, issued: [], alreadyIssued: [], nothingDue: [], failed: [] };
    for (const [customerId, accounts] of byCustomer) {
      const invoiceId = deterministicId('billing-invoice', customerId, month);
      try {
        const outcome = await this.invoiceCustomer(customerId, month, invoiceId, accounts, reference, issuedOn, ctx, now);
        if (outcome === null) result.nothingDue.push(customerId);
        else if (outcome.duplicate) result.alreadyIssued.push({ invoiceId, number: outcome.number, customerId });
        else result.issued.push({ invoiceId, number: outcome.number, customerId, totalTTC: outcome.totalTTC });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result.failed.push({ customerId, code: error.code, message: error.message, rule: error.rule ?? null });
      }
    }
    // The run of the next month is due at its start (a chain the accounts projection also feeds).
    const next = nextMonth(month);
    await this.dataSource.transaction((tx) =>
      DueActions.schedule(tx, { key: `billing.run:${next}`, kind: DUE.runMonth, aggregateId: 'billing-runs', dueAt: runDueAt(next), payload: { month: next }, source: 'billing-runs' }),
    );
    return result;
  }

  /**
   * One customer's invoice of the month: reserve the draft in the customer's billing stream (at the
   * revision read, over the accounts overlaid with every earlier reservation), then number it in
   * the register. A resumable two-step process (docs/adr/0008): the register's checks run on the
   * draft before it is reserved, so the second step can only be delayed (a crash, a busy
   * register), never refused; earlier reservations not numbered yet are numbered first, so nothing
   * reserved is ever lost or billed twice.
   */
  private async invoiceCustomer(
    customerId: string,
    month: string,
    invoiceId: string,
    accounts: AccountState[],
    reference: ReferenceState,
    issuedOn: string,
    ctx: CommandContext,
    now: Date,
  ): Promise<{ number: string; duplicate: boolean; totalTTC: string } | null> {
    const stream = customerBillingStream(customerId);
    for (let attempt = 0; ; attempt++) {
      const { state } = await this.repository.load(customerBillingDecider, stream);
      for (const { document } of Object.values(state.drafts)) {
        if (document.invoiceId !== invoiceId) await this.register.issueInvoice(document, ctx, now);
      }
      let document = state.drafts[invoiceId]?.document ?? null;
      if (!document) {
        const draft = draftInvoice({
          invoiceId,
          customerId,
          month,
          issuedOn,
          accounts: accounts.map((a) => overlayReserved(a, state)),
          reference,
          consumption: await this.consumptionOf(accounts, month),
          settings: this.settings,
          buyer: await this.buyer(customerId),
          mandateId: await this.activeMandate(customerId),
        });
        if (!draft) return null;
        this.register.checkInvoice(draft, now);
        try {
          const reserved = await this.repository.execute(
            customerBillingDecider,
            stream,
            { type: 'ReserveInvoice', document: draft },
            causedBy(ctx, deterministicId('billing-reserve', invoiceId)),
            now,
          );
          document = reserved.state.drafts[invoiceId].document;
        } catch (error) {
          // Another run reserved an invoice of this customer since we read: draft again over it.
          if (error instanceof ConflictError && attempt < 10) continue;
          throw error;
        }
      }
      const issued = await this.register.issueInvoice(document, ctx, now);
      return { number: issued.number, duplicate: issued.duplicate, totalTTC: document.totalTTC };
    }
  }

  async runMonthDue(action: DueAction): Promise<void> {
    const result = await this.runMonth(String(action.payload.month), SCHEDULER_CTX(action, `billing run of ${action.payload.month}`));
    if (result.failed.length > 0) this.logger.warn(`billing run ${result.month}: ${result.failed.length} customer(s) not invoiced: ${result.failed.map((f) => `${f.customerId} ${f.code}`).join('; ')}`);
  }

  private async consumptionOf(accounts: AccountState[], month: string): Promise<Record<string, Record<string, Money>>> {
    const out: Record<string, Record<string, Money>> = {};
    if (!this.consumption) return out;
    for (const a of accounts) {
      out[a.subscriptionId] = {};
      for (const m of billableMonths(a, month)) out[a.subscriptionId][m] = await this.consumption.consumptionTotal(a.subscriptionId, m);
    }
    return out;
  }

  /** The buyer's identity snapshotted on the invoice (company data of the Subscription context's directory). */
  private async buyer(customerId: string): Promise<Party> {
    const rows: Array<{ company_name: string; siret: string; billing_address: Party['address'] }> = await this.dataSource
      .query('SELECT company_name, siret, billing_address FROM customers WHERE customer_id::text = $1', [customerId])
      .catch(() => []);
    const r = rows[0];
    return r ? { customerId, companyName: r.company_name, siret: r.siret, address: r.billing_address } : { customerId, companyName: `Client ${customerId}`, siret: null, address: null };
  }

  private async activeMandate(customerId: string): Promise<string | null> {
    const { state } = await this.repository.load(mandateDecider, mandateStream(customerId));
    return state.active?.mandateId ?? null;
  }

  /** Read-after-write for the run: the accounts must reflect every event already stored. */
  private async awaitProjections(names: string[], timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const head = await this.runtime.store.headPosition();
      const { rows } = await this.runtime.pool.query('SELECT name, commit_pos, prepare_pos FROM projection_checkpoints WHERE name = ANY($1)', [names]);
      const behind = names.filter((n) => {
        const r = rows.find((x) => x.name === n);
        return !r || BigInt(r.commit_pos) < head.commit || (BigInt(r.commit_pos) === head.commit && BigInt(r.prepare_pos) < head.prepare);
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new ConflictError('billing_projections_lagging', `Billing read models are catching up (${behind.join(', ')}); retry the run`, [{ field: 'month', message: 'projections lagging' }]);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  // ---- invoice ledger: payments, overdue, disputes, credits -------------------------------------

  private async issuedInvoice(invoiceId: string): Promise<InvoiceDocument & { number: string }> {
    const rows: Array<{ document: InvoiceDocument & { number: string }; kind: string }> = await this.dataSource.query('SELECT document, kind FROM billing_invoices WHERE invoice_id = $1', [invoiceId]);
    if (!rows[0] || rows[0].kind !== 'invoice') throw new NotFoundError('invoice_not_found', `No invoice ${invoiceId}`, [{ field: 'invoiceId', message: 'unknown invoice' }]);
    return rows[0].document;
  }

  private async ledgerDecider(invoiceId: string) {
    const document = await this.issuedInvoice(invoiceId);
    const reference = await this.reference();
    return createLedgerDecider(issuedFactsOf(document), { settings: this.settings, legalRates: reference.legalRates, calendar: this.calendar });
  }

  private async executeLedger(invoiceId: string, command: LedgerCommand, ctx: CommandContext) {
    const decider = await this.ledgerDecider(invoiceId);
    return this.repository.execute(decider, invoiceStream(invoiceId), command, ctx, this.clock.now());
  }

  async ledgerState(invoiceId: string): Promise<LedgerState> {
    const decider = await this.ledgerDecider(invoiceId);
    return (await this.repository.load(decider, invoiceStream(invoiceId))).state;
  }

  async recordPayment(invoiceId: string, input: { paymentId?: string; amount: string; receivedOn: string; method: PaymentMethod; mandateId?: string }, ctx: CommandContext) {
    const document = await this.issuedInvoice(invoiceId);
    const active = await this.activeMandate(document.customerId);
    // BIL-04: a direct debit runs under the customer's active mandate; a changed account needs a new one.
    mandateMatches(input.method, active, input.mandateId ?? null);
    const paymentId = input.paymentId ?? deterministicId('billing-payment', ctx.commandId);
    const mandateId = input.method === 'sepa_direct_debit' ? (input.mandateId ?? active) : null;
    const result = await this.executeLedger(invoiceId, { type: 'RecordPayment', paymentId, amount: input.amount, receivedOn: input.receivedOn, method: input.method, mandateId }, ctx);
    return { paymentId, invoiceId, events: result.events.map((e) => e.type) };
  }

  async rejectPayment(paymentId: string, input: { rejectedOn: string; reason: string }, ctx: CommandContext) {
    const rows: Array<{ invoice_id: string }> = await this.dataSource.query('SELECT invoice_id FROM billing_payments WHERE payment_id = $1', [paymentId]);
    if (!rows[0]) throw new NotFoundError('payment_not_found', `No payment ${paymentId}`, [{ field: 'paymentId', message: 'unknown payment' }]);
    const result = await this.executeLedger(rows[0].invoice_id, { type: 'RejectPayment', paymentId, rejectedOn: input.rejectedOn, reason: input.reason }, ctx);
    return { paymentId, invoiceId: rows[0].invoice_id, events: result.events.map((e) => e.type) };
  }

  async openDispute(invoiceId: string, input: { disputeId?: string; channel: string; lrarReceivedOn: string; invoiceReceivedOn?: string; reasons: string; amount: string }, ctx: CommandContext) {
    const disputeId = input.disputeId ?? deterministicId('billing-dispute', ctx.commandId);
    const result = await this.executeLedger(invoiceId, { type: 'OpenDispute', ...input, disputeId }, ctx);
    return { disputeId, invoiceId, documentsDueOn: (result.events[0]?.data as { documentsDueOn?: string })?.documentsDueOn ?? null };
  }

  private async disputeInvoice(disputeId: string): Promise<string> {
    const rows: Array<{ invoice_id: string }> = await this.dataSource.query('SELECT invoice_id FROM billing_disputes WHERE dispute_id = $1', [disputeId]);
    if (!rows[0]) throw new NotFoundError('dispute_not_found', `No dispute ${disputeId}`, [{ field: 'disputeId', message: 'unknown dispute' }]);
    return rows[0].invoice_id;
  }

  async recordDisputeDocuments(disputeId: string, input: { receivedOn: string }, ctx: CommandContext) {
    const invoiceId = await this.disputeInvoice(disputeId);
    await this.executeLedger(invoiceId, { type: 'RecordDisputeDocuments', disputeId, receivedOn: input.receivedOn }, ctx);
    return { disputeId, invoiceId };
  }

  async resolveDispute(disputeId: string, input: { outcome: 'upheld' | 'partially_upheld' | 'rejected'; creditAmount?: string; note?: string }, ctx: CommandContext) {
    const invoiceId = await this.disputeInvoice(disputeId);
    const creditNoteId = deterministicId('billing-credit-note', disputeId);
    const result = await this.executeLedger(invoiceId, { type: 'ResolveDispute', disputeId, ...input, creditNoteId }, ctx);
    const data = result.events[0]?.data as { creditNoteId?: string | null; creditAmountTTC?: string } | undefined;
    return { disputeId, invoiceId, creditNoteId: data?.creditNoteId ?? null, creditAmountTTC: data?.creditAmountTTC ?? null };
  }

  async grantCredit(invoiceId: string, input: { amountHT: string; reason: string }, ctx: CommandContext) {
    const creditNoteId = deterministicId('billing-credit-note', ctx.commandId);
    await this.executeLedger(invoiceId, { type: 'GrantCredit', creditNoteId, amountHT: input.amountHT, reason: input.reason }, ctx);
    return { invoiceId, creditNoteId };
  }

  async assessLateInterest(invoiceId: string, asOf: string | undefined, ctx: CommandContext) {
    const result = await this.executeLedger(invoiceId, { type: 'AssessLateInterest', asOf: asOf ?? localDateOf(this.clock.now()) }, ctx);
    return { invoiceId, assessed: result.events[0]?.data ?? null };
  }

  /** BIL-05 interest owed to date, without recording it. */
  async lateInterest(invoiceId: string, asOfInput?: string) {
    const asOf = asOfInput ? requireLocalDate(asOfInput, 'asOf', 'BIL-05') : localDateOf(this.clock.now());
    const state = await this.ledgerState(invoiceId);
    const reference = await this.reference();
    const interest = lateInterestOf(state, asOf, { settings: this.settings, legalRates: reference.legalRates });
    return {
      invoiceId,
      asOf,
      amount: interest.amount.toString(),
      recoveryIndemnity: state.indemnity,
      pieces: interest.pieces.map((p) => ({ halfYear: p.halfYear, from: p.from, to: p.to, days: p.days, base: p.base.toString(), legalRate: p.legalRate, appliedRate: p.appliedRate, interest: p.interest.toExactString() })),
    };
  }

  // ---- scheduler handlers ---------------------------------------------------------------------

  async ledgerDue(action: DueAction, command: LedgerCommand): Promise<void> {
    const invoiceId = String(action.payload.invoiceId);
    try {
      await this.executeLedger(invoiceId, command, SCHEDULER_CTX(action, action.kind));
    } catch (error) {
      // A date that moved (or a state that made the check pointless) is not an error to retry.
      if (error instanceof DomainError && /too_early|not_yet|still_expected/.test(error.code)) return;
      throw error;
    }
  }

  async issueCreditNoteDue(action: DueAction): Promise<void> {
    const { invoiceId, creditNoteId } = action.payload as { invoiceId: string; creditNoteId: string };
    const invoice = await this.issuedInvoice(invoiceId);
    const decider = await this.ledgerDecider(invoiceId);
    const { events } = await this.repository.load(decider, invoiceStream(invoiceId));
    const source = events.find((e) => (e.type === 'DisputeResolved' || e.type === 'CreditGranted') && e.data.creditNoteId === creditNoteId);
    if (!source) throw new NotFoundError('credit_not_found', `No credit ${creditNoteId} on invoice ${invoiceId}`);
    const d = source.data as Record<string, string>;
    const ht = source.type === 'DisputeResolved' ? d.creditAmountHT : d.amountHT;
    const ttc = source.type === 'DisputeResolved' ? d.creditAmountTTC : d.amountTTC;
    const rate = invoice.vat[0]?.rate ?? this.settings.vatRate;
    const vat = Money.eur(ttc).subtract(Money.eur(ht)).toString();
    const reason = source.type === 'DisputeResolved' ? `Contestation ${d.disputeId} (${d.outcome === 'upheld' ? 'fondée' : 'partiellement fondée'})` : d.reason;
    const now = this.clock.now();
    const document: CreditNoteDocument = {
      creditNoteId,
      invoiceId,
      invoiceNumber: invoice.number,
      customerId: invoice.customerId,
      issuedOn: localDateOf(now),
      reason,
      disputeId: source.type === 'DisputeResolved' ? d.disputeId : null,
      seller: invoice.seller,
      buyer: invoice.buyer,
      lines: [
        {
          lineId: `${creditNoteId}:1`,
          kind: 'credit',
          subscriptionId: null,
          itemId: null,
          label: `Avoir sur la facture ${invoice.number}`,
          detail: reason,
          quantity: '1',
          unitPrice: Money.eur(ht).toString(),
          amount: Money.eur(ht).toString(),
          vatRate: rate,
          rule: source.type === 'DisputeResolved' ? 'BIL-06' : 'BIL-01',
          periodFrom: null,
          periodTo: null,
          chargeId: null,
          priceVersion: null,
        },
      ],
      totalHT: Money.eur(ht).toString(),
      totalVAT: vat,
      totalTTC: Money.eur(ttc).toString(),
      vat: [{ rate, base: Money.eur(ht).toString(), vat }],
    };
    await this.register.issueCreditNote(document, SCHEDULER_CTX(action, 'credit note'), now);
  }

  // ---- billing accounts: options, one-off charges, liability caps ---------------------------------

  async account(subscriptionId: string): Promise<AccountState> {
    const rows: Array<{ state: AccountState }> = await this.dataSource.query('SELECT state FROM billing_accounts WHERE subscription_id = $1', [subscriptionId]);
    if (!rows[0]) throw new NotFoundError('billing_account_not_found', `No billing account for subscription ${subscriptionId}`, [{ field: 'subscriptionId', message: 'unknown subscription' }]);
    return rows[0].state;
  }

  async recordCharge(subscriptionId: string, input: { chargeId?: string; code: string; quantity: number; occurredOn: string; itemId?: string; note?: string }, ctx: CommandContext) {
    await this.account(subscriptionId);
    const chargeId = input.chargeId ?? deterministicId('billing-charge', ctx.commandId);
    const decider = createChargesDecider(await this.reference());
    await this.repository.execute(decider, chargesStream(subscriptionId), { type: 'RecordCharge', subscriptionId, ...input, chargeId }, ctx, this.clock.now());
    return { subscriptionId, chargeId };
  }

  async changeOption(subscriptionId: string, input: { optionId: string; code: string; quantity: number; effectiveOn: string }, ctx: CommandContext) {
    await this.account(subscriptionId);
    const decider = createChargesDecider(await this.reference());
    const result = await this.repository.execute(decider, chargesStream(subscriptionId), { type: 'ChangeOption', subscriptionId, ...input }, ctx, this.clock.now());
    return { subscriptionId, optionId: input.optionId, changed: result.events.length > 0 };
  }

  async liabilityCap(subscriptionId: string, eventOnInput: string) {
    const eventOn = requireLocalDate(eventOnInput, 'eventOn', 'BIL-12');
    const account = await this.account(subscriptionId);
    return { subscriptionId, ...liabilityCap({ service: account.service, activatedOn: account.activatedOn, eventOn, billedPeriods: account.billedPeriods }) };
  }

  // ---- BIL-13 handset orders ----------------------------------------------------------------------

  /**
   * BIL-13: a handset order on a MOBILE subscription is recorded and invoiced at once (equipment
   * is due at order, BIL-02); it is released for delivery by the payment check once that invoice
   * is paid. The invoice id derives from the order id, so a retry never invoices twice.
   */
  async placeHandsetOrder(input: { orderId?: string; subscriptionId: string; lines: HandsetLineInput[] }, ctx: CommandContext) {
    const account = await this.account(input.subscriptionId);
    if (account.status !== 'signed' && account.status !== 'active') {
      throw new DomainError('subscription_not_in_force', `Subscription ${input.subscriptionId} is ${account.status}: handsets are ordered on a signed contract`, 'BIL-13', 'subscriptionId');
    }
    const orderId = input.orderId ?? deterministicId('billing-handset-order', ctx.commandId);
    const invoiceId = deterministicId('billing-handset-invoice', orderId);
    const now = this.clock.now();
    await this.repository.execute(
      handsetOrderDecider,
      handsetOrderStream(orderId),
      { type: 'PlaceHandsetOrder', orderId, customerId: account.customerId, subscriptionId: account.subscriptionId, service: account.service, invoiceId, lines: input.lines },
      ctx,
      now,
    );
    const { document, number } = await this.issueHandsetInvoice(orderId, ctx, now);
    return { orderId, invoiceId, invoiceNumber: number, status: 'awaiting_payment', totalTTC: document.totalTTC, dueOn: document.dueOn, payment: document.payment };
  }

  private async issueHandsetInvoice(orderId: string, ctx: CommandContext, now: Date): Promise<{ document: InvoiceDocument; number: string }> {
    const { state } = await this.repository.load(handsetOrderDecider, handsetOrderStream(orderId));
    if (!state.orderId) throw new NotFoundError('handset_order_not_found', `No handset order ${orderId}`, [{ field: 'orderId', message: 'unknown order' }]);
    const document = handsetInvoice({ order: state, settings: this.settings, buyer: await this.buyer(state.customerId!), mandateId: await this.activeMandate(state.customerId!) });
    const issued = await this.register.issueInvoice(document, ctx, now);
    return { document, number: issued.number };
  }

  async issueHandsetInvoiceDue(action: DueAction): Promise<void> {
    await this.issueHandsetInvoice(String(action.payload.orderId), SCHEDULER_CTX(action, 'handset order invoice (BIL-13)'), this.clock.now());
  }

  /** What is owed on the order's invoice, from its ledger (the event store, not a read model). */
  private async handsetPayment(invoiceId: string): Promise<PaymentStatus> {
    const ledger = await this.ledgerState(invoiceId);
    const valid = Object.values(ledger.payments).filter((p) => !p.rejectedOn).map((p) => p.receivedOn).sort();
    return { outstanding: outstanding(ledger).toString(), paidOn: valid[valid.length - 1] ?? null };
  }

  private async handsetOrder(orderId: string) {
    const { state } = await this.repository.load(handsetOrderDecider, handsetOrderStream(orderId));
    if (!state.orderId) throw new NotFoundError('handset_order_not_found', `No handset order ${orderId}`, [{ field: 'orderId', message: 'unknown order' }]);
    return state;
  }

  /** BIL-13: releases the order once its invoice is paid in full (or withdraws a release a rejected payment undid). */
  async checkHandsetPaymentDue(action: DueAction): Promise<void> {
    const order = await this.handsetOrder(String(action.payload.orderId));
    const payment = await this.handsetPayment(order.invoiceId!);
    await this.repository.execute(handsetOrderDecider, handsetOrderStream(order.orderId!), { type: 'CheckHandsetPayment', ...payment }, SCHEDULER_CTX(action, 'handset order payment check (BIL-13)'), this.clock.now());
  }

  /** BIL-13: a shipment is recorded only for an order released for delivery whose invoice is still paid. */
  async recordHandsetShipment(orderId: string, input: { shipmentRef: string; shippedOn: string }, ctx: CommandContext) {
    const order = await this.handsetOrder(orderId);
    const payment = await this.handsetPayment(order.invoiceId!);
    await this.repository.execute(handsetOrderDecider, handsetOrderStream(orderId), { type: 'RecordHandsetShipment', shipmentRef: input.shipmentRef, shippedOn: input.shippedOn, ...payment }, ctx, this.clock.now());
    return { orderId, status: 'shipped', shippedOn: input.shippedOn };
  }

  // ---- SEPA mandates ----------------------------------------------------------------------------

  /**
   * BIL-04 / PRV-01: the IBAN is checked, then encrypted as `bank_details` of `customer-<id>` before
   * the command reaches the decider: events and read models only ever see its masked form. The clear
   * IBAN is revealed only through the vault: the data subject's access/portability export (the
   * `billing.mandates` export contributor names the mandate stream).
   */
  async registerMandate(customerId: string, input: { mandateId: string; iban: string; bic?: string; signedOn: string }, ctx: CommandContext) {
    const iban = describeIban(input.iban);
    const sealed = (await this.vault.protect(mandateSubject(customerId), 'bank_details', iban.iban)) as unknown as Record<string, unknown>;
    const command = { type: 'RegisterMandate' as const, customerId, mandateId: input.mandateId, iban: { sealed, masked: iban.masked, last4: iban.last4 }, bic: input.bic, signedOn: input.signedOn };
    await this.repository.execute(mandateDecider, mandateStream(customerId), command, ctx, this.clock.now());
    return { customerId, mandateId: input.mandateId, ibanMasked: iban.masked };
  }

  async revokeMandate(customerId: string, mandateId: string, reason: string, ctx: CommandContext) {
    await this.repository.execute(mandateDecider, mandateStream(customerId), { type: 'RevokeMandate', mandateId, reason }, ctx, this.clock.now());
    return { customerId, mandateId };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BusinessCalendar } from '@oksio/kernel';
import type { RecordedEvent } from '@oksio/event-store';
import { DueActions, type Projection } from '@oksio/platform';
import { PiiVault, isEncryptedPii, isErased } from '@oksio/privacy';
import { BILLING_CALENDAR, BILLING_SETTINGS, DUE } from '../application/tokens';
import {
  addDays,
  creditedTotal,
  deliverySuspensionFrom,
  disputedTotal,
  evolveLedger,
  initialLedgerState,
  LEDGER_EVENT_TYPES,
  MANDATE_EVENT_TYPES,
  maskedOf,
  mobileSubscriptions,
  outstanding,
  paidTotal,
  payableNow,
  startOfLocalDay,
  type BillingSettings,
  type CreditNoteDocument,
  type InvoiceDocument,
  type IssuedFacts,
  type LedgerEvent,
  type LedgerState,
} from '../domain';

export function issuedFactsOf(doc: InvoiceDocument & { number: string }): IssuedFacts {
  return {
    invoiceId: doc.invoiceId,
    number: doc.number,
    customerId: doc.customerId,
    issuedOn: doc.issuedOn,
    dueOn: doc.dueOn,
    totalTTC: doc.totalTTC,
    vatRate: doc.vat[0]?.rate ?? '20',
    subscriptionIds: doc.subscriptionIds,
    services: doc.services,
  };
}

export function invoiceStatus(s: LedgerState): string {
  if (outstanding(s).isZero()) return 'paid';
  if (s.overdueSince && payableNow(s).isPositive()) return 'overdue';
  if (disputedTotal(s).isPositive()) return 'disputed';
  return 'issued';
}

/**
 * Invoices, credit notes, payments, disputes and mandates as read models, and the due actions of
 * an invoice's life: overdue (due date + 1, BIL-05), non-payment suspension signal (due + 7,
 * SUS-02), deliveries suspension signal (more than 8 business days, SUS-06), dispute documents
 * deadline (BIL-06) and the credit note that resolves a dispute or a correction.
 */
@Injectable()
export class BillingInvoicesProjection implements Projection {
  readonly name = 'billing-invoices';
  readonly eventTypes = ['InvoiceIssued', 'CreditNoteIssued', ...LEDGER_EVENT_TYPES, ...MANDATE_EVENT_TYPES];

  constructor(
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
    @Inject(BILLING_CALENDAR) private readonly calendar: BusinessCalendar,
    private readonly vault: PiiVault,
  ) {}

  async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
    const d = event.data as Record<string, any>;
    if (event.streamId.startsWith('invoiceregister-')) {
      if (event.type === 'InvoiceIssued') return this.invoiceIssued(d as InvoiceDocument & { number: string; series: string; sequence: number }, tx);
      if (event.type === 'CreditNoteIssued') return this.creditNoteIssued(d as CreditNoteDocument & { number: string; series: string; sequence: number }, tx);
      return;
    }
    if (event.streamId.startsWith('invoice-')) return this.ledgerEvent({ type: event.type, data: d } as LedgerEvent, event, tx);
    if (event.streamId.startsWith('billingcustomer-')) return this.mandateEvent(event.type, d, tx);
  }

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM billing_invoices');
    await tx.query('DELETE FROM billing_payments');
    await tx.query('DELETE FROM billing_disputes');
    await tx.query('DELETE FROM billing_mandates');
    await DueActions.resetSource(tx, this.name);
  }

  private async invoiceIssued(doc: InvoiceDocument & { number: string; series: string; sequence: number }, tx: EntityManager): Promise<void> {
    const facts = issuedFactsOf(doc);
    const ledger = initialLedgerState(facts);
    await tx.query(
      `INSERT INTO billing_invoices (invoice_id, kind, number, series, sequence, customer_id, billing_month, issued_on, due_on, total_ht, total_vat, total_ttc,
         outstanding, payable, status, subscription_ids, document, ledger)
       VALUES ($1, 'invoice', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11, $12, $13, $14, $15)
       ON CONFLICT (invoice_id) DO NOTHING`,
      [doc.invoiceId, doc.number, doc.series, doc.sequence, doc.customerId, doc.billingMonth, doc.issuedOn, doc.dueOn, doc.totalHT, doc.totalVAT, doc.totalTTC, invoiceStatus(ledger), doc.subscriptionIds, JSON.stringify(doc), JSON.stringify(ledger)],
    );
    // BIL-13: a handset invoice is not chased (overdue, suspension signals): the order waits for payment.
    if (!outstanding(ledger).isPositive() || doc.handsetOrderId) return;
    const at = (date: string) => startOfLocalDay(date);
    const schedule = (key: string, kind: string, dueAt: Date) => DueActions.schedule(tx, { key: `${key}:${doc.invoiceId}`, kind, aggregateId: doc.invoiceId, dueAt, payload: { invoiceId: doc.invoiceId }, source: this.name });
    await schedule('billing.overdue', DUE.overdue, at(addDays(doc.dueOn, 1)));
    await schedule('billing.suspension', DUE.suspension, at(addDays(doc.dueOn, this.settings.nonPaymentSuspensionDelayDays)));
    if (mobileSubscriptions(facts).length > 0) await schedule('billing.deliveries', DUE.deliveries, at(deliverySuspensionFrom(facts, { settings: this.settings, calendar: this.calendar })));
  }

  private async creditNoteIssued(doc: CreditNoteDocument & { number: string; series: string; sequence: number }, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO billing_invoices (invoice_id, kind, number, series, sequence, customer_id, related_invoice_id, issued_on, total_ht, total_vat, total_ttc, status, document)
       VALUES ($1, 'credit_note', $2, $3, $4, $5, $6, $7, $8, $9, $10, 'credit_note', $11)
       ON CONFLICT (invoice_id) DO NOTHING`,
      [doc.creditNoteId, doc.number, doc.series, doc.sequence, doc.customerId, doc.invoiceId, doc.issuedOn, doc.totalHT, doc.totalVAT, doc.totalTTC, JSON.stringify(doc)],
    );
  }

  private async ledgerEvent(event: LedgerEvent, recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    const d = event.data as Record<string, any>;
    const rows: Array<{ ledger: LedgerState }> = await tx.query('SELECT ledger FROM billing_invoices WHERE invoice_id = $1', [d.invoiceId]);
    if (!rows[0]?.ledger) return;
    const s = evolveLedger(rows[0].ledger, event);
    await tx.query(
      `UPDATE billing_invoices SET paid = $2, credited = $3, disputed = $4, outstanding = $5, payable = $6, status = $7, overdue_since = $8,
         indemnity = $9, interest_assessed = $10, ledger = $11 WHERE invoice_id = $1`,
      [d.invoiceId, paidTotal(s).toString(), creditedTotal(s).toString(), disputedTotal(s).toString(), outstanding(s).toString(), payableNow(s).toString(), invoiceStatus(s), s.overdueSince, s.indemnity ?? '0', s.interestAssessed, JSON.stringify(s)],
    );
    switch (event.type) {
      case 'PaymentRecorded':
        await tx.query(
          `INSERT INTO billing_payments (payment_id, invoice_id, customer_id, amount, method, mandate_id, received_on) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (payment_id) DO NOTHING`,
          [d.paymentId, d.invoiceId, d.customerId, d.amount, d.method, d.mandateId, d.receivedOn],
        );
        return;
      case 'PaymentRejected':
        // Free text kept sealed (BILLING_FREE_TEXT); jsonb, so a clear string of an older event is stored as a JSON string.
        await tx.query('UPDATE billing_payments SET rejected_on = $2, reject_reason = $3::jsonb WHERE payment_id = $1', [d.paymentId, d.rejectedOn, JSON.stringify(d.reason)]);
        return;
      case 'DisputeOpened':
        await tx.query(
          `INSERT INTO billing_disputes (dispute_id, invoice_id, invoice_number, customer_id, amount, reasons, status, lrar_received_on, documents_due_on)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, 'open', $7, $8) ON CONFLICT (dispute_id) DO NOTHING`,
          [d.disputeId, d.invoiceId, d.invoiceNumber, d.customerId, d.amount, JSON.stringify(d.reasons), d.lrarReceivedOn, d.documentsDueOn],
        );
        await DueActions.schedule(tx, {
          key: `billing.dispute_lapse:${d.disputeId}`,
          kind: DUE.lapseDispute,
          aggregateId: d.invoiceId,
          dueAt: startOfLocalDay(addDays(d.documentsDueOn, 1)),
          payload: { invoiceId: d.invoiceId, disputeId: d.disputeId },
          source: this.name,
        });
        return;
      case 'DisputeDocumentsReceived':
        await tx.query(`UPDATE billing_disputes SET status = 'documents_received', documents_received_on = $2 WHERE dispute_id = $1`, [d.disputeId, d.receivedOn]);
        await DueActions.cancel(tx, `billing.dispute_lapse:${d.disputeId}`);
        return;
      case 'DisputeLapsed':
        await tx.query(`UPDATE billing_disputes SET status = 'lapsed', closed_on = $2 WHERE dispute_id = $1`, [d.disputeId, d.closedOn]);
        return;
      case 'DisputeResolved':
        await tx.query(`UPDATE billing_disputes SET status = 'resolved', closed_on = $2, outcome = $3, credit_amount = $4, credit_note_id = $5 WHERE dispute_id = $1`, [
          d.disputeId,
          d.closedOn,
          d.outcome,
          d.creditAmountTTC,
          d.creditNoteId,
        ]);
        await DueActions.cancel(tx, `billing.dispute_lapse:${d.disputeId}`);
        if (d.creditNoteId) await this.scheduleCreditNote(tx, d.invoiceId, d.creditNoteId, recorded);
        return;
      case 'CreditGranted':
        await this.scheduleCreditNote(tx, d.invoiceId, d.creditNoteId, recorded);
        return;
      default:
        return;
    }
  }

  /** The credit note is issued by a due action right away: retried until the register has it, exactly once. */
  private scheduleCreditNote(tx: EntityManager, invoiceId: string, creditNoteId: string, recorded: RecordedEvent): Promise<void> {
    return DueActions.schedule(tx, {
      key: `billing.credit_note:${creditNoteId}`,
      kind: DUE.creditNote,
      aggregateId: invoiceId,
      dueAt: new Date(recorded.metadata.occurredAt),
      payload: { invoiceId, creditNoteId },
      source: this.name,
    });
  }

  private async mandateEvent(type: string, d: Record<string, any>, tx: EntityManager): Promise<void> {
    if (type === 'SepaMandateSigned') {
      // PRV-01: only the masked IBAN is kept; once its key is shredded (erasure, end of retention),
      // a rebuild keeps it erased as the redactor left it.
      const erased = isEncryptedPii(d.iban) && isErased(await this.vault.reveal(d.iban));
      await tx.query(
        `INSERT INTO billing_mandates (mandate_id, customer_id, iban_masked, iban_erased, bic, signed_on, status) VALUES ($1, $2, $3, $4, $5, $6, 'active') ON CONFLICT (mandate_id) DO NOTHING`,
        [d.mandateId, d.customerId, erased ? null : maskedOf(d as { iban: unknown; ibanMasked?: string; ibanLast4: string }), erased, d.bic, d.signedOn],
      );
    } else if (type === 'SepaMandateSuperseded') {
      await tx.query(`UPDATE billing_mandates SET status = 'superseded', superseded_by = $2, ended_on = $3 WHERE mandate_id = $1`, [d.mandateId, d.supersededBy, d.on]);
    } else if (type === 'SepaMandateRevoked') {
      await tx.query(`UPDATE billing_mandates SET status = 'revoked', ended_on = $2 WHERE mandate_id = $1`, [d.mandateId, d.on]);
    }
  }
}

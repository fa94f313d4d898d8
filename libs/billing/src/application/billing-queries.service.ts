import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, DomainError, NotFoundError, type Clock } from '@oksio/kernel';
import { type Paging, PersonalTextSealer, pageOf } from '@oksio/platform';
import { lateInterestOf, localDateOf, versionsOf, type BillingSettings, type LedgerState, type ReferenceState } from '../domain';
import { renderCreditNoteHtml, renderInvoiceHtml } from '../http/invoice-html';
import { BillingService } from './billing.service';
import { BILLING_SETTINGS } from './tokens';

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}


const INVOICE_COLUMNS = `invoice_id AS "invoiceId", kind, number, customer_id AS "customerId", billing_month AS "billingMonth", related_invoice_id AS "relatedInvoiceId",
  to_char(issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(due_on, 'YYYY-MM-DD') AS "dueOn", total_ht::text AS "totalHT", total_vat::text AS "totalVAT",
  total_ttc::text AS "totalTTC", paid::text AS paid, credited::text AS credited, disputed::text AS disputed, outstanding::text AS outstanding,
  payable::text AS payable, status, to_char(overdue_since, 'YYYY-MM-DD') AS "overdueSince", indemnity::text AS indemnity,
  interest_assessed::text AS "interestAssessed", subscription_ids AS "subscriptionIds"`;

export interface InvoiceSummary {
  invoiceId: string;
  kind: string;
  number: string;
  customerId: string;
  billingMonth: string | null;
  relatedInvoiceId: string | null;
  issuedOn: string;
  dueOn: string | null;
  totalHT: string;
  totalVAT: string;
  totalTTC: string;
  paid: string;
  credited: string;
  disputed: string;
  outstanding: string;
  payable: string;
  status: string;
  overdueSince: string | null;
  indemnity: string;
  interestAssessed: string;
  subscriptionIds: string[];
}

/** Read side of billing: invoices, balances, overdue list, disputes, catalogue, documents. */
@Injectable()
export class BillingQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly billing: BillingService,
    private readonly personalText: PersonalTextSealer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  async invoices(filter: { customerId?: string | null; month?: string | null; status?: string | null; kind?: string | null; offset?: number | null; limit?: number | null }): Promise<Page<InvoiceSummary>> {
    const { offset, limit } = pageOf(filter);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.customerId) add('customer_id = ?', filter.customerId);
    if (filter.month) add('billing_month = ?', filter.month);
    if (filter.status) add('status = ?', filter.status);
    if (filter.kind) add('kind = ?', filter.kind);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM billing_invoices ${clause}`, params);
    const items = await this.dataSource.query(`SELECT ${INVOICE_COLUMNS} FROM billing_invoices ${clause} ORDER BY issued_on DESC, number DESC LIMIT ${limit} OFFSET ${offset}`, params);
    return { items, total: count, offset, limit };
  }

  async invoice(invoiceId: string) {
    const rows = await this.dataSource.query(`SELECT ${INVOICE_COLUMNS}, document FROM billing_invoices WHERE invoice_id = $1`, [invoiceId]);
    if (!rows[0]) throw new NotFoundError('invoice_not_found', `No invoice ${invoiceId}`, [{ field: 'invoiceId', message: 'unknown invoice' }]);
    const { document, ...summary } = rows[0];
    const payments = await this.opened(await this.dataSource.query(
      `SELECT payment_id AS "paymentId", amount::text AS amount, method, mandate_id AS "mandateId", to_char(received_on, 'YYYY-MM-DD') AS "receivedOn",
         to_char(rejected_on, 'YYYY-MM-DD') AS "rejectedOn", reject_reason AS "rejectReason" FROM billing_payments WHERE invoice_id = $1 ORDER BY received_on, payment_id`,
      [invoiceId],
    ), ['rejectReason']);
    const disputes = (await this.disputes({ invoiceId, limit: 100 })).items;
    const creditNotes = await this.dataSource.query(`SELECT ${INVOICE_COLUMNS} FROM billing_invoices WHERE related_invoice_id = $1 ORDER BY number`, [invoiceId]);
    return { ...summary, lines: document.lines, vat: document.vat, seller: document.seller, buyer: document.buyer, payment: document.payment ?? null, payments, disputes, creditNotes };
  }

  /** Rows with their sealed free text opened (`[erased]` once the customer's key is shredded), one key lookup per page. */
  private opened<R extends Record<string, unknown>>(rows: R[], fields: Array<keyof R & string>): Promise<R[]> {
    return this.personalText.revealRows(rows, fields);
  }

  async html(invoiceId: string): Promise<string> {
    const rows: Array<{ kind: string; document: any }> = await this.dataSource.query('SELECT kind, document FROM billing_invoices WHERE invoice_id = $1', [invoiceId]);
    if (!rows[0]) throw new NotFoundError('invoice_not_found', `No invoice ${invoiceId}`, [{ field: 'invoiceId', message: 'unknown invoice' }]);
    return rows[0].kind === 'invoice' ? renderInvoiceHtml(rows[0].document) : renderCreditNoteHtml(rows[0].document);
  }

  /** Per customer: what was invoiced, paid, credited, and owed (outstanding + BIL-05 indemnities and assessed interest). */
  async balances(filter: { customerId?: string | null; offset?: number | null; limit?: number | null }) {
    const { offset, limit } = pageOf(filter);
    const params: unknown[] = filter.customerId ? [filter.customerId] : [];
    const clause = filter.customerId ? 'AND customer_id = $1' : '';
    const [{ count }] = await this.dataSource.query(`SELECT count(DISTINCT customer_id)::int AS count FROM billing_invoices WHERE kind = 'invoice' ${clause}`, params);
    const items = await this.dataSource.query(
      `SELECT customer_id AS "customerId", count(*)::int AS invoices, sum(total_ttc)::text AS invoiced, sum(paid)::text AS paid, sum(credited)::text AS credited,
         sum(outstanding)::text AS outstanding, sum(disputed)::text AS disputed, sum(CASE WHEN status = 'overdue' THEN payable ELSE 0 END)::text AS overdue,
         sum(indemnity)::text AS indemnities, sum(interest_assessed)::text AS "interestAssessed",
         (sum(outstanding) + sum(indemnity) + sum(interest_assessed))::text AS balance
       FROM billing_invoices WHERE kind = 'invoice' ${clause} GROUP BY customer_id ORDER BY customer_id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total: count, offset, limit };
  }

  /** Overdue invoices with the days late, indemnity and interest accrued to date (BIL-05). */
  async overdue(filter: { customerId?: string | null; offset?: number | null; limit?: number | null }) {
    const { offset, limit } = pageOf(filter);
    const params: unknown[] = filter.customerId ? [filter.customerId] : [];
    const clause = filter.customerId ? 'AND customer_id = $1' : '';
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM billing_invoices WHERE status = 'overdue' ${clause}`, params);
    const rows = await this.dataSource.query(`SELECT ${INVOICE_COLUMNS}, ledger FROM billing_invoices WHERE status = 'overdue' ${clause} ORDER BY due_on, number LIMIT ${limit} OFFSET ${offset}`, params);
    const today = localDateOf(this.clock.now());
    const reference: ReferenceState = await this.billing.reference();
    const items = rows.map(({ ledger, ...r }: { ledger: LedgerState } & InvoiceSummary) => {
      let accruedInterest: string | null = null;
      let interestError: string | null = null;
      try {
        accruedInterest = lateInterestOf(ledger, today, { settings: this.settings, legalRates: reference.legalRates }).amount.toString();
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        interestError = error.message;
      }
      const daysLate = Math.round((Date.parse(today) - Date.parse(r.dueOn!)) / 86_400_000);
      return { ...r, daysLate, accruedInterest, interestError };
    });
    return { items, total: count, offset, limit, asOf: today };
  }

  async disputes(filter: { status?: string | null; customerId?: string | null; invoiceId?: string | null; offset?: number | null; limit?: number | null }) {
    const { offset, limit } = pageOf(filter);
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [col, value] of [['status', filter.status], ['customer_id', filter.customerId], ['invoice_id', filter.invoiceId]] as const) {
      if (value) {
        params.push(value);
        where.push(`${col} = $${params.length}`);
      }
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM billing_disputes ${clause}`, params);
    const items = await this.dataSource.query(
      `SELECT dispute_id AS "disputeId", invoice_id AS "invoiceId", invoice_number AS "invoiceNumber", customer_id AS "customerId", amount::text AS amount, reasons, status,
         to_char(lrar_received_on, 'YYYY-MM-DD') AS "lrarReceivedOn", to_char(documents_due_on, 'YYYY-MM-DD') AS "documentsDueOn",
         to_char(documents_received_on, 'YYYY-MM-DD') AS "documentsReceivedOn", to_char(closed_on, 'YYYY-MM-DD') AS "closedOn", outcome,
         credit_amount::text AS "creditAmount", credit_note_id AS "creditNoteId"
       FROM billing_disputes ${clause} ORDER BY lrar_received_on DESC, dispute_id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items: await this.opened(items, ['reasons']), total: count, offset, limit };
  }

  private static readonly HANDSET_COLUMNS = `order_id AS "orderId", customer_id AS "customerId", subscription_id AS "subscriptionId", invoice_id AS "invoiceId",
    invoice_number AS "invoiceNumber", total_ttc::text AS "totalTTC", payment_method AS "paymentMethod", status, lines,
    to_char(ordered_on, 'YYYY-MM-DD') AS "orderedOn", to_char(paid_on, 'YYYY-MM-DD') AS "paidOn", to_char(released_on, 'YYYY-MM-DD') AS "releasedOn",
    to_char(shipped_on, 'YYYY-MM-DD') AS "shippedOn", shipment_ref AS "shipmentRef"`;

  /** BIL-13: handset orders and where they stand (awaiting payment, released for delivery, shipped). */
  async handsetOrders(filter: { status?: string | null; customerId?: string | null; subscriptionId?: string | null; offset?: number | null; limit?: number | null }) {
    const { offset, limit } = pageOf(filter);
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [col, value] of [['status', filter.status], ['customer_id', filter.customerId], ['subscription_id', filter.subscriptionId]] as const) {
      if (value) {
        params.push(value);
        where.push(`${col} = $${params.length}`);
      }
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM billing_handset_orders ${clause}`, params);
    const items = await this.dataSource.query(
      `SELECT ${BillingQueries.HANDSET_COLUMNS} FROM billing_handset_orders ${clause} ORDER BY ordered_on DESC, order_id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total: count, offset, limit };
  }

  async handsetOrder(orderId: string) {
    const rows = await this.dataSource.query(`SELECT ${BillingQueries.HANDSET_COLUMNS} FROM billing_handset_orders WHERE order_id = $1`, [orderId]);
    if (!rows[0]) throw new NotFoundError('handset_order_not_found', `No handset order ${orderId}`, [{ field: 'orderId', message: 'unknown order' }]);
    return rows[0];
  }

  async mandates(customerId: string, page: Paging) {
    return this.dataSource.query(
      `SELECT mandate_id AS "mandateId", customer_id AS "customerId", iban_masked AS "ibanMasked", iban_erased AS "ibanErased", bic, to_char(signed_on, 'YYYY-MM-DD') AS "signedOn", status,
         superseded_by AS "supersededBy", to_char(ended_on, 'YYYY-MM-DD') AS "endedOn" FROM billing_mandates WHERE customer_id = $1 ORDER BY signed_on, mandate_id LIMIT $2 OFFSET $3`,
      [customerId, page.limit, page.offset],
    );
  }

  /** The catalogue: each code with the version in force on `asOf` and its history (CON-02). */
  async catalogue(asOfInput?: string) {
    const asOf = asOfInput ?? localDateOf(this.clock.now());
    const reference = await this.billing.reference();
    const codes = [...new Set(reference.prices.map((p) => p.code))].sort();
    return codes.map((code) => {
      const versions = versionsOf(reference, code);
      const current = [...versions].reverse().find((v) => v.effectiveFrom <= asOf) ?? null;
      return { code, label: versions[versions.length - 1].label, kind: versions[0].kind, asOf, current, versions };
    });
  }

  async legalRates() {
    const reference = await this.billing.reference();
    return Object.entries(reference.legalRates)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([halfYear, rate]) => ({ halfYear, rate, appliedRate: `${rate} × ${this.settings.lateInterestMultiplier}` }));
  }
}

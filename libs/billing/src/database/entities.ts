import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('billing_accounts')
export class BillingAccountRow {
  @PrimaryColumn('text', { name: 'subscription_id' }) subscriptionId: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text') service: string;
  @Column('text') status: string;
  @Column('jsonb') state: unknown;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('billing_invoices')
export class BillingInvoiceRow {
  @PrimaryColumn('text', { name: 'invoice_id' }) invoiceId: string;
  @Column('text') kind: string;
  @Column('text') number: string;
  @Column('text') series: string;
  @Column('integer') sequence: number;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'billing_month', nullable: true }) billingMonth: string | null;
  @Column('text', { name: 'related_invoice_id', nullable: true }) relatedInvoiceId: string | null;
  @Column('date', { name: 'issued_on' }) issuedOn: string;
  @Column('date', { name: 'due_on', nullable: true }) dueOn: string | null;
  @Column('numeric', { name: 'total_ht' }) totalHT: string;
  @Column('numeric', { name: 'total_vat' }) totalVAT: string;
  @Column('numeric', { name: 'total_ttc' }) totalTTC: string;
  @Column('numeric') paid: string;
  @Column('numeric') credited: string;
  @Column('numeric') disputed: string;
  @Column('numeric') outstanding: string;
  @Column('numeric') payable: string;
  @Column('text') status: string;
  @Column('date', { name: 'overdue_since', nullable: true }) overdueSince: string | null;
  @Column('numeric') indemnity: string;
  @Column('numeric', { name: 'interest_assessed' }) interestAssessed: string;
  @Column('text', { name: 'subscription_ids', array: true }) subscriptionIds: string[];
  @Column('jsonb') document: unknown;
  @Column('jsonb', { nullable: true }) ledger: unknown;
}

@Entity('billing_payments')
export class BillingPaymentRow {
  @PrimaryColumn('text', { name: 'payment_id' }) paymentId: string;
  @Column('text', { name: 'invoice_id' }) invoiceId: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('numeric') amount: string;
  @Column('text') method: string;
  @Column('text', { name: 'mandate_id', nullable: true }) mandateId: string | null;
  @Column('date', { name: 'received_on' }) receivedOn: string;
  @Column('date', { name: 'rejected_on', nullable: true }) rejectedOn: string | null;
  /** Sealed free text (BILLING_FREE_TEXT), opened when read. */
  @Column('jsonb', { name: 'reject_reason', nullable: true }) rejectReason: unknown;
}

@Entity('billing_disputes')
export class BillingDisputeRow {
  @PrimaryColumn('text', { name: 'dispute_id' }) disputeId: string;
  @Column('text', { name: 'invoice_id' }) invoiceId: string;
  @Column('text', { name: 'invoice_number' }) invoiceNumber: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('numeric') amount: string;
  /** Sealed free text (BILLING_FREE_TEXT), opened when read. */
  @Column('jsonb') reasons: unknown;
  @Column('text') status: string;
  @Column('date', { name: 'lrar_received_on' }) lrarReceivedOn: string;
  @Column('date', { name: 'documents_due_on' }) documentsDueOn: string;
  @Column('date', { name: 'documents_received_on', nullable: true }) documentsReceivedOn: string | null;
  @Column('date', { name: 'closed_on', nullable: true }) closedOn: string | null;
  @Column('text', { nullable: true }) outcome: string | null;
  @Column('numeric', { name: 'credit_amount', nullable: true }) creditAmount: string | null;
  @Column('text', { name: 'credit_note_id', nullable: true }) creditNoteId: string | null;
}

@Entity('billing_mandates')
export class BillingMandateRow {
  @PrimaryColumn('text', { name: 'mandate_id' }) mandateId: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  /** PRV-01: the masked form only (`FR76 **** **** 0189`); null once the bank details are erased. */
  @Column('text', { name: 'iban_masked', nullable: true }) ibanMasked: string | null;
  @Column('boolean', { name: 'iban_erased', default: false }) ibanErased: boolean;
  @Column('text', { nullable: true }) bic: string | null;
  @Column('date', { name: 'signed_on' }) signedOn: string;
  @Column('text') status: string;
  @Column('text', { name: 'superseded_by', nullable: true }) supersededBy: string | null;
  @Column('date', { name: 'ended_on', nullable: true }) endedOn: string | null;
}

@Entity('billing_handset_orders')
export class BillingHandsetOrderRow {
  @PrimaryColumn('text', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'subscription_id' }) subscriptionId: string;
  @Column('text', { name: 'invoice_id' }) invoiceId: string;
  @Column('text', { name: 'invoice_number', nullable: true }) invoiceNumber: string | null;
  @Column('numeric', { name: 'total_ttc', nullable: true }) totalTTC: string | null;
  @Column('text', { name: 'payment_method', nullable: true }) paymentMethod: string | null;
  @Column('text') status: string;
  @Column('jsonb') lines: unknown;
  @Column('date', { name: 'ordered_on' }) orderedOn: string;
  @Column('date', { name: 'paid_on', nullable: true }) paidOn: string | null;
  @Column('date', { name: 'released_on', nullable: true }) releasedOn: string | null;
  @Column('date', { name: 'shipped_on', nullable: true }) shippedOn: string | null;
  @Column('text', { name: 'shipment_ref', nullable: true }) shipmentRef: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

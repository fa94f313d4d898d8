import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per invoice Billing allowed a non-payment measure on (SUS-02, SUS-06), folded by the process manager. */
@Entity('subscription_nonpayment_cases')
export class NonPaymentCaseRow {
  @PrimaryColumn('text', { name: 'invoice_id' }) invoiceId: string;
  @Column('text', { name: 'invoice_ref' }) invoiceRef: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('date', { name: 'due_on' }) dueOn: string;
  /** unpaid (a measure is allowed and the invoice is not settled) or settled. */
  @Column('text') status: string;
  /** SUS-02: due date + 7 days. */
  @Column('date', { name: 'suspension_allowed_from', nullable: true }) suspensionAllowedFrom: string | null;
  @Column('jsonb', { name: 'subscription_ids' }) subscriptionIds: string[];
  /** SUS-06: 9th business day after the due date (MOBILE contracts). */
  @Column('date', { name: 'deliveries_allowed_from', nullable: true }) deliveriesAllowedFrom: string | null;
  @Column('jsonb', { name: 'deliveries_subscription_ids' }) deliveriesSubscriptionIds: string[];
  @Column('date', { name: 'settled_on', nullable: true }) settledOn: string | null;
  /** 0, then +1 each time a rejected payment reopened the settled invoice. */
  @Column('integer') round: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

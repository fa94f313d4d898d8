import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ItemState } from '../domain/state';
import type { ResolvedTerms } from '../domain/terms';

/** Local dates ('YYYY-MM-DD', Europe/Paris) are `date` columns, read back as strings by TypeORM. */

/** One row per contract: customer, service, status (phase) and order status. */
@Entity('subscriptions')
export class SubscriptionRow {
  @PrimaryColumn('uuid', { name: 'subscription_id' }) subscriptionId: string;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('text') service: string;
  /** The contract's phase: ordered, refused, cancelled, signed, active, terminated. */
  @Column('text') status: string;
  /** pending_feasibility, accepted, refused, cancelled, delivered. */
  @Column('text', { name: 'order_status' }) orderStatus: string;
  @Column('text') guarantee: string;
  @Column('date', { name: 'quote_date', nullable: true }) quoteDate: string | null;
  @Column('text', { name: 'order_amount', nullable: true }) orderAmount: string | null;
  @Column('date', { name: 'signed_on', nullable: true }) signedOn: string | null;
  @Column('date', { name: 'activated_on', nullable: true }) activatedOn: string | null;
  @Column('date', { name: 'ended_on', nullable: true }) endedOn: string | null;
  @Column('date', { name: 'pending_end_on', nullable: true }) pendingEndOn: string | null;
  @Column('text', { name: 'pending_end_cause', nullable: true }) pendingEndCause: string | null;
  @Column('text', { name: 'pending_end_rule', nullable: true }) pendingEndRule: string | null;
  @Column('boolean', { name: 'deliveries_suspended' }) deliveriesSuspended: boolean;
  @Column('integer', { name: 'active_suspensions' }) activeSuspensions: number;
  @Column('jsonb') items: ItemState[];
  /** The contract's resolved terms, stored once per distinct content in `subscription_terms` (null before signature). */
  @Column('text', { name: 'terms_id', nullable: true }) termsId: string | null;
  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) revision: number;
  @Column('timestamptz', { name: 'placed_at', nullable: true }) placedAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/**
 * Resolved terms (CON-01), stored once per distinct content: most contracts of a service share
 * theirs, and a copy per contract was half of what a rebuild of the subscriptions read model wrote.
 * `terms_id` is a hash of the terms' canonical JSON (`termsIdOf`).
 */
@Entity('subscription_terms')
export class SubscriptionTermsRow {
  @PrimaryColumn('text', { name: 'terms_id' }) termsId: string;
  @Column('jsonb') terms: ResolvedTerms;
}

/** The calendar columns of a commitment: stored once per contract, given to each of its lines by the view. */
abstract class CommitmentCalendarColumns {
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('text') service: string;
  /** active, terminated (the contract or the line). */
  @Column('text') status: string;
  @Column('date', { name: 'service_start_on', nullable: true }) serviceStartOn: string | null;
  @Column('text', { name: 'notice_rule' }) noticeRule: 'before_period_end' | 'from_receipt';
  @Column('integer', { name: 'notice_months' }) noticeMonths: number;
  /** First day of the initial period (SUB-02) or of the re-commitment (SUB-13). */
  @Column('date', { name: 'anchor_on' }) anchorOn: string;
  @Column('integer', { name: 'initial_term_months' }) initialTermMonths: number;
  @Column('integer', { name: 'renewal_period_months' }) renewalPeriodMonths: number;
  @Column('date', { name: 'initial_end_on' }) initialEndOn: string;
  /** 0 = initial period; n = n-th tacit renewal (SUB-03) since the anchor. */
  @Column('integer', { name: 'period_index' }) periodIndex: number;
  @Column('text', { name: 'period_kind' }) periodKind: 'initial' | 'renewal';
  @Column('date', { name: 'period_start_on' }) periodStartOn: string;
  @Column('date', { name: 'period_end_on' }) periodEndOn: string;
  /** Latest receipt date of a termination letter that ends the contract at this period's end (SUB-04). */
  @Column('date', { name: 'notice_deadline_on', nullable: true }) noticeDeadlineOn: string | null;
  @Column('boolean', { name: 'renews_at_period_end' }) renewsAtPeriodEnd: boolean;
  @Column('date', { name: 'pending_end_on', nullable: true }) pendingEndOn: string | null;
  @Column('date', { name: 'ended_on', nullable: true }) endedOn: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/**
 * The commitment calendar of a contract (line_id '') and of each MOBILE line (SUB-02, SUB-03,
 * SUB-04, SUB-15), as read: `subscription_commitments` is a view over the contract calendars and
 * the lines' own columns (ContractCommitmentRow, LineCommitmentRow), which the projection writes.
 */
@Entity('subscription_commitments')
export class CommitmentRow extends CommitmentCalendarColumns {
  @PrimaryColumn('uuid', { name: 'subscription_id' }) subscriptionId: string;
  /** '' for the contract; the line id for a MOBILE line. */
  @PrimaryColumn('text', { name: 'line_id' }) lineId: string;
  @Column('text') scope: 'contract' | 'line';
}

/** A contract's commitment calendar, stored once for the contract and its lines (SUB-02, SUB-03, SUB-04). */
@Entity('subscription_contract_commitments')
export class ContractCommitmentRow extends CommitmentCalendarColumns {
  @PrimaryColumn('uuid', { name: 'subscription_id' }) subscriptionId: string;
}

/** What a MOBILE line's commitment has of its own; the calendar is its contract's (SUB-15). */
@Entity('subscription_line_commitments')
export class LineCommitmentRow {
  @PrimaryColumn('uuid', { name: 'subscription_id' }) subscriptionId: string;
  @PrimaryColumn('text', { name: 'line_id' }) lineId: string;
  /** active, terminated. */
  @Column('text') status: string;
  @Column('date', { name: 'service_start_on', nullable: true }) serviceStartOn: string | null;
  @Column('date', { name: 'ended_on', nullable: true }) endedOn: string | null;
}

/** Suspensions in force and their history (SUS-01 … SUS-05). */
@Entity('subscription_suspensions')
export class SuspensionRow {
  @PrimaryColumn('uuid', { name: 'subscription_id' }) subscriptionId: string;
  @PrimaryColumn('text', { name: 'suspension_id' }) suspensionId: string;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('text') service: string;
  @Column('text') reason: string;
  @Column('text') scope: string;
  @Column('jsonb', { name: 'item_ids' }) itemIds: string[];
  @Column('text', { nullable: true }) rule: string | null;
  @Column('boolean', { nullable: true }) conservatory: boolean | null;
  @Column('boolean') active: boolean;
  @Column('timestamptz', { name: 'suspended_at' }) suspendedAt: Date;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  /** lifted (reactivation) or termination (the contract ended while suspended). */
  @Column('text', { name: 'ended_by', nullable: true }) endedBy: string | null;
  @Column('jsonb') details: Record<string, unknown>;
  @Column('jsonb', { name: 'lost_or_stolen', nullable: true }) lostOrStolen: Record<string, unknown> | null;
  @Column('jsonb', { name: 'force_majeure', nullable: true }) forceMajeure: Record<string, unknown> | null;
  @Column('boolean', { name: 'reconnection_costs_billable', nullable: true }) reconnectionCostsBillable: boolean | null;
  @Column('text', { name: 'new_number', nullable: true }) newNumber: string | null;
}

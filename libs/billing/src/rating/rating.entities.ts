import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One plan period of a SIP line: `from` is the Paris date it applies from (null: since the order). */
export interface PlanPeriod {
  from: string | null;
  plan: string | null;
}

/** The services whose calls are rated: SIP trunks (BIL-09) and resold analogue lines (BIL-10). */
export type RatedService = 'FIXED_SIP' | 'FIXED_VGA';

/**
 * A FIXED_SIP or FIXED_VGA line as Subscription events describe it (projection `rating-sip-lines`).
 * Table and projection keep their first names; a VGA line has no plan (`plans` holds one null period).
 */
@Entity('rating_sip_lines')
export class SipLineRow {
  @PrimaryColumn('text', { name: 'subscription_id' }) subscriptionId: string;
  @PrimaryColumn('text', { name: 'line_id' }) lineId: string;
  @Column('text', { default: 'FIXED_SIP' }) service: RatedService;
  @Column('text', { name: 'customer_id', nullable: true }) customerId: string | null;
  @Column('text') label: string;
  @Column('jsonb') plans: PlanPeriod[];
  @Column('integer', { name: 'simultaneous_lines' }) simultaneousLines: number;
  @Column('date', { name: 'activated_on', nullable: true }) activatedOn: string | null;
  @Column('date', { name: 'ends_on', nullable: true }) endsOn: string | null;
  @Column('boolean') cancelled: boolean;
}

/** An accepted CDR (raw fields + resolution). The call id is unique across imports. */
@Entity('rating_cdrs')
export class CdrRow {
  @PrimaryColumn('text', { name: 'call_id' }) callId: string;
  @Column('uuid', { name: 'import_id' }) importId: string;
  @Column('text', { name: 'subscription_id' }) subscriptionId: string;
  @Column('text', { name: 'line_id' }) lineId: string;
  @Column('text') caller: string;
  @Column('text') called: string;
  @Column('text', { name: 'called_e164' }) calledE164: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('integer', { name: 'duration_seconds' }) durationSeconds: number;
  @Column('char', { name: 'billing_month', length: 7 }) billingMonth: string;
  @Column('text') destination: string;
  @Column('numeric', { name: 'price_per_minute' }) pricePerMinute: string;
  @Column('numeric', { name: 'price_per_call', default: 0 }) pricePerCall: string;
  /** 'annex' | 'vga_special' | 'emergency' (see domain/pipeline.ts CallTariff). */
  @Column('text', { default: 'annex' }) tariff: string;
  @Column('integer', { name: 'rate_year' }) rateYear: number;
  @Column('text', { name: 'allowance_category', nullable: true }) allowanceCategory: string | null;
  @Column('boolean', { name: 'non_geographic' }) nonGeographic: boolean;
  @Column('timestamptz', { name: 'imported_at' }) importedAt: Date;
}

/** A CDR that was not rated, kept with its raw text and the reason (never silently dropped). */
@Entity('rating_rejected_cdrs')
export class RejectedCdrRow {
  @PrimaryGeneratedColumn('increment', { name: 'rejection_id', type: 'bigint' }) rejectionId: string;
  @Column('uuid', { name: 'import_id' }) importId: string;
  @Column('integer', { name: 'record_no' }) recordNo: number;
  @Column('text', { name: 'call_id', nullable: true }) callId: string | null;
  @Column('text', { name: 'subscription_id', nullable: true }) subscriptionId: string | null;
  @Column('text', { name: 'line_id', nullable: true }) lineId: string | null;
  @Column('text') reason: string;
  @Column('text') detail: string;
  @Column('text') raw: string;
  @Column('timestamptz', { name: 'rejected_at' }) rejectedAt: Date;
}

/** A rated call of a line's billing month (derived from rating_cdrs; rewritten when its line-month is re-rated). */
@Entity('rating_rated_calls')
export class RatedCallRow {
  @PrimaryColumn('text', { name: 'call_id' }) callId: string;
  @Column('text', { name: 'subscription_id' }) subscriptionId: string;
  @Column('text', { name: 'line_id' }) lineId: string;
  @Column('char', { name: 'billing_month', length: 7 }) billingMonth: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('text') called: string;
  @Column('text') destination: string;
  /** The SIP plan in force on the call's date, or 'VGA' for a FIXED_VGA line. */
  @Column('text') plan: string;
  @Column('integer', { name: 'duration_seconds' }) durationSeconds: number;
  @Column('integer', { name: 'included_seconds' }) includedSeconds: number;
  @Column('integer', { name: 'billed_seconds' }) billedSeconds: number;
  @Column('numeric', { name: 'price_per_minute' }) pricePerMinute: string;
  /** Charged once per answered call (VGA 118 directory enquiries); 0 otherwise. */
  @Column('numeric', { name: 'price_per_call', default: 0 }) pricePerCall: string;
  @Column('numeric') amount: string;
  /** SIP: AllowanceOutcome; VGA: VgaOutcome ('billed', 'emergency_free', 'unanswered'). */
  @Column('text') outcome: string;
  @Column('integer', { name: 'distinct_number_rank', nullable: true }) distinctNumberRank: number | null;
  @Column('timestamptz', { name: 'rated_at' }) ratedAt: Date;
}

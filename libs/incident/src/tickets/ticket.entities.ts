import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PersonalText } from '@oksio/kernel';
import type { InterruptionClock, ServiceType, TicketStatus } from '../domain';

/**
 * One row per ticket (board and history), written by the tickets projection from the folded
 * ticket state. The clock is stored as its intervals (JSON); elapsed/remaining time are computed
 * when read, from the injected clock, never stored.
 */
@Entity('incident_tickets')
export class TicketRow {
  @PrimaryColumn('uuid', { name: 'ticket_id' }) ticketId: string;
  @Column('text', { nullable: true }) reference: string | null;
  @Column('text') status: TicketStatus;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'subscription_id', nullable: true }) subscriptionId: string | null;
  @Column('text', { name: 'service_type', nullable: true }) serviceType: ServiceType | null;
  @Column('jsonb', { name: 'impacted_site_ids' }) impactedSiteIds: string[];
  @Column('text', { name: 'caller_contact_id', nullable: true }) callerContactId: string | null;
  @Column('text', { name: 'declared_by_contact_id', nullable: true }) declaredByContactId: string | null;
  @Column('text', { nullable: true }) classification: 'interruption' | 'minor_anomaly' | null;
  @Column('boolean', { name: 'sla_applies' }) slaApplies: boolean;
  @Column('timestamptz', { name: 'qualified_at', nullable: true }) qualifiedAt: Date | null;
  @Column('timestamptz', { name: 'notified_at', nullable: true }) notifiedAt: Date | null;
  @Column('timestamptz', { name: 'received_at', nullable: true }) receivedAt: Date | null;
  @Column('timestamptz', { name: 'opened_at', nullable: true }) openedAt: Date | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  @Column('text', { nullable: true }) resolution: 'restored' | 'unjustified' | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('text', { name: 'closure_mode', nullable: true }) closureMode: string | null;
  /** Sealed free text (personal data, TICKET_FREE_TEXT): opened by the API when read. */
  @Column('jsonb', { nullable: true }) description: PersonalText | null;
  @Column('jsonb', { nullable: true }) location: PersonalText | null;
  @Column('jsonb', { nullable: true }) consequences: PersonalText | null;
  @Column('jsonb', { nullable: true }) clock: InterruptionClock | null;
  @Column('text', { name: 'clock_basis', nullable: true }) clockBasis: string | null;
  /** Derived from the state (not from "now"): null while frozen or when no SLA applies. */
  @Column('timestamptz', { name: 'sla_deadline', nullable: true }) slaDeadline: Date | null;
  @Column('timestamptz', { name: 'breach_deadline', nullable: true }) breachDeadline: Date | null;
  @Column('timestamptz', { name: 'breach_recorded_at', nullable: true }) breachRecordedAt: Date | null;
  @Column('text', { name: 'exclusion_cause', nullable: true }) exclusionCause: string | null;
  @Column('numeric', { name: 'monthly_fee', precision: 12, scale: 2, nullable: true }) monthlyFee: string | null;
  @Column('numeric', { name: 'penalty_computed', precision: 12, scale: 2, nullable: true }) penaltyComputed: string | null;
  @Column('text', { name: 'penalty_tier', nullable: true }) penaltyTier: string | null;
  @Column('numeric', { name: 'penalty_granted', precision: 12, scale: 2 }) penaltyGranted: string;
  @Column('jsonb', { name: 'fees_charged' }) feesCharged: string[];
  @Column('text') expertise: string;
  @Column('integer') revision: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** INC-11/12/14/15: one row per SLA ticket restored, with its billing month (Paris month of the notification). */
@Entity('incident_penalties')
export class PenaltyRow {
  @PrimaryColumn('uuid', { name: 'ticket_id' }) ticketId: string;
  @Column('text') reference: string;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'subscription_id' }) subscriptionId: string;
  @Column('char', { name: 'billing_month', length: 7 }) billingMonth: string;
  @Column('timestamptz', { name: 'notified_at' }) notifiedAt: Date;
  @Column('bigint', { name: 'interruption_ms' }) interruptionMs: string;
  @Column('text', { name: 'tier_percentage' }) tierPercentage: string;
  @Column('numeric', { name: 'monthly_fee', precision: 12, scale: 2 }) monthlyFee: string;
  @Column('numeric', { name: 'computed_amount', precision: 12, scale: 2 }) computedAmount: string;
  @Column('text', { name: 'exclusion_cause', nullable: true }) exclusionCause: string | null;
  @Column('numeric', { name: 'granted_amount', precision: 12, scale: 2 }) grantedAmount: string;
}

/**
 * Each SlaPenaltyGranted, keyed by (ticket, revision). Written by the tickets service right after
 * the append (under an advisory lock per link and month, so INC-12 holds under concurrent grants)
 * and by the projection (idempotent), so it never lags behind the grants the cap must count.
 */
@Entity('incident_penalty_grants')
export class PenaltyGrantRow {
  @PrimaryColumn('uuid', { name: 'ticket_id' }) ticketId: string;
  @PrimaryColumn('integer') revision: number;
  @Column('text', { name: 'subscription_id' }) subscriptionId: string;
  @Column('char', { name: 'billing_month', length: 7 }) billingMonth: string;
  @Column('numeric', { precision: 12, scale: 2 }) amount: string;
}

/** INC-02/INC-04: the customer's links (subscriptions) and their items (sites, lines), from OrderPlaced. */
@Entity('incident_links')
export class LinkRow {
  @PrimaryColumn('text', { name: 'subscription_id' }) subscriptionId: string;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('text') service: string;
  @Column('jsonb', { name: 'item_ids' }) itemIds: string[];
}

/** INC-03: references allocated per Paris year, one per ticket (a retry gets the same one). */
@Entity('incident_ticket_references')
export class TicketReferenceRow {
  @PrimaryColumn('text') reference: string;
  @Column('integer') year: number;
  @Column('integer') sequence: number;
  @Column('uuid', { name: 'ticket_id' }) ticketId: string;
}

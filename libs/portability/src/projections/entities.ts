import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PersonalText } from '@oksio/kernel';

/**
 * Read models of the Portability context (derived with the write side's own `evolve`, see the
 * projections). Calendar dates are kept as 'YYYY-MM-DD' strings (Europe/Paris), never Date.
 */

/** The porting queue: one row per porting case (inbound or outbound), by queue and next deadline. */
@Entity('portability_porting_requests')
export class PortingRequestRow {
  @PrimaryColumn('text', { name: 'porting_id' }) portingId: string;
  @Column('text') direction: 'inbound' | 'outbound';
  @Column('text') status: string;
  /** documents_missing | ready | scheduled | ported | new_number | port_out_pending | ported_out | closed */
  @Column('text') queue: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'subscription_id' }) subscriptionId: string;
  @Column('text', { name: 'line_id' }) lineId: string;
  @Column('text') msisdn: string;
  @Column('text', { name: 'holder_kind', nullable: true }) holderKind: string | null;
  /** Personal data, in clear here until erased (then null and `holderErased`). */
  @Column('text', { name: 'holder_name', nullable: true }) holderName: string | null;
  @Column('boolean', { name: 'holder_erased' }) holderErased: boolean;
  @Column('text', { name: 'mandate_document_id', nullable: true }) mandateDocumentId: string | null;
  @Column('date', { name: 'contract_signed_on', nullable: true }) contractSignedOn: string | null;
  @Column('date', { name: 'documents_due_on', nullable: true }) documentsDueOn: string | null;
  @Column('date', { name: 'line_info_due_on', nullable: true }) lineInfoDueOn: string | null;
  @Column('date', { name: 'porting_date', nullable: true }) portingDate: string | null;
  @Column('date', { name: 'file_due_on', nullable: true }) fileDueOn: string | null;
  @Column('date', { name: 'complete_on', nullable: true }) completeOn: string | null;
  @Column('jsonb') documents: Record<string, { documentId: string; receivedOn: string; firstReceivedOn: string }>;
  @Column('jsonb', { name: 'missing_documents' }) missingDocuments: string[];
  @Column('jsonb', { name: 'outstanding_line_info' }) outstandingLineInfo: string[];
  @Column('text', { nullable: true }) rio: string | null;
  @Column('integer', { name: 'rejected_rios' }) rejectedRios: number;
  @Column('text', { name: 'donor_operator_code', nullable: true }) donorOperatorCode: string | null;
  @Column('date', { name: 'previous_contract_ends_on', nullable: true }) previousContractEndsOn: string | null;
  /** The next date the case waits for (deadline or porting date) and what it is. */
  @Column('date', { name: 'next_deadline_on', nullable: true }) nextDeadlineOn: string | null;
  @Column('text', { name: 'next_deadline_kind', nullable: true }) nextDeadlineKind: string | null;
  @Column('text', { name: 'next_deadline_rule', nullable: true }) nextDeadlineRule: string | null;
  @Column('jsonb', { name: 'ineligibility_reasons' }) ineligibilityReasons: Array<{ code: string; rule: string; message: string }>;
  @Column('text', { name: 'fallback_cause', nullable: true }) fallbackCause: string | null;
  @Column('text', { name: 'fallback_rule', nullable: true }) fallbackRule: string | null;
  @Column('jsonb', { name: 'fallback_reasons' }) fallbackReasons: Array<{ code: string; rule: string; message: string }>;
  @Column('date', { name: 'fallback_decided_on', nullable: true }) fallbackDecidedOn: string | null;
  @Column('text', { name: 'donor_refusal', nullable: true }) donorRefusal: string | null;
  @Column('date', { name: 'ported_on', nullable: true }) portedOn: string | null;
  @Column('date', { name: 'donor_contract_terminated_on', nullable: true }) donorContractTerminatedOn: string | null;
  @Column('timestamptz', { name: 'interruption_started_at', nullable: true }) interruptionStartedAt: Date | null;
  @Column('timestamptz', { name: 'interruption_expected_end_at', nullable: true }) interruptionExpectedEndAt: Date | null;
  @Column('timestamptz', { name: 'service_restored_at', nullable: true }) serviceRestoredAt: Date | null;
  @Column('jsonb', { name: 'port_out', nullable: true }) portOut: Record<string, unknown> | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** Number registry: the owner (line) of each number at OKSIO and the porting pending on it. */
@Entity('portability_numbers')
export class NumberRow {
  @PrimaryColumn('text') msisdn: string;
  /** reserved | active | ported_out | released */
  @Column('text') status: string;
  @Column('text', { name: 'customer_id', nullable: true }) customerId: string | null;
  @Column('text', { name: 'subscription_id', nullable: true }) subscriptionId: string | null;
  @Column('text', { name: 'line_id', nullable: true }) lineId: string | null;
  @Column('text', { name: 'sim_number', nullable: true }) simNumber: string | null;
  @Column('text', { nullable: true }) source: string | null;
  @Column('date', { nullable: true }) since: string | null;
  /** The porting case that brought the number (ported in, or new number after a fallback). */
  @Column('text', { name: 'porting_id', nullable: true }) portingId: string | null;
  @Column('text', { name: 'pending_porting_id', nullable: true }) pendingPortingId: string | null;
  @Column('text', { name: 'pending_direction', nullable: true }) pendingDirection: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** Mobile lines of the Subscription context (projected from its events with its own evolve). */
@Entity('portability_lines')
export class MobileLineRow {
  @PrimaryColumn('text', { name: 'subscription_id' }) subscriptionId: string;
  @PrimaryColumn('text', { name: 'line_id' }) lineId: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text') phase: string;
  /** ordered | active | suspended | terminated */
  @Column('text') status: string;
  @Column('date', { name: 'service_start_on', nullable: true }) serviceStartOn: string | null;
  @Column('date', { name: 'ends_on', nullable: true }) endsOn: string | null;
}

/** RIO lookups: the RIO OKSIO issued for each of its numbers (POR-06, POR-07). */
@Entity('portability_rios')
export class RioRow {
  @PrimaryColumn('text') msisdn: string;
  @Column('text') rio: string;
  @Column('text', { name: 'contract_ref' }) contractRef: string;
  @Column('text', { name: 'replaces_rio', nullable: true }) replacesRio: string | null;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt: Date;
}

/** Fixed-line resale mandates (SUB-17, POR-08). */
@Entity('portability_fixed_line_mandates')
export class FixedLineMandateRow {
  @PrimaryColumn('text', { name: 'mandate_id' }) mandateId: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'subscription_id' }) subscriptionId: string;
  @Column('text', { name: 'line_id' }) lineId: string;
  @Column('text') service: string;
  @Column('text') status: string;
  @Column('text', { name: 'access_kind', nullable: true }) accessKind: string | null;
  @Column('text', { name: 'local_loop_operator', nullable: true }) localLoopOperator: string | null;
  @Column('text', { nullable: true }) number: string | null;
  @Column('jsonb', { name: 'refusal_reasons' }) refusalReasons: Array<{ code: string; rule: string; message: string }>;
  /** Sealed free text (PORTABILITY_FREE_TEXT), opened by MandatesService when read. */
  @Column('jsonb', { name: 'obl_rejection', nullable: true }) oblRejection: PersonalText | null;
  @Column('jsonb', { name: 'ndi_changes' }) ndiChanges: Record<string, unknown>;
  @Column('date', { name: 'next_ndi_change_on', nullable: true }) nextNdiChangeOn: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PiiCategory } from '../crypto/pii';
import type { LegalBasis, LegalHoldRule, RetentionAnchor, RetentionPolicy } from './retention-policy';

/** One retention policy per personal-data category (PRV-02), seeded by migration, configurable. */
@Entity('retention_policies')
export class RetentionPolicyRow {
  @PrimaryColumn('text') category: PiiCategory;
  @Column('text', { name: 'legal_basis', array: true }) legalBasis: LegalBasis[];
  @Column('text') anchor: RetentionAnchor;
  @Column('text', { nullable: true }) service: string | null;
  @Column('text', { name: 'active_period' }) activePeriod: string;
  @Column('boolean', { name: 'extend_while_unpaid_debt' }) extendWhileUnpaidDebt: boolean;
  @Column('text') rule: string;
  @Column('text') description: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('legal_hold_rules')
export class LegalHoldRuleRow {
  @PrimaryColumn('text') kind: string;
  @Column('text') period: string;
  @Column('text', { array: true }) categories: PiiCategory[];
  @Column('text') rule: string;
  @Column('text') description: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** Where each category of each subject stands (projection privacy-retention). */
@Entity('privacy_retention')
export class SubjectRetentionRow {
  @PrimaryColumn('text', { name: 'subject_id' }) subjectId: string;
  @PrimaryColumn('text') category: PiiCategory;
  @Column('timestamptz', { name: 'anchor_at', nullable: true }) anchorAt: Date | null;
  @Column('timestamptz', { name: 'active_until', nullable: true }) activeUntil: Date | null;
  @Column('timestamptz', { name: 'hold_until', nullable: true }) holdUntil: Date | null;
  @Column('boolean', { name: 'debt_open' }) debtOpen: boolean;
  @Column('timestamptz', { name: 'purge_at', nullable: true }) purgeAt: Date | null;
  @Column('timestamptz', { name: 'purged_at', nullable: true }) purgedAt: Date | null;
  @Column('timestamptz', { name: 'erasure_requested_at', nullable: true }) erasureRequestedAt: Date | null;
  @Column('boolean') restricted: boolean;
  @Column('text', { name: 'restriction_reason', nullable: true }) restrictionReason: string | null;
}

export function toPolicy(row: RetentionPolicyRow): RetentionPolicy {
  return {
    category: row.category,
    legalBasis: row.legalBasis,
    anchor: row.anchor,
    service: row.service,
    activePeriod: row.activePeriod,
    extendWhileUnpaidDebt: row.extendWhileUnpaidDebt,
    rule: row.rule,
    description: row.description,
  };
}

export function toHold(row: LegalHoldRuleRow): LegalHoldRule {
  return { kind: row.kind, period: row.period, categories: row.categories, rule: row.rule, description: row.description };
}

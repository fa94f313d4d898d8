import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, NotFoundError, ValidationError, dateOfInstant, deterministicId, instantProblem } from '@oksio/kernel';
import { type CommandContext, type DueAction, EventSourcedRepository, type MultiStreamCommand, causedBy, pageOf } from '@oksio/platform';
import { PiiVault } from '../crypto/pii-vault';
import { PII_CATEGORIES, type PiiCategory } from '../crypto/pii';
import { PersonalDataRegistry } from '../registry/personal-data.registry';
import { SubjectDataService, type SubjectData } from '../registry/subject-data.service';
import {
  archivedCategories,
  dataSubjectDecider,
  dataSubjectStream,
  type DataSubjectCommand,
  type DataSubjectEvent,
  type DataSubjectState,
  type Rectification,
  type SubjectFact,
} from './data-subject.decider';
import { categoryRetention, phaseAt, type LegalHoldRule, type RetentionPhase, type RetentionPolicy } from './retention-policy';
import { legalHoldStream, retentionPolicyStream, retentionRulesDecider } from './retention-rules.decider';
import type { ChangeLegalHoldDto, ChangeRetentionPolicyDto, RecordFactDto } from './retention.dto';
import { loadRetentionRules } from './retention.projection';
import { LegalHoldRuleRow, RetentionPolicyRow, toHold, toPolicy } from './retention.entities';

export interface CategoryStatus {
  category: PiiCategory;
  rule: string;
  phase: RetentionPhase;
  anchorAt: string | null;
  activeUntil: string | null;
  holdUntil: string | null;
  debtOpen: boolean;
  purgeAt: string | null;
  purgedAt: string | null;
  restricted: boolean;
  restrictionReason: string | null;
}

export interface SubjectRetention {
  subjectId: string;
  asOf: string;
  categories: CategoryStatus[];
}

export interface ErasureOutcome {
  erased: PiiCategory[];
  restricted: Array<{ category: PiiCategory; until: string | null; reason: string; rule: string }>;
}

/**
 * Retention application service (PRV-02, PRV-03): facts about subjects, the configurable policies,
 * the scheduled purge (crypto-shredding + read-model redaction + PersonalDataPurged), erasure with
 * legal holds (PRV-04), restrictions and the restricted archive read with a logged reason.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly vault: PiiVault,
    private readonly registry: PersonalDataRegistry,
    private readonly subjectData: SubjectDataService,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ---- facts -------------------------------------------------------------------------------------

  async recordFact(subjectId: string, dto: RecordFactDto, ctx: CommandContext): Promise<{ subjectId: string; recorded: string[] }> {
    const now = this.clock.now();
    const occurredAt = dto.occurredAt ?? now.toISOString();
    const fact = ((): SubjectFact => {
      switch (dto.kind) {
        case 'contract_started':
          return { kind: dto.kind, contractId: dto.contractId!, service: dto.service!, occurredAt };
        case 'contract_ended':
          return { kind: dto.kind, contractId: dto.contractId!, occurredAt };
        case 'data_collected':
          return { kind: dto.kind, category: dto.category!, source: dto.source!, occurredAt };
        case 'invoice_issued':
          return { kind: dto.kind, reference: dto.reference!, occurredAt };
        case 'unpaid_debt_opened':
        case 'unpaid_debt_settled':
          return { kind: dto.kind, debtId: dto.debtId!, occurredAt };
      }
    })();
    const result = await this.execute(subjectId, { type: 'RecordFact', subjectId, fact }, ctx, now);
    return { subjectId, recorded: result.events.map((e) => e.type) };
  }

  /**
   * A fact recorded by this context's own flows (portal registration, logins), under a derived
   * command id, decided in the flow's multi-stream command and appended with it (docs/adr/0008).
   */
  async recordInternalFact(command: MultiStreamCommand, subjectId: string, fact: SubjectFact, ctx: CommandContext, discriminator: string): Promise<void> {
    await command.decide(
      dataSubjectDecider,
      dataSubjectStream(subjectId),
      { type: 'RecordFact', subjectId, fact },
      causedBy(ctx, deterministicId(ctx.commandId, 'fact', subjectId, discriminator)),
    );
  }

  // ---- policies ----------------------------------------------------------------------------------

  async policies(): Promise<RetentionPolicy[]> {
    const rows = await this.dataSource.getRepository(RetentionPolicyRow).find();
    const order = new Map(PII_CATEGORIES.map((c, i) => [c, i]));
    return rows.map(toPolicy).sort((a, b) => (order.get(a.category) ?? 99) - (order.get(b.category) ?? 99));
  }

  async legalHolds(): Promise<LegalHoldRule[]> {
    return (await this.dataSource.getRepository(LegalHoldRuleRow).find({ order: { kind: 'ASC' } })).map(toHold);
  }

  async changePolicy(category: PiiCategory, dto: ChangeRetentionPolicyDto, ctx: CommandContext): Promise<RetentionPolicy> {
    const current = await this.dataSource.getRepository(RetentionPolicyRow).findOneBy({ category });
    if (!current) throw new NotFoundError('unknown_category', `No retention policy for ${category}`, [{ field: 'category', rule: 'PRV-01', message: 'unknown category' }]);
    const policy: RetentionPolicy = {
      category,
      legalBasis: dto.legalBasis,
      anchor: dto.anchor,
      service: dto.service ?? null,
      activePeriod: dto.activePeriod,
      extendWhileUnpaidDebt: dto.extendWhileUnpaidDebt,
      rule: current.rule,
      description: dto.description,
    };
    await this.repository.execute(retentionRulesDecider, retentionPolicyStream(category), { type: 'ChangeRetentionPolicy', policy }, ctx, this.clock.now());
    return policy;
  }

  async changeLegalHold(kind: string, dto: ChangeLegalHoldDto, ctx: CommandContext): Promise<LegalHoldRule> {
    const current = await this.dataSource.getRepository(LegalHoldRuleRow).findOneBy({ kind });
    if (!current) throw new NotFoundError('unknown_legal_hold', `No legal hold rule ${kind}`, [{ field: 'kind', message: 'unknown legal hold kind' }]);
    const hold: LegalHoldRule = { kind, period: dto.period, categories: dto.categories, rule: current.rule, description: dto.description };
    await this.repository.execute(retentionRulesDecider, legalHoldStream(kind), { type: 'ChangeLegalHoldRule', hold }, ctx, this.clock.now());
    return hold;
  }

  // ---- reading -----------------------------------------------------------------------------------

  /** The subject's clocks at `now`, computed from its file and the current policies (read-after-write). */
  async retention(subjectId: string): Promise<SubjectRetention> {
    const state = await this.requireSubject(subjectId);
    const rules = await loadRetentionRules(this.dataSource.manager);
    const now = this.clock.now();
    return {
      subjectId,
      asOf: now.toISOString(),
      categories: rules.policies
        .sort((a, b) => PII_CATEGORIES.indexOf(a.category) - PII_CATEGORIES.indexOf(b.category))
        .map((policy) => {
          const r = categoryRetention(policy, rules.holds, state);
          const restriction = state.restricted[policy.category];
          return {
            category: policy.category,
            rule: policy.rule,
            phase: phaseAt(r, now),
            anchorAt: r.anchorAt,
            activeUntil: r.activeUntil,
            holdUntil: r.holdUntil,
            debtOpen: r.debtOpen,
            purgeAt: r.purgeAt,
            purgedAt: r.purgedAt,
            restricted: !!restriction,
            restrictionReason: restriction?.reason ?? null,
          };
        }),
    };
  }

  /**
   * The purges due by `until` (default: now) and not carried out yet, the oldest first: the
   * operator's work list of PRV-02/PRV-03 across every subject (a future `until` shows what is
   * coming). Read from the retention read model; the scheduler carries them out at `purgeAt`.
   */
  async purgesDue(filter: { until?: string | null; category?: string | null; limit?: number | null; offset?: number | null }): Promise<PurgesDue> {
    const now = this.clock.now();
    let until = now;
    if (filter.until !== undefined && filter.until !== null) {
      const problem = instantProblem(filter.until);
      if (problem) {
        throw new ValidationError('invalid_date', `until ${problem}`, [{ field: 'until', message: problem, rule: 'PRV-02' }]);
      }
      until = dateOfInstant(filter.until);
    }
    const category = filter.category ?? null;
    if (category !== null && !(PII_CATEGORIES as readonly string[]).includes(category)) {
      throw new ValidationError('unknown_category', `No personal-data category ${category}`, [{ field: 'category', message: `one of ${PII_CATEGORIES.join(', ')}`, rule: 'PRV-01' }]);
    }
    const { limit, offset } = pageOf(filter);
    const where = `purge_at IS NOT NULL AND purged_at IS NULL AND purge_at <= $1 AND ($2::text IS NULL OR category = $2)`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM privacy_retention WHERE ${where}`, [until, category]);
    const rows: Array<{ subject_id: string; category: PiiCategory; purge_at: Date; anchor_at: Date | null; hold_until: Date | null; restricted: boolean }> = await this.dataSource.query(
      `SELECT subject_id, category, purge_at, anchor_at, hold_until, restricted FROM privacy_retention WHERE ${where}
        ORDER BY purge_at, subject_id, category LIMIT $3 OFFSET $4`,
      [until, category, limit, offset],
    );
    return {
      asOf: now.toISOString(),
      until: until.toISOString(),
      total,
      limit,
      offset,
      purges: rows.map((r) => ({
        subjectId: r.subject_id,
        category: r.category,
        purgeAt: r.purge_at.toISOString(),
        overdue: r.purge_at.getTime() <= now.getTime(),
        anchorAt: r.anchor_at?.toISOString() ?? null,
        holdUntil: r.hold_until?.toISOString() ?? null,
        restricted: r.restricted,
      })),
    };
  }

  /** The categories out of normal use (archived or restricted) for a subject at `now`. */
  async outOfUse(subjectId: string, now = this.clock.now()): Promise<PiiCategory[]> {
    const { state } = await this.repository.load(dataSubjectDecider, dataSubjectStream(subjectId));
    return archivedCategories(state, await loadRetentionRules(this.dataSource.manager), now);
  }

  /** Daily view of a subject's data: archived and restricted categories are masked (PRV-02, PRV-04). */
  async subjectView(subjectId: string): Promise<{ subjectId: string; masked: PiiCategory[]; data: SubjectData }> {
    const now = this.clock.now();
    const masked = await this.outOfUse(subjectId, now);
    return { subjectId, masked, data: await this.subjectData.collect(subjectId, now, { mask: masked }) };
  }

  /**
   * The restricted archive (CNIL intermediate archive, PRV-02): admin or auditor only, with a
   * reason (X-Reason); each read is recorded as ArchivedDataAccessed before the data is returned.
   */
  async readArchive(subjectId: string, categories: PiiCategory[] | undefined, ctx: CommandContext) {
    if (!ctx.reason?.trim()) {
      throw new ValidationError('reason_required', 'Reading the restricted archive requires a reason in the X-Reason header', [
        { field: 'X-Reason', rule: 'PRV-02', message: 'state why the archive is consulted (payment, guarantee, dispute…)' },
      ]);
    }
    await this.requireSubject(subjectId);
    const now = this.clock.now();
    const rules = await loadRetentionRules(this.dataSource.manager);
    const { state } = await this.repository.load(dataSubjectDecider, dataSubjectStream(subjectId));
    const wanted = categories ?? archivedCategories(state, rules, now);
    if (wanted.length === 0) {
      throw new NotFoundError('no_archived_data', `Nothing of ${subjectId} is in the restricted archive`, [{ field: 'categories', rule: 'PRV-02', message: 'no archived or restricted category' }]);
    }
    await this.execute(subjectId, { type: 'RecordArchiveAccess', subjectId, categories: wanted, reason: ctx.reason, actor: ctx.actor, requestId: null, ...rules }, ctx, now);
    return { subjectId, categories: wanted, reason: ctx.reason.trim(), accessedBy: ctx.actor, data: await this.subjectData.collect(subjectId, now, { only: wanted }) };
  }

  // ---- purge, erasure, restriction ---------------------------------------------------------------

  /** Due-action handler of `privacy.purge`: the action's command id makes a rerun write nothing twice. */
  async purgeDue(action: DueAction): Promise<void> {
    const { subjectId, category } = action.payload as { subjectId: string; category: PiiCategory };
    const rules = await loadRetentionRules(this.dataSource.manager);
    const ctx: CommandContext = {
      actor: { id: 'privacy-retention', role: 'system' },
      correlationId: action.commandId,
      causationId: null,
      commandId: action.commandId,
      reason: `retention period of ${category} ended`,
    };
    const result = await this.execute(subjectId, { type: 'PurgeForRetention', subjectId, categories: [category], ...rules }, ctx, this.clock.now());
    await this.applyPurges(subjectId, result.events as unknown as DataSubjectEvent[]);
  }

  /**
   * PRV-04 erasure: erased now, or restricted until the legal hold ends (then purged by the
   * scheduler). Decided in the request's fulfilment and appended with it; `purge` destroys the keys
   * once that is appended (idempotent: a replay of the fulfilment runs it again).
   */
  async erase(command: MultiStreamCommand, subjectId: string, requestId: string, categories: PiiCategory[], ctx: CommandContext): Promise<ErasureOutcome & { purge: () => Promise<void> }> {
    const rules = await loadRetentionRules(this.dataSource.manager);
    const decided = await command.decide(
      dataSubjectDecider,
      dataSubjectStream(subjectId),
      { type: 'EraseOnRequest', subjectId, requestId, categories, ...rules },
      causedBy(ctx, deterministicId(ctx.commandId, 'erase', subjectId)),
    );
    const events = decided.events as unknown as DataSubjectEvent[];
    const outcome: ErasureOutcome & { purge: () => Promise<void> } = { erased: [], restricted: [], purge: () => this.applyPurges(subjectId, events) };
    for (const e of events) {
      if (e.type === 'PersonalDataPurged') outcome.erased.push(...e.data.categories);
      if (e.type === 'PersonalDataErasureDeferred') outcome.restricted.push({ category: e.data.category, until: e.data.until, reason: e.data.reason, rule: e.data.rule });
    }
    return outcome;
  }

  /** PRV-04 restriction, decided in the request's fulfilment (appended with it). */
  async restrict(command: MultiStreamCommand, subjectId: string, requestId: string | null, categories: PiiCategory[], reason: string, ctx: CommandContext): Promise<PiiCategory[]> {
    const result = await command.decide(
      dataSubjectDecider,
      dataSubjectStream(subjectId),
      { type: 'RestrictProcessing', subjectId, requestId, categories, reason },
      causedBy(ctx, deterministicId(ctx.commandId, 'restrict', subjectId)),
    );
    return result.state.restricted ? (Object.keys(result.state.restricted) as PiiCategory[]) : [];
  }

  async liftRestriction(subjectId: string, categories: PiiCategory[], reason: string, ctx: CommandContext): Promise<PiiCategory[]> {
    await this.requireSubject(subjectId);
    const result = await this.execute(subjectId, { type: 'LiftRestriction', subjectId, categories, reason }, ctx, this.clock.now());
    return Object.keys(result.state.restricted) as PiiCategory[];
  }

  /** PRV-04 rectification, decided in the request's fulfilment (appended with it). */
  async recordRectification(command: MultiStreamCommand, subjectId: string, requestId: string, corrections: Rectification[], ctx: CommandContext): Promise<void> {
    await command.decide(
      dataSubjectDecider,
      dataSubjectStream(subjectId),
      { type: 'RecordRectification', subjectId, requestId, corrections },
      causedBy(ctx, deterministicId(ctx.commandId, 'rectify', subjectId)),
    );
  }

  /**
   * An access/portability export answering a request includes archived data (the right of access
   * covers it, PRV-04); that read of the archive is recorded, the request being its reason.
   */
  async recordArchiveReadForRequest(subjectId: string, requestId: string, categories: PiiCategory[], ctx: CommandContext): Promise<void> {
    const rules = await loadRetentionRules(this.dataSource.manager);
    await this.execute(
      subjectId,
      { type: 'RecordArchiveAccess', subjectId, categories, reason: `data-subject request ${requestId} (PRV-04)`, actor: ctx.actor, requestId, ...rules },
      ctx,
      this.clock.now(),
    );
  }

  /**
   * The effects of PersonalDataPurged: destroy the keys (every copy in events, replays, exports
   * becomes unreadable; the hash chain covers ciphertext and still verifies), then redact the clear
   * copies in read models. Both are idempotent, so a retried purge simply runs them again.
   */
  private async applyPurges(subjectId: string, events: DataSubjectEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== 'PersonalDataPurged') continue;
      await this.vault.shred(subjectId, event.data.categories);
      await this.dataSource.transaction(async (tx) => {
        for (const [, redact] of this.registry.redactors()) await redact(subjectId, event.data.categories, tx);
      });
    }
  }

  private async requireSubject(subjectId: string): Promise<DataSubjectState> {
    const { state, revision } = await this.repository.load(dataSubjectDecider, dataSubjectStream(subjectId));
    if (revision < 0) throw new NotFoundError('subject_not_found', `No personal-data file for ${subjectId}`, [{ field: 'subjectId', message: 'unknown data subject' }]);
    return state;
  }

  private execute(subjectId: string, command: DataSubjectCommand, ctx: CommandContext, now: Date) {
    return this.repository.execute(dataSubjectDecider, dataSubjectStream(subjectId), command, ctx, now);
  }
}

export interface PurgesDue {
  asOf: string;
  until: string;
  /** Every purge due by `until`; `purges` lists `limit` of them from `offset`. */
  total: number;
  limit: number;
  offset: number;
  purges: Array<{ subjectId: string; category: PiiCategory; purgeAt: string; overdue: boolean; anchorAt: string | null; holdUntil: string | null; restricted: boolean }>;
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock, Money, ValidationError, deterministicId, yearMonthProblem } from '@oksio/kernel';
import { EVENT_STORE, type EventStore } from '@oksio/event-store';
import { type CommandContext, EventSourcedRepository, type Paging, pageOf } from '@oksio/platform';
import { type CdrBatchImportedData, type LineMonthTotal, cdrBatchDecider, cdrBatchStream } from './cdr-batch.decider';
import { type Cdr, type CdrFormat, type CdrRecord, checkCdr, parseCdrDocument } from './domain/cdr-parsing';
import { type CallToRate, type RatedCall, type RatingConfig, type SipPlan, VGA_PLAN, type VgaCallToRate, type VgaOutcome, parseSipPlan, rateLineMonth, rateVgaLineMonth } from './domain/charging';
import type { AllowanceCategory, RejectionReason } from './domain/destinations';
import { type PricedCdr, priceCdr, priceVgaCdr } from './domain/pipeline';
import { type RateCatalogue, parisDate } from './domain/rate-table';
import type { VgaSpecialRateCatalogue } from './domain/vga-numbers';
import { RatedCallRow, RejectedCdrRow, type SipLineRow } from './rating.entities';
import { planOn } from './sip-lines.projection';

export const SIP_RATES = Symbol('SIP_RATES');
export const VGA_SPECIAL_RATES = Symbol('VGA_SPECIAL_RATES');
export const RATING_CONFIG = Symbol('RATING_CONFIG');

/** Records per import: larger files are split by the sender (keeps one import in one transaction). */
export const MAX_CDRS_PER_IMPORT = 100_000;
/** Rejections listed in the import answer; all of them are stored (GET /billing/rejected-cdrs). */
const LISTED_REJECTIONS = 200;

export interface Rejection {
  recordNo: number;
  callId: string | null;
  subscriptionId: string | null;
  lineId: string | null;
  reason: RejectionReason;
  detail: string;
  raw: string;
}

export interface ImportSummary extends CdrBatchImportedData {
  /** True when this command id had already been imported: nothing was done again. */
  replayed: boolean;
  /** The first rejections (all are stored). */
  rejections: Array<Omit<Rejection, 'raw'>>;
}

export interface RatedCallsView {
  subscriptionId: string;
  lineId: string | null;
  month: string;
  /** One page of the month's calls (by line, start, call id). */
  calls: RatedCallRow[];
  /** Calls of the month in all (every page). */
  count: number;
  limit: number;
  offset: number;
  /** Exact sum of the amounts of every call of the month (not only of this page), EUR HT. */
  total: string;
}

type Candidate = PricedCdr & { recordNo: number; raw: string };
/** A rated call of either service, as the rated-calls table stores it. */
type LineMonthRating = Omit<RatedCall, 'outcome'> & { outcome: RatedCall['outcome'] | VgaOutcome; plan: string; pricePerCall: string };

function checkMonth(month: string): void {
  const problem = yearMonthProblem(month);
  if (problem) {
    throw new ValidationError('invalid_month', `month ${problem}`, [{ field: 'month', message: problem, rule: 'BIL-09' }]);
  }
}

const key = (subscriptionId: string, lineId: string) => `${subscriptionId}\u001f${lineId}`;

/**
 * Call rating application service (BIL-07, BIL-09 SIP, BIL-10 VGA): imports CDRs, rates each affected
 * line-month as a whole, records the batch as one `CdrBatchImported` event, and answers rated calls
 * and totals.
 * Shared by REST, GraphQL and the Billing context (consumption on invoices).
 */
@Injectable()
export class RatingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: EventSourcedRepository,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SIP_RATES) private readonly catalogue: RateCatalogue,
    @Inject(VGA_SPECIAL_RATES) private readonly vgaSpecials: VgaSpecialRateCatalogue,
    @Inject(RATING_CONFIG) private readonly config: RatingConfig,
  ) {}

  async importCdrs(format: CdrFormat, content: unknown, ctx: CommandContext): Promise<ImportSummary> {
    if (format !== 'csv' && format !== 'json') {
      throw new ValidationError('invalid_cdr_format', `format "${String(format)}" is neither csv nor json`, [{ field: 'format', message: 'csv or json' }]);
    }
    const earlier = await this.store.commandResult?.(ctx.commandId);
    const earlierBatch = earlier?.events.find((e) => e.type === 'CdrBatchImported');
    if (earlierBatch) return { ...(earlierBatch.data as CdrBatchImportedData), replayed: true, rejections: [] };

    const records = parseCdrDocument(format, content);
    if (records.length === 0) throw new ValidationError('empty_cdr_document', 'the document holds no CDR', [{ field: 'content', message: 'no CDR' }]);
    if (records.length > MAX_CDRS_PER_IMPORT) {
      throw new ValidationError('cdr_document_too_large', `${records.length} CDRs; at most ${MAX_CDRS_PER_IMPORT} per import`, [{ field: 'content', message: 'too many CDRs' }]);
    }
    const now = this.clock.now();
    const importId = deterministicId('cdr-import', ctx.commandId);

    return this.dataSource.transaction(async (tx) => {
      const { candidates, rejections } = await this.screen(records, tx);
      const accepted = await this.insertAccepted(candidates, importId, now, tx, rejections);
      await this.insertRejections(rejections, importId, now, tx);
      const lineMonths = await this.rerate([...new Set(accepted.map((c) => `${key(c.subscriptionId, c.lineId)}\u001f${c.billingMonth}`))], now, tx);
      const rejectedByReason: Record<string, number> = {};
      for (const r of rejections) rejectedByReason[r.reason] = (rejectedByReason[r.reason] ?? 0) + 1;
      const batch: CdrBatchImportedData = {
        importId,
        format,
        received: records.length,
        accepted: accepted.length,
        rejected: rejections.length,
        rejectedByReason,
        rateYears: [...new Set(accepted.map((c) => c.rateYear))].sort(),
        lineMonths,
      };
      // Appended before the rows commit: if the append fails, the rows roll back with it.
      await this.repository.execute(cdrBatchDecider, cdrBatchStream(importId), { type: 'RecordCdrBatch', batch }, ctx, now);
      return {
        ...batch,
        replayed: false,
        rejections: rejections
          .sort((a, b) => a.recordNo - b.recordNo)
          .slice(0, LISTED_REJECTIONS)
          .map(({ raw: _raw, ...r }) => r),
      };
    });
  }

  /** Every record becomes a candidate or a rejection with its reason. */
  private async screen(records: CdrRecord[], tx: EntityManager): Promise<{ candidates: Candidate[]; rejections: Rejection[] }> {
    const rejections: Rejection[] = [];
    const firstSeen = new Map<string, number>();
    const checked: Array<{ record: CdrRecord; cdr: Cdr }> = [];
    for (const record of records) {
      const check = checkCdr(record);
      if (!check.ok) {
        rejections.push({ recordNo: record.recordNo, callId: check.callId, subscriptionId: check.subscriptionId, lineId: check.lineId, reason: check.reason, detail: check.detail, raw: record.raw });
        continue;
      }
      const earlier = firstSeen.get(check.cdr.callId);
      if (earlier !== undefined) {
        rejections.push({ ...this.ids(check.cdr), recordNo: record.recordNo, reason: 'duplicate', detail: `call id already in record ${earlier} of this import`, raw: record.raw });
        continue;
      }
      firstSeen.set(check.cdr.callId, record.recordNo);
      checked.push({ record, cdr: check.cdr });
    }

    const known = new Set(
      (await tx.query<Array<{ call_id: string }>>('SELECT call_id FROM rating_cdrs WHERE call_id = ANY($1::text[])', [checked.map((c) => c.cdr.callId)])).map((r) => r.call_id),
    );
    const lines = await this.loadLines(checked.map((c) => c.cdr), tx);
    const candidates: Candidate[] = [];
    for (const { record, cdr } of checked) {
      const reject = (reason: RejectionReason, detail: string) => rejections.push({ ...this.ids(cdr), recordNo: record.recordNo, reason, detail, raw: record.raw });
      if (known.has(cdr.callId)) {
        reject('duplicate', 'call id already imported');
        continue;
      }
      const line = lines.get(key(cdr.subscriptionId, cdr.lineId));
      // Only a known VGA line changes how a number is priced; an unknown line keeps the SIP path, so
      // its rejection reason stays what it was before VGA lines were rated.
      const priced = line?.service === 'FIXED_VGA' ? priceVgaCdr(cdr, this.catalogue, this.vgaSpecials) : priceCdr(cdr, this.catalogue);
      if (!priced.ok) {
        reject(priced.reason, priced.detail);
        continue;
      }
      const day = priced.value.callDate;
      if (!line) reject('unknown_line', `no FIXED_SIP or FIXED_VGA line ${cdr.lineId} in subscription ${cdr.subscriptionId}`);
      else if (line.cancelled) reject('line_not_active', 'the order of this line was refused or cancelled');
      else if (!line.activatedOn || day < line.activatedOn) reject('line_not_active', line.activatedOn ? `the line's service starts on ${line.activatedOn}` : 'the line is not activated');
      else if (line.endsOn && day > line.endsOn) reject('line_not_active', `the line ended on ${line.endsOn}`);
      else if (line.service === 'FIXED_SIP' && !parseSipPlan(planOn(line.plans, day))) reject('no_sip_plan', `the line has no SIP plan (SIP_OK, SIP_OK_PLUS, SIP_OKSIO) on ${day}`);
      else candidates.push({ ...priced.value, recordNo: record.recordNo, raw: record.raw });
    }
    return { candidates, rejections };
  }

  private ids(cdr: { callId: string; subscriptionId: string; lineId: string }) {
    return { callId: cdr.callId, subscriptionId: cdr.subscriptionId, lineId: cdr.lineId };
  }

  private async loadLines(cdrs: Array<{ subscriptionId: string; lineId: string }>, tx: EntityManager): Promise<Map<string, SipLineRow>> {
    const pairs = [...new Map(cdrs.map((c) => [key(c.subscriptionId, c.lineId), c])).values()];
    const rows = await tx.query<Array<Record<string, any>>>(
      `SELECT l.subscription_id, l.line_id, l.service, l.plans, l.simultaneous_lines, to_char(l.activated_on, 'YYYY-MM-DD') AS activated_on,
              to_char(l.ends_on, 'YYYY-MM-DD') AS ends_on, l.cancelled
         FROM rating_sip_lines l JOIN unnest($1::text[], $2::text[]) AS k(s, l) ON l.subscription_id = k.s AND l.line_id = k.l`,
      [pairs.map((p) => p.subscriptionId), pairs.map((p) => p.lineId)],
    );
    return new Map(
      rows.map((r) => [
        key(r.subscription_id, r.line_id),
        { subscriptionId: r.subscription_id, lineId: r.line_id, service: r.service, plans: r.plans, simultaneousLines: r.simultaneous_lines, activatedOn: r.activated_on, endsOn: r.ends_on, cancelled: r.cancelled } as SipLineRow,
      ]),
    );
  }

  /** Inserts the candidates; a call id another import committed meanwhile becomes a duplicate rejection. */
  private async insertAccepted(candidates: Candidate[], importId: string, now: Date, tx: EntityManager, rejections: Rejection[]): Promise<Candidate[]> {
    if (candidates.length === 0) return [];
    const col = <T>(f: (c: Candidate) => T) => candidates.map(f);
    const inserted = await tx.query<Array<{ call_id: string }>>(
      `INSERT INTO rating_cdrs (call_id, import_id, subscription_id, line_id, caller, called, called_e164, started_at, duration_seconds,
                                billing_month, destination, price_per_minute, rate_year, allowance_category, non_geographic, imported_at,
                                price_per_call, tariff)
       SELECT u.call_id, $1, u.subscription_id, u.line_id, u.caller, u.called, u.called_e164, u.started_at, u.duration_seconds,
              u.billing_month, u.destination, u.price_per_minute, u.rate_year, u.allowance_category, u.non_geographic, $2,
              u.price_per_call, u.tariff
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::int[], $11::text[],
                     $12::text[], $13::numeric[], $14::int[], $15::text[], $16::boolean[], $17::numeric[], $18::text[])
           AS u(call_id, subscription_id, line_id, caller, called, called_e164, started_at, duration_seconds, billing_month,
                destination, price_per_minute, rate_year, allowance_category, non_geographic, price_per_call, tariff)
       ON CONFLICT (call_id) DO NOTHING
       RETURNING call_id`,
      [
        importId,
        now,
        col((c) => c.callId),
        col((c) => c.subscriptionId),
        col((c) => c.lineId),
        col((c) => c.caller),
        col((c) => c.called),
        col((c) => c.calledE164),
        col((c) => c.startedAt.toISOString()),
        col((c) => c.durationSeconds),
        col((c) => c.billingMonth),
        col((c) => c.destination),
        col((c) => c.pricePerMinute),
        col((c) => c.rateYear),
        col((c) => c.allowanceCategory),
        col((c) => c.nonGeographic),
        col((c) => c.pricePerCall),
        col((c) => c.tariff),
      ],
    );
    const done = new Set(inserted.map((r) => r.call_id));
    for (const c of candidates) {
      if (!done.has(c.callId)) rejections.push({ ...this.ids(c), recordNo: c.recordNo, reason: 'duplicate', detail: 'call id imported concurrently by another import', raw: c.raw });
    }
    return candidates.filter((c) => done.has(c.callId));
  }

  private async insertRejections(rejections: Rejection[], importId: string, now: Date, tx: EntityManager): Promise<void> {
    if (rejections.length === 0) return;
    const col = <T>(f: (r: Rejection) => T) => rejections.map(f);
    await tx.query(
      `INSERT INTO rating_rejected_cdrs (import_id, record_no, call_id, subscription_id, line_id, reason, detail, raw, rejected_at)
       SELECT $1, u.record_no, u.call_id, u.subscription_id, u.line_id, u.reason, u.detail, u.raw, $2
         FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS u(record_no, call_id, subscription_id, line_id, reason, detail, raw)`,
      [importId, now, col((r) => r.recordNo), col((r) => r.callId), col((r) => r.subscriptionId), col((r) => r.lineId), col((r) => r.reason), col((r) => r.detail), col((r) => r.raw)],
    );
  }

  /**
   * Re-rates whole line-months: the allowance of a month depends on all its calls in start order,
   * so a late CDR changes the month's result, never only its own line. (A VGA line has no allowance;
   * its months go the same way so that both services share one path and one table.) Line-months are
   * locked (in hash order, so concurrent imports cannot deadlock) until the transaction ends.
   */
  private async rerate(lineMonths: string[], now: Date, tx: EntityManager): Promise<LineMonthTotal[]> {
    if (lineMonths.length === 0) return [];
    await tx.query(`SELECT pg_advisory_xact_lock(7302, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY 1) s`, [lineMonths]);
    const parts = lineMonths.map((lm) => lm.split('\u001f'));
    const cdrs = await tx.query<Array<Record<string, any>>>(
      `SELECT c.call_id, c.subscription_id, c.line_id, c.billing_month, c.called, c.called_e164, c.started_at, c.duration_seconds,
              c.destination, c.price_per_minute::text AS price_per_minute, c.allowance_category, c.non_geographic,
              c.price_per_call::text AS price_per_call, c.tariff
         FROM rating_cdrs c JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(s, l, m)
           ON c.subscription_id = k.s AND c.line_id = k.l AND c.billing_month = k.m`,
      [parts.map((p) => p[0]), parts.map((p) => p[1]), parts.map((p) => p[2])],
    );
    const lines = await this.loadLines(parts.map(([subscriptionId, lineId]) => ({ subscriptionId, lineId })), tx);
    const groups = new Map<string, Array<Record<string, any>>>();
    for (const c of cdrs) {
      const k = `${key(c.subscription_id, c.line_id)}\u001f${c.billing_month}`;
      (groups.get(k) ?? groups.set(k, []).get(k)!).push(c);
    }
    const rows: RatedCallRow[] = [];
    const totals: LineMonthTotal[] = [];
    for (const [k, group] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [subscriptionId, lineId, billingMonth] = k.split('\u001f');
      const line = lines.get(key(subscriptionId, lineId));
      const byId = new Map(group.map((c) => [c.call_id as string, c]));
      const rated = line?.service === 'FIXED_VGA' ? this.rateVga(group) : this.rateSip(group, line);
      for (const r of rated) {
        const c = byId.get(r.callId)!;
        rows.push({
          callId: r.callId,
          subscriptionId,
          lineId,
          billingMonth,
          startedAt: new Date(c.started_at),
          called: c.called,
          destination: c.destination,
          plan: r.plan,
          durationSeconds: r.durationSeconds,
          includedSeconds: r.includedSeconds,
          billedSeconds: r.billedSeconds,
          pricePerMinute: r.pricePerMinute,
          pricePerCall: r.pricePerCall,
          amount: r.amount.toExactString(),
          outcome: r.outcome,
          distinctNumberRank: r.distinctNumberRank,
          ratedAt: now,
        });
      }
      totals.push({
        subscriptionId,
        lineId,
        billingMonth,
        calls: rated.length,
        billedSeconds: rated.reduce((s, r) => s + r.billedSeconds, 0),
        amount: Money.sum(rated.map((r) => r.amount)).toExactString(),
      });
    }
    await tx.query(
      `DELETE FROM rating_rated_calls r USING unnest($1::text[], $2::text[], $3::text[]) AS k(s, l, m)
        WHERE r.subscription_id = k.s AND r.line_id = k.l AND r.billing_month = k.m`,
      [parts.map((p) => p[0]), parts.map((p) => p[1]), parts.map((p) => p[2])],
    );
    const col = <T>(f: (r: RatedCallRow) => T) => rows.map(f);
    await tx.query(
      `INSERT INTO rating_rated_calls (call_id, subscription_id, line_id, billing_month, started_at, called, destination, plan, duration_seconds,
                                       included_seconds, billed_seconds, price_per_minute, amount, outcome, distinct_number_rank, price_per_call, rated_at)
       SELECT u.*, $1 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::int[],
                                  $11::int[], $12::int[], $13::numeric[], $14::numeric[], $15::text[], $16::int[], $17::numeric[])
           AS u(call_id, subscription_id, line_id, billing_month, started_at, called, destination, plan, duration_seconds,
                included_seconds, billed_seconds, price_per_minute, amount, outcome, distinct_number_rank, price_per_call)`,
      [
        now,
        col((r) => r.callId),
        col((r) => r.subscriptionId),
        col((r) => r.lineId),
        col((r) => r.billingMonth),
        col((r) => r.startedAt.toISOString()),
        col((r) => r.called),
        col((r) => r.destination),
        col((r) => r.plan),
        col((r) => r.durationSeconds),
        col((r) => r.includedSeconds),
        col((r) => r.billedSeconds),
        col((r) => r.pricePerMinute),
        col((r) => r.amount),
        col((r) => r.outcome),
        col((r) => r.distinctNumberRank),
        col((r) => r.pricePerCall),
      ],
    );
    return totals;
  }

  /** BIL-09: a SIP line-month, with the line's plan in force on each call's date. */
  private rateSip(group: Array<Record<string, any>>, line: SipLineRow | undefined): LineMonthRating[] {
    const calls: CallToRate[] = group.map((c) => {
      const startedAt = new Date(c.started_at);
      // A plan that is no longer a SIP plan (a later migration) bills everything, like SIP_OK.
      const plan: SipPlan = parseSipPlan(line ? planOn(line.plans, parisDate(startedAt)) : null) ?? 'SIP_OK';
      return {
        callId: c.call_id,
        startedAt,
        durationSeconds: c.duration_seconds,
        calledE164: c.called_e164,
        destination: c.destination,
        pricePerMinute: c.price_per_minute,
        allowanceCategory: c.allowance_category as AllowanceCategory | null,
        nonGeographic: c.non_geographic,
        plan,
      };
    });
    const planOf = new Map(calls.map((c) => [c.callId, c.plan]));
    return rateLineMonth(calls, line?.simultaneousLines ?? 1, this.config).map((r) => ({ ...r, plan: planOf.get(r.callId)!, pricePerCall: '0' }));
  }

  /** BIL-10: a FIXED_VGA line-month, every call billed at the price it was accepted with. */
  private rateVga(group: Array<Record<string, any>>): LineMonthRating[] {
    const calls: VgaCallToRate[] = group.map((c) => ({
      callId: c.call_id,
      startedAt: new Date(c.started_at),
      durationSeconds: c.duration_seconds,
      pricePerMinute: c.price_per_minute,
      pricePerCall: c.price_per_call,
      emergency: c.tariff === 'emergency',
    }));
    return rateVgaLineMonth(calls, this.config).map((r) => ({ ...r, plan: VGA_PLAN }));
  }

  /** The rated calls of a subscription's billing month (all its lines, or one). */
  async ratedCalls(scope: { subscriptionId: string; lineId?: string | null }, month: string, page: Paging): Promise<RatedCallsView> {
    checkMonth(month);
    const qb = this.dataSource
      .getRepository(RatedCallRow)
      .createQueryBuilder('r')
      .where('r.subscription_id = :s AND r.billing_month = :m', { s: scope.subscriptionId, m: month });
    if (scope.lineId) qb.andWhere('r.line_id = :l', { l: scope.lineId });
    // The month's count and exact total in the database: a month can hold 100,000 calls, a page at most PAGE_LIMIT_MAX.
    const totals = await qb.clone().select('count(*)::int', 'count').addSelect('coalesce(sum(r.amount), 0)::text', 'total').getRawOne<{ count: number; total: string }>();
    const calls = await qb.orderBy('r.line_id').addOrderBy('r.started_at').addOrderBy('r.call_id').limit(page.limit).offset(page.offset).getMany();
    return {
      subscriptionId: scope.subscriptionId,
      lineId: scope.lineId ?? null,
      month,
      calls,
      count: totals?.count ?? 0,
      limit: page.limit,
      offset: page.offset,
      total: Money.eur(totals?.total ?? '0').toExactString(),
    };
  }

  /** BIL-07 / BIL-09: the exact consumption (EUR HT) of a subscription's billing month, for its invoice. */
  async consumptionTotal(subscriptionId: string, month: string): Promise<Money> {
    checkMonth(month);
    const [row] = await this.dataSource.query<Array<{ total: string | null }>>(
      'SELECT sum(amount)::text AS total FROM rating_rated_calls WHERE subscription_id = $1 AND billing_month = $2',
      [subscriptionId, month],
    );
    return row?.total ? Money.eur(row.total) : Money.zero();
  }

  async rejectedCdrs(filter: { importId?: string | null; subscriptionId?: string | null; reason?: string | null; limit?: number | null; offset?: number | null }): Promise<RejectedCdrRow[]> {
    const page = pageOf(filter);
    const qb = this.dataSource.getRepository(RejectedCdrRow).createQueryBuilder('r');
    if (filter.importId) qb.andWhere('r.import_id = :i', { i: filter.importId });
    if (filter.subscriptionId) qb.andWhere('r.subscription_id = :s', { s: filter.subscriptionId });
    if (filter.reason) qb.andWhere('r.reason = :reason', { reason: filter.reason });
    return qb
      .orderBy('r.rejected_at', 'DESC')
      .addOrderBy('r.record_no', 'ASC')
      .addOrderBy('r.rejection_id', 'ASC')
      .limit(page.limit)
      .offset(page.offset)
      .getMany();
  }
}

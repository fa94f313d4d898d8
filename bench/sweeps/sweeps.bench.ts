import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { Scheduler, createDataSource } from '@oksio/platform';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';
import type { BenchCluster } from '../lib/database';
import type { BenchSettings } from '../lib/settings';
import { fmt, median, table } from '../lib/stats';

/** The day of the sweep: `due` rows are due that morning, the scheduler ticks at noon. */
const SWEEP_NOW = new Date('2031-02-01T12:00:00Z');
const SWEEP_DAY = '2031-02-01T00:00:00Z';
/** Table-size ratio 10 should cost at most this much more per sweep. */
export const SWEEP_GOAL_MAX_RATIO = 2;

export interface SweepSizeResult {
  rows: number;
  pendingRows: number;
  tableSize: string;
  tickMs: { median: number; all: number[] };
  claimMs: { median: number; all: number[] };
  explainExecutionMs: number;
  usesPartialIndex: boolean;
  plan: string;
}

export interface SweepReport {
  due: number;
  sizes: SweepSizeResult[];
  tickRatio: number;
  claimRatio: number;
  seqScan: { executionMs: number; plan: string };
  text: string;
}

interface CapturedQuery {
  sql: string;
  params: unknown[];
  ms: number;
}

/**
 * Wraps the data source so that the claim statement Scheduler.tick sends (the one with
 * FOR UPDATE SKIP LOCKED) is timed and kept, SQL and parameters, for EXPLAIN: the benchmark
 * measures scheduler.ts's own query, not a copy of it.
 */
function captureClaims(dataSource: DataSource): CapturedQuery[] {
  const captured: CapturedQuery[] = [];
  const create = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (...args: Parameters<DataSource['createQueryRunner']>): QueryRunner => {
    const runner = create(...args);
    const query = runner.query.bind(runner) as (sql: string, params?: unknown[], ...rest: unknown[]) => Promise<unknown>;
    (runner as { query: unknown }).query = async (sql: string, params?: unknown[], ...rest: unknown[]) => {
      const started = performance.now();
      const result = await query(sql, params, ...rest);
      if (/FOR UPDATE SKIP LOCKED/i.test(sql)) captured.push({ sql, params: params ?? [], ms: performance.now() - started });
      return result;
    };
    return runner;
  };
  return captured;
}

/**
 * Rows [from, to) of a realistic due_actions table: 45 % done and 5 % cancelled in the past year,
 * 50 % pending over the next year — none of them due on the sweep day.
 */
async function addBackgroundRows(db: Client, from: number, to: number): Promise<void> {
  const chunk = 250_000;
  for (let start = from; start < to; start += chunk) {
    await db.query(
      `INSERT INTO due_actions (key, kind, aggregate_id, due_at, payload, status, command_id, source, done_at)
       SELECT 'renewal:sub-' || i || ':' || to_char(d, 'YYYY-MM-DD'), 'renewal', 'sub-' || i, d,
              jsonb_build_object('period', i % 12), s, md5('renewal:' || i)::uuid, 'bench',
              CASE WHEN s = 'done' THEN d END
       FROM generate_series($1::int, $2::int) AS i,
       LATERAL (SELECT CASE WHEN i % 20 < 9 THEN 'done' WHEN i % 20 = 9 THEN 'cancelled' ELSE 'pending' END AS s) st,
       LATERAL (SELECT CASE WHEN st.s = 'pending'
                            THEN $3::timestamptz + interval '1 day' + (i % 365) * interval '1 day' + (i % 86400) * interval '1 second'
                            ELSE $3::timestamptz - interval '1 day' - (i % 365) * interval '1 day' - (i % 86400) * interval '1 second'
                       END AS d) dd`,
      [start, Math.min(to, start + chunk) - 1, SWEEP_DAY],
    );
  }
}

async function addDueRows(db: Client, due: number): Promise<string[]> {
  const { rows } = await db.query<{ key: string }>(
    `INSERT INTO due_actions (key, kind, aggregate_id, due_at, status, command_id, source)
     SELECT 'due:sub-' || k, 'renewal', 'due-sub-' || k, $2::timestamptz + k * (interval '12 hours' / $1::int), 'pending',
            md5('due:' || k)::uuid, 'bench'
     FROM generate_series(0, $1::int - 1) AS k
     RETURNING key`,
    [due, SWEEP_DAY],
  );
  return rows.map((r) => r.key);
}

async function resetDue(db: Client, keys: string[]): Promise<void> {
  await db.query(`UPDATE due_actions SET status = 'pending', done_at = NULL, attempts = 0 WHERE key = ANY($1)`, [keys]);
  await db.query('VACUUM due_actions');
}

async function explain(db: Client, claim: CapturedQuery, seqScan = false): Promise<{ plan: string; executionMs: number }> {
  await db.query('BEGIN');
  try {
    if (seqScan) {
      await db.query('SET LOCAL enable_indexscan = off');
      await db.query('SET LOCAL enable_bitmapscan = off');
      await db.query('SET LOCAL enable_indexonlyscan = off');
    }
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${claim.sql}`, claim.params);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN);
    return { plan, executionMs };
  } finally {
    await db.query('ROLLBACK');
  }
}

/**
 * Benchmark 4 — time sweeps. The same `due` rows sit in a table of sizes[0] rows, then of
 * sizes[1] rows (generated with generate_series, then VACUUM ANALYZE). At each size,
 * Scheduler.tick (no-op handler, batch = due) runs `repetitions` times, the due rows being put back
 * to pending between runs; the median tick and the median claim statement are compared.
 */
export async function runSweepsBench(cluster: BenchCluster, settings: BenchSettings, log: (line: string) => void): Promise<SweepReport> {
  const s = settings.sweeps;
  const url = await cluster.createDatabase('sweeps');
  const db = new Client({ connectionString: url });
  await db.connect();
  const dataSource = createDataSource(url, DATABASE_PARTS, 2);
  await dataSource.initialize();
  const captured = captureClaims(dataSource);
  let handled = 0;
  const scheduler = new Scheduler({
    dataSource,
    clock: { now: () => SWEEP_NOW },
    handlers: {
      renewal: async () => {
        handled++;
      },
    },
    batchSize: s.due,
  });
  try {
    const keys = await addDueRows(db, s.due);
    const sizes: SweepSizeResult[] = [];
    let rows = s.due;
    let lastClaim: CapturedQuery | null = null;
    for (const size of s.sizes) {
      const started = Date.now();
      await addBackgroundRows(db, rows, size);
      rows = size;
      await db.query('VACUUM ANALYZE due_actions');
      log(`  due_actions: ${fmt(size)} rows (${s.due} due) generated in ${fmt((Date.now() - started) / 1000)} s`);
      const tickMs: number[] = [];
      const claimMs: number[] = [];
      for (let i = 0; i < s.repetitions + 1; i++) {
        await resetDue(db, keys);
        handled = 0;
        captured.length = 0;
        const t0 = performance.now();
        const result = await scheduler.tick();
        const elapsed = performance.now() - t0;
        if (result.done !== s.due || handled !== s.due) throw new Error(`tick handled ${result.done}/${handled} of ${s.due} due rows`);
        if (captured.length !== 1) throw new Error(`expected one claim statement per tick, saw ${captured.length}`);
        lastClaim = captured[0];
        if (i === 0) continue; // first tick after generation: plan cache and buffers warm-up
        tickMs.push(elapsed);
        claimMs.push(captured[0].ms);
      }
      await resetDue(db, keys);
      const { plan, executionMs } = await explain(db, lastClaim!);
      const pending = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM due_actions WHERE status = 'pending'`)).rows[0].n);
      const tableSize = (await db.query<{ s: string }>(`SELECT pg_size_pretty(pg_total_relation_size('due_actions')) AS s`)).rows[0].s;
      sizes.push({
        rows: size,
        pendingRows: pending,
        tableSize,
        tickMs: { median: median(tickMs), all: tickMs },
        claimMs: { median: median(claimMs), all: claimMs },
        explainExecutionMs: executionMs,
        usesPartialIndex: /due_actions_pending/.test(plan),
        plan,
      });
      log(`  ${fmt(size)} rows: tick ${fmt(median(tickMs))} ms, claim ${fmt(median(claimMs))} ms (median of ${s.repetitions})`);
    }
    const seqScan = await explain(db, lastClaim!, true);
    const [small, large] = sizes;
    const report = {
      due: s.due,
      sizes,
      tickRatio: large.tickMs.median / small.tickMs.median,
      claimRatio: large.claimMs.median / small.claimMs.median,
      seqScan,
    };
    return { ...report, text: formatSweeps(report, settings) };
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}

function formatSweeps(r: Omit<SweepReport, 'text'>, settings: BenchSettings): string {
  const [small, large] = r.sizes;
  const rows = r.sizes.map((x) => [
    fmt(x.rows),
    fmt(x.pendingRows),
    x.tableSize,
    fmt(x.tickMs.median),
    fmt(x.claimMs.median),
    fmt(x.explainExecutionMs, 3),
    x.usesPartialIndex ? 'yes' : 'NO',
  ]);
  const sizeRatio = large.rows / small.rows;
  return [
    `Time sweeps: ${r.due} rows due on ${SWEEP_DAY.slice(0, 10)} among N due_actions rows; Scheduler.tick (no-op handler, batch ${r.due}); ` +
      `median of ${settings.sweeps.repetitions} ticks`,
    table(['rows', 'pending', 'table+indexes', 'tick ms', 'claim ms', 'EXPLAIN exec ms', 'due_actions_pending'], rows),
    `  table ${fmt(sizeRatio, 0)}× larger → tick ${fmt(r.tickRatio, 2)}×, claim ${fmt(r.claimRatio, 2)}× ` +
      `(goal ≤ ${SWEEP_GOAL_MAX_RATIO}×: ${Math.max(r.tickRatio, r.claimRatio) <= SWEEP_GOAL_MAX_RATIO ? 'MET' : 'NOT MET'})`,
    `  without the index (index scans disabled) at ${fmt(large.rows)} rows: ${fmt(r.seqScan.executionMs, 1)} ms`,
    `  EXPLAIN (ANALYZE, BUFFERS) of the claim at ${fmt(large.rows)} rows:`,
    large.plan
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n'),
  ].join('\n');
}

import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { PostgresEventStore } from '@oksio/event-store';
import { ProjectionRunner, createDataSource, createPool } from '@oksio/platform';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';
import { childMain } from '../lib/child';
import { benchBatch } from '../lib/events';
import { DEVELOPMENT_PII_MASTER_KEY } from '@oksio/platform';
import { PiiVault, parseMasterKey } from '@oksio/privacy';
import { generateDomainData } from './domain-data';
import { REBUILD_PROJECTIONS } from './projections';

export type RebuildTask =
  | { task: 'generate'; url: string; events: number; batch: number; writers: number }
  | { task: 'generate-domain'; url: string; subscriptions: number; tickets: number; writers: number }
  | { task: 'rebuild'; url: string; projection: string; pageSize: number; rssSampleMs: number }
  | { task: 'raw-read'; url: string; pageSize: number; rssSampleMs: number };

export interface MemoryTrace {
  startRss: number;
  maxRss: number;
  endRss: number;
  startHeap: number;
  maxHeap: number;
  /** RSS at each tenth of the run (bytes): flat means no growth with the number of events. */
  rssByDecile: number[];
}

export interface RebuildTaskResult {
  task: RebuildTask['task'];
  name: string;
  /** Events of the log covered (a rebuild: read to the head; events/s is over these). */
  events: number;
  /** A rebuild: the events of the projection's types among them (the ones read and applied). */
  applied?: number;
  seconds: number;
  eventsPerSec: number;
  memory?: MemoryTrace;
}

/** Samples RSS and heap on a timer while `work` runs; progress() maps a sample to a tenth. */
async function traced<T>(sampleMs: number, progress: () => number, work: () => Promise<T>): Promise<{ value: T; memory: MemoryTrace }> {
  const first = process.memoryUsage();
  const trace: MemoryTrace = {
    startRss: first.rss,
    maxRss: first.rss,
    endRss: first.rss,
    startHeap: first.heapUsed,
    maxHeap: first.heapUsed,
    rssByDecile: [],
  };
  const sample = () => {
    const m = process.memoryUsage();
    trace.maxRss = Math.max(trace.maxRss, m.rss);
    trace.maxHeap = Math.max(trace.maxHeap, m.heapUsed);
    const decile = Math.min(9, Math.floor(progress() * 10));
    trace.rssByDecile[decile] = Math.max(trace.rssByDecile[decile] ?? 0, m.rss);
  };
  const timer = setInterval(sample, sampleMs);
  try {
    const value = await work();
    sample();
    trace.endRss = process.memoryUsage().rss;
    trace.rssByDecile = Array.from({ length: 10 }, (_, i) => trace.rssByDecile[i] ?? 0);
    return { value, memory: trace };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Fills the store through the port: `writers` concurrent loops, each append = a new stream of
 * `batch` events (expectedRevision no_stream, no commandId).
 */
async function generate(task: Extract<RebuildTask, { task: 'generate' }>): Promise<RebuildTaskResult> {
  const pool = createPool(task.url, task.writers);
  const store = new PostgresEventStore({ pool, connectionString: task.url });
  const appends = Math.ceil(task.events / task.batch);
  let next = 0;
  let written = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: task.writers }, async () => {
        for (let n = next++; n < appends; n = next++) {
          const count = Math.min(task.batch, task.events - n * task.batch);
          await store.append(`sub-${n}`, benchBatch(n, 0, count), { expectedRevision: 'no_stream' });
          written += count;
        }
      }),
    );
  } finally {
    await store.close();
    await pool.end();
  }
  const seconds = (performance.now() - started) / 1000;
  return { task: 'generate', name: 'generate (port, batches)', events: written, seconds, eventsPerSec: written / seconds };
}

/** Real histories (subscriptions, customers, tickets) decided by the deciders, appended through the port. */
async function generateDomain(task: Extract<RebuildTask, { task: 'generate-domain' }>): Promise<RebuildTaskResult> {
  const pool = createPool(task.url, task.writers + 2);
  const store = new PostgresEventStore({ pool, connectionString: task.url });
  const vault = new PiiVault(pool, parseMasterKey(DEVELOPMENT_PII_MASTER_KEY));
  const started = performance.now();
  try {
    const report = await generateDomainData(
      store,
      async (subject, category, value) => (await vault.protect(subject, category, value)) as unknown as Record<string, unknown>,
      { subscriptions: task.subscriptions, tickets: task.tickets, writers: task.writers, now: new Date('2026-11-30T12:00:00Z') },
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      task: 'generate-domain',
      name: `generate (${report.subscriptions.customers} customers, ${report.subscriptions.subscriptions} subscriptions, ${report.tickets} tickets)`,
      events: report.events,
      seconds,
      eventsPerSec: report.events / seconds,
    };
  } finally {
    await store.close();
    await pool.end();
  }
}

/** ProjectionRunner.reset + catchUp of one projection, as the CLI rebuild does. */
async function rebuild(task: Extract<RebuildTask, { task: 'rebuild' }>): Promise<RebuildTaskResult> {
  const definition = REBUILD_PROJECTIONS.find((p) => p.name === task.projection);
  if (!definition) throw new Error(`unknown bench projection ${task.projection}`);
  const pool = createPool(task.url, 4);
  const dataSource = createDataSource(task.url, DATABASE_PARTS, 4);
  await dataSource.initialize();
  const store = new PostgresEventStore({ pool, connectionString: task.url });
  const projection = definition.create();
  const runner = new ProjectionRunner({
    dataSource,
    store,
    connectionString: task.url,
    projections: [projection],
    owner: 'bench',
    batchSize: task.pageSize,
  });
  try {
    for (const sql of definition.setupSql) await dataSource.query(sql);
    // What runner.start() does first (ensureCheckpoints is private; start() would also start the loop).
    await dataSource.query(
      'INSERT INTO projection_checkpoints (name, commit_pos, prepare_pos) VALUES ($1, -1, -1) ON CONFLICT DO NOTHING',
      [projection.name],
    );
    const total = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0].n);
    const ofTypes = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events WHERE type = ANY($1)', [projection.eventTypes])).rows[0].n);
    let applied = 0;
    const started = performance.now();
    const { value: events, memory } = await traced(
      task.rssSampleMs,
      () => applied / ofTypes,
      async () => {
        await runner.reset(projection.name);
        return runner.catchUp(projection.name, (n) => (applied = n));
      },
    );
    const seconds = (performance.now() - started) / 1000;
    // The run read only the projection's types; it covered the whole log when its checkpoint is the head.
    if (events !== ofTypes) throw new Error(`rebuild of ${projection.name} applied ${events} of the ${ofTypes} events of its types`);
    const head = await store.headPosition();
    const [checkpoint] = await dataSource.query('SELECT commit_pos, prepare_pos FROM projection_checkpoints WHERE name = $1', [projection.name]);
    if (BigInt(checkpoint.commit_pos) !== head.commit || BigInt(checkpoint.prepare_pos) !== head.prepare) throw new Error(`rebuild of ${projection.name} stopped before the head`);
    return { task: 'rebuild', name: projection.name, events: total, applied: events, seconds, eventsPerSec: total / seconds, memory };
  } finally {
    await store.close();
    await dataSource.destroy();
    await pool.end();
  }
}

/**
 * The baseline: plain node-postgres, one connection, keyset pagination in (tx_id, global_position)
 * order with the same columns and page size as the adapter's readAll, rows parsed by pg (jsonb →
 * objects), nothing else.
 */
async function rawRead(task: Extract<RebuildTask, { task: 'raw-read' }>): Promise<RebuildTaskResult> {
  const client = new Client({ connectionString: task.url });
  await client.connect();
  try {
    const total = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0].n);
    let read = 0;
    const started = performance.now();
    const { memory } = await traced(
      task.rssSampleMs,
      () => read / total,
      async () => {
        let tx = '0';
        let seq = '-1';
        for (;;) {
          const page = await client.query<{ tx_text: string; global_position: string }>(
            `SELECT global_position, tx_id::text AS tx_text, event_id, stream_id, revision, type, schema_version, data, metadata, prev_hash, hash
             FROM es_events WHERE (tx_id, global_position) > ($1::xid8, $2::bigint)
             ORDER BY tx_id, global_position LIMIT $3`,
            [tx, seq, task.pageSize],
          );
          if (page.rows.length === 0) break;
          read += page.rows.length;
          const last = page.rows[page.rows.length - 1];
          tx = last.tx_text;
          seq = String(last.global_position);
        }
      },
    );
    const seconds = (performance.now() - started) / 1000;
    if (read !== total) throw new Error(`raw read returned ${read} of ${total} events`);
    return { task: 'raw-read', name: 'raw keyset read', events: read, seconds, eventsPerSec: read / seconds, memory };
  } finally {
    await client.end();
  }
}

export async function runRebuildTask(task: RebuildTask): Promise<RebuildTaskResult> {
  switch (task.task) {
    case 'generate':
      return generate(task);
    case 'generate-domain':
      return generateDomain(task);
    case 'rebuild':
      return rebuild(task);
    case 'raw-read':
      return rawRead(task);
  }
}

if (require.main === module) childMain(runRebuildTask);

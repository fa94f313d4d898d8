import { join } from 'node:path';
import { Client } from 'pg';
import type { BenchCluster } from '../lib/database';
import { runChild } from '../lib/child';
import type { BenchSettings } from '../lib/settings';
import { fmt, goal, mb, table } from '../lib/stats';
import type { RebuildTask, RebuildTaskResult } from './rebuild-child';
import { REBUILD_PROJECTIONS, type BenchProjection } from './projections';

export const REBUILD_GOAL = 0.3;

export interface RebuildReport {
  events: number;
  generate: RebuildTaskResult;
  rawReads: RebuildTaskResult[];
  rawBest: RebuildTaskResult;
  projections: Array<RebuildTaskResult & { role: BenchProjection['role']; description: string; ratioToRaw: number }>;
  tableSize: string;
  text: string;
}

/**
 * Benchmark 2 — projection rebuild. N events are generated through the port; the raw keyset read
 * runs before and after the rebuilds (the faster of the two is the baseline, so page-cache warmth
 * never flatters the ratio); each projection of REBUILD_PROJECTIONS is then rebuilt with
 * ProjectionRunner.reset + catchUp in its own child process, with RSS sampled during the run.
 */
export async function runRebuildBench(
  cluster: BenchCluster,
  settings: BenchSettings,
  log: (line: string) => void,
  projections: BenchProjection[] = REBUILD_PROJECTIONS,
): Promise<RebuildReport> {
  const s = settings.rebuild;
  const url = await cluster.createDatabase('rebuild');
  const script = join(__dirname, 'rebuild-child.js');
  const run = (task: RebuildTask) => runChild<RebuildTask, RebuildTaskResult>(script, task);

  log(`  generating ${fmt(s.events)} events through the port (${s.generateWriters} writers, ${s.generateBatch} events per append)…`);
  const generate = await run({ task: 'generate', url, events: s.events, batch: s.generateBatch, writers: s.generateWriters });
  log(`  generated in ${fmt(generate.seconds)} s (${fmt(generate.eventsPerSec)} events/s)`);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query('VACUUM ANALYZE es_events');
  const tableSize = (await admin.query<{ size: string }>("SELECT pg_size_pretty(pg_total_relation_size('es_events')) AS size")).rows[0].size;
  await admin.end();

  const rawReads: RebuildTaskResult[] = [];
  const rawRead = async () => {
    const r = await run({ task: 'raw-read', url, pageSize: s.pageSize, rssSampleMs: s.rssSampleMs });
    rawReads.push(r);
    log(`  raw keyset read: ${fmt(r.eventsPerSec)} events/s (${fmt(r.seconds)} s)`);
  };
  await rawRead();
  const results: RebuildTaskResult[] = [];
  for (const p of projections) {
    const r = await run({ task: 'rebuild', url, projection: p.name, pageSize: s.pageSize, rssSampleMs: s.rssSampleMs });
    results.push(r);
    log(`  rebuild ${p.name}: ${fmt(r.eventsPerSec)} events/s (${fmt(r.seconds)} s), RSS ${mb(r.memory!.startRss)} → max ${mb(r.memory!.maxRss)}`);
  }
  await rawRead();
  const rawBest = rawReads.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
  const report: Omit<RebuildReport, 'text'> = {
    events: s.events,
    generate,
    rawReads,
    rawBest,
    tableSize,
    projections: results.map((r, i) => ({
      ...r,
      role: projections[i].role,
      description: projections[i].description,
      ratioToRaw: r.eventsPerSec / rawBest.eventsPerSec,
    })),
  };
  return { ...report, text: formatRebuild(report, settings) };
}

function formatRebuild(r: Omit<RebuildReport, 'text'>, settings: BenchSettings): string {
  const rows = [
    ...r.rawReads.map((x, i) => [`raw keyset read (${i === 0 ? 'before' : 'after'})`, fmt(x.events), fmt(x.seconds), fmt(x.eventsPerSec), '1 (baseline)' , mb(x.memory!.startRss), mb(x.memory!.maxRss), mb(x.memory!.endRss)]),
    ...r.projections.map((p) => [
      `rebuild ${p.name} (${p.role})`,
      fmt(p.events),
      fmt(p.seconds),
      fmt(p.eventsPerSec),
      p.role === 'read-model' ? goal(p.ratioToRaw, REBUILD_GOAL) : fmt(p.ratioToRaw, 2),
      mb(p.memory!.startRss),
      mb(p.memory!.maxRss),
      mb(p.memory!.endRss),
    ]),
  ];
  const deciles = r.projections.map((p) => `  ${p.name.padEnd(10)} RSS by tenth of the run: ${p.memory!.rssByDecile.map((b) => fmt(b / 1024 / 1024, 0)).join(' ')} MB`);
  return [
    `Projection rebuild: ${fmt(r.events)} events (es_events ${r.tableSize}), generated through the port in ${fmt(r.generate.seconds)} s ` +
      `(${fmt(r.generate.eventsPerSec)} events/s, ${settings.rebuild.generateWriters} writers × ${settings.rebuild.generateBatch} events/append); ` +
      `page size ${settings.rebuild.pageSize}; ratio = rebuild events/s ÷ best raw read events/s`,
    table(['workload', 'events', 'seconds', 'events/s', 'ratio to raw', 'RSS start', 'RSS max', 'RSS end'], rows),
    ...deciles,
  ].join('\n');
}

import { join } from 'node:path';
import { Client } from 'pg';
import type { BenchCluster } from '../lib/database';
import { runChild } from '../lib/child';
import type { BenchSettings } from '../lib/settings';
import { fmt, goal, mb, table } from '../lib/stats';
import type { RebuildTask, RebuildTaskResult } from './rebuild-child';
import { REBUILD_PROJECTIONS, type BenchProjection } from './projections';

export const REBUILD_GOAL = 0.3;

export interface RebuildDatasetReport {
  dataset: BenchProjection['dataset'];
  events: number;
  generate: RebuildTaskResult;
  rawReads: RebuildTaskResult[];
  rawBest: RebuildTaskResult;
  tableSize: string;
}

export type RebuiltProjection = RebuildTaskResult & {
  dataset: BenchProjection['dataset'];
  role: BenchProjection['role'];
  description: string;
  ratioToRaw: number;
};

export interface RebuildReport {
  datasets: RebuildDatasetReport[];
  /** Every projection rebuilt, each compared with the raw read of its own data set. */
  projections: RebuiltProjection[];
  text: string;
}

/**
 * Benchmark 2 — projection rebuild, per data set: `synthetic` (N events of one type, generated
 * through the port) and `domain` (real subscription, customer and ticket histories decided by the
 * contexts' deciders, appended through the port). For each, the raw keyset read runs before and
 * after the rebuilds (the faster of the two is the baseline, so page-cache warmth never flatters
 * the ratio); each projection of that data set is rebuilt with ProjectionRunner.reset + catchUp in
 * its own child process, with RSS sampled during the run.
 */
export async function runRebuildBench(
  cluster: BenchCluster,
  settings: BenchSettings,
  log: (line: string) => void,
  projections: BenchProjection[] = REBUILD_PROJECTIONS,
): Promise<RebuildReport> {
  const s = settings.rebuild;
  const script = join(__dirname, 'rebuild-child.js');
  const run = (task: RebuildTask) => runChild<RebuildTask, RebuildTaskResult>(script, task);
  const datasets: RebuildDatasetReport[] = [];
  const rebuilt: RebuiltProjection[] = [];
  const texts: string[] = [];

  // BENCH_REBUILD_DATASETS=domain (or synthetic) runs one data set only.
  const only = process.env.BENCH_REBUILD_DATASETS?.split(',').map((d) => d.trim());
  for (const dataset of ['synthetic', 'domain'] as const) {
    if (only && !only.includes(dataset)) continue;
    const mine = projections.filter((p) => p.dataset === dataset);
    if (mine.length === 0) continue;
    const url = await cluster.createDatabase(`rebuild_${dataset}`);
    let generate: RebuildTaskResult;
    if (dataset === 'synthetic') {
      log(`  [synthetic] generating ${fmt(s.events)} events through the port (${s.generateWriters} writers, ${s.generateBatch} events per append)…`);
      generate = await run({ task: 'generate', url, events: s.events, batch: s.generateBatch, writers: s.generateWriters });
    } else {
      log(`  [domain] generating ${fmt(s.domain.subscriptions)} subscriptions (with their customers) and ${fmt(s.domain.tickets)} tickets through the deciders and the port…`);
      generate = await run({ task: 'generate-domain', url, subscriptions: s.domain.subscriptions, tickets: s.domain.tickets, writers: s.generateWriters });
    }
    log(`  [${dataset}] ${generate.name}: ${fmt(generate.events)} events in ${fmt(generate.seconds)} s (${fmt(generate.eventsPerSec)} events/s)`);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query('VACUUM ANALYZE es_events');
    const tableSize = (await admin.query<{ size: string }>("SELECT pg_size_pretty(pg_total_relation_size('es_events')) AS size")).rows[0].size;
    await admin.end();

    const rawReads: RebuildTaskResult[] = [];
    const rawRead = async () => {
      const r = await run({ task: 'raw-read', url, pageSize: s.pageSize, rssSampleMs: s.rssSampleMs });
      rawReads.push(r);
      log(`  [${dataset}] raw keyset read: ${fmt(r.eventsPerSec)} events/s (${fmt(r.seconds)} s)`);
    };
    await rawRead();
    const results: RebuildTaskResult[] = [];
    for (const p of mine) {
      const r = await run({ task: 'rebuild', url, projection: p.name, pageSize: s.pageSize, rssSampleMs: s.rssSampleMs });
      results.push(r);
      log(`  [${dataset}] rebuild ${p.name}: ${fmt(r.eventsPerSec)} events/s (${fmt(r.seconds)} s, ${fmt(r.applied ?? r.events)} of its types applied), RSS ${mb(r.memory!.startRss)} → max ${mb(r.memory!.maxRss)}`);
    }
    await rawRead();
    const rawBest = rawReads.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
    const report: RebuildDatasetReport = { dataset, events: generate.events, generate, rawReads, rawBest, tableSize };
    const projected = results.map((r, i) => ({
      ...r,
      dataset,
      role: mine[i].role,
      description: mine[i].description,
      ratioToRaw: r.eventsPerSec / rawBest.eventsPerSec,
    }));
    datasets.push(report);
    rebuilt.push(...projected);
    texts.push(formatRebuild(report, projected, settings));
  }
  return { datasets, projections: rebuilt, text: texts.join('\n\n') };
}

function formatRebuild(r: RebuildDatasetReport, projections: RebuiltProjection[], settings: BenchSettings): string {
  const rows = [
    ...r.rawReads.map((x, i) => [`raw keyset read (${i === 0 ? 'before' : 'after'})`, fmt(x.events), fmt(x.events), fmt(x.seconds), fmt(x.eventsPerSec), '1 (baseline)', mb(x.memory!.startRss), mb(x.memory!.maxRss), mb(x.memory!.endRss)]),
    ...projections.map((p) => [
      `rebuild ${p.name} (${p.role})`,
      fmt(p.events),
      fmt(p.applied ?? p.events),
      fmt(p.seconds),
      fmt(p.eventsPerSec),
      p.role === 'read-model' ? goal(p.ratioToRaw, REBUILD_GOAL) : fmt(p.ratioToRaw, 2),
      mb(p.memory!.startRss),
      mb(p.memory!.maxRss),
      mb(p.memory!.endRss),
    ]),
  ];
  const deciles = projections.map((p) => `  ${p.name.padEnd(16)} RSS by tenth of the run: ${p.memory!.rssByDecile.map((b) => fmt(b / 1024 / 1024, 0)).join(' ')} MB`);
  const how =
    r.dataset === 'synthetic'
      ? `${settings.rebuild.generateWriters} writers × ${settings.rebuild.generateBatch} events/append`
      : `${r.generate.name}, one append per aggregate, ${settings.rebuild.generateWriters} writers`;
  return [
    `Projection rebuild [${r.dataset}]: ${fmt(r.events)} events (es_events ${r.tableSize}), generated through the port in ${fmt(r.generate.seconds)} s ` +
      `(${fmt(r.generate.eventsPerSec)} events/s, ${how}); page size ${settings.rebuild.pageSize}; ratio = rebuild events/s ÷ best raw read events/s. ` +
      `A rebuild covers every event of the log (events/s is over all of them) and reads only those of its projection's types ("read").`,
    table(['workload', 'events', 'read', 'seconds', 'events/s', 'ratio to raw', 'RSS start', 'RSS max', 'RSS end'], rows),
    ...deciles,
  ].join('\n');
}

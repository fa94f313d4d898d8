/**
 * `npm run bench` — every figure measured in one run, against its baseline, on this machine.
 * BENCH_SCALE=small (default) | full; BENCH_ONLY=append,rebuild,http,sweeps; BENCH_DATABASE_URL to
 * use an existing PostgreSQL instead of an embedded one. Results: stdout and bench/results/latest.json.
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, freemem, totalmem, release } from 'node:os';
import { join, resolve } from 'node:path';
import { APPEND_GOALS, runAppendBench, type AppendReport } from './append/append.bench';
import { REBUILD_GOAL, runRebuildBench, type RebuildReport } from './rebuild/rebuild.bench';
import { runHttpBench, type HttpReport } from './http/http.bench';
import { SWEEP_GOAL_MAX_RATIO, runSweepsBench, type SweepReport } from './sweeps/sweeps.bench';
import { startBenchCluster } from './lib/database';
import { loadSettings } from './lib/settings';
import { fmt, section, table } from './lib/stats';

const RESULTS_DIR = resolve(__dirname, '../../bench/results');

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function gitRevision(): string | null {
  try {
    const head = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return `${head}${dirty ? '+uncommitted' : ''}`;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const started = Date.now();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    freeMemoryGiB: Math.round(freemem() / 1024 ** 3),
    os: `${process.platform} ${release()}`,
    node: process.version,
  };
  log(section(`OKSIO benchmarks — scale ${settings.scale} — ${new Date().toISOString()}`));
  log(`machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`);
  const cluster = await startBenchCluster(log);
  log(`PostgreSQL ${cluster.serverVersion}: ${Object.entries(cluster.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);

  let append: AppendReport | null = null;
  let rebuild: RebuildReport | null = null;
  let http: HttpReport | null = null;
  let sweeps: SweepReport | null = null;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      timings[name] = (Date.now() - t0) / 1000;
    }
  };
  try {
    if (settings.only.has('append')) {
      log(section('1. Append throughput — port vs raw pg vs emmett-postgresql'));
      append = await timed('append', () => runAppendBench(cluster, settings, log));
      log(`\n${append.text}`);
    }
    if (settings.only.has('rebuild')) {
      log(section('2. Projection rebuild — ProjectionRunner.reset + catchUp vs raw keyset read'));
      rebuild = await timed('rebuild', () => runRebuildBench(cluster, settings, log));
      log(`\n${rebuild.text}`);
    }
    if (settings.only.has('http')) {
      log(section('3. HTTP — API endpoints vs bare NestJS'));
      http = await timed('http', () => runHttpBench(cluster, settings, log));
      log(`\n${http.text}`);
    }
    if (settings.only.has('sweeps')) {
      log(section('4. Time sweeps — scheduler claim vs table size'));
      sweeps = await timed('sweeps', () => runSweepsBench(cluster, settings, log));
      log(`\n${sweeps.text}`);
    }
  } finally {
    await cluster.stop();
  }

  const summary = summarize(append, rebuild, http, sweeps);
  log(section('Summary (ratios measured in this run)'));
  log(table(['benchmark', 'measure', 'value', 'goal', 'status'], summary.map((s) => [s.benchmark, s.measure, s.value, s.goal, s.status])));
  if (settings.only.has('rating')) await timed('rating', async () => { log(section('5. SIP rating — parse + check + rate vs parse + check only (in memory, annex table)')); const r = await (await import('./rating/rating.bench')).runRatingBench(settings, log); log(`\n${r.text}`); log(table(['benchmark', 'measure', 'value', 'goal', 'status'], [['rating', 'rated / parsed CDRs per s', fmt(r.ratio, 2), '—', 'info']])); });
  const totalSeconds = (Date.now() - started) / 1000;
  log(`\ntotal ${fmt(totalSeconds, 0)} s (${Object.entries(timings).map(([k, v]) => `${k} ${fmt(v, 0)} s`).join(', ')})`);

  await mkdir(RESULTS_DIR, { recursive: true });
  const strip = <T extends { text: string } | null>(r: T) => (r ? { ...r, text: undefined } : null);
  const json = {
    generatedAt: new Date().toISOString(),
    scale: settings.scale,
    revision: gitRevision(),
    machine,
    postgres: { version: cluster.serverVersion, embedded: cluster.embedded, settings: cluster.settings },
    settings: { ...settings, only: [...settings.only] },
    durationSeconds: { total: totalSeconds, ...timings },
    summary,
    append: strip(append),
    rebuild: strip(rebuild),
    http: strip(http),
    sweeps: strip(sweeps),
  };
  const file = join(RESULTS_DIR, 'latest.json');
  await writeFile(file, `${JSON.stringify(json, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
  log(`results written to ${file}`);
}

interface SummaryRow {
  benchmark: string;
  measure: string;
  value: string;
  goal: string;
  status: 'MET' | 'NOT MET' | 'info';
}

function summarize(append: AppendReport | null, rebuild: RebuildReport | null, http: HttpReport | null, sweeps: SweepReport | null): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const status = (ok: boolean) => (ok ? 'MET' : 'NOT MET') as SummaryRow['status'];
  for (const c of append?.configs ?? []) {
    const cfg = `${c.writers} writer${c.writers > 1 ? 's' : ''} × ${c.batch}`;
    rows.push({ benchmark: `append ${cfg}`, measure: 'port / raw', value: fmt(c.ratios.portOverRaw, 2), goal: `≥ ${APPEND_GOALS.portOverRaw}`, status: status(c.ratios.portOverRaw >= APPEND_GOALS.portOverRaw) });
    rows.push({ benchmark: `append ${cfg}`, measure: 'port / emmett', value: fmt(c.ratios.portOverPeer, 2), goal: `≥ ${APPEND_GOALS.portOverPeer}`, status: status(c.ratios.portOverPeer >= APPEND_GOALS.portOverPeer) });
  }
  for (const p of rebuild?.projections ?? []) {
    rows.push({
      benchmark: `rebuild ${p.name}`,
      measure: 'rebuild / raw read',
      value: fmt(p.ratioToRaw, 2),
      goal: p.role === 'read-model' ? `≥ ${REBUILD_GOAL}` : '(runner only)',
      status: p.role === 'read-model' ? status(p.ratioToRaw >= REBUILD_GOAL) : 'info',
    });
    rows.push({
      benchmark: `rebuild ${p.name}`,
      measure: 'RSS growth (max − start)',
      value: `${fmt((p.memory!.maxRss - p.memory!.startRss) / 1024 / 1024, 0)} MB`,
      goal: 'flat',
      status: 'info',
    });
  }
  for (const t of http?.targets ?? []) {
    if (t.throughputRatioToBaseline === undefined) continue;
    rows.push({
      benchmark: `http ${t.target}`,
      measure: `throughput / ${t.baseline}`,
      value: fmt(t.throughputRatioToBaseline, 2),
      goal: '—',
      status: 'info',
    });
  }
  if (sweeps) {
    rows.push({
      benchmark: 'sweeps',
      measure: `tick, ${fmt(sweeps.sizes[1].rows / sweeps.sizes[0].rows, 0)}× rows`,
      value: `${fmt(sweeps.tickRatio, 2)}×`,
      goal: `≤ ${SWEEP_GOAL_MAX_RATIO}×`,
      status: status(sweeps.tickRatio <= SWEEP_GOAL_MAX_RATIO),
    });
    rows.push({
      benchmark: 'sweeps',
      measure: 'partial index used',
      value: sweeps.sizes.every((s) => s.usesPartialIndex) ? 'yes' : 'no',
      goal: 'yes',
      status: status(sweeps.sizes.every((s) => s.usesPartialIndex)),
    });
  }
  return rows;
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

import { join } from 'node:path';
import type { BenchCluster } from '../lib/database';
import { runChild } from '../lib/child';
import type { BenchSettings } from '../lib/settings';
import { fmt, goal, table } from '../lib/stats';
import type { AppendRunInput, AppendRunResult } from './append-child';
import { APPEND_IMPLS, APPEND_IMPL_LABELS, type AppendImpl } from './appenders';

export const APPEND_GOALS = { portOverRaw: 0.8, portOverPeer: 1.5 } as const;

export interface AppendImplResult {
  /** The run with the highest throughput (its latencies are reported). */
  best: AppendRunResult;
  /** events/s of every round, in order. */
  rounds: number[];
}

export interface AppendConfigResult {
  writers: number;
  batch: number;
  impls: Record<AppendImpl, AppendImplResult>;
  ratios: { portOverRaw: number; portOverPeer: number; portCmdOverRaw: number; portCmdOverPeer: number; portOverRawTx: number };
}

export interface AppendReport {
  configs: AppendConfigResult[];
  text: string;
}

/**
 * Benchmark 1 — append throughput. Every (writers × batch) configuration runs the five
 * implementations one after the other, each run in a fresh child process, all in the same
 * database (the port and both raws share the es_* tables, emmett has its own emt_* tables). This
 * repeats `rounds` times; the order of the implementations rotates from one configuration to the
 * next and is reversed every other round, so that table growth and background work (autovacuum,
 * checkpoints) do not always fall on the same one. The best round of each implementation counts.
 */
export async function runAppendBench(
  cluster: BenchCluster,
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<AppendReport> {
  const s = settings.append;
  const url = await cluster.createDatabase('append');
  const script = join(__dirname, 'append-child.js');
  const configs: AppendConfigResult[] = [];
  for (const [index, config] of s.configs.entries()) {
    const shift = index % APPEND_IMPLS.length;
    const rotated = [...APPEND_IMPLS.slice(shift), ...APPEND_IMPLS.slice(0, shift)];
    const runs = Object.fromEntries(APPEND_IMPLS.map((i) => [i, [] as AppendRunResult[]])) as Record<AppendImpl, AppendRunResult[]>;
    for (let round = 0; round < s.rounds; round++) {
      const order = round % 2 === 0 ? rotated : [...rotated].reverse();
      for (const impl of order) {
        const input: AppendRunInput = {
          impl,
          url,
          writers: config.writers,
          batch: config.batch,
          warmupMs: s.warmupMs,
          durationMs: s.durationMs,
          appendsPerStream: s.appendsPerStream,
          tag: `${impl.replace('+', '')}-${config.writers}x${config.batch}-r${round}`,
        };
        const result = await runChild<AppendRunInput, AppendRunResult>(script, input);
        runs[impl].push(result);
        log(
          `  append ${config.writers}×${config.batch} round ${round + 1} ${impl.padEnd(8)} ${fmt(result.eventsPerSec).padStart(8)} events/s  ` +
            `p50 ${fmt(result.latencyMs.p50)} ms  p99 ${fmt(result.latencyMs.p99)} ms`,
        );
      }
    }
    const impls = Object.fromEntries(
      APPEND_IMPLS.map((i) => [
        i,
        { best: runs[i].reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a)), rounds: runs[i].map((r) => r.eventsPerSec) },
      ]),
    ) as Record<AppendImpl, AppendImplResult>;
    const eps = (i: AppendImpl) => impls[i].best.eventsPerSec;
    configs.push({
      writers: config.writers,
      batch: config.batch,
      impls,
      ratios: {
        portOverRaw: eps('port') / eps('raw'),
        portOverPeer: eps('port') / eps('peer'),
        portCmdOverRaw: eps('port+cmd') / eps('raw'),
        portCmdOverPeer: eps('port+cmd') / eps('peer'),
        portOverRawTx: eps('port') / eps('raw-tx'),
      },
    });
  }
  return { configs, text: formatAppend(configs, settings) };
}

export function formatAppend(configs: AppendConfigResult[], settings: BenchSettings): string {
  const s = settings.append;
  const rows: string[][] = [];
  for (const c of configs) {
    for (const impl of APPEND_IMPLS) {
      const { best, rounds } = c.impls[impl];
      rows.push([
        `${c.writers} × ${c.batch}`,
        APPEND_IMPL_LABELS[impl],
        fmt(best.eventsPerSec),
        rounds.map((r) => fmt(r)).join(' / '),
        fmt(best.appendsPerSec),
        fmt(best.latencyMs.p50),
        fmt(best.latencyMs.p99),
      ]);
    }
  }
  const ratioRows = configs.map((c) => [
    `${c.writers} × ${c.batch}`,
    goal(c.ratios.portOverRaw, APPEND_GOALS.portOverRaw),
    goal(c.ratios.portOverPeer, APPEND_GOALS.portOverPeer),
    fmt(c.ratios.portCmdOverRaw, 2),
    fmt(c.ratios.portCmdOverPeer, 2),
    fmt(c.ratios.portOverRawTx, 2),
  ]);
  return [
    `Append: writers × events per append; best of ${s.rounds} rounds of ${s.durationMs / 1000} s (after ${s.warmupMs / 1000} s warm-up); ` +
      `pool size = writers; latency = one append call, client side`,
    table(['writers × batch', 'implementation', 'events/s', 'each round', 'appends/s', 'p50 ms', 'p99 ms'], rows),
    '',
    table(['writers × batch', 'port / raw', 'port / peer', 'port+cmd / raw', 'port+cmd / peer', 'port / raw BEGIN…COMMIT'], ratioRows),
  ].join('\n');
}

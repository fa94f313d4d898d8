import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { freePort, loadConfig, openRuntime, type Runtime } from '@oksio/platform';
import { createApp } from '../../apps/api/src/create-app';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';
import type { BenchCluster } from '../lib/database';
import { runChild } from '../lib/child';
import type { BenchSettings } from '../lib/settings';
import { fmt, table } from '../lib/stats';
import { createBareApp } from './bare-app';
import type { LoadInput, LoadResult } from './load-child';
import { HTTP_TARGETS, type HttpTarget } from './targets';

export interface HttpTargetResult {
  target: string;
  kind: HttpTarget['kind'];
  description: string;
  saturation: LoadResult;
  fixedRate: LoadResult;
  baseline?: string;
  throughputRatioToBaseline?: number;
}

export interface HttpReport {
  fixedRate: number;
  connections: number;
  targets: HttpTargetResult[];
  text: string;
}

async function smoke(baseUrl: string, target: HttpTarget): Promise<void> {
  const response = await fetch(`${baseUrl}${target.path}`, {
    method: target.method,
    headers: { ...target.headers, ...target.nextRequest?.(-1).headers },
    body: target.nextRequest?.(-1).body ?? target.body,
  });
  const text = await response.text();
  if (response.status !== target.expectStatus) {
    throw new Error(`${target.name}: expected HTTP ${target.expectStatus}, got ${response.status}: ${text.slice(0, 300)}`);
  }
}

/**
 * Benchmark 3 — HTTP. The API is built with createApp(runtime) (logger off, worker off) on a fresh
 * database, in this process; the bare Nest app listens on another port of the same process.
 * autocannon runs in a child process: first unlimited (saturation: throughput ratio to the bare
 * endpoint), then at a fixed overall rate (latency percentiles well below saturation).
 */
export async function runHttpBench(
  cluster: BenchCluster,
  settings: BenchSettings,
  log: (line: string) => void,
  targets: HttpTarget[] = HTTP_TARGETS,
): Promise<HttpReport> {
  const s = settings.http;
  const url = await cluster.createDatabase('http');
  const config = loadConfig({ NODE_ENV: 'test', CLOCK: 'test', RUN_WORKER: 'false', DATABASE_URL: url, INSTANCE_NAME: 'bench' });
  let runtime: Runtime | null = null;
  let api: INestApplication | null = null;
  let bare: INestApplication | null = null;
  try {
    runtime = await openRuntime(config, DATABASE_PARTS);
    api = await createApp(runtime, { logger: false });
    const apiPort = await freePort();
    await api.listen(apiPort, '127.0.0.1');
    bare = await createBareApp();
    const barePort = await freePort();
    await bare.listen(barePort, '127.0.0.1');
    const bases = { api: `http://127.0.0.1:${apiPort}`, bare: `http://127.0.0.1:${barePort}` };
    const script = join(__dirname, 'load-child.js');
    const results: HttpTargetResult[] = [];
    for (const target of targets) {
      const baseUrl = bases[target.app];
      await smoke(baseUrl, target);
      const common = { target: target.name, baseUrl, connections: s.connections };
      const saturation = await runChild<LoadInput, LoadResult>(script, { ...common, seconds: s.saturationSeconds, warmupSeconds: 1 });
      const fixedRate = await runChild<LoadInput, LoadResult>(script, { ...common, seconds: s.fixedSeconds, overallRate: s.fixedRate });
      for (const r of [saturation, fixedRate]) {
        if (r.ok !== r.requests || r.errors > 0) {
          throw new Error(`${target.name} (${r.mode}): ${r.requests - r.ok} unexpected responses ${JSON.stringify(r.statusCodes)}, ${r.errors} errors`);
        }
      }
      log(
        `  ${target.name.padEnd(28)} max ${fmt(saturation.requestsPerSec).padStart(6)} req/s; at ${s.fixedRate} req/s p50 ${fmt(fixedRate.latencyMs.p50)} ms p99 ${fmt(fixedRate.latencyMs.p99)} ms`,
      );
      results.push({ target: target.name, kind: target.kind, description: target.description, saturation, fixedRate, baseline: target.baseline });
    }
    for (const r of results) {
      const base = results.find((b) => b.target === r.baseline);
      if (base) r.throughputRatioToBaseline = r.saturation.requestsPerSec / base.saturation.requestsPerSec;
    }
    const report = { fixedRate: s.fixedRate, connections: s.connections, targets: results };
    return { ...report, text: formatHttp(report, settings) };
  } finally {
    await api?.close().catch(() => undefined);
    await bare?.close().catch(() => undefined);
    await runtime?.close().catch(() => undefined);
  }
}

function formatHttp(r: Omit<HttpReport, 'text'>, settings: BenchSettings): string {
  const rows = r.targets.map((t) => [
    t.target,
    fmt(t.saturation.requestsPerSec),
    fmt(t.saturation.latencyMs.p50),
    fmt(t.saturation.latencyMs.p99),
    fmt(t.fixedRate.requestsPerSec),
    fmt(t.fixedRate.latencyMs.p50),
    fmt(t.fixedRate.latencyMs.p99),
    t.throughputRatioToBaseline === undefined ? '—' : `${fmt(t.throughputRatioToBaseline, 2)} of ${t.baseline}`,
  ]);
  return [
    `HTTP: autocannon (child process), ${r.connections} connections; saturation ${settings.http.saturationSeconds} s after 1 s warm-up, ` +
      `then fixed rate ${r.fixedRate} req/s for ${settings.http.fixedSeconds} s; latency per response (hrtime, client side)`,
    table(
      ['endpoint', 'max req/s', 'p50 ms', 'p99 ms', `req/s @${r.fixedRate}`, 'p50 ms', 'p99 ms', 'throughput ratio'],
      rows,
    ),
  ].join('\n');
}

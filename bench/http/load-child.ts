import { childMain } from '../lib/child';
import { summarize } from '../lib/stats';
import { HTTP_TARGETS } from './targets';

export interface LoadInput {
  target: string;
  baseUrl: string;
  seconds: number;
  connections: number;
  /** Requests per second over all connections; absent = as fast as the server answers. */
  overallRate?: number;
  /** Untimed run before the measured one (same connections and rate). */
  warmupSeconds?: number;
}

export interface LoadResult {
  target: string;
  mode: 'saturation' | 'fixed-rate';
  seconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requestsPerSec: number;
  /** Per response, from autocannon's hrtime measurement (sub-millisecond). */
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** autocannon's own histogram (whole milliseconds; corrected for coordinated omission at a fixed rate). */
  autocannonLatencyMs: { p50: number; p99: number };
  statusCodes: Record<string, number>;
}

interface AutocannonHistogram {
  average: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface AutocannonResult {
  duration: number;
  latency: AutocannonHistogram;
  requests: AutocannonHistogram & { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}

// autocannon ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (
  options: Record<string, unknown>,
) => Promise<AutocannonResult> & { on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void };

/** autocannon, in its own process so that the load generator does not share the server's event loop. */
export async function runLoad(input: LoadInput): Promise<LoadResult> {
  const target = HTTP_TARGETS.find((t) => t.name === input.target);
  if (!target) throw new Error(`unknown HTTP target ${input.target}`);
  let n = 0;
  const request: Record<string, unknown> = { method: target.method, path: target.path, headers: target.headers ?? {}, body: target.body };
  if (target.nextRequest) {
    request.setupRequest = (req: Record<string, unknown>) => {
      const next = target.nextRequest!(n++);
      return { ...req, body: next.body ?? req.body, headers: { ...(req.headers as object), ...next.headers } };
    };
  }
  const instance = autocannon({
    url: input.baseUrl,
    connections: input.connections,
    duration: input.seconds,
    overallRate: input.overallRate,
    requests: [request],
    warmup: input.warmupSeconds ? { connections: input.connections, duration: input.warmupSeconds } : undefined,
  });
  // The returned instance emits the measured run's responses only (the warm-up has its own emitter).
  const latencies: number[] = [];
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status === target.expectStatus) latencies.push(ms);
  });
  const result = await instance;
  const own = summarize(latencies);
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(stat.count);
  const ok = statusCodes[String(target.expectStatus)] ?? 0;
  return {
    target: target.name,
    mode: input.overallRate ? 'fixed-rate' : 'saturation',
    seconds: result.duration,
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    requestsPerSec: ok / result.duration,
    latencyMs: { mean: own.mean, p50: own.p50, p90: own.p90, p99: own.p99, max: own.max },
    autocannonLatencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    statusCodes,
  };
}

if (require.main === module) childMain(runLoad);

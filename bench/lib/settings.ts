/**
 * Sizes of every benchmark. BENCH_SCALE=small (default, ≈ 3.5 min on 2 cores) or full
 * (≈ 15 min). BENCH_ONLY=append,rebuild,http,sweeps runs a subset.
 */
export type Scale = 'small' | 'full';

export interface AppendConfig {
  writers: number;
  batch: number;
}

export interface BenchSettings {
  scale: Scale;
  only: Set<BenchName>;
  append: {
    configs: AppendConfig[];
    /** Not counted: connections opened, JIT warm, plans cached. */
    warmupMs: number;
    durationMs: number;
    /** Each (configuration, implementation) runs this many times; the best run counts. */
    rounds: number;
    /** Each writer starts a new stream of its own after this many appends. */
    appendsPerStream: number;
  };
  rebuild: {
    events: number;
    /** Events per append when generating (one new stream per append). */
    generateBatch: number;
    generateWriters: number;
    /** Runner batch size and raw page size (ProjectionRunner's default). */
    pageSize: number;
    /** The `domain` data set: real histories through the deciders (bench/rebuild/domain-data.ts). */
    domain: { subscriptions: number; tickets: number };
    rssSampleMs: number;
  };
  http: {
    /** Unlimited rate, for the throughput ratio. */
    saturationSeconds: number;
    /** Fixed rate (autocannon overallRate), for latency. */
    fixedSeconds: number;
    fixedRate: number;
    connections: number;
  };
  sweeps: {
    /** Two table sizes, same due rows. */
    sizes: [number, number];
    due: number;
    repetitions: number;
  };
}

export const BENCH_NAMES = ['append', 'rebuild', 'http', 'sweeps', 'rating'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

export function loadSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const raw = env.BENCH_SCALE || 'small';
  if (raw !== 'small' && raw !== 'full') throw new Error(`BENCH_SCALE must be small or full (got "${raw}")`);
  const scale: Scale = raw;
  const only = new Set<BenchName>(
    env.BENCH_ONLY
      ? env.BENCH_ONLY.split(',').map((s) => {
          const name = s.trim() as BenchName;
          if (!BENCH_NAMES.includes(name)) throw new Error(`BENCH_ONLY: unknown benchmark "${s}" (${BENCH_NAMES.join(', ')})`);
          return name;
        })
      : BENCH_NAMES,
  );
  const full = scale === 'full';
  return {
    scale,
    only,
    append: {
      configs: appendConfigs(env.BENCH_APPEND_CONFIGS),
      warmupMs: full ? 2000 : 500,
      durationMs: full ? 8000 : 2000,
      rounds: full ? 3 : 2,
      appendsPerStream: 20,
    },
    rebuild: {
      events: full ? 1_000_000 : 200_000,
      generateBatch: 50,
      generateWriters: 8,
      pageSize: 500,
      domain: full ? { subscriptions: 100_000, tickets: 60_000 } : { subscriptions: 15_000, tickets: 8_000 },
      rssSampleMs: 100,
    },
    http: {
      saturationSeconds: full ? 10 : 4,
      fixedSeconds: full ? 15 : 8,
      fixedRate: 200,
      connections: 10,
    },
    sweeps: {
      sizes: full ? [100_000, 1_000_000] : [20_000, 200_000],
      due: 100,
      repetitions: full ? 15 : 9,
    },
  };
}

const DEFAULT_APPEND_CONFIGS: AppendConfig[] = [
  { writers: 1, batch: 1 },
  { writers: 1, batch: 10 },
  { writers: 16, batch: 1 },
  { writers: 16, batch: 10 },
];

/** BENCH_APPEND_CONFIGS="16x10,1x1" runs only those writers × batch configurations. */
function appendConfigs(spec: string | undefined): AppendConfig[] {
  if (!spec) return DEFAULT_APPEND_CONFIGS;
  return spec.split(',').map((part) => {
    const match = /^\s*(\d+)\s*x\s*(\d+)\s*$/.exec(part);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
      throw new Error(`BENCH_APPEND_CONFIGS: "${part}" is not writers x batch (e.g. 16x10)`);
    }
    return { writers: Number(match[1]), batch: Number(match[2]) };
  });
}

/**
 * Sizes of the reliability suite. `RELIABILITY_SCALE=small` (default) fits a 2-core CI runner;
 * `RELIABILITY_SCALE=full` is the documented bigger run (test/reliability/README.md).
 */
export type ReliabilityScale = 'small' | 'full';

export const SCALE: ReliabilityScale = process.env.RELIABILITY_SCALE === 'full' ? 'full' : 'small';

const SIZES = {
  small: {
    /** fast-check runs per REST body and per GraphQL mutation. */
    fuzzRuns: 25,
    /** Conflicting commands and aggregates of the concurrency test. */
    conflictingCommands: 1000,
    conflictAggregates: 10,
    /** Concurrent retries of one command with its Idempotency-Key. */
    idempotentRetries: 100,
    /** SIGKILLs of the worker: during the rebuild, then during live traffic. */
    rebuildKills: 5,
    trafficKills: 5,
    /** Data set replayed by the rebuild (generator: subscriptions, customers). */
    rebuildSubscriptions: 500,
    rebuildCustomers: 150,
    /** PostgreSQL stop/start cycles under load. */
    postgresRestarts: 2,
    /** Sequences of valid commands (issue 18 item 1) and commands per sequence. */
    validSequences: 4,
    validSequenceSteps: 60,
  },
  full: {
    fuzzRuns: 200,
    conflictingCommands: 5000,
    conflictAggregates: 50,
    idempotentRetries: 500,
    rebuildKills: 20,
    trafficKills: 20,
    rebuildSubscriptions: 20000,
    rebuildCustomers: 8000,
    postgresRestarts: 5,
    validSequences: 20,
    validSequenceSteps: 150,
  },
} as const;

export const SIZE = SIZES[SCALE];

/** `RELIABILITY_<NAME>` overrides one size, e.g. RELIABILITY_FUZZ_RUNS=100. */
export function size(name: keyof (typeof SIZES)['small']): number {
  const env = process.env[`RELIABILITY_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`];
  return env && /^\d+$/.test(env) ? Number(env) : SIZE[name];
}

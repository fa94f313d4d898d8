import { performance } from 'node:perf_hooks';
import { childMain } from '../lib/child';
import { summarize, type LatencySummary } from '../lib/stats';
import { openAppender, type AppendImpl } from './appenders';

export interface AppendRunInput {
  impl: AppendImpl;
  url: string;
  writers: number;
  batch: number;
  warmupMs: number;
  durationMs: number;
  appendsPerStream: number;
  /** Makes stream ids unique per run. */
  tag: string;
}

export interface AppendRunResult {
  impl: AppendImpl;
  writers: number;
  batch: number;
  seconds: number;
  appends: number;
  events: number;
  eventsPerSec: number;
  appendsPerSec: number;
  /** Milliseconds per append call (client side, pool wait included). */
  latencyMs: LatencySummary;
}

/**
 * `writers` concurrent loops, each appending `batch` events per call to streams of its own
 * (a new stream every `appendsPerStream` appends), for warm-up + duration. Only appends that
 * complete inside the measured window count.
 */
export async function runAppend(input: AppendRunInput): Promise<AppendRunResult> {
  const appender = await openAppender(input.impl, input.url, input.writers);
  const latencies: number[] = [];
  let events = 0;
  const start = performance.now();
  const measuredFrom = start + input.warmupMs;
  const deadline = measuredFrom + input.durationMs;
  try {
    await Promise.all(
      Array.from({ length: input.writers }, async (_, w) => {
        let streamNo = -1;
        let lastRevision = -1;
        for (let k = 0; performance.now() < deadline; k++) {
          if (k % input.appendsPerStream === 0) {
            streamNo++;
            lastRevision = -1;
          }
          const streamId = `bench-${input.tag}-w${w}-s${streamNo}`;
          const t0 = performance.now();
          await appender.append(streamId, w * 1_000_000 + streamNo, lastRevision + 1, input.batch, lastRevision);
          const t1 = performance.now();
          lastRevision += input.batch;
          if (t1 >= measuredFrom && t1 <= deadline) {
            latencies.push(t1 - t0);
            events += input.batch;
          }
        }
      }),
    );
  } finally {
    await appender.close();
  }
  const seconds = input.durationMs / 1000;
  return {
    impl: input.impl,
    writers: input.writers,
    batch: input.batch,
    seconds,
    appends: latencies.length,
    events,
    eventsPerSec: events / seconds,
    appendsPerSec: latencies.length / seconds,
    latencyMs: summarize(latencies),
  };
}

if (require.main === module) childMain(runAppend);

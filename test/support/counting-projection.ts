import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/src';
import type { Projection } from '../../libs/platform/src/projections/projection';

/**
 * A deliberately non-idempotent test projection: it counts events per stream and folds their ids
 * into a running checksum, so applying any event twice (or skipping one) changes the result.
 */
export const COUNTING_TABLES = `
  CREATE TABLE IF NOT EXISTS test_counts (
    projection text NOT NULL, stream_id text NOT NULL, events integer NOT NULL, checksum text NOT NULL,
    PRIMARY KEY (projection, stream_id));
  CREATE TABLE IF NOT EXISTS test_applied (
    projection text NOT NULL, event_id uuid NOT NULL, worker text NOT NULL, PRIMARY KEY (projection, event_id));`;

export function countingProjection(name: string, worker: string, delayMs = 0): Projection {
  return {
    name,
    eventTypes: ['Counted'],
    async apply(event: RecordedEvent, tx: EntityManager) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      await tx.query(
        `INSERT INTO test_counts (projection, stream_id, events, checksum) VALUES ($1, $2, 1, md5($3))
         ON CONFLICT (projection, stream_id) DO UPDATE SET events = test_counts.events + 1, checksum = md5(test_counts.checksum || $3)`,
        [name, event.streamId, event.eventId],
      );
      await tx.query('INSERT INTO test_applied (projection, event_id, worker) VALUES ($1, $2, $3)', [name, event.eventId, worker]);
    },
    async reset(tx: EntityManager) {
      await tx.query('DELETE FROM test_counts WHERE projection = $1', [name]);
      await tx.query('DELETE FROM test_applied WHERE projection = $1', [name]);
    },
  };
}

/**
 * The counting projection with a pipeline (the runner's one-round-trip batches): the same two
 * statements per event. `failAtBatch` makes that batch's script fail after its first statements.
 */
export function pipelinedCountingProjection(name: string, worker: string, options: { failAtBatch?: number } = {}): Projection {
  const perTransaction = countingProjection(name, worker);
  return {
    ...perTransaction,
    pipeline() {
      let batch = 0;
      return {
        async prepare(events) {
          batch++;
          const statements = events.flatMap((event) => [
            {
              text: `INSERT INTO test_counts (projection, stream_id, events, checksum) VALUES ($1, $2, 1, md5($3))
                     ON CONFLICT (projection, stream_id) DO UPDATE SET events = test_counts.events + 1, checksum = md5(test_counts.checksum || $3)`,
              values: [name, event.streamId, event.eventId],
            },
            { text: 'INSERT INTO test_applied (projection, event_id, worker) VALUES ($1, $2, $3)', values: [name, event.eventId, worker] },
          ]);
          if (batch === options.failAtBatch) statements.push({ text: 'SELECT 1 / 0', values: [] });
          return statements;
        },
      };
    },
  };
}

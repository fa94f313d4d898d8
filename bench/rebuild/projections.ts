import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';
import type { Projection } from '@oksio/platform';
import { ticketsProjection } from '../../libs/incident/src/tickets/tickets.projection';
import { createSubscriptionsProjection } from '../../libs/subscription/src/contracts/subscriptions.projection';
import { BENCH_EVENT_TYPES } from '../lib/events';

/**
 * The read models the rebuild benchmark replays — a parameter. `dataset` says which events they
 * are rebuilt from: `synthetic` (bench/lib/events.ts, one event type) or `domain` (real histories
 * decided by the contexts' deciders: bench/rebuild/domain-data.ts). Real projections are the ones
 * the contexts register; their tables come from the contexts' migrations (the bench databases are
 * migrated with apps/api/src/contexts.ts).
 *
 * Entries are looked up by name inside the child process that runs the rebuild.
 */
export interface BenchProjection {
  name: string;
  dataset: 'synthetic' | 'domain';
  /** `read-model`: counts towards the goal; `framework`: isolates the runner's own cost. */
  role: 'read-model' | 'framework';
  description: string;
  /** DDL run once before the rebuild (tables not covered by migrations). */
  setupSql: string[];
  create(): Projection;
}

/**
 * Copy of test/support/counting-projection.ts (test/ is not compiled into dist/): a
 * deliberately non-idempotent projection that upserts a per-stream counter and checksum and
 * inserts one row per event — two writes per event, like a typical row-per-entity read model.
 */
export function countingProjection(name: string, eventTypes: readonly string[]): Projection {
  return {
    name,
    eventTypes,
    async apply(event: RecordedEvent, tx: EntityManager) {
      await tx.query(
        `INSERT INTO test_counts (projection, stream_id, events, checksum) VALUES ($1, $2, 1, md5($3))
         ON CONFLICT (projection, stream_id) DO UPDATE SET events = test_counts.events + 1, checksum = md5(test_counts.checksum || $3)`,
        [name, event.streamId, event.eventId],
      );
      await tx.query('INSERT INTO test_applied (projection, event_id, worker) VALUES ($1, $2, $3)', [name, event.eventId, 'bench']);
    },
    async reset(tx: EntityManager) {
      await tx.query('DELETE FROM test_counts WHERE projection = $1', [name]);
      await tx.query('DELETE FROM test_applied WHERE projection = $1', [name]);
    },
  };
}

const COUNTING_TABLES = [
  `CREATE TABLE IF NOT EXISTS test_counts (
     projection text NOT NULL, stream_id text NOT NULL, events integer NOT NULL, checksum text NOT NULL,
     PRIMARY KEY (projection, stream_id))`,
  `CREATE TABLE IF NOT EXISTS test_applied (
     projection text NOT NULL, event_id uuid NOT NULL, worker text NOT NULL, PRIMARY KEY (projection, event_id))`,
];

export const REBUILD_PROJECTIONS: BenchProjection[] = [
  {
    name: 'noop',
    dataset: 'synthetic',
    role: 'framework',
    description: 'reads every event, writes nothing: the runner alone (readAll, checkpoint transaction per batch)',
    setupSql: [],
    create: () => ({
      name: 'noop',
      eventTypes: BENCH_EVENT_TYPES,
      async apply() {
        /* nothing: measures the runner */
      },
      async reset() {
        /* nothing to empty */
      },
    }),
  },
  {
    name: 'counting',
    dataset: 'synthetic',
    role: 'read-model',
    description: 'stand-in read model (test/support/counting-projection.ts): 2 row writes per event',
    setupSql: COUNTING_TABLES,
    create: () => countingProjection('counting', BENCH_EVENT_TYPES),
  },
  {
    name: 'subscriptions',
    dataset: 'domain',
    role: 'read-model',
    description: 'the Subscription context\'s projection: subscriptions, commitments (contract and MOBILE lines), suspensions, due actions — state folded with the decider\'s evolve',
    setupSql: [],
    create: () => createSubscriptionsProjection(),
  },
  {
    name: 'incident-tickets',
    dataset: 'domain',
    role: 'read-model',
    description: 'the Incident context\'s ticket projection: board rows with clock intervals, penalties per month, SLA due actions',
    setupSql: [],
    create: () => ticketsProjection(),
  },
];

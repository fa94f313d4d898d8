import { createPool } from '../../../platform/src/database/data-source';
import { PLATFORM_MIGRATIONS } from '../../../platform/src/database/migrations';
import { createTestDatabase } from '../../../../test/support/database';
import { eventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

eventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
  const pool = createPool(db.url);
  const store = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 50 });
  return {
    store,
    teardown: async () => {
      await store.close();
      await pool.end();
      await db.drop();
    },
  };
});

describe('PostgreSQL adapter: wake-up across processes', () => {
  it('a subscriber on another store instance is woken by the notification sent after commit, not by polling', async () => {
    const { randomUUID } = await import('node:crypto');
    const { START } = await import('../envelope');
    const db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    const writerPool = createPool(db.url, 4);
    const readerPool = createPool(db.url, 2);
    // Polling every minute: only a notification can deliver within the test's bound.
    const writer = new PostgresEventStore({ pool: writerPool, connectionString: db.url, pollIntervalMs: 60_000 });
    const reader = new PostgresEventStore({ pool: readerPool, connectionString: db.url, pollIntervalMs: 60_000 });
    const received: string[] = [];
    const subscription = reader.subscribeToAll({ after: START, onEvent: (e) => void received.push(e.streamId) });
    try {
      await new Promise((r) => setTimeout(r, 300)); // the subscriber is now waiting on LISTEN
      const streams = Array.from({ length: 30 }, () => `wake-${randomUUID()}`);
      const started = Date.now();
      // A burst: notifications are coalesced, yet the last commit must still be followed by one.
      await Promise.all(
        streams.map((s) =>
          writer.append(
            s,
            [{ type: 'Woken', data: {}, metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { id: 't', role: 'system' }, correlationId: randomUUID(), causationId: null, commandId: null, reason: null } }],
            { expectedRevision: 'no_stream' },
          ),
        ),
      );
      while (received.length < streams.length && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
      expect(received.sort()).toEqual(streams.sort());
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await subscription.stop();
      await writer.close();
      await reader.close();
      await writerPool.end();
      await readerPool.end();
      await db.drop();
    }
  });
});

describe('PostgreSQL adapter: retries of one command', () => {
  it('many concurrent retries of one command on a small pool all answer with the first result (no pool deadlock)', async () => {
    const { randomUUID } = await import('node:crypto');
    const db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    const pool = createPool(db.url, 2);
    const store = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 60_000 });
    try {
      const commandId = randomUUID();
      const streamId = `retry-${randomUUID()}`;
      const attempt = () =>
        store.append(
          streamId,
          [{ type: 'Retried', data: {}, metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { id: 't', role: 'system' }, correlationId: commandId, causationId: null, commandId, reason: null } }],
          { expectedRevision: 'any' },
        );
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('appends did not all answer: pool deadlock')), 20_000).unref());
      const results = await Promise.race([Promise.all(Array.from({ length: 20 }, attempt)), timeout]);
      expect(results.filter((r) => !r.duplicateCommand)).toHaveLength(1);
      expect(new Set(results.map((r) => r.events[0].eventId)).size).toBe(1);
      expect(await store.readStream(streamId)).toHaveLength(1);
    } finally {
      await store.close();
      await pool.end();
      await db.drop();
    }
  });
});

import { createPool } from '../../../platform/src/database/data-source';
import { PLATFORM_MIGRATIONS } from '../../../platform/src/database/migrations';
import { createTestDatabase } from '../../../../test/support/database';
import { eventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { START } from '../envelope';

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

describe('PostgreSQL adapter: reading some event types', () => {
  it('ADR 0003: a page ends at the readable head, so an event committed behind a running transaction is read once that transaction ends, not skipped', async () => {
    const { randomUUID } = await import('node:crypto');
    const { Client } = await import('pg');
    const db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    const pool = createPool(db.url, 4);
    const store = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 60_000 });
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    const event = (type: string) => ({
      type,
      data: {},
      metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { id: 't', role: 'system' as const }, correlationId: randomUUID(), causationId: null, commandId: null, reason: null },
    });
    try {
      await store.append('visible-1', [event('Kept')], { expectedRevision: 'no_stream' });
      // A transaction with an id, still running: events committed after it started are not readable yet.
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_current_xact_id()');
      await store.append('behind-1', [event('Skipped'), event('Kept')], { expectedRevision: 'no_stream' });

      const page = await store.readAllOfTypes({ after: START, maxCount: 10, eventTypes: ['Kept'] });
      expect(page.events.map((e) => e.streamId)).toEqual(['visible-1']);
      expect(page.atHead).toBe(true);
      expect(page.next).toEqual(page.events[0].position);

      await blocker.query('COMMIT');
      const next = await store.readAllOfTypes({ after: page.next, maxCount: 10, eventTypes: ['Kept'] });
      expect(next.events.map((e) => `${e.streamId}@${e.revision}`)).toEqual(['behind-1@1']);
      expect(next.next).toEqual(next.events[0].position);
    } finally {
      await blocker.end();
      await store.close();
      await pool.end();
      await db.drop();
    }
  });
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

describe('PostgreSQL adapter: one-statement append with remembered heads (ADR 0007)', () => {
  const { randomUUID } = require('node:crypto') as typeof import('node:crypto');
  const { verifyStreamChain } = require('../audit') as typeof import('../audit');
  const { WrongExpectedRevisionError } = require('../event-store') as typeof import('../event-store');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: ReturnType<typeof createPool>;
  let a: PostgresEventStore;
  let b: PostgresEventStore;

  const event = (n: number, commandId: string | null = null) => ({
    type: 'Counted',
    data: { n },
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { id: 't', role: 'system' }, correlationId: randomUUID(), causationId: null, commandId, reason: null },
  });
  const count = async (table: string, streamId: string) =>
    Number((await pool.query(`SELECT count(*) AS n FROM ${table} WHERE stream_id = $1`, [streamId])).rows[0].n);

  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    pool = createPool(db.url, 8);
    // Two stores on one database: two processes, each remembering the heads it saw.
    a = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 50 });
    b = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await pool.end();
    await db.drop();
  });

  it('a head remembered by one process and moved by another: the exact expectation it still holds is refused, the new one succeeds', async () => {
    const s = `heads-${randomUUID()}`;
    await a.append(s, [event(0)], { expectedRevision: 'no_stream' });
    await b.append(s, [event(1)], { expectedRevision: 0 });
    await expect(a.append(s, [event(2)], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
    const r = await a.append(s, [event(2)], { expectedRevision: 1 });
    expect(r.nextExpectedRevision).toBe(2);
    expect(verifyStreamChain(s, await a.readStream(s), await a.streamHead(s))).toBeNull();
  });

  it('a remembered head whose hash no longer matches (the stream was rewritten at the same revision) is looked up again, and the chain stays valid', async () => {
    const s = `rewritten-${randomUUID()}`;
    await a.append(s, [event(0)], { expectedRevision: 'no_stream' });
    await pool.query('DELETE FROM es_events WHERE stream_id = $1', [s]);
    await pool.query('DELETE FROM es_streams WHERE stream_id = $1', [s]);
    await b.append(s, [event(10)], { expectedRevision: 'no_stream' });
    await a.append(s, [event(11)], { expectedRevision: 0 });
    const events = await a.readStream(s);
    expect(events.map((e) => e.data.n)).toEqual([10, 11]);
    expect(verifyStreamChain(s, events, await a.streamHead(s))).toBeNull();
  });

  it('a refused append leaves nothing: no command claim, no head, no event', async () => {
    const s = `refused-${randomUUID()}`;
    await a.append(s, [event(0)], { expectedRevision: 'no_stream' });
    const commandId = randomUUID();
    await expect(a.append(s, [event(1, commandId)], { expectedRevision: 5 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    // Through the function itself (a remembered head that is wrong): the claim is rolled back too.
    await b.append(s, [event(1)], { expectedRevision: 0 });
    await expect(a.append(s, [event(2, commandId)], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
    expect((await pool.query('SELECT count(*) AS n FROM es_commands WHERE command_id = $1', [commandId])).rows[0].n).toBe('0');
    // A duplicate event id fails the insert after the head moved: the head move is rolled back.
    const [first] = await a.readStream(s);
    await expect(a.append(s, [{ ...event(3), eventId: first.eventId }], { expectedRevision: 1 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await a.streamHead(s)).toMatchObject({ revision: 1 });
    expect(await count('es_events', s)).toBe(2);
  });

  it("'any' appends racing on one stream all land, with contiguous revisions and a valid chain", async () => {
    const s = `any-${randomUUID()}`;
    const stores = [a, b];
    await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2].append(s, [event(i), event(i)], { expectedRevision: 'any' })));
    const events = await a.readStream(s);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    expect(verifyStreamChain(s, events, await a.streamHead(s))).toBeNull();
  });

  it('a command retried while its first attempt is in flight is written once and both calls see its events', async () => {
    const s = `command-${randomUUID()}`;
    const commandId = randomUUID();
    const results = await Promise.all([a, b].map((store) => store.append(s, [event(0, commandId)], { expectedRevision: 'no_stream' })));
    expect(results.map((r) => r.duplicateCommand).sort()).toEqual([false, true]);
    expect(new Set(results.map((r) => r.events[0].eventId)).size).toBe(1);
    expect(await count('es_events', s)).toBe(1);
  });
});

describe('issue 18 item 4 — PostgreSQL appendMany: one transaction for a multi-stream command (ADR 0008)', () => {
  const { randomUUID } = require('node:crypto') as typeof import('node:crypto');
  const { verifyStreamChain } = require('../audit') as typeof import('../audit');
  const { WrongExpectedRevisionError } = require('../event-store') as typeof import('../event-store');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: ReturnType<typeof createPool>;
  let a: PostgresEventStore;
  let b: PostgresEventStore;

  const event = (n: number, commandId: string | null = randomUUID()) => ({
    type: 'Counted',
    data: { n },
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: { id: 't', role: 'system' as const }, correlationId: randomUUID(), causationId: null, commandId, reason: null },
  });
  /** Rows of every event-store table: a refused command leaves all three unchanged. */
  const totals = async () =>
    (await pool.query(`SELECT (SELECT count(*) FROM es_events) AS e, (SELECT count(*) FROM es_streams) AS s, (SELECT count(*) FROM es_commands) AS c`)).rows[0];

  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    pool = createPool(db.url, 8);
    a = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 50 });
    b = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await pool.end();
    await db.drop();
  });

  it('a conflict found only by the compare-and-set in the database (a stale remembered head of the second stream) rolls back the first stream too', async () => {
    const [first, second] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    await a.append(second, [event(0)], { expectedRevision: 'no_stream' }); // a remembers revision 0
    await b.append(second, [event(1)], { expectedRevision: 0 }); // another process moves it
    const before = await totals();
    const commandId = randomUUID();
    await expect(
      a.appendMany([
        { streamId: first, events: [event(0, commandId)], expectedRevision: 'no_stream' },
        { streamId: second, events: [event(2)], expectedRevision: 0 },
      ]),
    ).rejects.toMatchObject({ streamId: second, actual: 1 });
    expect(await totals()).toEqual(before);
    expect(await a.commandResult(commandId)).toBeNull();
    // The same command at the right revision then lands whole, chained after the stored heads.
    const r = await a.appendMany([
      { streamId: first, events: [event(0, commandId)], expectedRevision: 'no_stream' },
      { streamId: second, events: [event(2)], expectedRevision: 1 },
    ]);
    expect(r.results.map((x) => x.nextExpectedRevision)).toEqual([0, 2]);
    expect(verifyStreamChain(second, await a.readStream(second), await a.streamHead(second))).toBeNull();
  });

  it('a batch whose command id another append already recorded: nothing is written and the caller is told to decide again', async () => {
    const [first, second] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const claimed = randomUUID();
    await a.append(second, [event(0, claimed)], { expectedRevision: 'no_stream' });
    const before = await totals();
    await expect(
      a.appendMany([
        { streamId: first, events: [event(0)], expectedRevision: 'no_stream' },
        { streamId: second, events: [event(1, claimed)], expectedRevision: 0 },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await totals()).toEqual(before);
  });

  it('concurrent commands over the same two streams in opposite orders neither deadlock nor interleave: revisions stay contiguous', async () => {
    const [x, y] = [`x-${randomUUID()}`, `y-${randomUUID()}`];
    const stores = [a, b];
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        stores[i % 2].appendMany(
          i % 2 === 0
            ? [
                { streamId: x, events: [event(i)], expectedRevision: 'any' },
                { streamId: y, events: [event(i)], expectedRevision: 'any' },
              ]
            : [
                { streamId: y, events: [event(i)], expectedRevision: 'any' },
                { streamId: x, events: [event(i)], expectedRevision: 'any' },
              ],
        ),
      ),
    );
    const landed = results.filter((r) => r.status === 'fulfilled').length;
    expect(landed).toBeGreaterThan(0);
    const [xs, ys] = [await a.readStream(x), await a.readStream(y)];
    expect(xs.map((e) => e.revision)).toEqual(Array.from({ length: landed }, (_, i) => i));
    expect(ys.map((e) => e.data.n).sort()).toEqual(xs.map((e) => e.data.n).sort());
    expect(verifyStreamChain(x, xs, await a.streamHead(x))).toBeNull();
    expect(verifyStreamChain(y, ys, await a.streamHead(y))).toBeNull();
  });
});

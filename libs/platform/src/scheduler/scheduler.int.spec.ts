import { randomUUID } from 'node:crypto';
import { DomainError, TestClock } from '@oksio/kernel';
import { PostgresEventStore } from '@oksio/event-store';
import { createDataSource, createPool } from '../database/data-source';
import { PLATFORM_MIGRATIONS } from '../database/migrations';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { DueActions, type DueAction } from './due-actions';
import { Scheduler } from './scheduler';

describe('Scheduler (due_actions claimed with FOR UPDATE SKIP LOCKED and a lease, deterministic command ids)', () => {
  let db: TestDatabase;
  let pool: ReturnType<typeof createPool>;
  let dataSource: ReturnType<typeof createDataSource>;
  let store: PostgresEventStore;
  const clock = new TestClock(new Date('2030-01-01T00:00:00Z'));

  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    pool = createPool(db.url, 10);
    dataSource = createDataSource(db.url, { entities: [], migrations: [] }, 10);
    await dataSource.initialize();
    store = new PostgresEventStore({ pool, connectionString: db.url });
  });
  afterAll(async () => {
    await store.close();
    await dataSource.destroy();
    await pool.end();
    await db.drop();
  });

  /** The effect of an action: one event in the aggregate's stream, written with the action's command id. */
  const effect = async (action: DueAction) => {
    await store.append(
      action.aggregateId,
      [
        {
          type: 'RenewalApplied',
          data: { key: action.key },
          metadata: {
            occurredAt: action.dueAt.toISOString(),
            actor: { id: 'scheduler', role: 'system' },
            correlationId: action.commandId,
            causationId: null,
            commandId: action.commandId,
            reason: 'due action',
          },
        },
      ],
      { expectedRevision: 'any' },
    );
  };

  const schedule = (key: string, aggregateId: string, dueAt: string, kind = 'test.renewal') =>
    dataSource.transaction((tx) => DueActions.schedule(tx, { key, kind, aggregateId, dueAt: new Date(dueAt), source: 'test' }));
  const status = async (key: string) => (await pool.query('SELECT status, attempts, last_error FROM due_actions WHERE key = $1', [key])).rows[0];

  it('takes only rows due at the (test) clock; moving the clock makes later rows due', async () => {
    clock.set(new Date('2030-01-01T00:00:00Z'));
    const id = `sched-${randomUUID()}`;
    await schedule(`${id}:a`, id, '2029-12-31T23:00:00Z');
    await schedule(`${id}:b`, id, '2030-02-01T00:00:00Z');
    const seen: string[] = [];
    const scheduler = new Scheduler({ dataSource, clock, handlers: { 'test.renewal': async (a) => void seen.push(a.key) } });
    expect((await scheduler.tick()).done).toBe(1);
    expect(seen).toEqual([`${id}:a`]);
    clock.advance({ months: 1 });
    expect((await scheduler.tick()).done).toBe(1);
    expect(seen).toEqual([`${id}:a`, `${id}:b`]);
    expect((await scheduler.tick()).done).toBe(0);
  });

  it('concurrent schedulers never run a row twice', async () => {
    clock.set(new Date('2031-01-01T00:00:00Z'));
    const ids = Array.from({ length: 300 }, () => `sched-${randomUUID()}`);
    for (const id of ids) await schedule(`${id}:renewal`, id, '2030-12-31T00:00:00Z');
    const runs = new Map<string, number>();
    const handler = async (a: DueAction) => {
      runs.set(a.key, (runs.get(a.key) ?? 0) + 1);
      await effect(a);
    };
    const schedulers = Array.from({ length: 4 }, () => new Scheduler({ dataSource, clock, batchSize: 25, handlers: { 'test.renewal': handler } }));
    for (let round = 0; round < 10; round++) await Promise.all(schedulers.map((s) => s.tick()));
    expect(runs.size).toBe(300);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    for (const id of ids.slice(0, 20)) expect((await store.readStream(id)).length).toBe(1);
  });

  it('a run that crashed after dispatching is retried with the same command id and has one effect', async () => {
    clock.set(new Date('2032-01-01T00:00:00Z'));
    const id = `sched-${randomUUID()}`;
    await schedule(`${id}:renewal`, id, '2031-12-31T00:00:00Z');
    let crash = true;
    const scheduler = new Scheduler({
      dataSource,
      clock,
      handlers: {
        'test.renewal': async (a) => {
          await effect(a);
          if (crash) {
            crash = false;
            throw new Error('process died after dispatch');
          }
        },
      },
    });
    expect(await scheduler.tick()).toMatchObject({ retried: 1 });
    expect((await status(`${id}:renewal`)).status).toBe('pending');
    await pool.query('UPDATE due_actions SET retry_at = NULL WHERE key = $1', [`${id}:renewal`]);
    expect(await scheduler.tick()).toMatchObject({ done: 1 });
    const events = await store.readStream(id);
    expect(events.length).toBe(1); // the second dispatch was recognised by its command id
    expect((await status(`${id}:renewal`)).status).toBe('done');
  });

  it('a business refusal fails the row without retry; a rescheduled row gets a new command id', async () => {
    clock.set(new Date('2033-01-01T00:00:00Z'));
    const id = `sched-${randomUUID()}`;
    await schedule(`${id}:x`, id, '2032-12-31T00:00:00Z', 'test.refused');
    const scheduler = new Scheduler({
      dataSource,
      clock,
      handlers: { 'test.refused': async () => Promise.reject(new DomainError('renewal_not_due', 'not due yet', 'SUB-03')) },
    });
    expect(await scheduler.tick()).toMatchObject({ failed: 1 });
    expect(await status(`${id}:x`)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'not due yet' });
    const before = (await pool.query('SELECT command_id FROM due_actions WHERE key = $1', [`${id}:x`])).rows[0].command_id;
    await schedule(`${id}:x`, id, '2033-06-30T00:00:00Z', 'test.refused');
    const after = (await pool.query('SELECT command_id, status FROM due_actions WHERE key = $1', [`${id}:x`])).rows[0];
    expect(after.status).toBe('pending');
    expect(after.command_id).not.toBe(before);
  });

  it('no transaction is open while a handler runs: the events it appends are readable at once (read watermark not held back)', async () => {
    clock.set(new Date('2034-01-01T00:00:00Z'));
    const id = `sched-${randomUUID()}`;
    await schedule(`${id}:visible`, id, '2033-12-31T00:00:00Z');
    let visibleDuringHandler: boolean | null = null;
    const scheduler = new Scheduler({
      dataSource,
      clock,
      handlers: {
        'test.renewal': async (a) => {
          await effect(a);
          const head = await store.headPosition();
          const read = await store.readStream(id);
          const last = read[read.length - 1];
          visibleDuringHandler = head.commit >= last.position.commit;
        },
      },
    });
    expect(await scheduler.tick()).toMatchObject({ done: 1 });
    expect(visibleDuringHandler).toBe(true);
  });

  it('a claim held by a dead scheduler blocks the row until it expires; then another scheduler runs it', async () => {
    clock.set(new Date('2035-01-01T00:00:00Z'));
    const id = `sched-${randomUUID()}`;
    await schedule(`${id}:claimed`, id, '2034-12-31T00:00:00Z');
    await pool.query(`UPDATE due_actions SET claimed_by = 'dead-worker', claimed_until = now() + interval '1 hour' WHERE key = $1`, [`${id}:claimed`]);
    const seen: string[] = [];
    const scheduler = new Scheduler({ dataSource, clock, handlers: { 'test.renewal': async (a) => void seen.push(a.key) } });
    expect((await scheduler.tick()).done).toBe(0);
    await pool.query(`UPDATE due_actions SET claimed_until = now() - interval '1 second' WHERE key = $1`, [`${id}:claimed`]);
    expect((await scheduler.tick()).done).toBe(1);
    expect(seen).toEqual([`${id}:claimed`]);
    expect(await pool.query('SELECT status, claimed_by FROM due_actions WHERE key = $1', [`${id}:claimed`]).then((r) => r.rows[0])).toEqual({ status: 'done', claimed_by: null });
  });

  it('stop() finishes the action in hand and gives back the claims it had not started', async () => {
    clock.set(new Date('2036-01-01T00:00:00Z'));
    const id = `sched-${randomUUID()}`;
    for (const k of ['1', '2', '3']) await schedule(`${id}:${k}`, id, `2035-12-0${k}T00:00:00Z`);
    const seen: string[] = [];
    let stopping: Promise<void> | null = null;
    const scheduler = new Scheduler({
      dataSource,
      clock,
      handlers: {
        'test.renewal': async (a) => {
          seen.push(a.key);
          stopping ??= scheduler.stop();
        },
      },
    });
    await scheduler.tick();
    await stopping;
    expect(seen).toEqual([`${id}:1`]);
    const rows = (await pool.query('SELECT key, status, claimed_by FROM due_actions WHERE aggregate_id = $1 ORDER BY key', [id])).rows;
    expect(rows).toEqual([
      { key: `${id}:1`, status: 'done', claimed_by: null },
      { key: `${id}:2`, status: 'pending', claimed_by: null },
      { key: `${id}:3`, status: 'pending', claimed_by: null },
    ]);
  });

  it('sync makes an aggregate\'s pending actions exactly the wanted set (new, moved, dropped)', async () => {
    const id = `sched-${randomUUID()}`;
    const sync = (wanted: Array<{ key: string; dueAt: string }>) =>
      dataSource.transaction((tx) =>
        DueActions.sync(tx, id, 'test-sync', wanted.map((w) => ({ key: w.key, kind: 'test.renewal', dueAt: new Date(w.dueAt) }))),
      );
    await sync([{ key: `${id}:renewal`, dueAt: '2040-01-01T00:00:00Z' }, { key: `${id}:notice`, dueAt: '2039-10-01T00:00:00Z' }]);
    await sync([{ key: `${id}:renewal`, dueAt: '2041-01-01T00:00:00Z' }]);
    const rows = (await pool.query('SELECT key, status, due_at FROM due_actions WHERE aggregate_id = $1 ORDER BY key', [id])).rows;
    expect(rows.map((r) => [r.key.split(':')[1], r.status, new Date(r.due_at).toISOString()])).toEqual([
      ['notice', 'cancelled', '2039-10-01T00:00:00.000Z'],
      ['renewal', 'pending', '2041-01-01T00:00:00.000Z'],
    ]);
  });
});

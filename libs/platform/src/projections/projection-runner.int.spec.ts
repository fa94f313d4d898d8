import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { PostgresEventStore, type NewEvent } from '@oksio/event-store';
import { createDataSource, createPool } from '../database/data-source';
import { PLATFORM_MIGRATIONS } from '../database/migrations';
import { PROJECTION_LOCK_NAMESPACE, ProjectionRunner } from './projection-runner';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { COUNTING_TABLES, countingProjection, pipelinedCountingProjection } from '../../../../test/support/counting-projection';
import { killHard, spawnTs, until, waitForOutput } from '../../../../test/support/processes';

const counted = (n: number): NewEvent => ({
  type: 'Counted',
  data: { n },
  metadata: {
    occurredAt: '2026-03-01T10:00:00.000Z',
    actor: { id: 'test', role: 'system' },
    correlationId: randomUUID(),
    causationId: null,
    commandId: null,
    reason: null,
  },
});

describe('Projection runner', () => {
  let db: TestDatabase;
  let pool: ReturnType<typeof createPool>;
  let dataSource: ReturnType<typeof createDataSource>;
  let store: PostgresEventStore;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    pool = createPool(db.url, 6);
    dataSource = createDataSource(db.url, { entities: [], migrations: [] }, 4);
    await dataSource.initialize();
    await dataSource.query(COUNTING_TABLES);
    store = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 50 });
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(killHard));
  });
  afterAll(async () => {
    await store.close();
    await dataSource.destroy();
    await pool.end();
    await db.drop();
  });

  async function appendMany(streams: number, perStream: number) {
    for (let s = 0; s < streams; s++) {
      const id = `count-${randomUUID()}`;
      await store.append(id, Array.from({ length: perStream }, (_, i) => counted(i)), { expectedRevision: 'no_stream' });
    }
  }

  const snapshot = async (name: string) =>
    (await pool.query('SELECT stream_id, events, checksum FROM test_counts WHERE projection = $1 ORDER BY stream_id', [name])).rows;
  const checkpoint = async (name: string) =>
    (await pool.query('SELECT events_applied::int AS applied, owner FROM projection_checkpoints WHERE name = $1', [name])).rows[0];

  it('commits rows and checkpoint together; a rebuild from zero gives the same rows', async () => {
    await appendMany(20, 10);
    const runner = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'test', projections: [countingProjection('inproc', 'test')], batchSize: 37 });
    await runner.start();
    await until(() => checkpoint('inproc'), (c) => c?.applied === 200, 20_000, 'catch-up');
    const before = await snapshot('inproc');
    expect(before.length).toBe(20);
    expect(before.every((r) => r.events === 10)).toBe(true);
    await runner.stop();
    await runner.reset('inproc');
    expect(await snapshot('inproc')).toEqual([]);
    await runner.catchUp('inproc');
    expect(await snapshot('inproc')).toEqual(before);
    const status = await runner.status();
    expect(status.find((s) => s.name === 'inproc')).toMatchObject({ lagEvents: 0, eventsApplied: 200 });
  });

  it('reads only its event types: the checkpoint goes past the events of other types to the head, and counts the ones applied', async () => {
    const other = (n: number): NewEvent => ({ ...counted(n), type: 'NotCounted' });
    const stream = `rare-${randomUUID()}`;
    await store.append(stream, [other(0), counted(1), other(2), other(3)], { expectedRevision: 'no_stream' });
    for (const projection of [countingProjection('rare', 'test'), pipelinedCountingProjection('rare-piped', 'test')]) {
      const runner = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'test', projections: [projection], batchSize: 2 });
      const total = Number((await pool.query(`SELECT count(*) FROM es_events WHERE type = 'Counted'`)).rows[0].count);
      await runner.reset(projection.name);
      expect(await runner.catchUp(projection.name)).toBe(total);
      expect((await checkpoint(projection.name)).applied).toBe(total);
      const head = await store.headPosition();
      const at = async () => (await pool.query('SELECT commit_pos, prepare_pos FROM projection_checkpoints WHERE name = $1', [projection.name])).rows[0];
      expect(await at()).toEqual({ commit_pos: head.commit.toString(), prepare_pos: head.prepare.toString() });
      // Only other types appended since: nothing applied, the checkpoint still moves to the head.
      await store.append(stream, [other(4), other(5), other(6)], { expectedRevision: 'any' });
      expect(await runner.catchUp(projection.name)).toBe(0);
      const moved = await store.headPosition();
      expect(await at()).toEqual({ commit_pos: moved.commit.toString(), prepare_pos: moved.prepare.toString() });
      expect((await runner.status()).find((s) => s.name === projection.name)).toMatchObject({ lagEvents: 0, eventsApplied: total });
    }
  });

  describe('pipelined batches (one round trip per batch, the next prepared meanwhile)', () => {
    const applied = async (name: string) => Number((await pool.query('SELECT count(*) FROM test_applied WHERE projection = $1', [name])).rows[0].count);

    it('leave exactly the rows and checkpoint of per-transaction batches', async () => {
      await appendMany(15, 7);
      const total = Number((await pool.query(`SELECT count(*) FROM es_events WHERE type = 'Counted'`)).rows[0].count);
      const batches: number[] = [];
      const piped = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'test', projections: [pipelinedCountingProjection('piped', 'test')], batchSize: 37, onBatch: (_, n) => batches.push(n) });
      const plain = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'test', projections: [countingProjection('plain', 'test')], batchSize: 37 });
      let progress = 0;
      expect(await piped.catchUp('piped', (n) => (progress = n))).toBe(total);
      expect(progress).toBe(total);
      expect(batches.slice(0, -1).every((n) => n === 37)).toBe(true);
      await plain.catchUp('plain');
      const rows = async (name: string) => (await snapshot(name)).map(({ stream_id, events, checksum }) => ({ stream_id, events, checksum }));
      expect(await rows('piped')).toEqual(await rows('plain'));
      expect(await checkpoint('piped')).toMatchObject({ applied: total });
      expect(await applied('piped')).toBe(total);
    });

    it('a batch whose script fails leaves nothing: earlier batches and their checkpoint stay, the error reaches the caller', async () => {
      const runner = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'test', projections: [pipelinedCountingProjection('failing', 'test', { failAtBatch: 2 })], batchSize: 37 });
      await expect(runner.catchUp('failing')).rejects.toThrow(/division by zero/);
      expect(await checkpoint('failing')).toMatchObject({ applied: 37 });
      expect(await applied('failing')).toBe(37);
      // The connection that ran the failed script went back to the pool usable.
      expect((await dataSource.query('SELECT 1 AS ok'))[0].ok).toBe(1);
    });

    it('stop() during a long catch-up returns after the batch in flight, not at the head; the next start goes on from there', async () => {
      await appendMany(40, 50);
      const total = Number((await pool.query(`SELECT count(*) FROM es_events WHERE type = 'Counted'`)).rows[0].count);
      let stopping: Promise<void> | null = null;
      const runner = new ProjectionRunner({
        dataSource, store, connectionString: db.url, owner: 'test', projections: [pipelinedCountingProjection('stopped', 'test')], batchSize: 37,
        onBatch: () => (stopping ??= runner.stop()),
      });
      await runner.start();
      await until(async () => stopping !== null, (started) => started, 20_000, 'first batch');
      await stopping;
      const atStop = (await checkpoint('stopped')).applied;
      expect(atStop).toBeGreaterThanOrEqual(37);
      expect(atStop).toBeLessThanOrEqual(3 * 37);
      expect(await applied('stopped')).toBe(atStop);
      const again = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'test', projections: [pipelinedCountingProjection('stopped', 'test')], batchSize: 37 });
      expect(await again.catchUp('stopped')).toBe(total - atStop);
      expect(await applied('stopped')).toBe(total);
    });

    it('two runners catching up at once: the checkpoint compare-and-set refuses the second writer of a range, every event is applied once', async () => {
      const total = Number((await pool.query(`SELECT count(*) FROM es_events WHERE type = 'Counted'`)).rows[0].count);
      const runner = (worker: string) =>
        new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: worker, projections: [pipelinedCountingProjection('raced', worker)], batchSize: 37 });
      const [one, two] = [runner('one'), runner('two')];
      await one.catchUp('raced').catch(() => undefined); // creates the checkpoint row before the race
      await one.reset('raced');
      const results = await Promise.allSettled([one.catchUp('raced'), two.catchUp('raced')]);
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/moved under this runner/);
      await one.catchUp('raced');
      expect(await applied('raced')).toBe(total);
      expect(await checkpoint('raced')).toMatchObject({ applied: total });
      const clean = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'clean', projections: [countingProjection('raced-clean', 'clean')] });
      await clean.catchUp('raced-clean');
      const counts = async (name: string) => (await snapshot(name)).map(({ stream_id, events, checksum }) => ({ stream_id, events, checksum }));
      expect(await counts('raced')).toEqual(await counts('raced-clean'));
    });
  });

  it('a worker killed with SIGKILL in the middle of a batch and restarted ends identical to a clean rebuild', async () => {
    await appendMany(40, 50); // 2,000 more events
    const total = Number((await pool.query(`SELECT count(*) FROM es_events WHERE type = 'Counted'`)).rows[0].count);
    const env = { DATABASE_URL: db.url, PROJECTIONS: 'crashy', APPLY_DELAY_MS: '1', BATCH_SIZE: '300' };
    const first = spawnTs('test/support/projection-worker.ts', { ...env, WORKER_NAME: 'first' });
    children.push(first);
    await waitForOutput(first, /ready first/);
    // Kill once at least one batch is committed and the next one is being applied.
    await until(() => checkpoint('crashy'), (c) => (c?.applied ?? 0) >= 300, 30_000, 'first batch');
    await new Promise((r) => setTimeout(r, 150));
    await killHard(first);
    const atCrash = (await checkpoint('crashy')).applied;
    expect(atCrash % 300).toBe(0); // only whole batches were committed
    expect(atCrash).toBeLessThan(total);
    const applied = Number((await pool.query(`SELECT count(*) FROM test_applied WHERE projection = 'crashy'`)).rows[0].count);
    expect(applied).toBe(atCrash); // the interrupted batch left no rows

    const second = spawnTs('test/support/projection-worker.ts', { ...env, APPLY_DELAY_MS: '0', WORKER_NAME: 'second' });
    children.push(second);
    await waitForOutput(second, /ready second/);
    await until(() => checkpoint('crashy'), (c) => c?.applied === total, 60_000, 'recovery');
    await killHard(second);
    const recovered = await snapshot('crashy');

    const clean = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'clean', projections: [countingProjection('crashy', 'clean')] });
    await clean.reset('crashy');
    await clean.catchUp('crashy');
    expect(recovered).toEqual(await snapshot('crashy'));
  });

  it('two worker processes: each projection runs in exactly one; killing its holder moves it to the other', async () => {
    const names = ['alpha', 'beta', 'gamma'];
    const env = { DATABASE_URL: db.url, PROJECTIONS: names.join(',') };
    const a = spawnTs('test/support/projection-worker.ts', { ...env, WORKER_NAME: 'A' });
    children.push(a);
    await waitForOutput(a, /ready A/);
    const b = spawnTs('test/support/projection-worker.ts', { ...env, WORKER_NAME: 'B' });
    children.push(b);
    await waitForOutput(b, /ready B/);
    const total = Number((await pool.query(`SELECT count(*) FROM es_events WHERE type = 'Counted'`)).rows[0].count);
    for (const n of names) await until(() => checkpoint(n), (c) => c?.applied === total, 30_000, `${n} caught up`);

    // Exactly one advisory lock holder per projection, and it is the owner recorded.
    const holders = async () =>
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objsubid = 2`,
          [PROJECTION_LOCK_NAMESPACE],
        )
      ).rows[0].n;
    expect(await holders()).toBe(3);
    const owners = await Promise.all(names.map(async (n) => (await checkpoint(n)).owner));
    expect(owners.every((o) => o === 'A')).toBe(true); // A started first and took all three
    expect(
      Number((await pool.query(`SELECT count(*) FROM test_applied WHERE projection = 'alpha' AND worker = 'B'`)).rows[0].count),
    ).toBe(0);

    await killHard(a);
    await appendMany(5, 10);
    for (const n of names) await until(() => checkpoint(n), (c) => c?.owner === 'B' && c?.applied === total + 50, 30_000, `${n} moved to B`);
    expect(await holders()).toBe(3);
    for (const n of names) {
      const rows = await pool.query('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM test_applied WHERE projection = $1', [n]);
      expect(rows.rows[0]).toEqual({ n: total + 50, d: total + 50 }); // every event applied exactly once
    }
  });
});

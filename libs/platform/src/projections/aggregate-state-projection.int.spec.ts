import { randomUUID } from 'node:crypto';
import { PostgresEventStore, type NewEvent, type RecordedEvent } from '@oksio/event-store';
import { createDataSource, createPool } from '../database/data-source';
import { PLATFORM_MIGRATIONS } from '../database/migrations';
import { ProjectionRunner } from './projection-runner';
import { aggregateStateProjection } from './aggregate-state-projection';
import type { RowBatch } from './row-batch';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';

interface Tally {
  total: number;
  items: string[];
}

const tallyDecider = {
  initialState: { total: 0, items: [] } as Tally,
  evolve: (s: Tally, e: { type: string; data: Record<string, unknown> }): Tally =>
    e.type === 'Added' ? { total: s.total + Number(e.data.n), items: [...s.items, String(e.data.n)] } : s,
};

const added = (n: number): NewEvent => ({
  type: 'Added',
  data: { n },
  metadata: { occurredAt: '2026-03-01T10:00:00.000Z', actor: { id: 'test', role: 'system' }, correlationId: randomUUID(), causationId: null, commandId: null, reason: null },
});

describe('aggregateStateProjection (batched state reads and writes)', () => {
  let db: TestDatabase;
  let pool: ReturnType<typeof createPool>;
  let dataSource: ReturnType<typeof createDataSource>;
  let store: PostgresEventStore;
  const seen: Array<{ streamId: string; revision: number; total: number }> = [];

  const projection = aggregateStateProjection<Tally>({
    name: 'tally',
    category: 'tally',
    eventTypes: ['Added'],
    decider: tallyDecider,
    onState(state: Tally, event: RecordedEvent, rows: RowBatch) {
      seen.push({ streamId: event.streamId, revision: event.revision, total: state.total });
      rows.statement(
        `INSERT INTO test_tally (stream_id, total, items) VALUES ($1, $2, $3)
         ON CONFLICT (stream_id) DO UPDATE SET total = EXCLUDED.total, items = EXCLUDED.items`,
        [event.streamId, state.total, state.items.join(',')],
      );
    },
    async resetRows(tx) {
      await tx.query('DELETE FROM test_tally');
    },
  });

  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    pool = createPool(db.url, 4);
    dataSource = createDataSource(db.url, { entities: [], migrations: [] }, 3);
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE test_tally (stream_id text PRIMARY KEY, total int NOT NULL, items text NOT NULL)');
    store = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store.close();
    await dataSource.destroy();
    await pool.end();
    await db.drop();
  });

  const rows = async () => (await pool.query('SELECT stream_id, total, items FROM test_tally ORDER BY stream_id')).rows;
  const states = async () =>
    (await pool.query(`SELECT stream_id, revision::int AS revision, state FROM projection_states WHERE projection = 'tally' ORDER BY stream_id`)).rows;

  it('folds interleaved streams in one batch with onState per event in order; a replayed batch changes nothing; a rebuild is identical', async () => {
    const a = `tally-${randomUUID()}`;
    const b = `tally-${randomUUID()}`;
    await store.append(a, [added(1), added(2)], { expectedRevision: 'no_stream' });
    await store.append(`other-${randomUUID()}`, [added(100)], { expectedRevision: 'no_stream' });
    await store.append(b, [added(10)], { expectedRevision: 'no_stream' });
    await store.append(a, [added(3)], { expectedRevision: 1 });
    await store.append(b, [added(20), added(30)], { expectedRevision: 0 });

    const runner = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'test', projections: [projection], batchSize: 500 });
    await runner.reset('tally');
    await runner.catchUp('tally');
    expect(seen.map((s) => [s.streamId === a ? 'a' : 'b', s.revision, s.total])).toEqual([
      ['a', 0, 1],
      ['a', 1, 3],
      ['b', 0, 10],
      ['a', 2, 6],
      ['b', 1, 30],
      ['b', 2, 60],
    ]);
    const expected = [
      { stream_id: a, total: 6, items: '1,2,3' },
      { stream_id: b, total: 60, items: '10,20,30' },
    ].sort((x, y) => x.stream_id.localeCompare(y.stream_id));
    expect(await rows()).toEqual(expected);
    expect((await states()).map((s) => [s.stream_id, s.revision, s.state.total])).toEqual(expected.map((e) => [e.stream_id, 2, e.total]));

    // The same events delivered again (at-least-once) are recognised by their revision.
    seen.length = 0;
    await projection.applyBatch!(await store.readStream(a), dataSource.manager);
    expect(seen).toEqual([]);
    expect(await rows()).toEqual(expected);

    // Small batches (events of one stream split across batches) and a rebuild give the same rows.
    const small = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'test', projections: [projection], batchSize: 2 });
    await small.reset('tally');
    expect(await rows()).toEqual([]);
    await small.catchUp('tally');
    expect(await rows()).toEqual(expected);

    // A checkpoint moved back to the start without a reset (states kept): the replay reads the
    // stored states, so every event is recognised by its revision and nothing is folded twice.
    seen.length = 0;
    await pool.query(`UPDATE projection_checkpoints SET commit_pos = -1, prepare_pos = -1 WHERE name = 'tally'`);
    await small.catchUp('tally');
    expect(seen).toEqual([]);
    expect(await rows()).toEqual(expected);
    expect((await states()).map((s) => [s.stream_id, s.revision, s.state.total])).toEqual(expected.map((e) => [e.stream_id, 2, e.total]));
  });

  it('a run from the start analyses the columns its batches look rows up by, once it has written some (the planner has statistics mid-rebuild)', async () => {
    const dues = aggregateStateProjection<Tally>({
      name: 'tally-dues',
      category: 'tally',
      eventTypes: ['Added'],
      decider: tallyDecider,
      onState(state: Tally, event: RecordedEvent, rows: RowBatch) {
        rows.syncDueActions(event.streamId, 'tally-dues', [{ key: `tally-due:${event.streamId}:${state.total}`, kind: 'tally.check', dueAt: new Date('2026-04-01T00:00:00Z'), payload: {} }]);
      },
      async resetRows(tx) {
        await tx.query(`DELETE FROM due_actions WHERE source = 'tally-dues'`);
      },
    });
    for (let i = 0; i < 20; i++) await store.append(`tally-${randomUUID()}`, [added(i)], { expectedRevision: 'no_stream' });
    const analysed = async () =>
      (await pool.query<{ attname: string }>(`SELECT attname FROM pg_stats WHERE tablename = 'due_actions' ORDER BY attname`)).rows.map((r) => r.attname);
    expect(await analysed()).toEqual([]);
    const runner = new ProjectionRunner({ dataSource, store, connectionString: db.url, owner: 'test', projections: [dues], batchSize: 2 });
    await runner.reset('tally-dues');
    await runner.catchUp('tally-dues');
    // Only the lookup column: analysing the whole shared table cost more than it saved.
    expect(await analysed()).toEqual(['aggregate_id']);
    expect(Number((await pool.query(`SELECT count(*) AS n FROM due_actions WHERE source = 'tally-dues' AND status = 'pending'`)).rows[0].n)).toBeGreaterThanOrEqual(20);
  });
});

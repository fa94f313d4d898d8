import fc from 'fast-check';
import { Column, Entity, PrimaryColumn, type EntityManager } from 'typeorm';
import { createDataSource } from '../database/data-source';
import { PLATFORM_MIGRATIONS } from '../database/migrations';
import { RowBatch } from './row-batch';
import { inlineStatement } from './sql-statement';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';

@Entity('rb_items')
class ItemRow {
  @PrimaryColumn('text', { name: 'item_id' }) itemId: string;
  @PrimaryColumn('integer') part: number;
  @Column('text', { nullable: true }) label: string | null;
  @Column('jsonb', { nullable: true }) tags: string[] | null;
  @Column('date', { name: 'due_on', nullable: true }) dueOn: string | null;
  @Column('timestamptz', { name: 'seen_at', nullable: true }) seenAt: Date | null;
  @Column('char', { length: 7, nullable: true }) month: string | null;
  @Column('numeric', { precision: 12, scale: 2, nullable: true }) amount: string | null;
  @Column('bigint', { nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  revision: number | null;
}

@Entity('rb_children')
class ChildRow {
  @PrimaryColumn('text', { name: 'item_id' }) itemId: string;
  @PrimaryColumn('text', { name: 'child_id' }) childId: string;
  @Column('text') value: string;
}

type Write =
  | { kind: 'upsert'; row: Partial<ItemRow> & { itemId: string; part: number } }
  | { kind: 'update'; itemId: string; part: number; patch: Partial<ItemRow> }
  | { kind: 'insertIfAbsent'; row: Partial<ItemRow> & { itemId: string; part: number } }
  | { kind: 'replace'; itemId: string; children: string[] };

/** The same writes issued one by one through TypeORM: what a RowBatch flush must leave. */
async function applyOneByOne(tx: EntityManager, writes: Write[]): Promise<void> {
  for (const w of writes) {
    if (w.kind === 'upsert' && Object.keys(w.row).length > 2) await tx.upsert(ItemRow, w.row, ['itemId', 'part']);
    if (w.kind === 'upsert' && Object.keys(w.row).length === 2) await tx.createQueryBuilder().insert().into(ItemRow).values(w.row).orIgnore().execute();
    if (w.kind === 'update' && Object.keys(w.patch).length > 0) await tx.update(ItemRow, { itemId: w.itemId, part: w.part }, w.patch);
    if (w.kind === 'insertIfAbsent') await tx.createQueryBuilder().insert().into(ItemRow).values(w.row).orIgnore().execute();
    if (w.kind === 'replace') {
      await tx.delete(ChildRow, { itemId: w.itemId });
      if (w.children.length > 0) await tx.insert(ChildRow, w.children.map((c) => ({ itemId: w.itemId, childId: c, value: `${w.itemId}/${c}` })));
    }
  }
}

function applyBatched(batch: RowBatch, writes: Write[]): void {
  for (const w of writes) {
    if (w.kind === 'upsert') batch.upsert(ItemRow, w.row);
    if (w.kind === 'update') batch.update(ItemRow, { itemId: w.itemId, part: w.part }, w.patch);
    if (w.kind === 'insertIfAbsent') batch.insertIfAbsent(ItemRow, w.row);
    if (w.kind === 'replace') batch.replace(ChildRow, { itemId: w.itemId }, w.children.map((c) => ({ itemId: w.itemId, childId: c, value: `${w.itemId}/${c}` })));
  }
}

describe('RowBatch (set-based projection writes)', () => {
  let db: TestDatabase;
  let dataSource: ReturnType<typeof createDataSource>;

  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    dataSource = createDataSource(db.url, { entities: [ItemRow, ChildRow], migrations: [] }, 3);
    await dataSource.initialize();
    for (const schema of ['one', 'batch', 'script']) {
      await dataSource.query(`CREATE SCHEMA ${schema}`);
      await dataSource.query(`CREATE TABLE ${schema}.rb_items (item_id text, part integer, label text NOT NULL DEFAULT 'none', tags jsonb, due_on date,
        seen_at timestamptz, month char(7), amount numeric(12,2), revision bigint, PRIMARY KEY (item_id, part))`);
      await dataSource.query(`CREATE TABLE ${schema}.rb_children (item_id text, child_id text, value text NOT NULL, PRIMARY KEY (item_id, child_id))`);
    }
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  /** Runs `fn` with the unqualified table names resolving to `schema`'s tables. */
  async function inSchema(schema: string, fn: (tx: EntityManager) => Promise<void>): Promise<void> {
    await dataSource.transaction(async (tx) => {
      await tx.query(`SET LOCAL search_path TO ${schema}, public`);
      await fn(tx);
    });
  }
  const dump = async (schema: string) => ({
    items: await dataSource.query(`SELECT * FROM ${schema}.rb_items ORDER BY item_id, part`),
    children: await dataSource.query(`SELECT * FROM ${schema}.rb_children ORDER BY item_id, child_id`),
  });
  /**
   * The writes one by one in schema `one`; as a RowBatch flushed statement by statement in schema
   * `batch`; as the same statements with their values inlined and sent as one script (the projection
   * runner's pipelined batches) in schema `script`.
   */
  async function applyAllWays(writes: Write[]): Promise<void> {
    await inSchema('one', (tx) => applyOneByOne(tx, writes));
    await inSchema('batch', async (tx) => {
      const batch = new RowBatch(tx.connection);
      applyBatched(batch, writes);
      await batch.flush(tx);
    });
    const batch = new RowBatch(dataSource);
    applyBatched(batch, writes);
    await dataSource.query(['BEGIN', 'SET LOCAL search_path TO script, public', ...batch.statements().map(inlineStatement), 'COMMIT'].join(';\n'));
  }
  const clear = async () => {
    for (const schema of ['one', 'batch', 'script']) await dataSource.query(`TRUNCATE ${schema}.rb_items, ${schema}.rb_children`);
  };

  it('writes every column type as TypeORM would (jsonb, date, timestamptz, char(n), numeric, bigint with a transformer); unwritten columns keep their value', async () => {
    await clear();
    const writes: Write[] = [
      { kind: 'upsert', row: { itemId: 'a', part: 1, label: 'first', tags: ['x', 'y "quoted"'], dueOn: '2026-03-31', seenAt: new Date('2026-03-01T10:00:00.123Z'), month: '2026-03', amount: '12.50', revision: 3 } },
      { kind: 'upsert', row: { itemId: 'a', part: 1, amount: '13.00' } },
      { kind: 'upsert', row: { itemId: 'b', part: 1, tags: null, revision: 9_007_199_254 } },
      { kind: 'update', itemId: 'a', part: 1, patch: { label: 'patched' } },
    ];
    await applyAllWays(writes);
    const batched = await dump('batch');
    expect(batched).toEqual(await dump('one'));
    expect(await dump('script')).toEqual(batched);
    expect(batched.items[0]).toMatchObject({ label: 'patched', tags: ['x', 'y "quoted"'], month: '2026-03', amount: '13.00', revision: '3' });
    expect(batched.items[0].seen_at.toISOString()).toBe('2026-03-01T10:00:00.123Z');
  });

  it('an update before an upsert of the same row keeps the upsert’s columns and its own others; a replaced child set is exactly the last one', async () => {
    await clear();
    const seed: Write[] = [{ kind: 'upsert', row: { itemId: 'a', part: 1, label: 'seed', amount: '1.00' } }];
    const writes: Write[] = [
      { kind: 'update', itemId: 'a', part: 1, patch: { label: 'by update', amount: '2.00' } },
      { kind: 'upsert', row: { itemId: 'a', part: 1, label: 'by upsert' } },
      { kind: 'replace', itemId: 'a', children: ['c1', 'c2'] },
      { kind: 'replace', itemId: 'a', children: ['c3'] },
      { kind: 'insertIfAbsent', row: { itemId: 'a', part: 2, label: 'inserted' } },
      { kind: 'insertIfAbsent', row: { itemId: 'a', part: 2, label: 'second ignored' } },
    ];
    for (const schema of ['one', 'batch', 'script']) await inSchema(schema, (tx) => applyOneByOne(tx, seed));
    await applyAllWays(writes);
    const batched = await dump('batch');
    expect(batched).toEqual(await dump('one'));
    expect(await dump('script')).toEqual(batched);
    expect(batched.items.map((r: ItemRow & { item_id: string }) => [r.part, r.label, r.amount])).toEqual([
      [1, 'by upsert', '2.00'],
      [2, 'inserted', null],
    ]);
    expect(batched.children.map((c: { child_id: string }) => c.child_id)).toEqual(['c3']);
  });

  it('any sequence of writes flushed as a batch, or sent inlined as one script, leaves the tables exactly as the same writes one by one (fast-check, seeded)', async () => {
    const key = fc.record({ itemId: fc.constantFrom('a', 'b', 'c'), part: fc.constantFrom(1, 2) });
    const columns = fc.record(
      {
        label: fc.string({ maxLength: 8 }),
        tags: fc.option(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 })),
        dueOn: fc.option(fc.constantFrom('2026-01-31', '2026-02-28', '2027-12-31')),
        amount: fc.option(fc.constantFrom('0.00', '-4.10', '99999.99')),
        revision: fc.option(fc.nat()),
      },
      { requiredKeys: [] },
    );
    const write: fc.Arbitrary<Write> = fc.oneof(
      fc.tuple(key, columns).map(([k, c]) => ({ kind: 'upsert' as const, row: { ...c, ...k } })),
      fc.tuple(key, columns).map(([k, c]) => ({ kind: 'update' as const, ...k, patch: c })),
      // History rows (insertIfAbsent) have keys of their own: never upserted nor updated.
      fc.tuple(fc.constantFrom('a', 'b'), columns).map(([itemId, c]) => ({ kind: 'insertIfAbsent' as const, row: { ...c, itemId, part: 3 } })),
      fc.tuple(fc.constantFrom('a', 'b'), fc.uniqueArray(fc.constantFrom('x', 'y', 'z'))).map(([itemId, children]) => ({ kind: 'replace' as const, itemId, children })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(write, { maxLength: 5 }), fc.array(write, { maxLength: 25 }), async (seed, writes) => {
        await clear();
        for (const schema of ['one', 'batch', 'script']) await inSchema(schema, (tx) => applyOneByOne(tx, seed));
        await applyAllWays(writes);
        expect(await dump('batch')).toEqual(await dump('one'));
        expect(await dump('script')).toEqual(await dump('one'));
      }),
      { seed: 20261207, numRuns: 60 },
    );
  });

  it('due actions of many aggregates are synced in one flush: unwanted pending ones cancelled, moved ones rescheduled, done ones kept; one wanted only mid-batch is left cancelled, as per-event syncs would', async () => {
    await dataSource.transaction(async (tx) => {
      const batch = new RowBatch(tx.connection);
      batch.syncDueActions('agg-1', 'rb', [
        { key: 'agg-1:renewal', kind: 'renewal', dueAt: new Date('2026-04-01T00:00:00Z') },
        { key: 'agg-1:notice', kind: 'notice', dueAt: new Date('2026-03-01T00:00:00Z') },
      ]);
      batch.syncDueActions('agg-2', 'rb', [{ key: 'agg-2:renewal', kind: 'renewal', dueAt: new Date('2026-05-01T00:00:00Z') }]);
      batch.syncDueActions('agg-3', 'rb', [{ key: 'agg-3:breach', kind: 'breach', dueAt: new Date('2026-03-02T00:00:00Z') }]);
      batch.syncDueActions('agg-3', 'rb', []);
      await batch.flush(tx);
    });
    await dataSource.query(`UPDATE due_actions SET status = 'done' WHERE key = 'agg-1:notice'`);
    await dataSource.transaction(async (tx) => {
      const batch = new RowBatch(tx.connection);
      batch.syncDueActions('agg-1', 'rb', [{ key: 'agg-1:renewal', kind: 'renewal', dueAt: new Date('2026-04-02T00:00:00Z') }]);
      batch.syncDueActions('agg-2', 'rb', []);
      await batch.flush(tx);
    });
    const rows = await dataSource.query(`SELECT key, status, due_at FROM due_actions WHERE source = 'rb' ORDER BY key`);
    expect(rows.map((r: { key: string; status: string; due_at: Date }) => [r.key, r.status, r.due_at.toISOString()])).toEqual([
      ['agg-1:notice', 'done', '2026-03-01T00:00:00.000Z'],
      ['agg-1:renewal', 'pending', '2026-04-02T00:00:00.000Z'],
      ['agg-2:renewal', 'cancelled', '2026-05-01T00:00:00.000Z'],
      ['agg-3:breach', 'cancelled', '2026-03-02T00:00:00.000Z'],
    ]);
  });
  it('fresh aggregates (a rebuild\'s first batch of them): no lookup of earlier rows, yet the same rows; an action wanted only mid-batch is still cancelled', async () => {
    const writeAll = (batch: RowBatch, fresh: boolean) => {
      batch.replace(ChildRow, { itemId: 'fresh-1' }, [{ itemId: 'fresh-1', childId: 'x', value: 'v' }], { fresh });
      batch.syncDueActions('fresh-1', 'rb-fresh', [{ key: 'fresh-1:renewal', kind: 'renewal', dueAt: new Date('2026-04-01T00:00:00Z') }], { fresh });
      batch.syncDueActions('fresh-2', 'rb-fresh', [{ key: 'fresh-2:breach', kind: 'breach', dueAt: new Date('2026-03-02T00:00:00Z') }], { fresh });
      batch.syncDueActions('fresh-2', 'rb-fresh', [], { fresh });
    };
    const fresh = new RowBatch(dataSource);
    writeAll(fresh, true);
    const statements = fresh.statements();
    expect(statements.filter((s) => /^DELETE/.test(s.text))).toEqual([]);
    // Only the aggregate with an action wanted mid-batch is looked up (to cancel it).
    const cancels = statements.filter((s) => /^UPDATE due_actions/.test(s.text));
    expect(cancels.map((s) => s.values[0])).toEqual([['fresh-2']]);

    const dumpFresh = async () => ({
      children: await dataSource.query(`SELECT item_id, child_id, value FROM batch.rb_children WHERE item_id = 'fresh-1'`),
      actions: await dataSource.query(`SELECT key, status FROM due_actions WHERE source = 'rb-fresh' ORDER BY key`),
    });
    await inSchema('batch', async (tx) => {
      for (const s of statements) await tx.query(s.text, s.values);
    });
    const afterFresh = await dumpFresh();
    await dataSource.query(`DELETE FROM batch.rb_children WHERE item_id = 'fresh-1'`);
    await dataSource.query(`DELETE FROM due_actions WHERE source = 'rb-fresh'`);
    await inSchema('batch', async (tx) => {
      const batch = new RowBatch(tx.connection);
      writeAll(batch, false);
      await batch.flush(tx);
    });
    expect(afterFresh).toEqual(await dumpFresh());
    expect(afterFresh.actions).toEqual([
      { key: 'fresh-1:renewal', status: 'pending' },
      { key: 'fresh-2:breach', status: 'cancelled' },
    ]);
  });
});

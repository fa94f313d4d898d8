import { createDataSource } from '../../../platform/src/database/data-source';
import { PLATFORM_MIGRATIONS } from '../../../platform/src/database/migrations';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { LineCommitments1764000200500 } from './1764000200500-line-commitments';
import { SUBSCRIPTION_MIGRATIONS } from './migrations';

const BEFORE = SUBSCRIPTION_MIGRATIONS.slice(0, SUBSCRIPTION_MIGRATIONS.indexOf(LineCommitments1764000200500));

/** Rows as the projection wrote them before the migration: a MOBILE contract and two lines on its calendar. */
const ROWS = `INSERT INTO subscription_commitments VALUES
  ('0190a8a4-0000-7000-8000-000000000001', '', 'contract', '0190a8a4-0000-7000-8000-0000000000c1', 'MOBILE', 'active', '2026-03-02',
   'before_period_end', 3, '2026-04-01', 24, 12, '2028-03-31', 0, 'initial', '2026-04-01', '2028-03-31', '2027-12-31', true, NULL, NULL, '2026-03-02T10:00:00Z'),
  ('0190a8a4-0000-7000-8000-000000000001', 'line-1', 'line', '0190a8a4-0000-7000-8000-0000000000c1', 'MOBILE', 'active', '2026-03-02',
   'before_period_end', 3, '2026-04-01', 24, 12, '2028-03-31', 0, 'initial', '2026-04-01', '2028-03-31', '2027-12-31', true, NULL, NULL, '2026-03-02T10:00:00Z'),
  ('0190a8a4-0000-7000-8000-000000000001', 'line-2', 'line', '0190a8a4-0000-7000-8000-0000000000c1', 'MOBILE', 'terminated', '2026-03-05',
   'before_period_end', 3, '2026-04-01', 24, 12, '2028-03-31', 0, 'initial', '2026-04-01', '2028-03-31', NULL, false, NULL, '2026-09-30', '2026-03-02T10:00:00Z'),
  ('0190a8a4-0000-7000-8000-000000000002', '', 'contract', '0190a8a4-0000-7000-8000-0000000000c1', 'DATA', 'terminated', '2026-01-10',
   'from_receipt', 1, '2026-02-01', 36, 12, '2029-01-31', 0, 'initial', '2026-02-01', '2029-01-31', NULL, false, '2026-06-30', '2026-06-30', '2026-05-02T10:00:00Z')`;

describe('Migration 1764000200500: one commitment calendar per contract, lines keep their own columns', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: [...PLATFORM_MIGRATIONS, ...BEFORE] });
  });
  afterAll(async () => db?.drop());

  it('SUB-15 the view gives every row exactly as it was stored before (lines on their contract calendar), and down restores the table', async () => {
    const ds = createDataSource(db.url, { entities: [], migrations: [] }, 3);
    await ds.initialize();
    const runner = ds.createQueryRunner();
    const all = () => ds.query(`SELECT * FROM subscription_commitments ORDER BY subscription_id, line_id`);
    try {
      await ds.query(ROWS);
      const before = await all();
      expect(before).toHaveLength(4);
      await new LineCommitments1764000200500().up(runner);
      expect(await all()).toEqual(before);
      expect((await ds.query(`SELECT count(*)::int AS n FROM subscription_line_commitments`))[0].n).toBe(2);
      expect((await ds.query(`SELECT count(*)::int AS n FROM subscription_contract_commitments`))[0].n).toBe(2);
      // Renewal sweeps read the contract branch only, through the period-end index.
      const plan = (await ds.query(`EXPLAIN SELECT * FROM subscription_commitments WHERE scope = 'contract' AND period_end_on BETWEEN '2028-01-01' AND '2028-12-31'`))
        .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
        .join('\n');
      expect(plan).not.toMatch(/subscription_line_commitments/);
      await new LineCommitments1764000200500().down(runner);
      expect(await all()).toEqual(before);
    } finally {
      await runner.release();
      await ds.destroy();
    }
  });
});

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { PLATFORM_MIGRATIONS } from './migrations/index';
import { migrate } from './data-source';
import { Client } from 'pg';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('replicas starting together migrate once: the others wait and find nothing to apply', async () => {
    const parts = { entities: [], migrations: PLATFORM_MIGRATIONS };
    const runs = await Promise.all([migrate(db.url, parts), migrate(db.url, parts), migrate(db.url, parts)]);
    const applied = runs.map((names) => names.length).sort();
    expect(applied).toEqual([0, 0, PLATFORM_MIGRATIONS.length]);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const rows = (await c.query('SELECT count(*)::int AS n FROM migrations')).rows;
    await c.end();
    expect(rows[0].n).toBe(PLATFORM_MIGRATIONS.length);
  });
});

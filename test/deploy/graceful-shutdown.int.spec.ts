import { Pool, type PoolClient } from 'pg';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';
import { PROJECTION_LOCK_NAMESPACE } from '../../libs/platform/src/projections/projection-runner';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { Cluster, sleep } from './cluster';

const ADMIN = 'dev-admin-key';

/**
 * SIGTERM on an API process that also runs the worker (the `npm start` shape): the request in
 * flight finishes with its answer, new connections are refused, the projection leases and the
 * database sessions are released, and the process exits 0.
 */
describe('graceful shutdown', () => {
  let db: TestDatabase;
  let pool: Pool;
  let cluster: Cluster;
  beforeAll(async () => {
    db = await createTestDatabase(DATABASE_PARTS);
    pool = new Pool({ connectionString: db.url, max: 3 });
    cluster = new Cluster({ DATABASE_URL: db.url, NODE_ENV: 'test', CLOCK: 'test', LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await cluster?.stopAll();
    await pool?.end();
    await db?.drop();
  });

  const setClock = (baseUrl: string, instant: string) =>
    fetch(`${baseUrl}/admin/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': ADMIN },
      body: JSON.stringify({ instant }),
      signal: AbortSignal.timeout(20_000),
    });

  it('SIGTERM: the in-flight request completes, leases are released, the process exits 0', async () => {
    const api = await cluster.startApi('api-1', { RUN_WORKER: 'true' });
    expect((await setClock(api.baseUrl!, '2027-01-01T00:00:00Z')).status).toBe(200);
    const leases = async () =>
      Number((await pool.query(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = $1`, [PROJECTION_LOCK_NAMESPACE])).rows[0].count);
    expect(await leases()).toBeGreaterThan(0);

    // Hold the clock row so the next request is in flight (blocked in the database) when SIGTERM arrives.
    let blocker: PoolClient | null = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT * FROM test_clock WHERE id = 1 FOR UPDATE');
    const inFlight = setClock(api.baseUrl!, '2027-06-01T00:00:00Z');
    await sleep(500);
    const terminated = cluster.terminate('api-1');
    await sleep(500);
    // Meanwhile the server takes no new connection.
    await expect(fetch(`${api.baseUrl}/health/live`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    await blocker.query('COMMIT');
    blocker.release();
    blocker = null;

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ now: '2027-06-01T00:00:00.000Z' });
    expect(await terminated).toEqual({ code: 0, signal: null, forced: false });
    expect(await leases()).toBe(0);
    const sessions = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
    // Only this test's own pool remains connected.
    expect(sessions.rows[0].n).toBeLessThanOrEqual(2);
  });
});

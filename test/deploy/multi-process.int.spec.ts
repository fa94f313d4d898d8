import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { PostgresEventStore } from '../../libs/event-store/src';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { until } from '../support/processes';
import { Cluster, LeaseSampler, sleep } from './cluster';
import { applicationProjectionEventTypes } from '../support/projection-types';
import { PROBE_EVENT_TYPES, PROBE_KIND, PROBE_PROJECTION, PROBE_TABLES } from './probe';

/**
 * The topology of docker-compose.yml and deploy/k8s on one machine: 2 API processes
 * (RUN_WORKER=false) and 2 worker processes on one PostgreSQL database, all real entry points.
 * The workers run apps/worker/src/main.ts through test/deploy/probe-worker.ts, which adds a
 * test-only projection and due-action handler (the bounded contexts add theirs the same way).
 *
 * Shown here, with SIGKILL of one API and of the lease-holding worker:
 * - every projection is held by exactly one worker at any time (pg_locks sampled every 100 ms
 *   during the whole test; projection_checkpoints.owner), never by an API, and moves to the other
 *   worker when its holder dies; each event is applied once per projection;
 * - no accepted command (2xx) is lost or written twice;
 * - each due action takes effect once, although the killed worker's batch is run again;
 * - a hung (SIGSTOPped) worker keeps its leases; the worker health check of the image reports it;
 * - SIGTERM stops a worker and an API with exit 0 and releases the leases at once.
 */

const ADMIN = 'dev-admin-key';
const SYSTEM = 'dev-system-key';
const HEALTHCHECK = resolve(__dirname, '../../deploy/docker/healthcheck.js');

interface Outcome {
  customerId: string;
  status: 'accepted' | 'stale-claim';
  via: string[];
}

describe('Multi-process topology: 2 APIs + 2 workers on one database', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let cluster: Cluster;
  let childEnv: Record<string, string>;
  const outcomes: Outcome[] = [];
  const locks = new LeaseSampler();

  beforeAll(async () => {
    // Migrated up front, like the `migrate` service / Job of the deployment: processes starting
    // together on a fresh database would race on the migrations (docs/operations.md).
    db = await createTestDatabase(DATABASE_PARTS);
    pool = new Pool({ connectionString: db.url, max: 4 });
    await pool.query(PROBE_TABLES);
    store = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 50 });
    // As in docker-compose.yml: the password travels in PGPASSWORD, not in DATABASE_URL.
    const url = new URL(db.url);
    const password = decodeURIComponent(url.password);
    url.password = '';
    childEnv = {
      DATABASE_URL: url.toString(),
      PGPASSWORD: password,
      NODE_ENV: 'test',
      CLOCK: 'test',
      DB_POOL_SIZE: '4',
      // A dead worker's due-action claims return after this lease (60 s by default).
      SCHEDULER_CLAIM_SECONDS: '3',
    };
    cluster = new Cluster(childEnv);
    try {
      await Promise.all([
        cluster.startApi('api-1'),
        cluster.startApi('api-2'),
        cluster.startWorker('worker-1', { PROBE_HANDLER_DELAY_MS: '100' }, 'test/deploy/probe-worker.ts'),
      ]);
      // Started second, so worker-1 holds every lease and worker-2 is the standby.
      await cluster.startWorker('worker-2', { PROBE_HANDLER_DELAY_MS: '5' }, 'test/deploy/probe-worker.ts');
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${cluster.logTail()}`);
    }
    await locks.start(db.url);
  }, 90_000);

  afterAll(async () => {
    await locks.stop();
    await cluster?.stopAll();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  // ---------------------------------------------------------------------------------------------
  const projectionNames = async (): Promise<string[]> =>
    (await pool.query('SELECT name FROM projection_checkpoints ORDER BY name')).rows.map((r) => r.name);

  const checkpoints = async () =>
    (await pool.query('SELECT name, commit_pos, prepare_pos, events_applied::int AS applied, owner FROM projection_checkpoints ORDER BY name')).rows;

  /** Every projection at the head of the event store. */
  async function settled(owner?: string, timeoutMs = 30_000) {
    const head = await store.headPosition();
    return until(
      checkpoints,
      (rows) => rows.every((r) => BigInt(r.commit_pos) === head.commit && BigInt(r.prepare_pos) === head.prepare && (!owner || r.owner === owner)),
      timeoutMs,
      `projections at ${head.commit}/${head.prepare}${owner ? ` owned by ${owner}` : ''}`,
    ).catch((error) => {
      throw new Error(`${error.message}\n${cluster.logTail()}`);
    });
  }

  const eventCount = async (where = 'true', params: unknown[] = []) =>
    Number((await pool.query(`SELECT count(*) FROM es_events WHERE ${where}`, params)).rows[0].count);

  async function register(customerId: string, api: string) {
    const res = await fetch(`${cluster.get(api).baseUrl}/customers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': SYSTEM, 'Idempotency-Key': `register-${customerId}` },
      body: JSON.stringify({
        customerId,
        companyName: `Deploy Test ${customerId.slice(0, 8)} SARL`,
        siret: '73282932000074',
        billingAddress: { line1: '1 rue du Test', postalCode: '75002', city: 'Paris', country: 'FR' },
        contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Jeanne Test', email: 'jeanne@example.fr', phone: '0612345678' }],
      }),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  }

  /**
   * A client behind the proxy: round robin over the APIs still up; a request that fails on the
   * network is retried on another API with the same Idempotency-Key (at-least-once delivery).
   */
  async function send(customerId: string, first: string): Promise<Outcome> {
    const via: string[] = [];
    let api = first;
    const deadline = Date.now() + 4_000;
    for (;;) {
      via.push(api);
      try {
        const res = await register(customerId, api);
        if (res.status === 201) return { customerId, status: 'accepted', via };
        if (res.status === 409 && res.body?.code === 'idempotency_request_in_progress') {
          // The first attempt's claim is pending. Its API may be alive (wait) or dead: a claim
          // left by a killed API is never released (reported below).
          if (Date.now() > deadline) return { customerId, status: 'stale-claim', via };
          await sleep(200);
          continue;
        }
        throw new Error(`register ${customerId} via ${api}: ${res.status} ${JSON.stringify(res.body)}`);
      } catch (error) {
        if ((error as Error).message.startsWith('register ')) throw error;
        const alive = cluster.running().filter((p) => p.role === 'api' && p.name !== api);
        if (alive.length === 0 || Date.now() > deadline) throw error;
        api = alive[0].name;
      }
    }
  }

  /**
   * Freezes a process outside any transaction: a process stopped inside one would hold back the
   * PostgreSQL event store's visibility horizon (ADR 0003) for everybody, a different scenario.
   */
  async function freeze(name: string) {
    for (let attempt = 0; ; attempt++) {
      cluster.freeze(name);
      await sleep(100); // statements already sent finish
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      );
      if (rows[0].n === 0) return;
      if (attempt >= 20) throw new Error(`${name} keeps a transaction open`);
      cluster.thaw(name);
      await sleep(50 + Math.random() * 100);
    }
  }

  function healthcheck(mode: 'api' | 'worker', env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    return new Promise((done) => {
      execFile(process.execPath, [HEALTHCHECK, mode], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15_000 }, (error, _stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
      );
    });
  }

  // ---------------------------------------------------------------------------------------------
  it('starts: both APIs healthy, worker-1 holds every projection lease, worker-2 stands by, the APIs hold none', async () => {
    const names = await projectionNames();
    expect(names).toEqual(expect.arrayContaining(['customers', PROBE_PROJECTION]));
    const rows = await checkpoints();
    expect(rows.every((r) => r.owner === 'worker-1')).toBe(true);
    expect(await locks.holdersNow()).toEqual(Object.fromEntries(names.map((n) => [n, 1])));

    for (const api of ['api-1', 'api-2']) {
      const health = (await (await fetch(`${cluster.get(api).baseUrl}/health`)).json()) as { projections: Array<{ runningHere: boolean }> };
      expect(health).toMatchObject({ status: 'up', eventStoreAdapter: 'postgresql', database: { status: 'up' } });
      expect(health.projections.every((p: { runningHere: boolean }) => !p.runningHere)).toBe(true);
      // The image's HEALTHCHECK script, as Docker and Compose run it.
      expect(await healthcheck('api', { PORT: String(cluster.get(api).port), HOST: '127.0.0.1' })).toMatchObject({ code: 0 });
    }
    for (const worker of ['worker-1', 'worker-2']) {
      const check = await healthcheck('worker', { ...childEnv, INSTANCE_NAME: worker });
      expect(check).toEqual({ code: 0, stderr: '' });
    }
  });

  it('commands through both APIs while api-2 is SIGKILLed: every accepted command is stored once and projected once', async () => {
    const total = 60;
    const ids = Array.from({ length: total }, () => randomUUID());
    let completed = 0;
    let killed: Promise<void> | null = null;
    let next = 0;
    const lane = async () => {
      while (next < ids.length) {
        const i = next++;
        const first = cluster.running().filter((p) => p.role === 'api')[i % 2]?.name ?? 'api-1';
        outcomes.push(await send(ids[i], first));
        if (++completed === 20) killed = cluster.kill('api-2');
      }
    };
    await Promise.all(Array.from({ length: 6 }, lane));
    await killed;
    expect(cluster.get('api-2').child.signalCode).toBe('SIGKILL');

    // The killed API is reported down by the image's health check.
    expect((await healthcheck('api', { PORT: String(cluster.get('api-2').port), HOST: '127.0.0.1' })).code).toBe(1);

    const accepted = outcomes.filter((o) => o.status === 'accepted');
    const stale = outcomes.filter((o) => o.status === 'stale-claim');
    expect(accepted.length + stale.length).toBe(total);
    expect(accepted.filter((o) => o.via.includes('api-2')).length).toBeGreaterThan(0); // traffic went to both
    expect(stale.length).toBeLessThanOrEqual(6); // at most the requests in flight at the kill

    await settled('worker-1');
    const registered = await pool.query(
      `SELECT stream_id, count(*)::int AS n FROM es_events WHERE type = 'CustomerRegistered' GROUP BY stream_id`,
    );
    const perStream = new Map(registered.rows.map((r) => [r.stream_id as string, r.n as number]));
    // Nothing written twice, whatever happened to the request.
    expect([...perStream.values()].every((n) => n === 1)).toBe(true);
    // Every accepted command is in the store, the read model and the probe projection once.
    for (const o of accepted) expect(perStream.get(`customer-${o.customerId}`)).toBe(1);
    const projected = await pool.query('SELECT customer_id FROM customers WHERE customer_id = ANY($1::uuid[])', [accepted.map((o) => o.customerId)]);
    expect(projected.rowCount).toBe(accepted.length);
    const applied = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM deploy_probe_applied WHERE type = 'CustomerRegistered'`);
    expect(applied.rows[0]).toEqual({ n: perStream.size, d: perStream.size });
    const due = await pool.query(`SELECT count(*)::int AS n FROM due_actions WHERE kind = $1 AND status = 'pending'`, [PROBE_KIND]);
    expect(due.rows[0].n).toBe(perStream.size);

    // A request api-2 had claimed when it died keeps answering 409 "in progress": the client
    // cannot learn whether it took effect (see the report in docs/operations.md).
    const staleWritten = stale.filter((o) => perStream.has(`customer-${o.customerId}`)).length;
    process.stdout.write(
      `[multi-process] ${accepted.length} accepted (${accepted.filter((o) => o.via.length > 1).length} after a retry on the other API), ` +
        `${stale.length} left with a stale Idempotency-Key claim by the killed API (${staleWritten} of them written)\n`,
    );
  });

  it('due actions run once: worker-1 is SIGKILLed in the middle of a scheduler batch while holding every lease; worker-2 takes over', async () => {
    const pendingBefore = (await pool.query(`SELECT count(*)::int AS n FROM due_actions WHERE kind = $1 AND status = 'pending'`, [PROBE_KIND])).rows[0].n;
    expect(pendingBefore).toBeGreaterThan(10);
    // Only worker-1 may take the first batch: worker-2 is frozen until worker-1 is dead.
    await freeze('worker-2');
    try {
      const travel = await fetch(`${cluster.get('api-1').baseUrl}/admin/clock`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': ADMIN },
        body: JSON.stringify({ advance: 'P2D' }),
      });
      expect(travel.status).toBe(200);
      // worker-1 handles 100 ms per action, each marked done on its own: kill it after a few.
      await until(
        async () => (await pool.query(`SELECT count(*)::int AS n FROM deploy_probe_runs WHERE worker = 'worker-1'`)).rows[0].n,
        (n) => n >= 5,
        20_000,
        'worker-1 running due actions',
      );
      await cluster.kill('worker-1');
    } finally {
      cluster.thaw('worker-2');
    }
    const killedAt: Date = (await pool.query('SELECT clock_timestamp() AS t')).rows[0].t;
    const byWorker1 = (await pool.query(`SELECT DISTINCT key FROM deploy_probe_runs WHERE worker = 'worker-1'`)).rows.map((r) => r.key);
    // Each action is marked done as soon as it ran: only the one in hand at the kill can be left
    // pending, its claim held by the dead worker until the lease expires.
    expect(byWorker1.length).toBeGreaterThanOrEqual(5);
    const doneByWorker1 = (await pool.query(`SELECT count(*)::int AS n FROM due_actions WHERE key = ANY($1) AND status = 'done'`, [byWorker1])).rows[0].n;
    expect(doneByWorker1).toBeGreaterThanOrEqual(byWorker1.length - 1);

    await until(
      async () => (await pool.query(`SELECT count(*)::int AS n FROM due_actions WHERE kind = $1 AND status <> 'done'`, [PROBE_KIND])).rows[0].n,
      (n) => n === 0,
      30_000,
      'every due action done',
    );
    await settled('worker-2');

    const actions = (await pool.query(`SELECT key, command_id, attempts FROM due_actions WHERE kind = $1`, [PROBE_KIND])).rows;
    expect(actions.length).toBe(pendingBefore);
    const effects = await pool.query(
      `SELECT metadata->>'commandId' AS command_id, count(*)::int AS n FROM es_events WHERE type = 'DeployProbeFollowedUp' GROUP BY 1`,
    );
    const effectOf = new Map(effects.rows.map((r) => [r.command_id as string, r.n as number]));
    // One effect per due action, although some ran twice (worker-1, then worker-2 after the crash).
    expect(effects.rowCount).toBe(actions.length);
    for (const a of actions) expect(effectOf.get(a.command_id)).toBe(1);
    const rerun = (await pool.query(`SELECT key FROM deploy_probe_runs GROUP BY key HAVING count(DISTINCT worker) = 2`)).rows.map((r) => r.key);
    // Run again: at most the action in hand at the kill (when its effect was written but not yet marked done).
    expect(rerun.length).toBeLessThanOrEqual(1);
    for (const key of rerun) expect(byWorker1).toContain(key);

    // Each event applied once per projection: events_applied counts the events of the
    // projection's types, so it equals their number only if no batch was applied twice or skipped.
    const types = await applicationProjectionEventTypes(db.url);
    types.set(PROBE_PROJECTION, PROBE_EVENT_TYPES);
    for (const row of await checkpoints()) {
      expect(types.has(row.name)).toBe(true);
      expect({ name: row.name, applied: row.applied }).toEqual({ name: row.name, applied: await eventCount('type = ANY($1)', [types.get(row.name)]) });
    }
    const probe = await pool.query(`SELECT count(*)::int AS n FROM deploy_probe_applied`);
    expect(probe.rows[0].n).toBe(await eventCount(`type IN ('CustomerRegistered', 'DeployProbeFollowedUp')`));
    // After worker-1's death, only worker-2 applied events.
    const late = await pool.query(`SELECT DISTINCT worker FROM deploy_probe_applied WHERE applied_at > $1`, [killedAt]);
    expect(late.rows.map((r) => r.worker)).toEqual(['worker-2']);
    process.stdout.write(`[multi-process] ${actions.length} due actions, ${rerun.length} run again after the crash, one effect each\n`);
  });

  it('a hung worker keeps its leases: the worker health check fails, and SIGTERM hands the projections over at once', async () => {
    await cluster.startWorker('worker-1', { PROBE_HANDLER_DELAY_MS: '5' }, 'test/deploy/probe-worker.ts');
    const names = await projectionNames();
    await freeze('worker-2');
    try {
      for (let i = 0; i < 3; i++) expect((await send(randomUUID(), 'api-1')).status).toBe('accepted');
      await sleep(2_200);
      // Still exactly one holder per projection: the frozen worker's sessions keep the locks.
      expect(await locks.holdersNow()).toEqual(Object.fromEntries(names.map((n) => [n, 1])));
      expect((await checkpoints()).every((r) => r.owner === 'worker-2')).toBe(true);
      const hung = await healthcheck('worker', { ...childEnv, INSTANCE_NAME: 'worker-2', HEALTHCHECK_STALL_SECONDS: '1' });
      expect(hung.code).toBe(1);
      expect(hung.stderr).toMatch(/projections leased to worker-2 have not moved/);
      expect((await healthcheck('worker', { ...childEnv, INSTANCE_NAME: 'worker-1', HEALTHCHECK_STALL_SECONDS: '1' })).code).toBe(0);
    } finally {
      cluster.thaw('worker-2');
    }
    await settled('worker-2');

    // Graceful stop: exit 0, leases released with the sessions, the standby takes over within
    // its lease retry period (2 s) instead of waiting for a dead connection to be noticed.
    const stopping = Date.now();
    const stopped = await cluster.terminate('worker-2');
    const workerStopMs = Date.now() - stopping;
    expect(stopped).toEqual({ code: 0, signal: null, forced: false });
    for (let i = 0; i < 2; i++) expect((await send(randomUUID(), 'api-1')).status).toBe('accepted');
    await settled('worker-1', 15_000);
    const takeoverMs = Date.now() - stopping;
    const apiStopping = Date.now();
    expect(await cluster.terminate('api-1')).toEqual({ code: 0, signal: null, forced: false });
    process.stdout.write(
      `[multi-process] SIGTERM: worker exit 0 after ${workerStopMs} ms, projections caught up by the standby ${takeoverMs} ms after the signal; API exit 0 after ${Date.now() - apiStopping} ms\n`,
    );
  });

  it('throughout: never two holders of one projection, never an API as owner', () => {
    const summary = locks.summary();
    expect(summary.samples).toBeGreaterThan(50);
    for (const [name, max] of Object.entries(summary.maxHolders)) expect({ name, max }).toEqual({ name, max: 1 });
    expect([...summary.owners].sort()).toEqual(['worker-1', 'worker-2']);
  });
});

import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { loadConfig, openRuntime, WorkerService, type Runtime } from '../../libs/platform/src';
import { PiiVault } from '../../libs/privacy/src';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { generateDataset } from '../../apps/cli/src/generate';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { until } from '../support/processes';
import { Cluster, sleep } from '../deploy/cluster';
import { installReliabilityProbe, RELIABILITY_KIND, RELIABILITY_PROJECTION, RELIABILITY_TABLES } from './support/chaos-worker';
import { contactBody, customerBody } from './support/api';
import { differences, scheduledActions, snapshotReadModels } from './support/read-models';
import { size } from './support/scale';

/**
 * SIGKILL of the worker at random points, first during a projection rebuild (a generated data set
 * replayed from position 0 by every projection of every context, reset again whenever it caught
 * up, so that each kill lands in a rebuild), then during live traffic through a real API process.
 * Every projection of the application runs, plus a probe projection whose due actions fire during
 * the test (test/reliability/support/chaos-worker.ts). At the end:
 * - §4 every read model equals a clean rebuild from position 0 (business columns, every table),
 *   and every projection read each event exactly once since its last reset;
 * - §5 every due action is done and took effect exactly once, although killed batches ran again;
 * - every command the API accepted is stored exactly once.
 */

const REBUILD_KILLS = size('rebuildKills');
const TRAFFIC_KILLS = size('trafficKills');
const ADMIN = 'dev-admin-key';
const SYSTEM = 'dev-system-key';

describe('SIGKILL of the worker during a rebuild and during live traffic', () => {
  let db: TestDatabase;
  let pool: Pool;
  let cluster: Cluster;
  let runtime: Runtime;
  let local: INestApplicationContext;
  let worker: WorkerService;
  const timings: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(DATABASE_PARTS);
    pool = new Pool({ connectionString: db.url, max: 4 });
    await pool.query(RELIABILITY_TABLES);
    const env = { DATABASE_URL: db.url, NODE_ENV: 'test', CLOCK: 'test', DB_POOL_SIZE: '4' };
    cluster = new Cluster(env);
    // The test's own worker context (never started): resets projections and does the clean rebuild.
    installReliabilityProbe();
    runtime = await openRuntime(loadConfig({ ...env, RUN_WORKER: 'false', INSTANCE_NAME: 'test-process' }), DATABASE_PARTS, { migrate: false });
    local = await NestFactory.createApplicationContext(WorkerModule.forRuntime(runtime), { logger: false });
    await local.init();
    worker = local.get(WorkerService);
    const vault = local.get(PiiVault);
    const started = Date.now();
    const report = await generateDataset(
      { store: runtime.store, protect: async (s, c, v) => (await vault.protect(s, c, v)) as unknown as Record<string, unknown> },
      { subscriptions: size('rebuildSubscriptions'), customers: size('rebuildCustomers'), seed: 2026, now: runtime.clock.now(), concurrency: 4 },
    );
    timings.push(`generated ${report.events} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 600_000);

  afterAll(async () => {
    await cluster?.stopAll();
    await local?.close();
    await runtime?.close();
    await pool?.end();
    await db?.drop();
    process.stdout.write(`[worker-kill] ${timings.join('; ')}\n`);
  });

  const head = async () => (await pool.query('SELECT count(*)::int AS n, max(global_position)::text AS p FROM es_events')).rows[0] as { n: number; p: string };
  const checkpoints = async () =>
    (await pool.query('SELECT name, commit_pos::text AS c, prepare_pos::text AS p, events_applied::int AS applied FROM projection_checkpoints ORDER BY name')).rows as Array<{
      name: string;
      c: string;
      p: string;
      applied: number;
    }>;
  const storeHead = async () => {
    const h = await runtime.store.headPosition();
    return { c: h.commit.toString(), p: h.prepare.toString() };
  };
  const allCaughtUp = async () => {
    const h = await storeHead();
    const rows = await checkpoints();
    return rows.length === worker.projectionNames().length && rows.every((r) => r.c === h.c && r.p === h.p);
  };

  async function startWorker(): Promise<number> {
    const started = Date.now();
    await cluster.startWorker('worker', {}, 'test/reliability/support/chaos-worker.ts', 90_000);
    return Date.now() - started;
  }

  /** Starts the worker, lets it run for a random 0.2–2.5 s, SIGKILLs it. */
  async function killCycle(): Promise<{ bootMs: number; ranMs: number }> {
    const bootMs = await startWorker();
    const ranMs = 200 + Math.floor(Math.random() * 2300);
    await sleep(ranMs);
    await cluster.kill('worker');
    expect(cluster.get('worker').child.signalCode).toBe('SIGKILL');
    return { bootMs, ranMs };
  }

  it(`§4 ${REBUILD_KILLS} SIGKILLs during the rebuild of every projection from position 0`, async () => {
    const started = Date.now();
    let resets = 0;
    const applied: number[] = [];
    for (let i = 0; i < REBUILD_KILLS; i++) {
      // Between a kill and the next start nobody runs the projections: reset them if the rebuild
      // finished, so that every kill hits a rebuild in progress.
      if ((await checkpoints()).length > 0 && (await allCaughtUp())) {
        for (const name of worker.projectionNames()) await worker.runner.reset(name);
        resets++;
      }
      await killCycle();
      applied.push((await checkpoints()).reduce((s, r) => s + r.applied, 0));
    }
    timings.push(`rebuild: ${REBUILD_KILLS} kills in ${((Date.now() - started) / 1000).toFixed(0)} s, ${resets} resets, events applied after each kill ${applied.join(',')}`);
    expect((await checkpoints()).map((r) => r.name).sort()).toEqual([...worker.projectionNames()].sort());
    expect(worker.projectionNames()).toContain(RELIABILITY_PROJECTION);
  });

  it(`§5 ${TRAFFIC_KILLS} SIGKILLs during live traffic through the API, the test clock moving due actions forward`, async () => {
    const api = await cluster.startApi('api', { RUN_WORKER: 'false' }, 90_000);
    const accepted: Array<{ kind: 'register' | 'contact'; customerId: string; contactId?: string }> = [];
    let stop = false;
    const send = async (path: string, body: unknown, key: string): Promise<number> => {
      for (let attempt = 0; attempt < 40 && !stop; attempt++) {
        try {
          const res = await fetch(`${api.baseUrl}${path}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-API-Key': SYSTEM, 'Idempotency-Key': key },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(20_000),
          });
          await res.text();
          if (res.status === 201) return 201;
          if (res.status === 409 || res.status >= 500) {
            await sleep(100);
            continue;
          }
          return res.status;
        } catch {
          await sleep(100);
        }
      }
      return 0;
    };
    const lane = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const customerId = randomUUID();
        if ((await send('/customers', customerBody(customerId, `k${n}-${i}`), `reg-${customerId}`)) !== 201) continue;
        accepted.push({ kind: 'register', customerId });
        const contactId = randomUUID();
        if ((await send(`/customers/${customerId}/contacts`, contactBody(i, contactId), `contact-${contactId}`)) === 201) accepted.push({ kind: 'contact', customerId, contactId });
        await sleep(150); // steady traffic, not a load test: the worker must be able to keep up
      }
    };
    const lanes = Promise.all([0, 1].map(lane));
    const started = Date.now();
    try {
      for (let i = 0; i < TRAFFIC_KILLS; i++) {
        // Due actions of the customers registered so far fall due during the next cycle.
        const travel = await fetch(`${api.baseUrl}/admin/clock`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-API-Key': ADMIN },
          body: JSON.stringify({ advance: 'P2D' }),
        });
        expect(travel.status).toBe(200);
        await killCycle();
      }
    } finally {
      stop = true;
      await lanes;
    }
    timings.push(`traffic: ${TRAFFIC_KILLS} kills in ${((Date.now() - started) / 1000).toFixed(0)} s, ${accepted.length} commands accepted`);
    expect(accepted.filter((a) => a.kind === 'register').length).toBeGreaterThan(TRAFFIC_KILLS);
    const lapStarted = Date.now();

    // Last lap: every due action falls due; a worker that is not killed finishes the work.
    await fetch(`${api.baseUrl}/admin/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-API-Key': ADMIN }, body: JSON.stringify({ advance: 'P3D' }) });
    await startWorker();
    await until(
      async () => ({
        caughtUp: await allCaughtUp(),
        pending: (await pool.query(`SELECT count(*)::int AS n FROM due_actions WHERE kind = $1 AND status <> 'done'`, [RELIABILITY_KIND])).rows[0].n as number,
      }),
      (s) => s.caughtUp && s.pending === 0,
      600_000,
      'projections caught up and every probe due action done',
    );
    await sleep(500);
    await until(allCaughtUp, (ok) => ok, 120_000, 'projections caught up after the last due actions');
    timings.push(`last lap (unkilled worker catching up, due actions) ${((Date.now() - lapStarted) / 1000).toFixed(0)} s`);
    expect(await cluster.terminate('worker')).toMatchObject({ code: 0, forced: false });
    await cluster.terminate('api');

    // Every accepted command is stored exactly once.
    const registered = await pool.query(`SELECT stream_id, count(*)::int AS n FROM es_events WHERE type = 'CustomerRegistered' GROUP BY stream_id`);
    const perStream = new Map(registered.rows.map((r) => [r.stream_id as string, r.n as number]));
    expect([...perStream.values()].every((n) => n === 1)).toBe(true);
    for (const a of accepted.filter((x) => x.kind === 'register')) expect(perStream.get(`customer-${a.customerId}`)).toBe(1);
    const contacts = await pool.query(`SELECT data->>'contactId' AS id, count(*)::int AS n FROM es_events WHERE type = 'CustomerContactAdded' GROUP BY 1`);
    const contactCount = new Map(contacts.rows.map((r) => [r.id as string, r.n as number]));
    for (const a of accepted.filter((x) => x.kind === 'contact')) expect(contactCount.get(a.contactId!)).toBe(1);
  }, 1_200_000);

  it('§5 every due action is done and took effect exactly once, although killed batches ran again', async () => {
    const actions = (await pool.query(`SELECT key, command_id, status FROM due_actions WHERE kind = $1`, [RELIABILITY_KIND])).rows;
    const customers = (await pool.query(`SELECT count(*)::int AS n FROM es_events WHERE type = 'CustomerRegistered'`)).rows[0].n;
    expect(actions.length).toBe(customers);
    expect(actions.filter((a) => a.status !== 'done')).toEqual([]);
    const effects = await pool.query(`SELECT metadata->>'commandId' AS command_id, count(*)::int AS n FROM es_events WHERE type = 'ReliabilityFollowedUp' GROUP BY 1`);
    const effectOf = new Map(effects.rows.map((r) => [r.command_id as string, r.n as number]));
    expect(effects.rowCount).toBe(actions.length);
    const wrong = actions.filter((a) => effectOf.get(a.command_id) !== 1).map((a) => `${a.key}: ${effectOf.get(a.command_id) ?? 0} effects`);
    expect(wrong).toEqual([]);
    const runs = (await pool.query(`SELECT count(*)::int AS n, count(DISTINCT key)::int AS d FROM reliability_probe_runs`)).rows[0];
    expect(runs.d).toBe(actions.length);
    timings.push(`due actions: ${actions.length}, ${runs.n} runs (${runs.n - runs.d} run again after a kill or a rebuild), one effect each`);
  });

  it('§4 the read models left by the killed workers equal a clean rebuild from position 0; each event was read once since the last reset', async () => {
    // Due actions run after the last check may have appended events (e.g. a billing run): catch
    // up first, without a reset, so the checkpoints are at the head.
    for (const name of worker.projectionNames()) await worker.runner.catchUp(name);
    const total = (await head()).n;
    // events_applied counts the events of the projection's types applied since its last reset:
    // equal to their number only if no batch was applied twice or skipped.
    const types = worker.projectionEventTypes();
    for (const row of await checkpoints()) {
      const ofTypes = (await pool.query('SELECT count(*)::int AS n FROM es_events WHERE type = ANY($1)', [types.get(row.name)])).rows[0].n;
      expect({ name: row.name, applied: row.applied }).toEqual({ name: row.name, applied: ofTypes });
    }
    const afterChaos = await snapshotReadModels(pool);
    const scheduledAfterChaos = await scheduledActions(pool);
    const started = Date.now();
    for (const name of worker.projectionNames()) {
      await worker.runner.reset(name);
      await worker.runner.catchUp(name);
    }
    timings.push(`clean rebuild of ${worker.projectionNames().length} projections over ${total} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const clean = await snapshotReadModels(pool);
    expect(differences(afterChaos, clean)).toEqual([]);
    expect(await scheduledActions(pool)).toEqual(scheduledAfterChaos);
    // Sanity: the comparison did look at the contexts' read models.
    expect(Object.keys(clean.tables)).toEqual(expect.arrayContaining(['customers', 'customer_contacts', 'reliability_probe_applied']));
    expect(clean.tables.reliability_probe_applied.rows).toBeGreaterThan(1000);
  }, 1_200_000);
});

import { Pool } from 'pg';
import { PostgresEventStore } from '../../libs/event-store/src';
import { DEVELOPMENT_PII_MASTER_KEY } from '../../libs/platform/src';
import { PiiVault, parseMasterKey } from '../../libs/privacy/src';
import { customerDecider, isValidSiret, subscriptionDecider } from '../../libs/subscription/src';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';
import { customerIdOf, generateDataset, subscriptionIdOf, type GenerateDeps } from '../../apps/cli/src/generate';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { spawnTs } from '../support/processes';

/**
 * The data generator (`oksio generate`): histories the deciders accept, written through the
 * event-store port, deterministic for a seed, re-runnable, and usable from the CLI.
 */

const NOW = new Date('2026-11-15T12:00:00Z');

async function open(db: TestDatabase) {
  const pool = new Pool({ connectionString: db.url, max: 8 });
  const store = new PostgresEventStore({ pool, connectionString: db.url });
  const vault = new PiiVault(pool, parseMasterKey(DEVELOPMENT_PII_MASTER_KEY));
  const deps: GenerateDeps = { store, protect: async (s, c, v) => (await vault.protect(s, c, v)) as unknown as Record<string, unknown> };
  return { pool, store, vault, deps, close: async () => (await store.close(), await pool.end()) };
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnTs('apps/cli/src/main.ts', env, args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('Data generator (oksio generate)', () => {
  let a: TestDatabase;
  let b: TestDatabase;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(DATABASE_PARTS), createTestDatabase(DATABASE_PARTS)]);
  });

  afterAll(async () => {
    await a?.drop();
    await b?.drop();
  });

  it('writes customers and subscriptions whose histories the deciders produced: signed, activated, refused, pending', async () => {
    const x = await open(a);
    try {
      const report = await generateDataset(x.deps, { subscriptions: 160, customers: 40, seed: 42, now: NOW });
      expect(report).toMatchObject({ customers: 40, subscriptions: 160, streamsWritten: 200, streamsSkipped: 0 });
      const { rows } = await x.pool.query(`SELECT count(*)::int AS n FROM es_events`);
      expect(rows[0].n).toBe(report.events);

      // Every customer stream folds into a registered customer with a signatory and a valid SIRET.
      const customerIds = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const events = await x.store.readStream(`customer-${customerIdOf(42, i)}`);
        const state = events.reduce((s, e) => customerDecider.evolve(s, { type: e.type, data: e.data } as never), customerDecider.initialState);
        expect(state.customerId).toBe(customerIdOf(42, i));
        expect(Object.values(state.contacts).some((c) => c.role === 'signatory')).toBe(true);
        expect(isValidSiret(String(events[0].data.siret))).toBe(true);
        // Contact details are encrypted by the vault, never in clear in the event.
        for (const e of events.filter((ev) => ev.type === 'CustomerContactAdded')) {
          expect(e.data.details).toMatchObject({ $pii: 1, category: 'identity_contact' });
          expect(await x.vault.reveal(e.data.details as never)).toMatchObject({ name: expect.any(String), email: expect.stringMatching(/@/) });
        }
        customerIds.add(state.customerId!);
      }

      // Every subscription replays through the decider; its customer exists; business time is in the past.
      const phases: Record<string, number> = {};
      for (let j = 0; j < 160; j++) {
        const events = await x.store.readStream(`subscription-${subscriptionIdOf(42, j)}`);
        expect(events[0].type).toBe('OrderPlaced');
        expect(customerIds.has(String(events[0].data.customerId))).toBe(true);
        for (const e of events) expect(new Date(e.metadata.occurredAt).getTime()).toBeLessThan(NOW.getTime());
        const state = events.reduce((s, e) => subscriptionDecider.evolve(s, { type: e.type, data: e.data } as never), subscriptionDecider.initialState);
        phases[state.phase] = (phases[state.phase] ?? 0) + 1;
      }
      expect(Object.values(phases).reduce((s, n) => s + n, 0)).toBe(160);
      expect(report.eventsByType.SubscriptionSigned).toBeGreaterThan(120);
      expect(report.eventsByType.CommitmentStarted).toBeGreaterThan(100);
      expect(report.subscriptionsByOutcome.active).toBeGreaterThan(120);
      expect(Object.keys(report.subscriptionsByService).length).toBeGreaterThanOrEqual(4);
      process.stdout.write(`[generate] ${report.events} events; phases ${JSON.stringify(phases)}; ${JSON.stringify(report.subscriptionsByService)}\n`);
    } finally {
      await x.close();
    }
  });

  it('is deterministic for a seed and re-runnable: the same run writes nothing new; another database gets the same data', async () => {
    const x = await open(a);
    const y = await open(b);
    try {
      const again = await generateDataset(x.deps, { subscriptions: 160, customers: 40, seed: 42, now: NOW, concurrency: 3 });
      expect(again).toMatchObject({ streamsWritten: 0, streamsSkipped: 200, events: 0 });
      const fresh = await generateDataset(y.deps, { subscriptions: 160, customers: 40, seed: 42, now: NOW, concurrency: 1 });
      expect(fresh.streamsWritten).toBe(200);
      // Same streams, same events in each stream (encrypted details aside: fresh keys, fresh IVs).
      const dump = async (pool: Pool) =>
        (
          await pool.query(
            `SELECT stream_id, revision, type, (data - 'details')::text AS data, metadata->>'occurredAt' AS occurred
               FROM es_events ORDER BY stream_id, revision`,
          )
        ).rows;
      expect(await dump(y.pool)).toEqual(await dump(x.pool));
      const other = await generateDataset(y.deps, { subscriptions: 5, customers: 2, seed: 43, now: NOW });
      expect(other.streamsWritten).toBe(7);
    } finally {
      await x.close();
      await y.close();
    }
  });

  it('runs from the CLI (npm run cli -- generate …); the read models follow with a projection rebuild', async () => {
    const env = { DATABASE_URL: b.url, NODE_ENV: 'test', CLOCK: 'system' };
    const before = (await (async () => {
      const y = await open(b);
      try {
        return (await y.pool.query('SELECT count(*)::int AS n FROM es_events')).rows[0].n;
      } finally {
        await y.close();
      }
    })()) as number;
    const run = await runCli(['generate', '--subscriptions', '30', '--customers', '6', '--seed', '7'], env);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(run.stdout).toMatch(/generated 6 customers and 30 subscriptions \(seed 7\): \d+ events in 36 streams, 0 streams already present/);
    const rebuild = await runCli(['projections', 'rebuild', 'customers'], env);
    expect(rebuild.code).toBe(0);
    const y = await open(b);
    try {
      const after = (await y.pool.query('SELECT count(*)::int AS n FROM es_events')).rows[0].n;
      expect(after).toBeGreaterThan(before);
      const customers = (await y.pool.query('SELECT count(*)::int AS n FROM customers')).rows[0].n;
      expect(customers).toBe(40 + 2 + 6);
    } finally {
      await y.close();
    }
    const bad = await runCli(['generate', '--subscriptions', '0'], env);
    expect(bad.code).not.toBe(0);
  });
});

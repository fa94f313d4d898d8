import request from 'supertest';
import { WorkerService } from '@oksio/platform';
import { KEYS, settle, type TestApp } from '../../../../test/support/app';

/**
 * Moves the shared test clock (POST /admin/clock, admin key), then runs what became due, so that
 * the background scheduler has nothing left to write while the test measures.
 */
export async function travelTo(t: TestApp, instant: string): Promise<void> {
  await request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant }).expect(200);
  await runDueActions(t);
}

/**
 * Lets projections catch up, then runs the scheduler until no action due at the test clock is
 * left pending (the background scheduler may hold a row: its work is awaited too), then lets the
 * projections catch up with what the actions wrote.
 */
export async function runDueActions(t: TestApp, timeoutMs = 20_000): Promise<void> {
  await settle(t);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await t.app.get(WorkerService).scheduler.tick();
    const { rows } = await t.runtime.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM due_actions WHERE status = 'pending' AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= now())`,
      [t.runtime.clock.now()],
    );
    if (rows[0].n === 0) break;
    if (Date.now() > deadline) throw new Error(`${rows[0].n} due actions still pending`);
    await new Promise((r) => setTimeout(r, 25));
  }
  await settle(t);
}

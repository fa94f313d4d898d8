import type { INestApplication, LoggerService } from '@nestjs/common';
import { loadConfig, openRuntime, type Runtime } from '../../libs/platform/src';
import { createApp } from '../../apps/api/src/create-app';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  app: INestApplication;
  runtime: Runtime;
  db: TestDatabase;
  http: ReturnType<INestApplication['getHttpServer']>;
  close(): Promise<void>;
}

export const KEYS = {
  system: 'dev-system-key',
  support: 'dev-support-key',
  auditor: 'dev-auditor-key',
  admin: 'dev-admin-key',
} as const;

/** The real API on a fresh database: real PostgreSQL, real HTTP (supertest on app.getHttpServer()). */
export async function startTestApp(env: Record<string, string> = {}, options: { logger?: LoggerService } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  // Test files play independent scenarios on one database, each from its own date: the clock may go back.
  const config = loadConfig({ NODE_ENV: 'test', CLOCK: 'test', RUN_WORKER: 'true', ALLOW_CLOCK_REWIND: 'true', ...env, DATABASE_URL: db.url });
  const runtime = await openRuntime(config, DATABASE_PARTS);
  const app = await createApp(runtime, { logger: options.logger ?? false });
  await app.init();
  return {
    app,
    runtime,
    db,
    http: app.getHttpServer(),
    async close() {
      await app.close();
      await runtime.close();
      await db.drop();
    },
  };
}

/** Waits until every projection has caught up with the event store (read-after-write in tests). */
export async function settle(t: TestApp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Every event committed so far, not `headPosition()`: that one stops below the oldest
    // transaction still running (the read watermark, ADR 0003), so a busy moment would make
    // settle return before events already committed — and acknowledged over HTTP — are projected.
    const last = await t.runtime.pool.query(
      'SELECT tx_id::text AS tx_text, global_position FROM es_events ORDER BY tx_id DESC, global_position DESC LIMIT 1',
    );
    const head = last.rows[0] ? { commit: BigInt(last.rows[0].tx_text), prepare: BigInt(last.rows[0].global_position) } : { commit: -1n, prepare: -1n };
    const { rows } = await t.runtime.pool.query('SELECT name, commit_pos, prepare_pos FROM projection_checkpoints');
    const behind = rows.filter((r) => BigInt(r.commit_pos) < head.commit || (BigInt(r.commit_pos) === head.commit && BigInt(r.prepare_pos) < head.prepare));
    if (behind.length === 0) return;
    if (Date.now() > deadline) throw new Error(`projections not caught up: ${behind.map((r) => r.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Events appended by requests, i.e. all events except those an internal system actor wrote (the
 * scheduler's due actions, their follow-ups, the non-payment process — not the `dev-system` API
 * key): "a refused request appends nothing" must not be disturbed by a renewal or a suspension
 * falling due at the same moment. The actor, not the
 * due action's command id: a projection re-arming the same due-action key gives it a new command
 * id, which made the events of the occurrence just run count as a request's (flaky POR-06 check).
 */
export async function requestEventCount(t: TestApp, streamPrefixes: string[] = ['']): Promise<number> {
  const { rows } = await t.runtime.pool.query(
    `SELECT count(*)::int AS n FROM es_events
     WHERE NOT (metadata->'actor'->>'role' = 'system' AND metadata->'actor'->>'id' NOT LIKE 'dev-%' AND metadata->'actor'->>'id' <> 'anonymous')
       AND stream_id LIKE ANY ($1::text[])`,
    [streamPrefixes.map((p) => `${p}%`)],
  );
  return rows[0].n;
}

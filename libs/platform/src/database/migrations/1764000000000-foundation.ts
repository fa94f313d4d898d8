import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_SCHEMA } from '@oksio/event-store';

/** Event store, projection checkpoints, scheduler, idempotency and test clock. */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of EVENT_STORE_SCHEMA) await q.query(statement);
    await q.query(`CREATE TABLE projection_checkpoints (
      name        text PRIMARY KEY,
      commit_pos  bigint NOT NULL,
      prepare_pos bigint NOT NULL,
      events_applied bigint NOT NULL DEFAULT 0,
      owner       text,
      owner_since timestamptz,
      updated_at  timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE due_actions (
      key          text PRIMARY KEY,
      kind         text NOT NULL,
      aggregate_id text NOT NULL,
      due_at       timestamptz NOT NULL,
      payload      jsonb NOT NULL DEFAULT '{}',
      status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled', 'failed')),
      command_id   uuid NOT NULL,
      attempts     integer NOT NULL DEFAULT 0,
      retry_at     timestamptz,
      last_error   text,
      source       text NOT NULL,
      done_at      timestamptz,
      created_at   timestamptz NOT NULL DEFAULT now()
    )`);
    // The scheduler only ever scans pending rows by due date: a partial index keeps that
    // proportional to what is due, not to the table (issue 9 time sweeps).
    await q.query(`CREATE INDEX due_actions_pending ON due_actions (due_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX due_actions_aggregate ON due_actions (aggregate_id)`);
    await q.query(`CREATE TABLE idempotency_keys (
      principal    text NOT NULL,
      key          text NOT NULL,
      request_hash text NOT NULL,
      status_code  integer,
      response     jsonb,
      created_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (principal, key)
    )`);
    await q.query(`CREATE TABLE projection_states (
      projection text NOT NULL,
      stream_id  text NOT NULL,
      revision   bigint NOT NULL,
      state      jsonb NOT NULL,
      PRIMARY KEY (projection, stream_id)
    )`);
    await q.query(`CREATE TABLE test_clock (
      id      integer PRIMARY KEY CHECK (id = 1),
      instant timestamptz NOT NULL,
      set_at  timestamptz NOT NULL,
      frozen  boolean NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE test_clock, projection_states, idempotency_keys, due_actions, projection_checkpoints');
    await q.query('DROP TABLE es_commands, es_events, es_streams');
  }
}

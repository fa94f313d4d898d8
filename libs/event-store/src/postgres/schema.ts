/**
 * Schema of the PostgreSQL event store, applied by the platform's migrations
 * (libs/platform/src/database/migrations) and by the contract tests.
 *
 * Global order is (tx_id, global_position): see docs/adr/0003-global-order-without-gaps.md.
 */
export const EVENT_STORE_SCHEMA: readonly string[] = [
  `CREATE TABLE es_streams (
     stream_id   text PRIMARY KEY,
     revision    bigint NOT NULL,
     last_hash   text NOT NULL,
     created_seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
     created_at  timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE es_events (
     global_position bigint GENERATED ALWAYS AS IDENTITY,
     tx_id           xid8 NOT NULL DEFAULT pg_current_xact_id(),
     event_id        uuid NOT NULL,
     stream_id       text NOT NULL,
     revision        bigint NOT NULL,
     type            text NOT NULL,
     schema_version  integer NOT NULL,
     data            jsonb NOT NULL,
     metadata        jsonb NOT NULL,
     prev_hash       text,
     hash            text NOT NULL,
     PRIMARY KEY (stream_id, revision),
     UNIQUE (event_id),
     UNIQUE (global_position)
   )`,
  `CREATE INDEX es_events_global_order ON es_events (tx_id, global_position)`,
  // One row per command that wrote events: a retried command (same id) writes nothing twice.
  `CREATE TABLE es_commands (
     command_id    uuid PRIMARY KEY,
     stream_id     text NOT NULL,
     first_revision bigint,
     last_revision  bigint
   )`,
];

export const EVENT_STORE_TABLES = ['es_commands', 'es_events', 'es_streams'] as const;

export const EVENTS_CHANNEL = 'es_events';

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

/**
 * One append in one statement (its own transaction, no BEGIN/COMMIT round trips): claim the
 * command, move the stream head with a compare-and-set on revision and last hash (a new stream:
 * create it), insert the events. Any failure raises and leaves nothing: `OKES1` = the stream is not
 * at the expected head (DETAIL: its revision, or `no_stream`), `OKES2` = the command is already
 * recorded. The caller hashes the events before calling, so it must know the head's hash; the
 * compare-and-set on that hash is what makes a stale guess harmless (docs/adr/0007).
 *
 * The events come as one JSON array text, `[{"i": event id, "t": type, "v": schema version,
 * "d": data, "m": metadata, "p": previous hash, "h": hash}, …]`, not as one array parameter per
 * column: the driver escapes every element of a text array (every quote of every event's JSON),
 * while the canonical JSON already made for the hash is pasted into this text as it is.
 */
export const EVENT_STORE_APPEND_FUNCTION = `
CREATE OR REPLACE FUNCTION es_append(
  p_stream_id text,
  p_expected bigint,
  p_expected_hash text,
  p_command_id uuid,
  p_count integer,
  p_last_hash text,
  p_events jsonb
) RETURNS TABLE (appended_position bigint, appended_tx text, appended_revision bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_last bigint := p_expected + p_count;
  v_actual bigint;
BEGIN
  IF p_command_id IS NOT NULL THEN
    -- First: a concurrent retry of the same command waits here on the key, then finds it recorded.
    INSERT INTO es_commands (command_id, stream_id, first_revision, last_revision)
    VALUES (p_command_id, p_stream_id, p_expected + 1, v_last)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'command % is already recorded', p_command_id USING ERRCODE = 'OKES2';
    END IF;
  END IF;
  IF p_expected = -1 THEN
    INSERT INTO es_streams (stream_id, revision, last_hash) VALUES (p_stream_id, v_last, p_last_hash)
    ON CONFLICT DO NOTHING;
  ELSE
    UPDATE es_streams SET revision = v_last, last_hash = p_last_hash
    WHERE stream_id = p_stream_id AND revision = p_expected AND last_hash = p_expected_hash;
  END IF;
  IF NOT FOUND THEN
    SELECT s.revision INTO v_actual FROM es_streams s WHERE s.stream_id = p_stream_id;
    RAISE EXCEPTION 'stream % is not at revision % with the given hash', p_stream_id, p_expected
      USING ERRCODE = 'OKES1', DETAIL = coalesce(v_actual::text, 'no_stream');
  END IF;
  RETURN QUERY
    INSERT INTO es_events (event_id, stream_id, revision, type, schema_version, data, metadata, prev_hash, hash)
    SELECT e.i, p_stream_id, p_expected + e.ord, e.t, e.v, e.d, e.m, e.p, e.h
    FROM ROWS FROM (jsonb_to_recordset(p_events) AS (i uuid, t text, v integer, d jsonb, m jsonb, p text, h text))
      WITH ORDINALITY AS e(i, t, v, d, m, p, h, ord)
    RETURNING es_events.global_position, es_events.tx_id::text, es_events.revision;
END
$fn$`;

/**
 * Several streams' appends as one statement, so one transaction (docs/adr/0008): `es_append` per
 * batch, in the order given (the adapter sorts them by stream id, so two commands touching the
 * same streams lock their heads in the same order and cannot deadlock). Any raise rolls every
 * batch back; it is raised again with the stream it concerns in HINT (its code, message and
 * DETAIL unchanged), so the adapter can name the stream that was not at the expected head.
 *
 * `p_batches` is one JSON array text: `[{"s": stream id, "e": expected revision (-1: new stream),
 * "x": expected last hash, "c": command id, "n": event count, "l": last hash, "ev": the events as
 * es_append takes them}, …]`.
 */
export const EVENT_STORE_APPEND_MANY_FUNCTION = `
CREATE OR REPLACE FUNCTION es_append_many(p_batches jsonb)
RETURNS TABLE (appended_stream text, appended_position bigint, appended_tx text, appended_revision bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_batch jsonb;
  v_stream text;
  v_state text;
  v_message text;
  v_detail text;
BEGIN
  FOR v_batch IN SELECT b.value FROM jsonb_array_elements(p_batches) AS b(value) LOOP
    v_stream := v_batch->>'s';
    RETURN QUERY
      SELECT v_stream, a.appended_position, a.appended_tx, a.appended_revision
      FROM es_append(v_stream, (v_batch->>'e')::bigint, v_batch->>'x', (v_batch->>'c')::uuid,
                     (v_batch->>'n')::integer, v_batch->>'l', v_batch->'ev') AS a;
  END LOOP;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
  RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message, DETAIL = coalesce(v_detail, ''), HINT = coalesce(v_stream, '');
END
$fn$`;

import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
// Direct imports (not the package indexes): a child process per run starts faster.
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres-event-store';
import { createPool } from '../../libs/platform/src/database/data-source';
import { benchBatch } from '../lib/events';

export type AppendImpl = 'raw' | 'raw-tx' | 'port' | 'port+cmd' | 'peer';

export const APPEND_IMPLS: readonly AppendImpl[] = ['raw', 'raw-tx', 'port', 'port+cmd', 'peer'];

export const APPEND_IMPL_LABELS: Record<AppendImpl, string> = {
  raw: 'raw pg, 1 statement (limit)',
  'raw-tx': 'raw pg, BEGIN…COMMIT',
  port: 'port (PostgreSQL adapter)',
  'port+cmd': 'port + commandId',
  peer: 'emmett-postgresql 0.42',
};

/**
 * One way of appending `count` events to a stream. `lastRevision` is the revision of the stream's
 * last event (0-based), -1 for a stream that does not exist yet; each implementation turns it
 * into its own optimistic-concurrency check.
 */
export interface Appender {
  append(streamId: string, streamNo: number, firstSeq: number, count: number, lastRevision: number): Promise<void>;
  close(): Promise<void>;
}

/** Placeholder for the raw baseline: a minimal store still writes a 64-character hash. */
const RAW_HASH = 'f'.repeat(64);

/** The event columns as the raw baselines send them: one array per column, for `unnest`. */
function rawColumns(streamId: string, streamNo: number, firstSeq: number, count: number, lastRevision: number): unknown[][] {
  const events = benchBatch(streamNo, firstSeq, count);
  const recordedAt = new Date().toISOString();
  return [
    events.map(() => randomUUID()),
    events.map(() => streamId),
    events.map((_, i) => lastRevision + 1 + i),
    events.map((e) => e.type),
    events.map(() => 1),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => JSON.stringify({ ...e.metadata, recordedAt })),
    events.map((_, i) => (lastRevision + i === -1 ? null : RAW_HASH)),
    events.map(() => RAW_HASH),
  ];
}

/**
 * The limit, in the port's transaction shape: one autocommit statement that moves the stream head
 * with a compare-and-set on the expected revision (a new stream: inserts it) and inserts the events
 * only if the head moved (same columns, same unnest shape as the adapter), as a prepared statement.
 * No validation, no canonical-JSON hashing, no function call, no RETURNING, no notification.
 */
class RawStatementAppender implements Appender {
  private readonly pool: Pool;

  constructor(url: string, max: number) {
    this.pool = new Pool({ connectionString: url, max });
  }

  async append(streamId: string, streamNo: number, firstSeq: number, count: number, lastRevision: number): Promise<void> {
    const head =
      lastRevision === -1
        ? 'INSERT INTO es_streams (stream_id, revision, last_hash) VALUES ($10, $11, $12) ON CONFLICT DO NOTHING RETURNING 1'
        : 'UPDATE es_streams SET revision = $11, last_hash = $12 WHERE stream_id = $10 AND revision = $13 RETURNING 1';
    const inserted = await this.pool.query({
      // Prepared, like the adapter's statement: the limit must not pay for planning that the port skips.
      name: lastRevision === -1 ? 'raw_append_new' : 'raw_append_next',
      text: `WITH head AS (${head})
       INSERT INTO es_events (event_id, stream_id, revision, type, schema_version, data, metadata, prev_hash, hash)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::text[], $9::text[])
       WHERE EXISTS (SELECT 1 FROM head)`,
      values: [
        ...rawColumns(streamId, streamNo, firstSeq, count, lastRevision),
        streamId,
        lastRevision + count,
        RAW_HASH,
        ...(lastRevision === -1 ? [] : [lastRevision]),
      ],
    });
    if (inserted.rowCount !== count) throw new Error(`raw: conflict on ${streamId}`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * What the adapter did before ADR 0007, for comparison: a minimal correct store in the
 * BEGIN … COMMIT shape: BEGIN; create the stream head or move it with a compare-and-set on the expected
 * revision (row lock held to COMMIT); INSERT the events (same columns, same unnest shape as the
 * adapter, prepared as the adapter's was); COMMIT. No validation, no canonical-JSON hashing, no RETURNING, no notification.
 */
class RawTransactionAppender implements Appender {
  private readonly pool: Pool;

  constructor(url: string, max: number) {
    this.pool = new Pool({ connectionString: url, max });
  }

  async append(streamId: string, streamNo: number, firstSeq: number, count: number, lastRevision: number): Promise<void> {
    const newRevision = lastRevision + count;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (lastRevision === -1) {
        await client.query('INSERT INTO es_streams (stream_id, revision, last_hash) VALUES ($1, $2, $3)', [streamId, newRevision, RAW_HASH]);
      } else {
        const moved = await client.query('UPDATE es_streams SET revision = $2, last_hash = $3 WHERE stream_id = $1 AND revision = $4', [
          streamId,
          newRevision,
          RAW_HASH,
          lastRevision,
        ]);
        if (moved.rowCount !== 1) throw new Error(`raw: conflict on ${streamId}`);
      }
      await client.query({
        name: 'raw_tx_insert',
        text: `INSERT INTO es_events (event_id, stream_id, revision, type, schema_version, data, metadata, prev_hash, hash)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::text[], $9::text[])`,
        values: rawColumns(streamId, streamNo, firstSeq, count, lastRevision),
      });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The event-store port, PostgreSQL adapter, exactly as the application uses it. */
class PortAppender implements Appender {
  private readonly pool: Pool;
  private readonly store: PostgresEventStore;

  constructor(url: string, max: number, private readonly withCommandId: boolean) {
    this.pool = createPool(url, max);
    this.store = new PostgresEventStore({ pool: this.pool, connectionString: url });
  }

  async append(streamId: string, streamNo: number, firstSeq: number, count: number, lastRevision: number): Promise<void> {
    const events = benchBatch(streamNo, firstSeq, count, this.withCommandId ? randomUUID() : null);
    await this.store.append(streamId, events, { expectedRevision: lastRevision === -1 ? 'no_stream' : lastRevision });
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }
}

/**
 * The peer: @event-driven-io/emmett-postgresql, its own schema (emt_streams, emt_messages) in the
 * same database, its own pool of the same size. Stream positions there count events (1-based).
 */
class PeerAppender implements Appender {
  private constructor(
    private readonly pool: Pool,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly store: any,
    private readonly streamDoesNotExist: unknown,
  ) {}

  static async open(url: string, max: number): Promise<PeerAppender> {
    // Loaded here only: emmett's dumbo replaces node-postgres' global type parsers on first use.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const emmettPg = require('@event-driven-io/emmett-postgresql') as typeof import('@event-driven-io/emmett-postgresql');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const emmett = require('@event-driven-io/emmett') as typeof import('@event-driven-io/emmett');
    const pool = new Pool({ connectionString: url, max });
    const store = emmettPg.getPostgreSQLEventStore(url, { connectionOptions: { pool }, schema: { autoMigration: 'None' } });
    await store.schema.migrate();
    return new PeerAppender(pool, store, emmett.STREAM_DOES_NOT_EXIST);
  }

  async append(streamId: string, streamNo: number, firstSeq: number, count: number, lastRevision: number): Promise<void> {
    const events = benchBatch(streamNo, firstSeq, count).map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }));
    await this.store.appendToStream(streamId, events, {
      expectedStreamVersion: lastRevision === -1 ? this.streamDoesNotExist : BigInt(lastRevision + 1),
    });
  }

  async close(): Promise<void> {
    await this.store.close().catch(() => undefined);
    await this.pool.end();
  }
}

export async function openAppender(impl: AppendImpl, url: string, poolSize: number): Promise<Appender> {
  switch (impl) {
    case 'raw':
      return new RawStatementAppender(url, poolSize);
    case 'raw-tx':
      return new RawTransactionAppender(url, poolSize);
    case 'port':
      return new PortAppender(url, poolSize, false);
    case 'port+cmd':
      return new PortAppender(url, poolSize, true);
    case 'peer':
      return PeerAppender.open(url, poolSize);
  }
}

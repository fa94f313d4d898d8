import { Client, Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  type EventMetadata,
  type NewEvent,
  type Position,
  type RecordedEvent,
  START,
  comparePositions,
} from '../envelope';
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type ExpectedRevision,
  InvalidAppendError,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from '../event-store';
import { hashEvent, normaliseData } from '../hash-chain';
import { EVENTS_CHANNEL } from './schema';
import { CatchUpSubscription } from '../catch-up-subscription';

export interface PostgresEventStoreOptions {
  pool: Pool;
  /** Used for the LISTEN connection that wakes subscriptions up. */
  connectionString: string;
  /** Wall clock for `recordedAt` (infrastructure time, not business time). */
  wallClock?: () => Date;
  /** Fallback polling interval when no notification arrives. */
  pollIntervalMs?: number;
}

const EVENT_COLUMNS = `global_position, tx_id::text AS tx_text, event_id, stream_id, revision, type,
  schema_version, data, metadata, prev_hash, hash`;

interface EventRow {
  global_position: string;
  tx_text: string;
  event_id: string;
  stream_id: string;
  revision: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  prev_hash: string | null;
  hash: string;
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: { commit: BigInt(row.tx_text), prepare: BigInt(row.global_position) },
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** START maps to (0, -1): every real transaction id is ≥ 3. */
function positionParams(p: Position): [string, string] {
  return comparePositions(p, START) === 0 ? ['0', '-1'] : [p.commit.toString(), p.prepare.toString()];
}

/**
 * Runs a parameterless multi-statement query (`BEGIN; <statement>`) and returns the result of the
 * last statement. Values are inlined with the driver's `escapeLiteral`.
 */
async function simple<R extends QueryResultRow = QueryResultRow>(client: PoolClient, sql: string): Promise<QueryResult<R>> {
  const result = (await client.query(sql)) as unknown as QueryResult<R> | QueryResult<R>[];
  return Array.isArray(result) ? result[result.length - 1] : result;
}

export class PostgresEventStore implements EventStore {
  readonly adapter = 'postgresql' as const;
  private readonly pool: Pool;
  private readonly wallClock: () => Date;
  private readonly pollIntervalMs: number;
  private listener: Client | null = null;
  private listenerReady: Promise<void> | null = null;
  private readonly wakers = new Set<() => void>();
  private closed = false;
  private notifying = false;
  private notifyAgain = false;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = options.pool;
    this.wallClock = options.wallClock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    validateBatch(streamId, events);
    const client = await this.pool.connect();
    try {
      const commandId = events[0].metadata.commandId;
      // BEGIN travels with the transaction's first statement (one round trip less per append).
      let begun = false;
      if (commandId) {
        // Claimed first: a concurrent retry of the same command waits here on the unique key,
        // then sees the first attempt's events instead of failing on the revision check.
        const claimed = await simple(
          client,
          `BEGIN; INSERT INTO es_commands (command_id, stream_id) VALUES (${client.escapeLiteral(commandId)}, ${client.escapeLiteral(streamId)}) ON CONFLICT DO NOTHING`,
        );
        begun = true;
        if (claimed.rowCount === 0) {
          await client.query('ROLLBACK');
          // On this client: borrowing a second one from the pool while holding this one deadlocks
          // when every client of the pool is a retry of the same command waiting for another.
          return (await this.commandResult(commandId, client))!;
        }
      }
      const head = await this.lockHead(client, streamId, options.expectedRevision, begun);
      const recordedAt = this.wallClock().toISOString();
      let prevHash = head.lastHash;
      const rows = events.map((e, i) => {
        const metadata: EventMetadata = { ...normaliseData(e.metadata), recordedAt };
        const hashed = {
          eventId: e.eventId ?? uuidv7(),
          streamId,
          revision: head.revision + 1 + i,
          type: e.type,
          schemaVersion: e.schemaVersion ?? 1,
          data: normaliseData(e.data),
          metadata,
          prevHash,
        };
        const hash = hashEvent(hashed);
        prevHash = hash;
        return { ...hashed, hash };
      });
      const last = rows[rows.length - 1];
      // One round trip for the rows, the new stream head, the command record and the wake-up.
      const inserted = await client.query<{ global_position: string; tx_text: string; revision: string }>({
        // Prepared once per connection: the statement is planned once instead of at every append.
        name: 'es_append_v2',
        text: `WITH ins AS (
           INSERT INTO es_events (event_id, stream_id, revision, type, schema_version, data, metadata, prev_hash, hash)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::text[], $9::text[])
           RETURNING global_position, tx_id::text AS tx_text, revision
         ), head AS (
           UPDATE es_streams SET revision = $10, last_hash = $11 WHERE stream_id = $12
         ), command AS (
           UPDATE es_commands SET first_revision = $13, last_revision = $10 WHERE command_id = $14
         )
         SELECT ins.* FROM ins`,
        values: [
          rows.map((r) => r.eventId),
          rows.map((r) => r.streamId),
          rows.map((r) => r.revision),
          rows.map((r) => r.type),
          rows.map((r) => r.schemaVersion),
          rows.map((r) => JSON.stringify(r.data)),
          rows.map((r) => JSON.stringify(r.metadata)),
          rows.map((r) => r.prevHash),
          rows.map((r) => r.hash),
          last.revision,
          last.hash,
          streamId,
          rows[0].revision,
          commandId ?? null,
        ],
      });
      await client.query('COMMIT');
      this.wakeSubscribers();
      const positions = new Map(inserted.rows.map((r) => [Number(r.revision), { commit: BigInt(r.tx_text), prepare: BigInt(r.global_position) }]));
      const recorded: RecordedEvent[] = rows.map(({ hash, ...r }) => ({ ...r, hash, position: positions.get(r.revision)! }));
      return { nextExpectedRevision: last.revision, events: recorded, duplicateCommand: false };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw translateError(error, streamId, options.expectedRevision);
    } finally {
      client.release();
    }
  }

  /**
   * Locks the stream's head row for the rest of the transaction and checks the expected revision.
   * Creating a stream inserts its head row; a concurrent creator blocks on the primary key and
   * then fails the check.
   */
  private async lockHead(
    client: PoolClient,
    streamId: string,
    expected: ExpectedRevision,
    begun: boolean,
  ): Promise<{ revision: number; lastHash: string | null }> {
    const begin = begun ? '' : 'BEGIN; ';
    const stream = client.escapeLiteral(streamId);
    if (expected === 'no_stream' || expected === 'any') {
      const created = await simple(client, `${begin}INSERT INTO es_streams (stream_id, revision, last_hash) VALUES (${stream}, -1, '') ON CONFLICT DO NOTHING`);
      if (created.rowCount === 1) return { revision: -1, lastHash: null };
      if (expected === 'no_stream') {
        const actual = await client.query<{ revision: string }>('SELECT revision FROM es_streams WHERE stream_id = $1', [streamId]);
        throw new WrongExpectedRevisionError(streamId, expected, Number(actual.rows[0]?.revision ?? -1));
      }
      begun = true;
    }
    const head = await simple<{ revision: string; last_hash: string }>(
      client,
      `${begun ? '' : 'BEGIN; '}SELECT revision, last_hash FROM es_streams WHERE stream_id = ${stream} FOR UPDATE`,
    );
    if (head.rowCount === 0) throw new WrongExpectedRevisionError(streamId, expected, 'no_stream');
    const revision = Number(head.rows[0].revision);
    if (typeof expected === 'number' && expected !== revision) {
      throw new WrongExpectedRevisionError(streamId, expected, revision);
    }
    return { revision, lastHash: head.rows[0].last_hash || null };
  }

  async commandResult(commandId: string, on: Pick<Pool, 'query'> = this.pool): Promise<AppendResult | null> {
    const cmd = await on.query<{ stream_id: string; first_revision: string; last_revision: string }>(
      'SELECT stream_id, first_revision, last_revision FROM es_commands WHERE command_id = $1',
      [commandId],
    );
    if (cmd.rowCount === 0) return null;
    const { stream_id, first_revision, last_revision } = cmd.rows[0];
    const events = await on.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = $1 AND revision BETWEEN $2 AND $3 ORDER BY revision`,
      [stream_id, first_revision, last_revision],
    );
    return { nextExpectedRevision: Number(last_revision), events: events.rows.map(toRecorded), duplicateCommand: true };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = $1 AND revision ${backwards ? '<=' : '>='} $2
       ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [streamId, from, options.maxCount ?? null],
    );
    return result.rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const [commit, prepare] = positionParams(options.after);
    // Only transactions older than every running one are read: a transaction still running
    // cannot later commit "behind" what has been read (docs/adr/0003).
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events
       WHERE (tx_id, global_position) > ($1::xid8, $2::bigint)
         AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY es_events.tx_id, global_position
       LIMIT $3`,
      [commit, prepare, options.maxCount],
    );
    return result.rows.map(toRecorded);
  }

  async headPosition(): Promise<Position> {
    const result = await this.pool.query<{ tx_text: string; global_position: string }>(
      `SELECT tx_id::text AS tx_text, global_position FROM es_events
       WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY es_events.tx_id DESC, global_position DESC LIMIT 1`,
    );
    const row = result.rows[0];
    return row ? { commit: BigInt(row.tx_text), prepare: BigInt(row.global_position) } : START;
  }

  /**
   * Counts readable events after a position (a projection's lag), up to `cap`: health checks run
   * this often, and a projection rebuilding a million events must not make each one count them all.
   */
  async countAfter(after: Position, cap = 100_000): Promise<number> {
    const [commit, prepare] = positionParams(after);
    const result = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT 1 FROM es_events
         WHERE (tx_id, global_position) > ($1::xid8, $2::bigint) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
         LIMIT $3) capped`,
      [commit, prepare, cap],
    );
    return Number(result.rows[0].n);
  }

  async listStreams(options: { afterStreamId?: string; limit: number }): Promise<string[]> {
    const result = await this.pool.query<{ stream_id: string }>(
      `SELECT stream_id FROM es_streams
       WHERE created_seq > COALESCE((SELECT created_seq FROM es_streams WHERE stream_id = $1), 0)
       ORDER BY created_seq LIMIT $2`,
      [options.afterStreamId ?? null, options.limit],
    );
    return result.rows.map((r) => r.stream_id);
  }

  /** The head the store recorded for a stream: lets audit detect a deleted last event. */
  async streamHead(streamId: string): Promise<{ revision: number; hash: string | null } | null> {
    const result = await this.pool.query<{ revision: string; last_hash: string }>(
      'SELECT revision, last_hash FROM es_streams WHERE stream_id = $1',
      [streamId],
    );
    const row = result.rows[0];
    return row ? { revision: Number(row.revision), hash: row.last_hash || null } : null;
  }

  subscribeToAll(options: SubscribeToAllOptions): EventSubscription {
    return new CatchUpSubscription(this, options, (timeoutMs) => this.waitForEvents(timeoutMs));
  }

  /**
   * Wakes subscriptions after a commit. The NOTIFY is sent after COMMIT, in its own statement,
   * not inside the append: a transaction that notifies takes a cluster-wide lock at commit
   * (PostgreSQL keeps the notification queue in commit order), which would serialise every
   * append's commit — WAL flush included on a durable server. Notifications are coalesced: while
   * one is in flight, further commits ask for one more, sent when it returns, so every commit is
   * followed by at least one notification and a burst of appends costs two.
   */
  private wakeSubscribers(): void {
    [...this.wakers].forEach((wake) => wake());
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    const send = (): void => {
      this.notifyAgain = false;
      this.pool
        .query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`)
        .catch(() => undefined) // subscribers still poll (pollIntervalMs)
        .finally(() => {
          if (this.notifyAgain && !this.closed) send();
          else this.notifying = false;
        });
    };
    send();
  }

  /** Resolves on the next append notification, or after the timeout. */
  async waitForEvents(timeoutMs = this.pollIntervalMs): Promise<void> {
    await this.ensureListener().catch(() => undefined);
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(timeoutMs, this.pollIntervalMs));
      this.wakers.add(wake);
    });
  }

  private ensureListener(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.listenerReady ??= (async () => {
      const client = new Client({ connectionString: this.options.connectionString });
      client.on('notification', () => [...this.wakers].forEach((wake) => wake()));
      client.on('error', () => {
        // Dropped LISTEN connection: subscriptions fall back to polling until the next attempt.
        this.listener = null;
        this.listenerReady = null;
      });
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      this.listener = client;
    })();
    return this.listenerReady;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1 FROM es_streams LIMIT 1');
  }

  async close(): Promise<void> {
    this.closed = true;
    [...this.wakers].forEach((wake) => wake());
    await this.listenerReady?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }
}

export function validateBatch(streamId: string, events: NewEvent[]): void {
  if (!streamId || streamId.length > 200) throw new InvalidAppendError('stream id must be 1–200 characters');
  if (events.length === 0) throw new InvalidAppendError('an append needs at least one event');
  const commandIds = new Set(events.map((e) => e.metadata.commandId ?? null));
  if (commandIds.size > 1) throw new InvalidAppendError('all events of one append share one commandId');
}

function translateError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  // Two writers racing past the head lock cannot happen, but a unique violation on the
  // (stream, revision) key is still reported as what it means: a concurrency conflict.
  if (error && typeof error === 'object' && (error as { code?: string }).code === '23505') {
    return new WrongExpectedRevisionError(streamId, expected, 'no_stream');
  }
  return error;
}

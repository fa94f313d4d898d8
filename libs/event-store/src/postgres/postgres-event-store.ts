import { Client, Pool, type PoolClient } from 'pg';
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
  type AppendManyResult,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type ExpectedRevision,
  InvalidAppendError,
  type ReadAllOfTypesOptions,
  type ReadAllOfTypesPage,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamAppend,
  type SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from '../event-store';
import { batchCommandId, validateStreamAppends } from '../stream-appends';
import { type ChainedEvent, type StreamHead, chainPrepared, prepareEvents } from '../hash-chain';
import { StreamHeads } from './stream-heads';
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
 * Events readable in global order (docs/adr/0003): only transactions older than every running one,
 * since a transaction still running cannot later commit "behind" what has been read.
 */
const READABLE = 'tx_id < pg_snapshot_xmin(pg_current_snapshot())';

/** Least time between two notifications from one process (see wakeSubscribers). */
const NOTIFY_SPACING_MS = 5;

/** Attempts of an 'any' or 'stream_exists' append; after the first, each holds the head row's lock. */
const MAX_APPEND_ATTEMPTS = 5;

export class PostgresEventStore implements EventStore {
  readonly adapter = 'postgresql' as const;
  readonly atomicMultiStreamAppend = true;
  private readonly pool: Pool;
  private readonly wallClock: () => Date;
  private readonly pollIntervalMs: number;
  private listener: Client | null = null;
  private listenerReady: Promise<void> | null = null;
  private notifier: Promise<Client> | null = null;
  private readonly wakers = new Set<() => void>();
  private closed = false;
  private notifying = false;
  private notifyAgain = false;
  private readonly heads = new StreamHeads();

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = options.pool;
    this.wallClock = options.wallClock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    validateBatch(streamId, events);
    const expected = options.expectedRevision;
    const commandId = events[0].metadata.commandId ?? null;
    const prepared = prepareEvents(events, this.wallClock().toISOString(), events.map((e) => e.eventId ?? uuidv7()));
    for (let attempt = 1; ; attempt++) {
      // 'any' and 'stream_exists' never fail on a race: after losing one, the head row is locked
      // for the next attempt (a transaction of three round trips instead of one statement).
      let locked = attempt > 1 && (expected === 'any' || expected === 'stream_exists') ? await this.pool.connect() : null;
      let head: { known: StreamHead | null; remembered: boolean } | undefined;
      try {
        head = await this.headFor(streamId, expected, locked);
        const rows = chainPrepared(streamId, prepared, head.known);
        const appended = await (locked ?? this.pool).query<{ appended_position: string; appended_tx: string; appended_revision: string }>({
          // Prepared once per connection: planned once instead of at every append.
          name: 'es_append_v4',
          text: 'SELECT appended_position, appended_tx, appended_revision FROM es_append($1, $2, $3, $4, $5, $6, $7)',
          values: [streamId, head.known?.revision ?? -1, head.known?.hash ?? null, commandId, rows.length, rows[rows.length - 1].hash, eventsJson(rows)],
        });
        if (locked) await locked.query('COMMIT');
        return this.appended(streamId, rows, appended.rows);
      } catch (error) {
        if (locked) {
          await locked.query('ROLLBACK').catch(() => undefined);
          // Back to the pool before reading through it: a pool whose every client waits for another deadlocks.
          locked.release();
          locked = null;
        }
        const code = (error as { code?: string } | null)?.code;
        if (code === 'OKES2') {
          const earlier = await this.commandResult(commandId!);
          if (earlier) return earlier;
        }
        if (code !== 'OKES1') throw translateError(error, streamId, expected);
        this.heads.forget(streamId);
        // A remembered head may be stale (another process appended): look it up and try again.
        const retry = head?.remembered || ((expected === 'any' || expected === 'stream_exists') && attempt < MAX_APPEND_ATTEMPTS);
        if (retry) continue;
        const actual = (error as { detail?: string }).detail;
        throw new WrongExpectedRevisionError(streamId, expected, actual === undefined || actual === 'no_stream' ? 'no_stream' : Number(actual));
      } finally {
        locked?.release();
      }
    }
  }

  /**
   * Several streams in one statement, so one transaction (`es_append_many`, docs/adr/0008): all
   * batches are written or none. Each expectation is checked against the remembered or stored head
   * before the call; the heads are compare-and-set in the function as in `append` (ADR 0007).
   * One batch takes `append`'s path unchanged.
   */
  async appendMany(batches: StreamAppend[]): Promise<AppendManyResult> {
    validateStreamAppends(batches);
    if (batches.length === 1) {
      const [only] = batches;
      const result = await this.append(only.streamId, only.events, { expectedRevision: only.expectedRevision });
      return { results: [result], duplicateCommand: result.duplicateCommand };
    }
    // Heads are locked in stream order: two commands over the same streams cannot deadlock.
    const ordered = batches.map((batch, index) => ({ batch, index })).sort((a, b) => (a.batch.streamId < b.batch.streamId ? -1 : a.batch.streamId > b.batch.streamId ? 1 : 0));
    const recordedAt = this.wallClock().toISOString();
    const prepared = ordered.map(({ batch }) => prepareEvents(batch.events, recordedAt, batch.events.map((e) => e.eventId ?? uuidv7())));
    const loose = batches.some((b) => b.expectedRevision === 'any' || b.expectedRevision === 'stream_exists');
    for (let attempt = 1; ; attempt++) {
      let remembered = false;
      const chained: ChainedEvent[][] = [];
      for (let i = 0; i < ordered.length; i++) {
        const { batch } = ordered[i];
        const head = await this.headFor(batch.streamId, batch.expectedRevision, null);
        remembered ||= head.remembered;
        chained.push(chainPrepared(batch.streamId, prepared[i], head.known));
      }
      try {
        const stored = await this.pool.query<{ appended_stream: string; appended_position: string; appended_tx: string; appended_revision: string }>(
          'SELECT appended_stream, appended_position, appended_tx, appended_revision FROM es_append_many($1)',
          [batchesJson(ordered.map(({ batch }) => batch), chained)],
        );
        const results: AppendResult[] = new Array(batches.length);
        ordered.forEach(({ batch, index }, i) => {
          results[index] = this.appended(batch.streamId, chained[i], stored.rows.filter((r) => r.appended_stream === batch.streamId));
        });
        return { results, duplicateCommand: false };
      } catch (error) {
        const { code, detail, hint } = (error ?? {}) as { code?: string; detail?: string; hint?: string };
        const failed = batches.find((b) => b.streamId === hint) ?? batches[0];
        if (code === 'OKES2') {
          const earlier = await this.recordedBatches(batches);
          if (earlier) return earlier;
          // Part of the command recorded by another append of one of its ids: decided again by the caller.
          const head = await this.storedHead(failed.streamId, null);
          throw new WrongExpectedRevisionError(failed.streamId, failed.expectedRevision, head ? head.revision : 'no_stream');
        }
        if (code !== 'OKES1') throw translateError(error, failed.streamId, failed.expectedRevision);
        for (const { batch } of ordered) this.heads.forget(batch.streamId);
        // A stale remembered head is looked up again; 'any' / 'stream_exists' retry a lost race. Bounded either way.
        if ((remembered || loose) && attempt < MAX_APPEND_ATTEMPTS) continue;
        throw new WrongExpectedRevisionError(failed.streamId, failed.expectedRevision, detail === undefined || detail === 'no_stream' || detail === '' ? 'no_stream' : Number(detail));
      }
    }
  }

  /** Every batch's first outcome when each of them carries a command id already recorded; else null. */
  private async recordedBatches(batches: StreamAppend[]): Promise<AppendManyResult | null> {
    const results: AppendResult[] = [];
    for (const batch of batches) {
      const commandId = batchCommandId(batch);
      const earlier = commandId ? await this.commandResult(commandId) : null;
      if (!earlier || earlier.events[0]?.streamId !== batch.streamId) return null;
      results.push(earlier);
    }
    return { results, duplicateCommand: true };
  }

  private appended(
    streamId: string,
    rows: ChainedEvent[],
    stored: { appended_position: string; appended_tx: string; appended_revision: string }[],
  ): AppendResult {
    const last = rows[rows.length - 1];
    this.heads.remember(streamId, { revision: last.revision, hash: last.hash });
    this.wakeSubscribers();
    const positions = new Map(stored.map((r) => [Number(r.appended_revision), { commit: BigInt(r.appended_tx), prepare: BigInt(r.appended_position) }]));
    const events: RecordedEvent[] = rows.map((r) => ({
      eventId: r.eventId,
      streamId,
      revision: r.revision,
      position: positions.get(r.revision)!,
      type: r.type,
      schemaVersion: r.schemaVersion,
      data: r.data,
      metadata: r.metadata,
      prevHash: r.prevHash,
      hash: r.hash,
    }));
    return { nextExpectedRevision: last.revision, events, duplicateCommand: false };
  }

  /**
   * The head to chain an append after: the one this process remembers when it fits the
   * expectation, else the stored one (checked against the expectation here, so a plain conflict
   * costs no append attempt) — read with a row lock inside the `locked` client's transaction.
   */
  private async headFor(
    streamId: string,
    expected: ExpectedRevision,
    locked: PoolClient | null,
  ): Promise<{ known: StreamHead | null; remembered: boolean }> {
    if (expected === 'no_stream') return { known: null, remembered: false };
    const remembered = locked ? undefined : this.heads.get(streamId);
    if (remembered && (typeof expected !== 'number' || remembered.revision === expected)) return { known: remembered, remembered: true };
    if (locked) await locked.query('BEGIN');
    const stored = await this.storedHead(streamId, locked);
    if (!stored) {
      if (expected === 'any') return { known: null, remembered: false };
      throw new WrongExpectedRevisionError(streamId, expected, 'no_stream');
    }
    if (typeof expected === 'number' && stored.revision !== expected) throw new WrongExpectedRevisionError(streamId, expected, stored.revision);
    return { known: stored, remembered: false };
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
    const events = result.rows.map(toRecorded);
    // Read to the end: the last event is the head (as of this read).
    const head = backwards ? (options.fromRevision === undefined ? events[0] : undefined) : options.maxCount === undefined ? events[events.length - 1] : undefined;
    if (head) this.heads.remember(streamId, { revision: head.revision, hash: head.hash });
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const [commit, prepare] = positionParams(options.after);
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events
       WHERE (tx_id, global_position) > ($1::xid8, $2::bigint)
         AND ${READABLE}
       ORDER BY es_events.tx_id, global_position
       LIMIT $3`,
      [commit, prepare, options.maxCount],
    );
    return result.rows.map(toRecorded);
  }

  /**
   * One statement, so one snapshot: the newest readable event (the head) is found first and the
   * page is read up to it. A page with fewer than `maxCount` events covered everything up to that
   * head, which is where the next read starts; an event that becomes readable later is behind it
   * (docs/adr/0003).
   */
  async readAllOfTypes(options: ReadAllOfTypesOptions): Promise<ReadAllOfTypesPage> {
    const [commit, prepare] = positionParams(options.after);
    const result = await this.pool.query<Partial<EventRow> & { head_tx: string; head_position: string }>(
      `WITH head AS MATERIALIZED (
         SELECT tx_id, global_position FROM es_events
          WHERE ${READABLE}
          ORDER BY tx_id DESC, global_position DESC LIMIT 1)
       SELECT head.tx_id::text AS head_tx, head.global_position AS head_position, page.*
         FROM head LEFT JOIN LATERAL (
           SELECT ${EVENT_COLUMNS} FROM es_events
            WHERE (tx_id, global_position) > ($1::xid8, $2::bigint)
              AND (tx_id, global_position) <= (head.tx_id, head.global_position)
              AND type = ANY($4::text[])
            ORDER BY es_events.tx_id, global_position
            LIMIT $3) page ON true`,
      [commit, prepare, options.maxCount, options.eventTypes],
    );
    const rows = result.rows;
    // No row: the store has no readable event. One row without an event: nothing matched up to the head.
    if (rows.length === 0) return { events: [], next: options.after, atHead: true };
    const events = rows[0].event_id ? rows.map((r) => toRecorded(r as EventRow)) : [];
    if (events.length === options.maxCount) return { events, next: events[events.length - 1].position, atHead: false };
    const head = { commit: BigInt(rows[0].head_tx), prepare: BigInt(rows[0].head_position) };
    return { events, next: comparePositions(head, options.after) > 0 ? head : options.after, atHead: true };
  }

  async headPosition(): Promise<Position> {
    const result = await this.pool.query<{ tx_text: string; global_position: string }>(
      `SELECT tx_id::text AS tx_text, global_position FROM es_events
       WHERE ${READABLE}
       ORDER BY es_events.tx_id DESC, global_position DESC LIMIT 1`,
    );
    const row = result.rows[0];
    return row ? { commit: BigInt(row.tx_text), prepare: BigInt(row.global_position) } : START;
  }

  async newestEvent(): Promise<RecordedEvent | null> {
    // Every committed event, not only those below the read watermark (ADR 0003): what was recorded.
    const result = await this.pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM es_events ORDER BY tx_id DESC, global_position DESC LIMIT 1`);
    return result.rows[0] ? toRecorded(result.rows[0]) : null;
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
         WHERE (tx_id, global_position) > ($1::xid8, $2::bigint) AND ${READABLE}
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
  async streamHead(streamId: string): Promise<StreamHead | null> {
    return this.storedHead(streamId, null);
  }

  /** With a client (inside its transaction): the head row is locked until it ends. */
  private async storedHead(streamId: string, locked: PoolClient | null): Promise<StreamHead | null> {
    const result = await (locked ?? this.pool).query<{ revision: string; last_hash: string }>(
      `SELECT revision, last_hash FROM es_streams WHERE stream_id = $1${locked ? ' FOR UPDATE' : ''}`,
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
   * append's commit — WAL flush included on a durable server. It goes on a connection of its own,
   * not the pool's: through the pool, every append of a lone writer waited behind the previous
   * append's NOTIFY (two round trips per append instead of one). Notifications are coalesced and
   * spaced: while one is in flight or was sent less than NOTIFY_SPACING_MS ago, further commits ask
   * for one more, sent when that time is up. Every commit is still followed by a notification
   * (at most NOTIFY_SPACING_MS late), and a process sends at most one per NOTIFY_SPACING_MS — a
   * NOTIFY is a transaction of its own whose commit takes the cluster-wide notification lock, and
   * one per append cost 16 writers a third of their throughput.
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
      this.notifierClient()
        .then((client) => client.query(`NOTIFY ${EVENTS_CHANNEL}`))
        .catch(() => {
          this.notifier = null; // reconnect on the next commit; subscribers still poll (pollIntervalMs)
        })
        .finally(() => {
          setTimeout(() => {
            if (this.notifyAgain && !this.closed) send();
            else this.notifying = false;
          }, NOTIFY_SPACING_MS).unref();
        });
    };
    send();
  }

  private notifierClient(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('event store closed'));
    this.notifier ??= (async () => {
      const client = new Client({ connectionString: this.options.connectionString });
      client.on('error', () => {
        this.notifier = null;
      });
      await client.connect();
      return client;
    })();
    return this.notifier;
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
    const notifier = this.notifier;
    this.notifier = null;
    await notifier?.then((client) => client.end()).catch(() => undefined);
  }
}

/** The events as es_append takes them: one JSON array, the canonical content pasted in as it is. */
function eventsJson(rows: ChainedEvent[]): string {
  let out = '[';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out +=
      (i === 0 ? '{"i":' : ',{"i":') +
      JSON.stringify(r.eventId) +
      ',"t":' +
      JSON.stringify(r.type) +
      ',"v":' +
      JSON.stringify(r.schemaVersion) +
      ',"d":' +
      r.dataJson +
      ',"m":' +
      r.metadataJson +
      ',"p":' +
      JSON.stringify(r.prevHash) +
      ',"h":' +
      JSON.stringify(r.hash) +
      '}';
  }
  return out + ']';
}

/** The batches as es_append_many takes them: one JSON array text, each batch's events as `eventsJson` makes them. */
function batchesJson(batches: StreamAppend[], chained: ChainedEvent[][]): string {
  let out = '[';
  for (let i = 0; i < batches.length; i++) {
    const rows = chained[i];
    const first = rows[0];
    const expected = first.revision - 1;
    out +=
      (i === 0 ? '{"s":' : ',{"s":') +
      JSON.stringify(batches[i].streamId) +
      ',"e":' +
      expected +
      ',"x":' +
      JSON.stringify(first.prevHash) +
      ',"c":' +
      JSON.stringify(batchCommandId(batches[i])) +
      ',"n":' +
      rows.length +
      ',"l":' +
      JSON.stringify(rows[rows.length - 1].hash) +
      ',"ev":' +
      eventsJson(rows) +
      '}';
  }
  return out + ']';
}

export function validateBatch(streamId: string, events: NewEvent[]): void {
  if (!streamId || streamId.length > 200) throw new InvalidAppendError('stream id must be 1–200 characters');
  if (events.length === 0) throw new InvalidAppendError('an append needs at least one event');
  const commandIds = new Set(events.map((e) => e.metadata.commandId ?? null));
  if (commandIds.size > 1) throw new InvalidAppendError('all events of one append share one commandId');
}

function translateError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  // The head's compare-and-set keeps two writers off one revision, so a unique violation here is
  // an event id already stored: an event appended twice, reported as the conflict it is.
  if (error && typeof error === 'object' && (error as { code?: string }).code === '23505') {
    return new WrongExpectedRevisionError(streamId, expected, 'no_stream');
  }
  return error;
}

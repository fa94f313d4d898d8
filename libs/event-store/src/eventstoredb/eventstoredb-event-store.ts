import {
  ANY,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  EventStoreDBClient,
  type EventData as EsdbEventData,
  FORWARDS,
  NO_STREAM,
  type Position as EsdbPosition,
  type ReadPosition,
  START as ESDB_START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import {
  type EventData,
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
import { type StreamHead, chainEvents } from '../hash-chain';
import { validateBatch } from '../postgres/postgres-event-store';

/*
 * EventStoreDB adapter of the event-store port (docs/adr/0004-eventstoredb-adapter.md).
 *
 * Each port event is one ESDB JSON event: data = the event's data, metadata =
 * { schemaVersion, prevHash, hash, envelope, $correlationId, $causationId? }. The pure functions
 * exported below hold every mapping decision and are unit-tested without a server.
 */

/** Streams the adapter writes for itself; hidden from readAll, subscribeToAll and listStreams. */
export const INTERNAL_STREAM_PREFIX = 'oksio.';
/** One marker stream per command id: `oksio.cmd-<commandId>`, written with NO_STREAM. */
export const COMMAND_STREAM_PREFIX = `${INTERNAL_STREAM_PREFIX}cmd-`;
export const COMMAND_RECORDED_TYPE = 'oksio.CommandRecorded';
/** Namespace of the UUID v5 event ids derived from a command id (any fixed UUID; never change it). */
export const COMMAND_EVENT_ID_NAMESPACE = '3b0f6f3e-8a57-4c1e-9d2a-6c4f1e7b9a05';
/** Attempts for 'any' / 'stream_exists' appends that lose a race to another writer. */
export const MAX_APPEND_ATTEMPTS = 5;
/**
 * How many of a stream's last events are searched for a command's events when its marker is
 * missing (crash between the events and the marker) and the caller gave 'any' / 'stream_exists'.
 */
export const COMMAND_RECOVERY_WINDOW = 50;

export interface EventStoreDbEventStoreOptions {
  client: EventStoreDBClient;
  /** Wall clock for `recordedAt` (infrastructure time, not business time). */
  wallClock?: () => Date;
}

/** What the adapter stores in ESDB's per-event metadata. */
export interface StoredMetadata {
  schemaVersion: number;
  prevHash: string | null;
  hash: string;
  envelope: EventMetadata;
  /** Read by ESDB's own `$by_correlation_id` projection. */
  $correlationId: string;
  $causationId?: string;
}

/** Data of a command marker event. */
export interface CommandMarker {
  streamId: string;
  firstRevision: number;
  lastRevision: number;
}

/** The structural subset of the client's ResolvedEvent / AllStreamResolvedEvent that is read. */
export interface EsdbResolvedLike {
  event?: {
    streamId: string;
    id: string;
    revision: bigint;
    type: string;
    isJson: boolean;
    data: unknown;
    metadata?: unknown;
    position?: EsdbPosition;
  };
  commitPosition?: bigint;
}

type HashedEvent = Omit<RecordedEvent, 'position'>;

// ---------------------------------------------------------------------------------------------
// Pure mappings
// ---------------------------------------------------------------------------------------------

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  if (expected === 'any') return ANY;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidAppendError(`expected revision must be a non-negative integer, got ${expected}`);
  }
  return BigInt(expected);
}

/** The revision to append at once the stream's head has been read: exact, or NO_STREAM. */
export function exactRevision(head: StreamHead | null): AppendExpectedRevision {
  return head ? BigInt(head.revision) : NO_STREAM;
}

/** The port's (exclusive) position as the client's read position: START maps to the client's START. */
export function toEsdbReadPosition(position: Position): ReadPosition {
  return comparePositions(position, START) === 0 ? ESDB_START : { commit: position.commit, prepare: position.prepare };
}

export function fromEsdbPosition(position: EsdbPosition): Position {
  return { commit: BigInt(position.commit), prepare: BigInt(position.prepare) };
}

/** UUID v5 of (commandId, index): a retried command carries the same event ids. */
export function commandEventId(commandId: string, index: number): string {
  return uuidv5(`${commandId}/${index}`, COMMAND_EVENT_ID_NAMESPACE);
}

/** Supplied ids win; otherwise ids derived from the command, otherwise UUID v7. */
export function eventIdsFor(events: NewEvent[], commandId: string | null): string[] {
  return events.map((e, i) => e.eventId ?? (commandId ? commandEventId(commandId, i) : uuidv7()));
}

export function commandMarkerStream(commandId: string): string {
  return `${COMMAND_STREAM_PREFIX}${commandId}`;
}

/** System events (`$` types, `$` streams) and the adapter's own streams never reach readers. */
export function isHiddenEvent(streamId: string, type: string): boolean {
  return type.startsWith('$') || streamId.startsWith('$') || streamId.startsWith(INTERNAL_STREAM_PREFIX);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** True when the event was written by this adapter (its metadata carries the envelope and hash). */
export function hasEnvelope(resolved: EsdbResolvedLike): boolean {
  const metadata = resolved.event?.metadata;
  return isObject(metadata) && typeof metadata.hash === 'string' && isObject(metadata.envelope);
}

/** A resolved event that readAll / subscribeToAll / listStreams may return. */
export function isVisibleInAll(resolved: EsdbResolvedLike): boolean {
  const e = resolved.event;
  return !!e && !isHiddenEvent(e.streamId, e.type) && hasEnvelope(resolved);
}

/**
 * Rebuilds the port's event from an ESDB resolved event. Lenient for events this adapter did not
 * write (missing hash → '', so an audit reports them as altered instead of crashing). Null when
 * the resolved event carries no event (unresolved link).
 */
export function toRecordedEvent(resolved: EsdbResolvedLike): RecordedEvent | null {
  const e = resolved.event;
  if (!e) return null;
  const meta = isObject(e.metadata) ? e.metadata : {};
  const position = e.position
    ? fromEsdbPosition(e.position)
    : resolved.commitPosition !== undefined
      ? { commit: resolved.commitPosition, prepare: resolved.commitPosition }
      : START;
  let data: EventData;
  if (e.isJson && isObject(e.data)) data = e.data;
  else if (e.data instanceof Uint8Array) data = { value: Buffer.from(e.data).toString('base64') };
  else data = { value: e.data };
  return {
    eventId: e.id,
    streamId: e.streamId,
    revision: Number(e.revision),
    position,
    type: e.type,
    schemaVersion: typeof meta.schemaVersion === 'number' ? meta.schemaVersion : 1,
    data,
    metadata: (isObject(meta.envelope) ? meta.envelope : {}) as unknown as EventMetadata,
    prevHash: typeof meta.prevHash === 'string' ? meta.prevHash : null,
    hash: typeof meta.hash === 'string' ? meta.hash : '',
  };
}

/** Checks the caller's expectation against the head read from the stream (null = no stream). */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, head: StreamHead | null): void {
  const actual = head ? head.revision : 'no_stream';
  if (expected === 'any') return;
  if (expected === 'no_stream' ? head !== null : expected === 'stream_exists' ? head === null : actual !== expected) {
    throw new WrongExpectedRevisionError(streamId, expected, actual);
  }
}

export function toStoredMetadata(e: HashedEvent): StoredMetadata {
  return {
    schemaVersion: e.schemaVersion,
    prevHash: e.prevHash,
    hash: e.hash,
    envelope: e.metadata,
    $correlationId: e.metadata.correlationId,
    ...(e.metadata.causationId ? { $causationId: e.metadata.causationId } : {}),
  };
}

export function toEsdbEventData(e: HashedEvent): EsdbEventData {
  return jsonEvent({ id: e.eventId, type: e.type, data: e.data, metadata: toStoredMetadata(e) });
}

/** The client's WrongExpectedVersionError as the port's WrongExpectedRevisionError; others unchanged. */
export function translateAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const current = error.actualVersion;
    const actual = typeof current === 'bigint' ? Number(current) : 'no_stream';
    return new WrongExpectedRevisionError(streamId, expected, actual);
  }
  return error;
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError || (isObject(error) && error.type === 'stream-not-found');
}

/** A stream we stopped reading may still emit (e.g. after cancel): never as an unhandled 'error'. */
function quiet(stream: NodeJS.EventEmitter): void {
  stream.on('error', () => undefined);
}

function sameIds(events: RecordedEvent[], ids: string[]): boolean {
  return events.length === ids.length && events.every((e, i) => e.eventId === ids[i]);
}

/** Streams the adapter may append to on behalf of callers. */
export function assertWritableStream(streamId: string): void {
  if (streamId.startsWith('$')) throw new InvalidAppendError('stream ids starting with "$" are reserved by EventStoreDB');
  if (streamId.startsWith(INTERNAL_STREAM_PREFIX)) {
    throw new InvalidAppendError(`stream ids starting with "${INTERNAL_STREAM_PREFIX}" are reserved by the event store`);
  }
}

// ---------------------------------------------------------------------------------------------
// Adapter
// ---------------------------------------------------------------------------------------------

export class EventStoreDbEventStore implements EventStore {
  readonly adapter = 'eventstoredb' as const;
  /** ESDB has no transaction across streams: `appendMany` is a resumable process (docs/adr/0008). */
  readonly atomicMultiStreamAppend = false;
  private readonly client: EventStoreDBClient;
  private readonly wallClock: () => Date;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();

  constructor(options: EventStoreDbEventStoreOptions) {
    this.client = options.client;
    this.wallClock = options.wallClock ?? (() => new Date());
  }

  /** e.g. `esdb://localhost:2113?tls=false`. The client connects lazily, on the first call. */
  static fromConnectionString(
    connectionString: string,
    options: Omit<EventStoreDbEventStoreOptions, 'client'> = {},
  ): EventStoreDbEventStore {
    return new EventStoreDbEventStore({ ...options, client: EventStoreDBClient.connectionString(connectionString) });
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    validateBatch(streamId, events);
    assertWritableStream(streamId);
    const expected = options.expectedRevision;
    toEsdbExpectedRevision(expected); // validates a numeric revision
    const commandId = events[0].metadata.commandId ?? null;
    if (commandId) {
      const earlier = await this.commandResult(commandId);
      if (earlier) return earlier;
    }
    const ids = eventIdsFor(events, commandId);
    const retryable = expected === 'any' || expected === 'stream_exists';
    for (let attempt = 1; ; attempt++) {
      // The head (and, for a command with a loose expectation, the recovery window) in one read.
      const tail = await this.readStream(streamId, {
        direction: 'backwards',
        maxCount: commandId && retryable ? COMMAND_RECOVERY_WINDOW : 1,
      });
      const head: StreamHead | null = tail[0] ? { revision: tail[0].revision, hash: tail[0].hash || null } : null;
      if (commandId) {
        const recovered = await this.findUnmarkedCommand(streamId, ids, expected, head, tail);
        if (recovered) {
          await this.writeMarker(commandId, streamId, recovered);
          return {
            nextExpectedRevision: recovered[recovered.length - 1].revision,
            events: recovered,
            duplicateCommand: true,
          };
        }
      }
      checkExpectedRevision(streamId, expected, head);
      const hashed = chainEvents(streamId, events, head, this.wallClock().toISOString(), ids);
      try {
        // The exact revision that was read: the hash chain is atomic with the check.
        await this.client.appendToStream(streamId, hashed.map(toEsdbEventData), { expectedRevision: exactRevision(head) });
      } catch (error) {
        if (error instanceof WrongExpectedVersionError && retryable && attempt < MAX_APPEND_ATTEMPTS) continue;
        throw translateAppendError(error, streamId, expected);
      }
      // Read back for the real positions (ESDB reports one position per append, not per event).
      // Same ids but other hashes: ESDB accepted the append as an idempotent repeat of a concurrent
      // attempt of the same command, and what is stored is that attempt's events.
      const stored = await this.readStream(streamId, { fromRevision: hashed[0].revision, maxCount: hashed.length });
      const readBack = sameIds(stored, ids) ? stored : null;
      const result = readBack ?? hashed.map((e) => ({ ...e, position: START })); // unreadable: position unknown
      const ours = !readBack || readBack.every((e, i) => e.hash === hashed[i].hash);
      if (commandId) await this.writeMarker(commandId, streamId, result);
      return {
        nextExpectedRevision: hashed[hashed.length - 1].revision,
        events: result,
        duplicateCommand: !ours,
      };
    }
  }

  /**
   * ESDB cannot write two streams atomically (docs/adr/0008), so a multi-stream command is a
   * resumable, idempotent process instead: every batch must carry a command id; batches whose id
   * is already recorded are not written again; every other batch's expectation is checked against
   * its stream's head before the first write, so a conflict known at the start writes nothing; then
   * the batches are appended one after another (each idempotent by its command id and derived event
   * ids). Only a writer racing in between can stop it half-way: the error is the conflict, and the
   * same command retried (decided again) writes what is missing, nothing twice.
   */
  async appendMany(batches: StreamAppend[]): Promise<AppendManyResult> {
    validateStreamAppends(batches);
    for (const batch of batches) assertWritableStream(batch.streamId);
    if (batches.length > 1 && batches.some((b) => batchCommandId(b) === null)) {
      throw new InvalidAppendError('EventStoreDB appends several streams as a resumable process: every batch needs a command id');
    }
    const recorded = await Promise.all(batches.map((b) => (batchCommandId(b) ? this.commandResult(batchCommandId(b)!) : null)));
    if (recorded.every((r) => r !== null)) return { results: recorded as AppendResult[], duplicateCommand: true };
    for (let i = 0; i < batches.length; i++) {
      if (recorded[i]) continue;
      const { streamId, expectedRevision } = batches[i];
      toEsdbExpectedRevision(expectedRevision);
      const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      checkExpectedRevision(streamId, expectedRevision, last ? { revision: last.revision, hash: last.hash || null } : null);
    }
    const results: AppendResult[] = [];
    for (let i = 0; i < batches.length; i++) {
      results.push(recorded[i] ?? (await this.append(batches[i].streamId, batches[i].events, { expectedRevision: batches[i].expectedRevision })));
    }
    return { results, duplicateCommand: false };
  }

  /**
   * A command whose events are in the stream but whose marker is not (the process stopped between
   * the two appends): finds them by their deterministic ids.
   */
  private async findUnmarkedCommand(
    streamId: string,
    ids: string[],
    expected: ExpectedRevision,
    head: StreamHead | null,
    tail: RecordedEvent[],
  ): Promise<RecordedEvent[] | null> {
    if (!head) return null;
    let first: number;
    if (typeof expected === 'number' || expected === 'no_stream') {
      first = expected === 'no_stream' ? 0 : expected + 1;
      // Only when the stream moved past the caller's expectation (otherwise it is a normal append).
      if (head.revision < first + ids.length - 1) return null;
    } else {
      const found = tail.find((e) => e.eventId === ids[0]);
      if (!found) return null;
      first = found.revision;
    }
    const candidate = await this.readStream(streamId, { fromRevision: first, maxCount: ids.length });
    return sameIds(candidate, ids) ? candidate : null;
  }

  private async writeMarker(commandId: string, streamId: string, events: RecordedEvent[]): Promise<void> {
    const marker: CommandMarker = {
      streamId,
      firstRevision: events[0].revision,
      lastRevision: events[events.length - 1].revision,
    };
    try {
      await this.client.appendToStream(
        commandMarkerStream(commandId),
        jsonEvent({ id: uuidv5(`${commandId}/marker`, COMMAND_EVENT_ID_NAMESPACE), type: COMMAND_RECORDED_TYPE, data: { ...marker } }),
        { expectedRevision: NO_STREAM },
      );
    } catch (error) {
      // A concurrent attempt of the same command recorded it first.
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }

  async commandResult(commandId: string): Promise<AppendResult | null> {
    const markers = await this.readResolved(commandMarkerStream(commandId), { direction: FORWARDS, maxCount: 1 });
    const data = markers[0]?.event?.data;
    if (!isObject(data)) return null;
    const marker = data as unknown as CommandMarker;
    const events = await this.readStream(marker.streamId, {
      fromRevision: marker.firstRevision,
      maxCount: marker.lastRevision - marker.firstRevision + 1,
    });
    return { nextExpectedRevision: marker.lastRevision, events, duplicateCommand: true };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    const resolved = await this.readResolved(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : ESDB_START,
      maxCount: options.maxCount,
    });
    return resolved.map(toRecordedEvent).filter((e): e is RecordedEvent => e !== null);
  }

  /** Raw read of one stream; a missing stream is empty. */
  private async readResolved(
    streamId: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision?: bigint | typeof ESDB_START | typeof END; maxCount?: number },
  ): Promise<EsdbResolvedLike[]> {
    const out: EsdbResolvedLike[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: options.direction,
        fromRevision: options.fromRevision ?? (options.direction === BACKWARDS ? END : ESDB_START),
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      })) {
        out.push(resolved);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return out;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const { kept } = await this.scanAll(options.after, options.maxCount, isVisibleInAll);
    return kept.map((r) => toRecordedEvent(r)!);
  }

  /**
   * Filtered in this process: the client's `readAll` takes no filter (only subscriptions do).
   * A short page scanned $all to its end, so the next read starts after the last event scanned.
   */
  async readAllOfTypes(options: ReadAllOfTypesOptions): Promise<ReadAllOfTypesPage> {
    const types = new Set(options.eventTypes);
    const { kept, through } = await this.scanAll(options.after, options.maxCount, (r) => isVisibleInAll(r) && types.has(r.event!.type));
    const events = kept.map((r) => toRecordedEvent(r)!);
    return { events, next: through, atHead: events.length < options.maxCount };
  }

  /**
   * Reads $all forwards from `after` (exclusive), keeping up to `limit` events that satisfy
   * `keep`; pages again when the filter dropped events. `through`: the last event kept when
   * `limit` were, else the last event scanned (the end of $all), else `after`.
   */
  private async scanAll(after: Position, limit: number, keep: (r: EsdbResolvedLike) => boolean): Promise<{ kept: AllStreamResolvedEvent[]; through: Position }> {
    const out: AllStreamResolvedEvent[] = [];
    if (limit <= 0) return { kept: out, through: after };
    let cursor = after;
    const pageSize = Math.min(Math.max(limit + 1, 100), 4096);
    for (;;) {
      const read = this.client.readAll({ direction: FORWARDS, fromPosition: toEsdbReadPosition(cursor), maxCount: pageSize });
      let count = 0;
      let last: Position | null = null;
      let finished = false;
      try {
        for await (const resolved of read) {
          count++;
          if (!resolved.event) continue;
          const position = fromEsdbPosition(resolved.event.position);
          last = position;
          // ESDB reads from the position inclusively; the port's `after` is exclusive.
          if (comparePositions(cursor, START) !== 0 && comparePositions(position, cursor) <= 0) continue;
          if (!keep(resolved)) continue;
          out.push(resolved);
          if (out.length >= limit) {
            finished = true;
            break;
          }
        }
      } finally {
        if (finished) {
          quiet(read);
          await read.cancel().catch(() => undefined);
        }
      }
      if (finished) return { kept: out, through: fromEsdbPosition(out[out.length - 1].event!.position) };
      if (count < pageSize || !last || comparePositions(last, cursor) <= 0) return { kept: out, through: last && comparePositions(last, cursor) > 0 ? last : cursor };
      cursor = last;
    }
  }

  async headPosition(): Promise<Position> {
    const newest = await this.newestVisible();
    return newest ? fromEsdbPosition(newest.event!.position) : START;
  }

  async newestEvent(): Promise<RecordedEvent | null> {
    const newest = await this.newestVisible();
    return newest ? toRecordedEvent(newest) : null;
  }

  /** The last event of $all that readAll would return (reading backwards past the adapter's own). */
  private async newestVisible(): Promise<AllStreamResolvedEvent | null> {
    let from: ReadPosition = END;
    let before: Position | null = null;
    const pageSize = 100;
    for (;;) {
      const read = this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: pageSize });
      let count = 0;
      let last: Position | null = null;
      let found: AllStreamResolvedEvent | null = null;
      try {
        for await (const resolved of read) {
          count++;
          if (!resolved.event) continue;
          const position = fromEsdbPosition(resolved.event.position);
          last = position;
          if (before && comparePositions(position, before) >= 0) continue;
          if (isVisibleInAll(resolved)) {
            found = resolved;
            break;
          }
        }
      } finally {
        if (found) {
          quiet(read);
          await read.cancel().catch(() => undefined);
        }
      }
      if (found) return found;
      if (count < pageSize || !last || (before && comparePositions(last, before) >= 0)) return null;
      from = { commit: last.commit, prepare: last.prepare };
      before = last;
    }
  }

  /**
   * Streams in order of creation: the revision-0 events found scanning $all forwards, from the
   * creation of `afterStreamId` (O(events after it): no stream index exists without projections).
   */
  async listStreams(options: { afterStreamId?: string; limit: number }): Promise<string[]> {
    let after = START;
    if (options.afterStreamId) {
      const first = await this.readStream(options.afterStreamId, { maxCount: 1 });
      if (first[0]) after = first[0].position;
    }
    const { kept } = await this.scanAll(after, options.limit, (r) => isVisibleInAll(r) && r.event!.revision === 0n);
    return kept.map((r) => r.event!.streamId);
  }

  /** The stream's last event: ESDB cannot remove a stream's tail, so the head is the last event. */
  async streamHead(streamId: string): Promise<StreamHead | null> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last ? { revision: last.revision, hash: last.hash || null } : null;
  }

  subscribeToAll(options: SubscribeToAllOptions): EventSubscription {
    const subscription = new EventStoreDbSubscription(this.client, options, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: ESDB_START, maxCount: 1 });
    for await (const _ of read) {
      // one event (or none) proves the node answers
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }
}

/**
 * Catch-up subscription on the client's `subscribeToAll` (server-side filter drops `$` events,
 * the adapter's own streams are dropped here). Events are delivered one at a time; after an error
 * it reports it and resubscribes from the last delivered position.
 */
class EventStoreDbSubscription implements EventSubscription {
  private current: Position;
  private stopped = false;
  private active: AllStreamSubscription | null = null;
  private wake: (() => void) | null = null;
  private readonly done: Promise<void>;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeToAllOptions,
    private readonly onFinished: () => void,
  ) {
    this.current = options.after;
    this.done = this.run().finally(onFinished);
  }

  get position(): Position {
    return this.current;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const subscription = this.client.subscribeToAll({
        fromPosition: toEsdbReadPosition(this.current),
        filter: excludeSystemEvents(),
      });
      this.active = subscription;
      try {
        for await (const resolved of subscription) {
          if (this.stopped) break;
          if (!isVisibleInAll(resolved)) continue;
          const event = toRecordedEvent(resolved)!;
          if (comparePositions(this.current, START) !== 0 && comparePositions(event.position, this.current) <= 0) continue;
          await this.options.onEvent(event);
          this.current = event.position;
        }
      } catch (error) {
        if (!this.stopped) this.options.onError?.(error);
      } finally {
        this.active = null;
        quiet(subscription);
        await subscription.unsubscribe().catch(() => undefined);
        subscription.destroy();
      }
      if (!this.stopped) await this.pause(1000);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const active = this.active;
    if (active) {
      quiet(active);
      await active.unsubscribe().catch(() => undefined);
      active.destroy();
    }
    await this.done;
  }
}

import type { NewEvent, Position, RecordedEvent } from './envelope';

/** Expected state of the stream before an append (optimistic concurrency, ARCHITECTURE.md §3). */
export type ExpectedRevision =
  | number // the stream's last revision must be exactly this
  | 'no_stream' // the stream must not exist yet
  | 'stream_exists'
  | 'any';

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event now in the stream: pass it as expectedRevision next time. */
  nextExpectedRevision: number;
  events: RecordedEvent[];
  /**
   * True when the batch's commandId had already been appended: nothing new was written and
   * `events` are the ones the first attempt recorded (retries are harmless).
   */
  duplicateCommand: boolean;
}

/** One stream's part of a multi-stream append (`appendMany`). */
export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface AppendManyResult {
  /** One result per batch, in the order the batches were given. */
  results: AppendResult[];
  /** True when every batch's command id had already been appended: nothing new was written. */
  duplicateCommand: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the first (forwards) or last (backwards) event. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. START for the beginning. */
  after: Position;
  maxCount: number;
}

export interface ReadAllOfTypesOptions extends ReadAllOptions {
  /** Only events of these types are returned; the store skips the others (in the database where it can). */
  eventTypes: readonly string[];
}

/** A page of `readAllOfTypes`: the matching events, and where the next page starts. */
export interface ReadAllOfTypesPage {
  events: RecordedEvent[];
  /**
   * Where the next read starts (exclusive): the last event returned when the page is full;
   * otherwise the last position the read covered, past the events it skipped as not matching,
   * so a reader of rare types does not scan the same skipped events again at every read.
   */
  next: Position;
  /** The read reached the newest readable event (fewer than `maxCount` events matched). */
  atHead: boolean;
}

export interface SubscribeToAllOptions {
  after: Position;
  /** Called once per event, in global order; the next one waits for the promise. */
  onEvent: (event: RecordedEvent) => Promise<void> | void;
  onError?: (error: unknown) => void;
  batchSize?: number;
}

export interface EventSubscription {
  /** Position of the last event delivered. */
  readonly position: Position;
  stop(): Promise<void>;
}

/**
 * The event-store port. Adapters: PostgreSQL (default) and EventStoreDB. One contract test suite
 * (testing/event-store.contract.ts) runs against both.
 */
export interface EventStore {
  readonly adapter: 'postgresql' | 'eventstoredb';
  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams as one command (docs/adr/0008-multi-stream-append.md): every
   * expectation is checked before anything is written, each batch is claimed under its own command
   * id (at most one batch per stream and per command id). With `atomicMultiStreamAppend` all
   * batches are written or none is; without it (EventStoreDB) they are written one after another,
   * each idempotent by its command id, so a retry of the same command completes an interrupted one.
   */
  appendMany(batches: StreamAppend[]): Promise<AppendManyResult>;
  /** True when `appendMany` writes its batches in one transaction (all or nothing). */
  readonly atomicMultiStreamAppend: boolean;
  /** Empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Events after a position, in global order, never skipping an event that becomes visible later
   * (see docs/adr/0003-global-order-without-gaps.md).
   */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * `readAll` restricted to some event types (projections): the same order and visibility rule,
   * without reading the other events into the process.
   */
  readAllOfTypes(options: ReadAllOfTypesOptions): Promise<ReadAllOfTypesPage>;
  /** Catch-up subscription: reads history from `after`, then follows new events as they arrive. */
  subscribeToAll(options: SubscribeToAllOptions): EventSubscription;
  /** Position of the newest readable event, or START when the store is empty. */
  headPosition(): Promise<Position>;
  /**
   * The last event written in global order, or null when the store is empty. Unlike
   * `headPosition()` it does not stop below transactions still in flight: it is what has been recorded.
   */
  newestEvent(): Promise<RecordedEvent | null>;
  /** Stream ids in order of creation, paged, for audit verification and exports. */
  listStreams(options: { afterStreamId?: string; limit: number }): Promise<string[]>;
  /**
   * The head the store itself recorded for a stream (revision and last hash), independent of the
   * events: lets an audit detect that the last events were removed. Null for an unknown stream.
   */
  streamHead?(streamId: string): Promise<{ revision: number; hash: string | null } | null>;
  /**
   * What an earlier append of this command id wrote, or null. Lets a retried command answer with
   * its first outcome instead of being decided again against the state it already changed.
   */
  commandResult?(commandId: string): Promise<AppendResult | null>;
  /** Readable events after a position (projection lag), counted up to `cap`. */
  countAfter?(after: Position, cap?: number): Promise<number>;
  /** Resolves when new events may be readable, or after the timeout (wake-up for pollers). */
  waitForEvents?(timeoutMs: number): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class InvalidAppendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/**
 * The event envelope of ARCHITECTURE.md §2. Both adapters store and return exactly this shape,
 * so hash chains computed by one can be verified from the other.
 */

export interface Actor {
  id: string;
  role: string;
}

export interface EventMetadata {
  /** Business time of the fact (the injected clock at decision time), ISO-8601 UTC. */
  occurredAt: string;
  /** When the store accepted it, ISO-8601 UTC. Set by the adapter. */
  recordedAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  commandId: string | null;
  /**
   * Why (X-Reason): free text, so personal data. The platform stores it sealed for the stream's
   * data subject (the vault's `{ $pii: 1, … }` envelope, docs/operations.md "Personal data in free
   * text"); events written before that hold the clear string.
   */
  reason: string | { readonly $pii: 1 } | null;
}

export type EventMetadataInput = Omit<EventMetadata, 'recordedAt'>;

export type EventData = Record<string, unknown>;

export interface NewEvent<T extends string = string, D extends EventData = EventData> {
  /** Supplied for deterministic retries; generated (UUID v7) otherwise. */
  eventId?: string;
  type: T;
  schemaVersion?: number;
  data: D;
  metadata: EventMetadataInput;
}

/**
 * Where an event sits in the global order. `commit` orders transactions, `prepare` orders events
 * inside one: the PostgreSQL adapter stores (transaction id, sequence number) and EventStoreDB
 * natively uses (commit, prepare) positions — one type serves both.
 */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

export interface RecordedEvent<T extends string = string, D extends EventData = EventData> {
  eventId: string;
  streamId: string;
  /** 0-based, gap-free per stream. */
  revision: number;
  position: Position;
  type: T;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
  prevHash: string | null;
  hash: string;
}

export const START: Position = Object.freeze({ commit: -1n, prepare: -1n }) as Position;

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `commit/prepare`, the form used in checkpoints, URLs and JSON. */
export function formatPosition(p: Position): string {
  return `${p.commit}/${p.prepare}`;
}

export function parsePosition(text: string): Position {
  const m = /^(-?\d+)\/(-?\d+)$/.exec(text.trim());
  if (!m) throw new Error(`invalid position "${text}": expected COMMIT/PREPARE`);
  return { commit: BigInt(m[1]), prepare: BigInt(m[2]) };
}

/** JSON view of an event (bigints as strings) for REST, GraphQL and exports. */
export function eventToJson(e: RecordedEvent): Record<string, unknown> {
  return {
    eventId: e.eventId,
    streamId: e.streamId,
    revision: e.revision,
    globalPosition: formatPosition(e.position),
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: e.metadata,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

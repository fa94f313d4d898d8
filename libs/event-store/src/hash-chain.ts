import { createHash } from 'node:crypto';
import type { EventData, EventMetadata, NewEvent } from './envelope';

/**
 * Per-stream hash chain: hash = SHA-256 over the canonical JSON of the event's identity, content
 * and the previous event's hash. Canonical = keys sorted recursively, no whitespace, so that a
 * JSONB round trip (which reorders keys) does not change the hash.
 */
export interface HashableEvent {
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  schemaVersion: number;
  data: EventData;
  metadata: EventMetadata;
  prevHash: string | null;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in event');
    if (typeof value === 'bigint') throw new Error('bigint in event data: encode it as a string');
    return JSON.stringify(value) ?? 'null';
  }
  // Plain loops and string concatenation: this runs for every event appended, and the
  // entries/filter/sort/map chain it replaced was a tenth of an appending process's CPU.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  // Default sort order = UTF-16 code units, the order `<` gives on strings.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(v);
    first = false;
  }
  return out + '}';
}

/** The envelope fields hashed besides the content. */
type EnvelopeIdentity = Pick<HashableEvent, 'eventId' | 'streamId' | 'revision' | 'type' | 'schemaVersion' | 'prevHash'>;

/**
 * The hash of an event whose data and metadata are already canonical JSON: the same text
 * `canonicalJson` gives for the whole envelope, assembled from its parts (keys in sorted order).
 */
export function hashCanonical(e: EnvelopeIdentity, dataJson: string, metadataJson: string): string {
  const canonical =
    `{"data":${dataJson},"eventId":${canonicalJson(e.eventId)},"metadata":${metadataJson},` +
    `"prevHash":${canonicalJson(e.prevHash)},"revision":${canonicalJson(e.revision)},` +
    `"schemaVersion":${canonicalJson(e.schemaVersion)},"streamId":${canonicalJson(e.streamId)},"type":${canonicalJson(e.type)}}`;
  return createHash('sha256').update(canonical).digest('hex');
}

export function hashEvent(e: HashableEvent): string {
  return hashCanonical(e, canonicalJson(e.data), canonicalJson(e.metadata));
}

/**
 * An event about to be appended, its content normalised once: data and metadata round-tripped
 * through JSON (what any store gives back: undefined dropped, Dates as strings) and their
 * canonical JSON, which is hashed and is also the text stored.
 */
export interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: EventData;
  metadata: EventMetadata;
  dataJson: string;
  metadataJson: string;
}

export interface ChainedEvent extends PreparedEvent {
  streamId: string;
  revision: number;
  prevHash: string | null;
  hash: string;
}

export function prepareEvents(events: NewEvent[], recordedAt: string, eventIds: string[]): PreparedEvent[] {
  return events.map((e, i) => {
    const data = JSON.parse(JSON.stringify(e.data)) as EventData;
    const metadata = JSON.parse(JSON.stringify({ ...e.metadata, recordedAt })) as EventMetadata;
    return {
      eventId: eventIds[i],
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      data,
      metadata,
      dataJson: canonicalJson(data),
      metadataJson: canonicalJson(metadata),
    };
  });
}

/** Links prepared events after a stream's head (null: a new stream). */
export function chainPrepared(streamId: string, prepared: PreparedEvent[], head: { revision: number; hash: string | null } | null): ChainedEvent[] {
  let prevHash = head?.hash ?? null;
  const first = (head?.revision ?? -1) + 1;
  return prepared.map((e, i) => {
    const linked = { ...e, streamId, revision: first + i, prevHash };
    const hash = hashCanonical(linked, e.dataJson, e.metadataJson);
    prevHash = hash;
    return { ...linked, hash };
  });
}

export function chainEvents(
  streamId: string,
  events: NewEvent[],
  head: { revision: number; hash: string | null } | null,
  recordedAt: string,
  eventIds: string[],
): ChainedEvent[] {
  return chainPrepared(streamId, prepareEvents(events, recordedAt, eventIds), head);
}

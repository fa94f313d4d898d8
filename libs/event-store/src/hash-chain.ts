import * as crypto from 'node:crypto';
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

/** A stream's last revision and the hash of its last event (null: no event yet): what a batch is chained after. */
export interface StreamHead {
  revision: number;
  hash: string | null;
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
  return sha256Hex(canonical);
}

/** One-shot `crypto.hash` (Node ≥ 20.12) is about twice as fast as a Hash object for short texts. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

export function hashEvent(e: HashableEvent): string {
  return hashCanonical(e, canonicalJson(e.data), canonicalJson(e.metadata));
}

/**
 * An event about to be appended, its content normalised once (`normaliseJson`: what any store
 * gives back — undefined dropped, Dates as strings) with its canonical JSON, which is hashed and is
 * also the text stored.
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

/** An array index key: objects list these first, in numeric order, whatever their insertion order. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

/**
 * What a JSON round trip (`JSON.parse(JSON.stringify(value))`) gives — toJSON applied (Dates as
 * strings), undefined and functions dropped from objects and null in arrays, non-finite numbers
 * null, boxed primitives unboxed — but with every object's keys inserted in sorted order, so that
 * `JSON.stringify` of the result is the canonical JSON. `sorted` is false when an object has an
 * array-index key, which `JSON.stringify` puts first whatever the insertion order. One walk instead
 * of stringify + parse + canonicalJson: this runs for every event appended.
 */
function sortedJsonClone(value: unknown, key: string, state: { sorted: boolean }): unknown {
  if (value !== null && typeof value === 'object') {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') value = (value as { toJSON(key: string): unknown }).toJSON(key);
    if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'bigint':
      throw new TypeError('bigint in event data: encode it as a string');
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (value === null) return null;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = sortedJsonClone(value[i], String(i), state) ?? null;
    return out;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = sortedJsonClone(record[k], k, state);
    if (v === undefined) continue;
    if (state.sorted && k.charCodeAt(0) <= 57 && INDEX_KEY.test(k)) state.sorted = false;
    // A "__proto__" key is data, as JSON.parse makes it: defined, not assigned (which would set the prototype).
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

/** A JSON object normalised as a JSON round trip would, and its canonical JSON text. */
export function normaliseJson<T extends object>(value: T): { value: T; json: string } {
  const state = { sorted: true };
  const clone = sortedJsonClone(value, '', state) as T;
  return { value: clone, json: state.sorted ? JSON.stringify(clone) : canonicalJson(clone) };
}

export function prepareEvents(events: NewEvent[], recordedAt: string, eventIds: string[]): PreparedEvent[] {
  return events.map((e, i) => {
    const data = normaliseJson(e.data);
    const metadata = normaliseJson({ ...e.metadata, recordedAt } as EventMetadata);
    return {
      eventId: eventIds[i],
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      data: data.value,
      metadata: metadata.value,
      dataJson: data.json,
      metadataJson: metadata.json,
    };
  });
}

/** Links prepared events after a stream's head (null: a new stream). */
export function chainPrepared(streamId: string, prepared: PreparedEvent[], head: StreamHead | null): ChainedEvent[] {
  let prevHash = head?.hash ?? null;
  const first = (head?.revision ?? -1) + 1;
  const chained: ChainedEvent[] = new Array(prepared.length);
  for (let i = 0; i < prepared.length; i++) {
    const e = prepared[i];
    const linked: ChainedEvent = {
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
      dataJson: e.dataJson,
      metadataJson: e.metadataJson,
      streamId,
      revision: first + i,
      prevHash,
      hash: '',
    };
    linked.hash = hashCanonical(linked, e.dataJson, e.metadataJson);
    prevHash = linked.hash;
    chained[i] = linked;
  }
  return chained;
}

export function chainEvents(
  streamId: string,
  events: NewEvent[],
  head: StreamHead | null,
  recordedAt: string,
  eventIds: string[],
): ChainedEvent[] {
  return chainPrepared(streamId, prepareEvents(events, recordedAt, eventIds), head);
}

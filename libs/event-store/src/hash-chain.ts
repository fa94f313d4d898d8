import { createHash } from 'node:crypto';
import type { EventData, EventMetadata } from './envelope';

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
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(e: HashableEvent): string {
  const canonical = canonicalJson({
    eventId: e.eventId,
    streamId: e.streamId,
    revision: e.revision,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: e.metadata,
    prevHash: e.prevHash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Round-trips data through JSON so that what is hashed is exactly what any store gives back
 * (undefined dropped, Dates as strings).
 */
export function normaliseData<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

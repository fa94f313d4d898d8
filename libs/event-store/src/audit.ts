import type { RecordedEvent } from './envelope';
import { hashEvent } from './hash-chain';

export type ChainProblemKind = 'hash_mismatch' | 'broken_link' | 'revision_gap' | 'head_mismatch';

export interface ChainProblem {
  streamId: string;
  kind: ChainProblemKind;
  /** The first event that fails, when there is one (a deleted tail has none). */
  eventId: string | null;
  revision: number;
  message: string;
}

/**
 * Checks one stream's hash chain, in revision order: every event's hash recomputes, links to its
 * predecessor's hash, revisions have no gap, and the store's recorded head matches the last
 * event. Returns the first problem, or null.
 */
export function verifyStreamChain(
  streamId: string,
  events: RecordedEvent[],
  head?: { revision: number; hash: string | null } | null,
): ChainProblem | null {
  let prevHash: string | null = null;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const where = { streamId, eventId: e.eventId, revision: e.revision };
    if (e.revision !== i) {
      return { ...where, kind: 'revision_gap', message: `expected revision ${i}, found ${e.revision}` };
    }
    if (e.prevHash !== prevHash) {
      return { ...where, kind: 'broken_link', message: `prevHash does not match the hash of revision ${i - 1}` };
    }
    if (hashEvent(e) !== e.hash) {
      return { ...where, kind: 'hash_mismatch', message: 'content does not match its hash (altered)' };
    }
    prevHash = e.hash;
  }
  if (head) {
    const last = events[events.length - 1];
    if (!last || head.revision !== last.revision || (head.hash ?? null) !== last.hash) {
      return {
        streamId,
        eventId: null,
        revision: head.revision,
        kind: 'head_mismatch',
        message: `store head is revision ${head.revision} but the stream ends at ${last ? last.revision : 'nothing'} (events removed)`,
      };
    }
  }
  return null;
}

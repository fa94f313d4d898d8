import type { Actor } from '@oksio/event-store';
import type { RevisionPrecondition } from './revision-precondition';

/** Who asks, why, and under which ids: becomes the metadata of every event a command writes. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  /** Stable across retries (Idempotency-Key, scheduler's deterministic id): the store writes once. */
  commandId: string;
  reason: string | null;
  /**
   * If-Match / expectedRevision on the stream the command addresses (revision-precondition.ts);
   * absent for internal commands and for a command's effects on other streams (`causedBy`).
   */
  precondition?: RevisionPrecondition;
}

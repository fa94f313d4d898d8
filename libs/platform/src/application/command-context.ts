import type { Actor } from '@oksio/event-store';

/** Who asks, why, and under which ids: becomes the metadata of every event a command writes. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  /** Stable across retries (Idempotency-Key, scheduler's deterministic id): the store writes once. */
  commandId: string;
  reason: string | null;
}

import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';

/**
 * A read model fed from the global event stream. `apply` runs inside the runner's transaction,
 * which also moves the checkpoint: rows and checkpoint commit together or not at all.
 */
export interface Projection {
  readonly name: string;
  /** Event types this projection reads; the others only advance its checkpoint. */
  readonly eventTypes: readonly string[];
  apply(event: RecordedEvent, tx: EntityManager): Promise<void>;
  /**
   * Optional: the batch's events of the wanted types, upcast, in order, in the same transaction.
   * When present the runner calls it instead of `apply`, so a projection can read and write many
   * rows per statement (rebuild speed) instead of a round trip per event.
   */
  applyBatch?(events: RecordedEvent[], tx: EntityManager): Promise<void>;
  /** Removes every row the projection wrote, before a rebuild from position 0. */
  reset(tx: EntityManager): Promise<void>;
}

export const PROJECTIONS = Symbol('PROJECTIONS');

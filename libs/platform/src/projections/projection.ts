import type { DataSource, EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';
import type { SqlStatement } from './sql-statement';

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
  /**
   * Optional: a pipeline that turns batches into statements without a transaction, so the runner
   * can send one batch's transaction in a single round trip and prepare the next batch while the
   * database applies it (catch-up and rebuilds). The runner keeps at most one batch in flight.
   */
  pipeline?(run: PipelineRun): ProjectionPipeline;
  /** Removes every row the projection wrote, before a rebuild from position 0. */
  reset(tx: EntityManager): Promise<void>;
}

export interface PipelineRun {
  /** The run starts at the beginning of the log (a rebuild, or a projection never run). */
  fromStart: boolean;
}

/**
 * Prepares consecutive batches of one projection run. When `prepare` is called for a batch, the
 * batch before it may still be in flight (sent, not committed) and every earlier one is committed:
 * what the pipeline reads through `read` lacks the previous batch's writes, which it must carry
 * itself. A new pipeline is created after any failure.
 */
export interface ProjectionPipeline {
  prepare(events: RecordedEvent[], context: { read: Pick<EntityManager, 'query'>; connection: DataSource }): Promise<SqlStatement[]>;
}

export const PROJECTIONS = Symbol('PROJECTIONS');

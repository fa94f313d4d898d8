import type { EntityManager } from 'typeorm';
import type { Decider, DomainEvent } from '@oksio/kernel';
import type { RecordedEvent } from '@oksio/event-store';
import type { Projection } from './projection';
import { RowBatch } from './row-batch';

export interface AggregateStateProjectionOptions<S> {
  name: string;
  /** Stream category (prefix before the first '-') whose events are folded. */
  category: string;
  eventTypes: readonly string[];
  decider: Pick<Decider<unknown, DomainEvent, S>, 'initialState' | 'evolve'>;
  /**
   * Called after each event with the state folded so far (and the state before it): records the
   * read-model writes in `rows`, which flushes them set-based once per batch, in the batch's
   * transaction. May read through `rows.tx`.
   */
  onState?(state: S, event: RecordedEvent, rows: RowBatch, previous: S): void | Promise<void>;
  /**
   * Called once per stream and batch with the state after the batch's last event of that stream:
   * for rows that depend on the state alone (computed once, not once per event — in a rebuild a
   * stream's whole history is usually one batch). Runs after that batch's `onState` calls.
   */
  writeState?(state: S, lastEvent: RecordedEvent, rows: RowBatch): void | Promise<void>;
  /** Deletes the read-model rows `onState` and `writeState` wrote (rebuild). */
  resetRows(tx: EntityManager): Promise<void>;
}

/**
 * A projection that keeps each aggregate's folded state (JSON) in `projection_states`, so read
 * models and due actions derive from the same `evolve` the write side uses, instead of a second
 * hand-written interpretation of the events. The stored revision makes a replayed event a no-op.
 */
export function aggregateStateProjection<S>(options: AggregateStateProjectionOptions<S>): Projection {
  const prefix = `${options.category}-`;
  const projection: Projection = {
    name: options.name,
    eventTypes: options.eventTypes,
    apply: (event, tx) => projection.applyBatch!([event], tx),
    /**
     * The states of every stream in the batch are read in one statement and written back in one
     * (instead of a read and an upsert per event); `onState` still sees each event in order, and
     * the rows it records are written once per batch.
     */
    async applyBatch(events, tx) {
      const mine = events.filter((e) => e.streamId.startsWith(prefix));
      if (mine.length === 0) return;
      const streamIds = [...new Set(mine.map((e) => e.streamId))];
      const rows: Array<{ stream_id: string; revision: string; state: S }> = await tx.query(
        'SELECT stream_id, revision, state FROM projection_states WHERE projection = $1 AND stream_id = ANY($2::text[])',
        [options.name, streamIds],
      );
      const current = new Map(rows.map((r) => [r.stream_id, { revision: Number(r.revision), state: r.state }]));
      const changed = new Map<string, RecordedEvent>();
      const writes = new RowBatch(tx);
      for (const event of mine) {
        const known = current.get(event.streamId);
        if (known && known.revision >= event.revision) continue;
        const previous = known ? known.state : options.decider.initialState;
        const state = options.decider.evolve(previous, { type: event.type, data: event.data });
        current.set(event.streamId, { revision: event.revision, state });
        changed.set(event.streamId, event);
        await options.onState?.(state, event, writes, previous);
      }
      if (changed.size === 0) return;
      if (options.writeState) {
        for (const [streamId, lastEvent] of changed) await options.writeState(current.get(streamId)!.state, lastEvent, writes);
      }
      await writes.flush();
      const ids = [...changed.keys()];
      // One JSON text for all states (not a jsonb[] whose elements node-postgres escapes one by one).
      await tx.query(
        `INSERT INTO projection_states (projection, stream_id, revision, state)
         SELECT $1, x.s, x.r, x.st FROM json_to_recordset($2::json) AS x(s text, r bigint, st jsonb)
         ON CONFLICT (projection, stream_id) DO UPDATE SET revision = EXCLUDED.revision, state = EXCLUDED.state`,
        [options.name, JSON.stringify(ids.map((id) => ({ s: id, r: current.get(id)!.revision, st: current.get(id)!.state })))],
      );
    },
    async reset(tx) {
      await tx.query('DELETE FROM projection_states WHERE projection = $1', [options.name]);
      await options.resetRows(tx);
    },
  };
  return projection;
}

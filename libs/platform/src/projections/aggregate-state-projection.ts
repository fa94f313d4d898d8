import type { EntityManager } from 'typeorm';
import type { Decider, DomainEvent } from '@oksio/kernel';
import type { RecordedEvent } from '@oksio/event-store';
import type { Projection } from './projection';

export interface AggregateStateProjectionOptions<S> {
  name: string;
  /** Stream category (prefix before the first '-') whose events are folded. */
  category: string;
  eventTypes: readonly string[];
  decider: Pick<Decider<unknown, DomainEvent, S>, 'initialState' | 'evolve'>;
  /** Called after each event with the state folded so far, inside the batch transaction. */
  onState(state: S, event: RecordedEvent, tx: EntityManager): Promise<void>;
  /** Deletes the read-model rows `onState` wrote (rebuild). */
  resetRows(tx: EntityManager): Promise<void>;
}

/**
 * A projection that keeps each aggregate's folded state (JSON) in `projection_states`, so read
 * models and due actions derive from the same `evolve` the write side uses, instead of a second
 * hand-written interpretation of the events. The stored revision makes a replayed event a no-op.
 */
export function aggregateStateProjection<S>(options: AggregateStateProjectionOptions<S>): Projection {
  return {
    name: options.name,
    eventTypes: options.eventTypes,
    async apply(event, tx) {
      if (!event.streamId.startsWith(`${options.category}-`)) return;
      const rows: Array<{ revision: string; state: S }> = await tx.query(
        'SELECT revision, state FROM projection_states WHERE projection = $1 AND stream_id = $2',
        [options.name, event.streamId],
      );
      if (rows[0] && Number(rows[0].revision) >= event.revision) return;
      const previous = rows[0] ? rows[0].state : options.decider.initialState;
      const state = options.decider.evolve(previous, { type: event.type, data: event.data });
      await tx.query(
        `INSERT INTO projection_states (projection, stream_id, revision, state) VALUES ($1, $2, $3, $4)
         ON CONFLICT (projection, stream_id) DO UPDATE SET revision = EXCLUDED.revision, state = EXCLUDED.state`,
        [options.name, event.streamId, event.revision, JSON.stringify(state)],
      );
      await options.onState(state, event, tx);
    },
    async reset(tx) {
      await tx.query('DELETE FROM projection_states WHERE projection = $1', [options.name]);
      await options.resetRows(tx);
    },
  };
}

import type { EntityManager } from 'typeorm';
import type { Decider, DomainEvent } from '@oksio/kernel';
import type { RecordedEvent } from '@oksio/event-store';
import type { PipelineRun, Projection, ProjectionPipeline } from './projection';
import { RowBatch } from './row-batch';
import { runStatements, type SqlStatement } from './sql-statement';

/** What a callback knows of the aggregate beyond its state. */
export interface AggregateInBatch {
  /**
   * No read-model row of this aggregate was written before this batch: the run started over empty
   * read models (a rebuild) and the aggregate's first event is in this batch. Writes may then skip
   * looking for earlier rows (RowBatch `replace` and `syncDueActions` take it as `fresh`).
   */
  fresh: boolean;
}

export interface AggregateStateProjectionOptions<S> {
  name: string;
  /** Stream category (prefix before the first '-') whose events are folded. */
  category: string;
  eventTypes: readonly string[];
  decider: Pick<Decider<unknown, DomainEvent, S>, 'initialState' | 'evolve'>;
  /**
   * Called after each event with the state folded so far (and the state before it): records the
   * read-model writes in `rows`, which flushes them set-based once per batch, in the batch's
   * transaction (or in the runner's one-round-trip batch transaction).
   */
  onState?(state: S, event: RecordedEvent, rows: RowBatch, previous: S, aggregate: AggregateInBatch): void | Promise<void>;
  /**
   * Called once per stream and batch with the state after the batch's last event of that stream:
   * for rows that depend on the state alone (computed once, not once per event — in a rebuild a
   * stream's whole history is usually one batch). Runs after that batch's `onState` calls.
   */
  writeState?(state: S, lastEvent: RecordedEvent, rows: RowBatch, aggregate: AggregateInBatch): void | Promise<void>;
  /**
   * How a state is stored in `projection_states` when not as it is: `encode` may record rows the
   * stored form refers to (written in the same batch, before the states); `decode` gets a batch's
   * stored states back, reading what they refer to through `read`.
   */
  storedState?: {
    encode(state: S, rows: RowBatch): unknown;
    decode(stored: unknown[], read: Pick<EntityManager, 'query'>): Promise<S[]>;
  };
  /** Deletes the read-model rows `onState` and `writeState` wrote (rebuild). */
  resetRows(tx: EntityManager): Promise<void>;
}

/**
 * Statistics for the tables a run from the start fills (at batches 8, 64, 512, … of the run). The
 * run starts over tables emptied or never analysed: without statistics the planner takes
 * `aggregate_id = ANY(<80 ids>)` to match 40 % of the rows, so each batch's DELETE of replaced rows
 * and cancel of due actions scanned the whole table — a cost growing with the table, a quarter of
 * the database's time in a subscriptions rebuild (measured: 0.9 s of 3.8 s, 0.2 s after). Only
 * the columns rows are looked up by are analysed (`lookupColumns`): analysing whole shared tables
 * (due_actions, projection_states) cost more than it saved. ANALYZE records a column's distinct
 * count as a fraction of the rows, which stays right as the table grows; it is repeated at growing
 * intervals since proportions can drift. It runs in the batch's transaction (ANALYZE may) and
 * takes a lock that does not block writers.
 */
function refreshStatistics(batch: number, lookups: { table: string; columns: string[] }[], analysed: Set<string>): SqlStatement[] {
  // A table first written after a refresh point is analysed the next time a batch writes it.
  const due = isPowerOf8(batch / 8) ? lookups : lookups.filter((l) => batch > 8 && !analysed.has(l.table));
  if (due.length === 0) return [];
  for (const l of due) analysed.add(l.table);
  return [{ text: `ANALYZE ${due.map((l) => `"${l.table}" (${l.columns.map((c) => `"${c}"`).join(', ')})`).join(', ')}`, values: [] }];
}

const FRESH: AggregateInBatch = Object.freeze({ fresh: true });
const NOT_FRESH: AggregateInBatch = Object.freeze({ fresh: false });

function isPowerOf8(n: number): boolean {
  if (!Number.isInteger(n) || n < 1) return false;
  while (n % 8 === 0) n /= 8;
  return n === 1;
}

/**
 * A projection that keeps each aggregate's folded state (JSON) in `projection_states`, so read
 * models and due actions derive from the same `evolve` the write side uses, instead of a second
 * hand-written interpretation of the events. The stored revision makes a replayed event a no-op.
 */
export function aggregateStateProjection<S>(options: AggregateStateProjectionOptions<S>): Projection {
  const prefix = `${options.category}-`;
  // States as folded (decoded), never as stored.
  type Known = { revision: number; state: S };

  /**
   * The states of every stream in a batch are read in one statement and written back in one
   * (instead of a read and an upsert per event); `onState` still sees each event in order, and the
   * rows it records are written once per batch. The states the previous batch wrote are kept in
   * memory: that batch may not be committed yet when the next one is prepared.
   */
  const pipeline = ({ fromStart }: PipelineRun = { fromStart: false }): ProjectionPipeline => {
    let previousBatch = new Map<string, Known>();
    // A run from the start of the log over an empty state table (a rebuild): a stream whose first
    // event (revision 0) is in a batch cannot have a stored state yet, so none is read for it.
    let fresh: boolean | undefined = fromStart ? undefined : false;
    let batches = 0;
    const analysed = new Set<string>();
    return {
      async prepare(events, { read, connection }) {
        const mine = events.filter((e) => e.streamId.startsWith(prefix));
        const written = new Map<string, Known>();
        const carried = previousBatch;
        previousBatch = written;
        if (fresh === undefined) {
          const [{ empty }] = await read.query('SELECT NOT EXISTS (SELECT 1 FROM projection_states WHERE projection = $1) AS empty', [options.name]);
          fresh = empty === true;
        }
        if (mine.length === 0) return [];
        const firstRevision = new Map<string, number>();
        for (const e of mine) if (!firstRevision.has(e.streamId)) firstRevision.set(e.streamId, e.revision);
        const streamIds = [...firstRevision.keys()];
        // New in a fresh run: no stored state to read, no earlier row to look for.
        const inBatch = (streamId: string): AggregateInBatch => (fresh === true && firstRevision.get(streamId) === 0 ? FRESH : NOT_FRESH);
        const missing = streamIds.filter((id) => !carried.has(id) && !inBatch(id).fresh);
        const rows: Array<{ stream_id: string; revision: string; state: S }> =
          missing.length === 0
            ? []
            : await read.query('SELECT stream_id, revision, state FROM projection_states WHERE projection = $1 AND stream_id = ANY($2::text[])', [options.name, missing]);
        const stored = options.storedState ? await options.storedState.decode(rows.map((r) => r.state), read) : rows.map((r) => r.state);
        const current = new Map<string, Known>(rows.map((r, i) => [r.stream_id, { revision: Number(r.revision), state: stored[i] }]));
        for (const id of streamIds) if (carried.has(id)) current.set(id, carried.get(id)!);
        const changed = new Map<string, RecordedEvent>();
        const writes = new RowBatch(connection);
        for (const event of mine) {
          const known = current.get(event.streamId);
          if (known && known.revision >= event.revision) continue;
          const previous = known ? known.state : options.decider.initialState;
          const state = options.decider.evolve(previous, { type: event.type, data: event.data });
          current.set(event.streamId, { revision: event.revision, state });
          changed.set(event.streamId, event);
          await options.onState?.(state, event, writes, previous, inBatch(event.streamId));
        }
        if (changed.size === 0) return [];
        if (options.writeState) {
          for (const [streamId, lastEvent] of changed) await options.writeState(current.get(streamId)!.state, lastEvent, writes, inBatch(streamId));
        }
        for (const id of changed.keys()) written.set(id, current.get(id)!);
        const encode = options.storedState?.encode;
        const states = [...written].map(([s, k]) => ({ s, r: k.revision, st: encode ? encode(k.state, writes) : k.state }));
        const lookups = writes.lookupColumns();
        const statements = writes.statements();
        batches++;
        if (fromStart) statements.push(...refreshStatistics(batches, lookups, analysed));
        // One JSON text for all states (not an array whose elements node-postgres escapes one by one),
        // read as json: the states are stored as validated text (`json`), never parsed into jsonb.
        statements.push({
          text: `INSERT INTO projection_states (projection, stream_id, revision, state)
           SELECT $1, x.s, x.r, x.st FROM json_to_recordset($2::json) AS x(s text, r bigint, st json)
           ON CONFLICT (projection, stream_id) DO UPDATE SET revision = EXCLUDED.revision, state = EXCLUDED.state`,
          values: [options.name, JSON.stringify(states)],
        });
        return statements;
      },
    };
  };

  const projection: Projection = {
    name: options.name,
    eventTypes: options.eventTypes,
    apply: (event, tx) => projection.applyBatch!([event], tx),
    async applyBatch(events, tx) {
      await runStatements(tx, await pipeline().prepare(events, { read: tx, connection: tx.connection }));
    },
    pipeline,
    async reset(tx) {
      await tx.query('DELETE FROM projection_states WHERE projection = $1', [options.name]);
      await options.resetRows(tx);
    },
  };
  return projection;
}

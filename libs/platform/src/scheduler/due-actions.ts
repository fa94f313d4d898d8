import type { EntityManager } from 'typeorm';
import { deterministicId } from '@oksio/kernel';
import { runStatements, type SqlStatement } from '../projections/sql-statement';

export interface DueAction {
  key: string;
  kind: string;
  aggregateId: string;
  dueAt: Date;
  payload: Record<string, unknown>;
  commandId: string;
  attempts: number;
}

export interface ScheduleRequest {
  /** Natural key of the action, e.g. `renewal:<subscriptionId>:<periodEnd>`; rescheduling reuses it. */
  key: string;
  kind: string;
  aggregateId: string;
  dueAt: Date;
  payload?: Record<string, unknown>;
  /** The projection that owns the row (rebuilds delete by source). */
  source: string;
}

/**
 * Projections keep the due-actions table in step with the events they read, inside their own
 * transaction. The command id is derived from the key and due date, so the same occurrence
 * always carries the same id and the event store drops a second dispatch.
 */
/**
 * "Pending", written so that the planner cannot use the partial index of pending rows (by due
 * date) for a lookup by aggregate: while the table grows faster than its statistics (a rebuild),
 * that index looks tiny and a BitmapAnd with it read every pending row for each batch (≈ 9 ms at
 * 30,000 rows, against 0.5 ms through the aggregate index). Same rows: the CHECK constraint lists
 * the four statuses.
 */
const PENDING_BY_AGGREGATE = `status <> ALL ('{done,cancelled,failed}')`;

export const DueActions = {
  async schedule(tx: EntityManager, r: ScheduleRequest): Promise<void> {
    await upsertActions(tx, [r]);
  },

  async cancel(tx: EntityManager, key: string): Promise<void> {
    await tx.query(`UPDATE due_actions SET status = 'cancelled' WHERE key = $1 AND status = 'pending'`, [key]);
  },

  async cancelForAggregate(tx: EntityManager, aggregateId: string, kind?: string): Promise<void> {
    await tx.query(
      `UPDATE due_actions SET status = 'cancelled' WHERE aggregate_id = $1 AND ${PENDING_BY_AGGREGATE} AND ($2::text IS NULL OR kind = $2)`,
      [aggregateId, kind ?? null],
    );
  },

  /**
   * Makes the pending actions of one aggregate (for one source) exactly `wanted`: new keys are
   * scheduled, moved dates rescheduled, keys no longer wanted cancelled. Done rows stay done.
   */
  async sync(tx: EntityManager, aggregateId: string, source: string, wanted: WantedAction[]): Promise<void> {
    await DueActions.syncMany(tx, source, new Map([[aggregateId, wanted]]));
  },

  /**
   * `sync` for many aggregates of one source in two statements (a projection batch). `transient`:
   * actions wanted at some point of the batch but not at its end; they are written, then cancelled
   * with the others no longer wanted, so the table is what one `sync` per event would have left.
   */
  async syncMany(tx: EntityManager, source: string, byAggregate: ReadonlyMap<string, WantedAction[]>, transient: ScheduleRequest[] = []): Promise<void> {
    await runStatements(tx, DueActions.syncManyStatements(source, byAggregate, transient));
  },

  /**
   * `syncMany` as statements to run in order (a projection batch's writes). `fresh`: aggregates
   * known to have had no action before (a rebuild's new aggregates), and no transient one: nothing
   * of theirs can need cancelling.
   */
  syncManyStatements(
    source: string,
    byAggregate: ReadonlyMap<string, WantedAction[]>,
    transient: ScheduleRequest[] = [],
    fresh: ReadonlySet<string> = new Set(),
  ): SqlStatement[] {
    if (byAggregate.size === 0) return [];
    const requests = new Map<string, ScheduleRequest>();
    for (const t of transient) requests.set(t.key, t);
    const wantedKeys: string[] = [];
    for (const [aggregateId, wanted] of byAggregate) {
      for (const w of wanted) {
        requests.set(w.key, { ...w, aggregateId, source });
        wantedKeys.push(w.key);
      }
    }
    const statements = requests.size > 0 ? [upsertStatement([...requests.values()])] : [];
    const earlier = [...byAggregate.keys()].filter((id) => !fresh.has(id));
    if (earlier.length === 0) return statements;
    statements.push({
      text: `UPDATE due_actions SET status = 'cancelled'
       WHERE aggregate_id = ANY($1::text[]) AND source = $2 AND ${PENDING_BY_AGGREGATE} AND NOT (key = ANY($3::text[]))`,
      values: [earlier, source, wantedKeys],
    });
    return statements;
  },

  async resetSource(tx: EntityManager, source: string): Promise<void> {
    await tx.query('DELETE FROM due_actions WHERE source = $1', [source]);
  },
};

export type WantedAction = Omit<ScheduleRequest, 'aggregateId' | 'source'>;

/** Keys must be distinct: one statement cannot update a row twice. */
async function upsertActions(tx: EntityManager, requests: ScheduleRequest[]): Promise<void> {
  if (requests.length === 0) return;
  const { text, values } = upsertStatement(requests);
  await tx.query(text, values);
}

/** One JSON text for all rows (as RowBatch does): no array literal escaped element by element. */
function upsertStatement(requests: ScheduleRequest[]): SqlStatement {
  return {
    text: `INSERT INTO due_actions (key, kind, aggregate_id, due_at, payload, command_id, source)
     SELECT x.key, x.kind, x.aggregate_id, x.due_at, x.payload, x.command_id, x.source
       FROM jsonb_to_recordset($1::jsonb) AS x(key text, kind text, aggregate_id text, due_at timestamptz, payload jsonb, command_id uuid, source text)
     ON CONFLICT (key) DO UPDATE SET
       due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, command_id = EXCLUDED.command_id,
       status = 'pending', attempts = 0, retry_at = NULL, last_error = NULL, done_at = NULL
     WHERE due_actions.status <> 'done' OR due_actions.due_at <> EXCLUDED.due_at`,
    values: [
      JSON.stringify(
        requests.map((r) => ({
          key: r.key,
          kind: r.kind,
          aggregate_id: r.aggregateId,
          due_at: r.dueAt.toISOString(),
          payload: r.payload ?? {},
          command_id: deterministicId('due-action', r.key, r.dueAt.toISOString()),
          source: r.source,
        })),
      ),
    ],
  };
}

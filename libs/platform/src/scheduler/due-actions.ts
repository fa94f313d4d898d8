import type { EntityManager } from 'typeorm';
import { deterministicId } from '@oksio/kernel';

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
export const DueActions = {
  async schedule(tx: EntityManager, r: ScheduleRequest): Promise<void> {
    const commandId = deterministicId('due-action', r.key, r.dueAt.toISOString());
    await tx.query(
      `INSERT INTO due_actions (key, kind, aggregate_id, due_at, payload, command_id, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key) DO UPDATE SET
         due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, command_id = EXCLUDED.command_id,
         status = 'pending', attempts = 0, retry_at = NULL, last_error = NULL, done_at = NULL
       WHERE due_actions.status <> 'done' OR due_actions.due_at <> EXCLUDED.due_at`,
      [r.key, r.kind, r.aggregateId, r.dueAt, JSON.stringify(r.payload ?? {}), commandId, r.source],
    );
  },

  async cancel(tx: EntityManager, key: string): Promise<void> {
    await tx.query(`UPDATE due_actions SET status = 'cancelled' WHERE key = $1 AND status = 'pending'`, [key]);
  },

  async cancelForAggregate(tx: EntityManager, aggregateId: string, kind?: string): Promise<void> {
    await tx.query(
      `UPDATE due_actions SET status = 'cancelled' WHERE aggregate_id = $1 AND status = 'pending' AND ($2::text IS NULL OR kind = $2)`,
      [aggregateId, kind ?? null],
    );
  },

  /**
   * Makes the pending actions of one aggregate (for one source) exactly `wanted`: new keys are
   * scheduled, moved dates rescheduled, keys no longer wanted cancelled. Done rows stay done.
   */
  async sync(tx: EntityManager, aggregateId: string, source: string, wanted: Omit<ScheduleRequest, 'aggregateId' | 'source'>[]): Promise<void> {
    const keys = wanted.map((w) => w.key);
    await tx.query(
      `UPDATE due_actions SET status = 'cancelled'
       WHERE aggregate_id = $1 AND source = $2 AND status = 'pending' AND NOT (key = ANY($3::text[]))`,
      [aggregateId, source, keys],
    );
    for (const w of wanted) await DueActions.schedule(tx, { ...w, aggregateId, source });
  },

  async resetSource(tx: EntityManager, source: string): Promise<void> {
    await tx.query('DELETE FROM due_actions WHERE source = $1', [source]);
  },
};

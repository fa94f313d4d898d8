import type { DataSource } from 'typeorm';
import type { Clock } from '@oksio/kernel';
import { PlatformError } from '@oksio/kernel';
import type { DueAction } from './due-actions';

/** Carries out one due action; must use `action.commandId` as the id of the command it sends. */
export type DueActionHandler = (action: DueAction) => Promise<void>;

export interface SchedulerOptions {
  dataSource: DataSource;
  clock: Clock;
  handlers: Record<string, DueActionHandler>;
  batchSize?: number;
  intervalMs?: number;
  maxAttempts?: number;
  /** Called before each tick, e.g. to refresh a database-backed test clock. */
  beforeTick?: () => Promise<void>;
  onError?: (action: DueAction | null, error: unknown) => void;
}

export interface TickResult {
  done: number;
  failed: number;
  retried: number;
}

/**
 * Takes due rows with FOR UPDATE SKIP LOCKED (concurrent schedulers never take the same row),
 * dispatches each with its deterministic command id and marks it done in the same transaction.
 * A crash between dispatch and commit puts the row back; the retry's command id is the same, so
 * the event store records the effect once.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<TickResult> | null = null;
  private stopped = true;

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      this.ticking = this.tick().catch((error) => {
        this.options.onError?.(null, error);
        return { done: 0, failed: 0, retried: 0 };
      });
      const result = await this.ticking;
      if (this.stopped) return;
      // Keep draining while there is a backlog; otherwise wait for the next interval.
      const busy = result.done + result.failed + result.retried >= (this.options.batchSize ?? 50);
      this.timer = setTimeout(loop, busy ? 0 : (this.options.intervalMs ?? 1000));
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
  }

  /** One pass over the rows due now. */
  async tick(): Promise<TickResult> {
    await this.options.beforeTick?.();
    const now = this.options.clock.now();
    const result: TickResult = { done: 0, failed: 0, retried: 0 };
    await this.options.dataSource.transaction(async (tx) => {
      const rows: Array<Record<string, any>> = await tx.query(
        `SELECT key, kind, aggregate_id, due_at, payload, command_id, attempts FROM due_actions
         WHERE status = 'pending' AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= now())
         ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, this.options.batchSize ?? 50],
      );
      for (const row of rows) {
        const action: DueAction = {
          key: row.key,
          kind: row.kind,
          aggregateId: row.aggregate_id,
          dueAt: new Date(row.due_at),
          payload: row.payload,
          commandId: row.command_id,
          attempts: row.attempts,
        };
        const handler = this.options.handlers[action.kind];
        try {
          if (!handler) throw new Error(`no handler for due action kind ${action.kind}`);
          await handler(action);
          await tx.query(`UPDATE due_actions SET status = 'done', done_at = now(), attempts = attempts + 1 WHERE key = $1`, [action.key]);
          result.done++;
        } catch (error) {
          this.options.onError?.(action, error);
          // A business refusal will not change on retry; anything else is retried with backoff.
          const final = error instanceof PlatformError || action.attempts + 1 >= (this.options.maxAttempts ?? 5);
          await tx.query(
            `UPDATE due_actions SET attempts = attempts + 1, last_error = $2,
               status = CASE WHEN $3 THEN 'failed' ELSE 'pending' END,
               retry_at = CASE WHEN $3 THEN NULL ELSE now() + make_interval(secs => power(2, attempts + 1)) END
             WHERE key = $1`,
            [action.key, String((error as Error)?.message ?? error), final],
          );
          if (final) result.failed++;
          else result.retried++;
        }
      }
    });
    return result;
  }
}

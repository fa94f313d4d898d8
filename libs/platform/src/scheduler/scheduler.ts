import { randomUUID } from 'node:crypto';
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
  /** Names the claims of this scheduler (instance name); default a random id. */
  owner?: string;
  /**
   * How long a claim protects an action from other schedulers. A scheduler that dies holding
   * claims gives them back when they expire; the handler must finish well within it.
   */
  claimSeconds?: number;
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
 * Claims due rows (`FOR UPDATE SKIP LOCKED` inside one UPDATE: concurrent schedulers never claim
 * the same row) with a lease that is committed at once, then runs each handler **outside any
 * transaction** with the action's deterministic command id, and marks the row done in its own
 * short statement. No transaction stays open while handlers append events — one that did would
 * hold back the event store's read watermark (ADR 0003) and hide those events from projections.
 * A crash after dispatch leaves the row claimed and pending: when the claim expires another
 * scheduler runs it again with the same command id, and the event store records the effect once.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  /** Set by stop(): the loop ends and the tick in hand stops after its current action. */
  private stopped = false;
  /** The tick in hand, started by the loop or called directly. */
  private current: Promise<TickResult> | null = null;
  private readonly owner: string;

  constructor(private readonly options: SchedulerOptions) {
    this.owner = options.owner ?? `scheduler-${randomUUID()}`;
  }

  start(): void {
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      const result = await this.tick().catch((error) => {
        this.options.onError?.(null, error);
        return { done: 0, failed: 0, retried: 0 };
      });
      if (this.stopped) return;
      // Keep draining while there is a backlog; otherwise wait for the next interval.
      const busy = result.done + result.failed + result.retried >= (this.options.batchSize ?? 50);
      this.timer = setTimeout(loop, busy ? 0 : (this.options.intervalMs ?? 1000));
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Finishes the action in hand, then gives back the claims not started (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // After the tick in hand: releasing earlier would take the claim of the action still running,
    // which then could not be marked done.
    await this.current?.catch(() => undefined);
    await this.releaseClaims().catch(() => undefined);
  }

  /** One pass over the rows due now. */
  async tick(): Promise<TickResult> {
    const run = this.runTick();
    this.current = run;
    try {
      return await run;
    } finally {
      if (this.current === run) this.current = null;
    }
  }

  private async runTick(): Promise<TickResult> {
    await this.options.beforeTick?.();
    const now = this.options.clock.now();
    const result: TickResult = { done: 0, failed: 0, retried: 0 };
    const ds = this.options.dataSource;
    const claimed: unknown[] = await ds.query(
      `UPDATE due_actions d SET claimed_by = $3, claimed_until = now() + make_interval(secs => $4)
       FROM (SELECT key FROM due_actions
             WHERE status = 'pending' AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= now())
               AND (claimed_until IS NULL OR claimed_until < now())
             ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
       WHERE d.key = due.key
       RETURNING d.key, d.kind, d.aggregate_id, d.due_at, d.payload, d.command_id, d.attempts`,
      [now, this.options.batchSize ?? 50, this.owner, this.options.claimSeconds ?? 60],
    );
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected].
    const rows = (Array.isArray(claimed[0]) ? claimed[0] : claimed) as Array<Record<string, any>>;
    rows.sort((a, b) => new Date(a.due_at).getTime() - new Date(b.due_at).getTime() || (a.key < b.key ? -1 : 1));
    for (const row of rows) {
      if (this.stopped) break;
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
        // Only this occurrence: a row rescheduled meanwhile has another command id and stays pending.
        await ds.query(
          `UPDATE due_actions SET
             status = CASE WHEN command_id = $2 AND status = 'pending' THEN 'done' ELSE status END,
             done_at = CASE WHEN command_id = $2 AND status = 'pending' THEN now() ELSE done_at END,
             attempts = CASE WHEN command_id = $2 THEN attempts + 1 ELSE attempts END,
             claimed_by = NULL, claimed_until = NULL
           WHERE key = $1 AND claimed_by = $3`,
          [action.key, action.commandId, this.owner],
        );
        result.done++;
      } catch (error) {
        this.options.onError?.(action, error);
        // A business refusal will not change on retry; anything else is retried with backoff.
        const final = error instanceof PlatformError || action.attempts + 1 >= (this.options.maxAttempts ?? 5);
        await ds.query(
          `UPDATE due_actions SET attempts = attempts + 1, last_error = $2,
             status = CASE WHEN $3 THEN 'failed' ELSE 'pending' END,
             retry_at = CASE WHEN $3 THEN NULL ELSE now() + make_interval(secs => power(2, attempts + 1)) END,
             claimed_by = NULL, claimed_until = NULL
           WHERE key = $1 AND claimed_by = $4 AND command_id = $5 AND status = 'pending'`,
          [action.key, String((error as Error)?.message ?? error), final, this.owner, action.commandId],
        );
        await ds.query('UPDATE due_actions SET claimed_by = NULL, claimed_until = NULL WHERE key = $1 AND claimed_by = $2', [action.key, this.owner]);
        if (final) result.failed++;
        else result.retried++;
      }
    }
    if (this.stopped) await this.releaseClaims();
    return result;
  }

  private async releaseClaims(): Promise<void> {
    await this.options.dataSource.query(
      `UPDATE due_actions SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND status = 'pending'`,
      [this.owner],
    );
  }
}

import type { Pool } from 'pg';
import type { Clock } from '@oksio/kernel';

export interface TestClockState {
  now: string;
  frozen: boolean;
  offsetMs: number;
}

/**
 * A non-production clock shared by every process on the database (Kill Bill-style time travel):
 * the instant set by an operator and whether it is frozen or keeps running from there.
 * Without a setting it follows real time. `now()` is synchronous, so the row is cached and
 * refreshed by `refresh()` (called by the scheduler before each tick and periodically).
 */
export class DatabaseTestClock implements Clock {
  private instant: number | null = null;
  private setAt = 0;
  private frozen = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pool: Pool, private readonly wallClock: () => number = Date.now) {}

  now(): Date {
    if (this.instant === null) return new Date(this.wallClock());
    return new Date(this.frozen ? this.instant : this.instant + (this.wallClock() - this.setAt));
  }

  async refresh(): Promise<void> {
    const { rows } = await this.pool.query<{ instant: Date; set_at: Date; frozen: boolean }>(
      'SELECT instant, set_at, frozen FROM test_clock WHERE id = 1',
    );
    if (!rows[0]) {
      this.instant = null;
      this.frozen = false;
      return;
    }
    this.instant = rows[0].instant.getTime();
    this.setAt = rows[0].set_at.getTime();
    this.frozen = rows[0].frozen;
  }

  async set(instant: Date, frozen: boolean): Promise<void> {
    const setAt = this.wallClock();
    await this.pool.query(
      `INSERT INTO test_clock (id, instant, set_at, frozen) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET instant = EXCLUDED.instant, set_at = EXCLUDED.set_at, frozen = EXCLUDED.frozen`,
      [instant, new Date(setAt), frozen],
    );
    this.instant = instant.getTime();
    this.setAt = setAt;
    this.frozen = frozen;
  }

  async reset(): Promise<void> {
    await this.pool.query('DELETE FROM test_clock WHERE id = 1');
    this.instant = null;
    this.frozen = false;
  }

  state(): TestClockState {
    const now = this.now();
    return { now: now.toISOString(), frozen: this.frozen, offsetMs: now.getTime() - this.wallClock() };
  }

  startRefreshing(intervalMs = 1000): void {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stopRefreshing(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

import { DateTime } from 'luxon';

/** The only source of "now" for application code; domain functions receive `now` as an argument. */
export interface Clock {
  now(): Date;
}

/** Nest injection token: a Symbol because an interface leaves nothing at runtime to inject by. */
export const CLOCK = Symbol('CLOCK');

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

export interface ClockAdvance {
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

function toMillis(instant: Date | string): number {
  const t = new Date(instant).getTime();
  if (Number.isNaN(t)) throw new RangeError(`invalid instant ${String(instant)}`);
  return t;
}

/** A clock that only moves when told to: set/advance (months follow the Paris calendar). */
export class TestClock implements Clock {
  // Held as a number, never as the Date handed out, so callers cannot mutate the clock's time.
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.current = toMillis(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = toMillis(instant);
  }

  /**
   * Calendar-aware in Europe/Paris: "+1 month" from 31 January lands on the last day of February,
   * and "+1 day" across a DST change keeps the local time of day (23 or 25 hours).
   */
  advance(by: ClockAdvance): void {
    const next = DateTime.fromMillis(this.current, { zone: 'Europe/Paris' }).plus(by);
    if (!next.isValid) throw new RangeError(`cannot advance by ${JSON.stringify(by)}`);
    this.current = next.toMillis();
  }
}

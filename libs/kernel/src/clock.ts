import { DateTime } from 'luxon';

/** The only source of "now" for application code; domain functions receive `now` as an argument. */
export interface Clock {
  now(): Date;
}

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

/** A clock that only moves when told to: set/advance (months follow the Paris calendar). */
export class TestClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    const t = new Date(instant).getTime();
    if (Number.isNaN(t)) throw new Error(`invalid instant ${String(instant)}`);
    this.current = t;
  }

  advance(by: ClockAdvance): void {
    this.current = DateTime.fromMillis(this.current, { zone: 'Europe/Paris' }).plus(by).toMillis();
  }
}

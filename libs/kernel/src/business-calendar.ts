import { MINUTE_MS, ZoneRules, civilFromDays, civilOfIsoDate, daysFromCivil, weekdayOfDays } from './civil-time';
import { frenchPublicHolidays, type PublicHoliday } from './french-holidays';

export interface BusinessCalendarOptions {
  /** IANA zone in which business days and hours are read; instants stay UTC Dates. */
  zone?: string;
  /** Adds Good Friday and 26 December (site setting). */
  alsaceMoselle?: boolean;
  /** Local opening hour, inclusive (0–23). */
  openingHour?: number;
  /** Local closing hour, exclusive (1–24). */
  closingHour?: number;
}

export interface BusinessDuration {
  hours?: number;
  minutes?: number;
}

/** A period during which a clock does not run (INC-06); `to: null` means "still frozen". */
export interface FrozenInterval {
  from: Date;
  to: Date | null;
}

/** No configuration has a year without a business day; bounding loops turns a bug into an error, not a hang. */
const MAX_SCAN_DAYS = 366 * 2;

interface Window {
  start: number;
  end: number;
}

function millis(instant: Date, name: string): number {
  const t = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}

/**
 * Business days (Monday–Friday minus French public holidays) and business hours
 * [openingHour, closingHour) in a civil time zone, Europe/Paris by default.
 *
 * Every local ↔ UTC conversion goes through the zone's rules (ZoneRules: luxon's offsets), so DST
 * days keep 09:00–18:00 local while the UTC instants shift by an hour. Local dates are day numbers;
 * spans are walked one local day at a time (one business window per day), so a year costs a few
 * hundred steps, not minutes.
 */
export class BusinessCalendar {
  readonly zone: string;
  readonly alsaceMoselle: boolean;
  readonly openingHour: number;
  readonly closingHour: number;
  private readonly rules: ZoneRules;
  /** Holidays of each year as day numbers. */
  private readonly holidaysByYear = new Map<number, Set<number>>();
  /** Pure lookup memoised (bounded): the calendar is immutable once built. */
  private readonly windows = new Map<number, Readonly<Window> | null>();

  constructor(options: BusinessCalendarOptions = {}) {
    const { zone = 'Europe/Paris', alsaceMoselle = false, openingHour = 9, closingHour = 18 } = options;
    this.rules = ZoneRules.for(zone);
    if (!Number.isInteger(openingHour) || !Number.isInteger(closingHour) || openingHour < 0 || closingHour > 24 || openingHour >= closingHour) {
      throw new RangeError(`business hours must be integers with 0 ≤ opening < closing ≤ 24, got ${openingHour}–${closingHour}`);
    }
    this.zone = zone;
    this.alsaceMoselle = alsaceMoselle;
    this.openingHour = openingHour;
    this.closingHour = closingHour;
  }

  holidays(year: number): PublicHoliday[] {
    return frenchPublicHolidays(year, { alsaceMoselle: this.alsaceMoselle });
  }

  /** Whether the local date of `instant` is a public holiday (whatever the weekday). */
  isHoliday(instant: Date): boolean {
    return this.isHolidayDate(this.localDate(millis(instant, 'instant')));
  }

  /** Whether the local date of `instant` is a business day. */
  isBusinessDay(instant: Date): boolean {
    return this.isBusinessDate(this.localDate(millis(instant, 'instant')));
  }

  isBusinessTime(instant: Date): boolean {
    const t = millis(instant, 'instant');
    const w = this.windowOf(this.localDate(t));
    return w !== null && w.start <= t && t < w.end;
  }

  /** The first instant ≥ `instant` inside business hours: `instant` itself when already inside. */
  nextBusinessOpening(instant: Date): Date {
    return new Date(this.openingAtOrAfter(millis(instant, 'instant')));
  }

  /**
   * Local `hour:minute` on the first business day whose opening is strictly after `instant`.
   *
   * This is INC-10's "before 12:00 of the next business day" for a notification outside business
   * hours: Tuesday 07:00 → Tuesday 12:00 (the day has not opened yet); Tuesday 19:00 → Wednesday
   * 12:00; Friday 19:00 → Monday 12:00; holidays and weekends are skipped. Called during business
   * hours it gives the following business day (Tuesday 10:00 → Wednesday 12:00); INC-10 does not
   * call it then (the 4 business-hour rule applies instead).
   */
  nextBusinessDayAt(instant: Date, hour: number, minute = 0): Date {
    if (!Number.isInteger(hour) || !Number.isInteger(minute) || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      throw new RangeError(`invalid local time ${hour}:${minute}`);
    }
    const t = millis(instant, 'instant');
    let day = this.localDate(t);
    for (let i = 0; i < MAX_SCAN_DAYS; i++, day++) {
      const w = this.windowOf(day);
      if (w !== null && w.start > t) return new Date(this.rules.instantAt(day, hour, minute));
    }
    throw this.noBusinessDay(t);
  }

  /**
   * `instant` plus `duration` of business time. Starts at `instant`, or at the next opening when
   * outside hours, and consumes only business hours. A result exactly at closing time stays at
   * closing (18:00), not the next opening: a deadline "by 18:00" is met at 17:59:59.
   */
  addBusinessHours(instant: Date, duration: number | BusinessDuration): Date {
    let remaining = this.durationMs(duration);
    let cursor = this.openingAtOrAfter(millis(instant, 'instant'));
    for (let i = 0; i < MAX_SCAN_DAYS * 50; i++) {
      // cursor is always inside a business window here.
      const end = (this.windowOf(this.localDate(cursor)) as Window).end;
      if (remaining <= end - cursor) return new Date(cursor + remaining);
      remaining -= end - cursor;
      cursor = this.openingAtOrAfter(end);
    }
    throw new RangeError('business duration too long');
  }

  /**
   * Business milliseconds in [from, to) outside every frozen interval (INC-06: the clock stops
   * while OKSIO waits for site access). Frozen intervals may overlap or reach beyond [from, to);
   * their union is what is removed, so overlapping time is removed once.
   */
  businessDurationMs(from: Date, to: Date, frozen: FrozenInterval[] = []): number {
    const start = millis(from, 'from');
    const end = millis(to, 'to');
    if (end <= start) return 0;
    const stops = this.mergeFrozen(frozen, start, end);

    let total = 0;
    let j = 0;
    const lastDay = this.localDate(end);
    for (let day = this.localDate(start); day <= lastDay; day++) {
      const w = this.windowOf(day);
      if (w !== null) {
        const a = Math.max(w.start, start);
        const b = Math.min(w.end, end);
        if (a < b) {
          total += b - a;
          // Merged stops are sorted and disjoint, and windows come in order: one forward sweep.
          while (j < stops.length && stops[j].end <= a) j++;
          for (let k = j; k < stops.length && stops[k].start < b; k++) {
            total -= Math.min(stops[k].end, b) - Math.max(stops[k].start, a);
          }
        }
      }
    }
    return total;
  }

  // ---- internals -------------------------------------------------------------------------------

  /** The local calendar date of an instant, as a day number (DST can never disturb `day + 1`). */
  private localDate(t: number): number {
    return this.rules.localDay(t);
  }

  private isHolidayDate(day: number): boolean {
    const year = civilFromDays(day).year;
    let set = this.holidaysByYear.get(year);
    if (!set) {
      set = new Set(this.holidays(year).map((h) => daysFromCivil(civilOfIsoDate(h.date))));
      this.holidaysByYear.set(year, set);
    }
    return set.has(day);
  }

  private isBusinessDate(day: number): boolean {
    return weekdayOfDays(day) <= 5 && !this.isHolidayDate(day);
  }

  /** The business hours of a local date as UTC milliseconds, or null when it is not a business day. */
  private windowOf(day: number): Window | null {
    let window = this.windows.get(day);
    if (window === undefined) {
      window = this.isBusinessDate(day) ? { start: this.rules.instantAt(day, this.openingHour), end: this.rules.instantAt(day, this.closingHour) } : null;
      remember(this.windows, day, window);
    }
    return window;
  }

  private openingAtOrAfter(t: number): number {
    let day = this.localDate(t);
    for (let i = 0; i < MAX_SCAN_DAYS; i++, day++) {
      const w = this.windowOf(day);
      if (w !== null && t < w.end) return Math.max(t, w.start);
    }
    throw this.noBusinessDay(t);
  }

  private durationMs(duration: number | BusinessDuration): number {
    const { hours = 0, minutes = 0 } = typeof duration === 'number' ? { hours: duration } : duration;
    const total = hours * 60 + minutes;
    // Whole minutes are the resolution of every SLA; tolerate float noise such as 0.1 h × 60.
    const rounded = Math.round(total);
    if (!Number.isFinite(total) || total < 0 || Math.abs(total - rounded) > 1e-9) {
      throw new RangeError(`business duration must be a non-negative whole number of minutes, got ${total} min`);
    }
    return rounded * MINUTE_MS;
  }

  /** Clips frozen intervals to [start, end), drops empty ones, and merges overlaps. */
  private mergeFrozen(frozen: FrozenInterval[], start: number, end: number): Window[] {
    const clipped: Window[] = [];
    for (const f of frozen) {
      const fs = millis(f.from, 'frozen.from');
      // A freeze still running covers up to `to`, however late it started.
      const fe = f.to === null ? end : millis(f.to, 'frozen.to');
      if (f.to !== null && fe < fs) throw new RangeError(`frozen interval ends before it starts (${f.from.toISOString()})`);
      const a = Math.max(fs, start);
      const b = Math.min(fe, end);
      if (a < b) clipped.push({ start: a, end: b });
    }
    clipped.sort((x, y) => x.start - y.start);
    const merged: Window[] = [];
    for (const w of clipped) {
      const last = merged[merged.length - 1];
      if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
      else merged.push({ ...w });
    }
    return merged;
  }

  private noBusinessDay(t: number): RangeError {
    return new RangeError(`no business day within ${MAX_SCAN_DAYS} days of ${new Date(t).toISOString()}`);
  }
}

const MEMO_LIMIT = 8_192;

function remember<K, V>(memo: Map<K, V>, key: K, value: V): void {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
}

import { IANAZone } from 'luxon';

/**
 * Civil dates as day numbers and civil time in an IANA zone, without building a date object per
 * call. Contract dates, business calendars and SLA clocks evaluate these for every event of a
 * projection rebuild, where luxon's per-call zone lookup was most of the CPU. luxon stays the
 * source of truth for the zone's offsets (one lookup per UTC day, not per call); the unit tests
 * check every function here against luxon across DST changes.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
export function daysFromCivil({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of `daysFromCivil` (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfDays(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** A civil date written 'YYYY-MM-DD' (the string must have that shape; not validated here). */
export function civilOfIsoDate(iso: string): CivilDate {
  return { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) };
}

/** 'YYYY-MM-DD' of a civil date. */
export function isoDateOf({ year, month, day }: CivilDate): string {
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** 'YYYY-MM-DD' of a day number. */
export function isoDateOfDays(days: number): string {
  return isoDateOf(civilFromDays(days));
}

/** The offset of one UTC day: constant, or changing once at `change`. */
interface DayOffsets {
  before: number;
  after: number;
  change: number;
}

const MEMO_LIMIT = 50_000;

/**
 * The UTC offsets of an IANA zone, read from luxon once per UTC day and remembered. A day whose
 * first and last millisecond have the same offset is taken to have no change inside (no zone
 * changes its offset twice within a day); otherwise the change is located by bisection.
 */
export class ZoneRules {
  private static readonly zones = new Map<string, ZoneRules>();
  private readonly zone: IANAZone;
  private readonly days = new Map<number, DayOffsets>();

  static for(zone: string): ZoneRules {
    let rules = ZoneRules.zones.get(zone);
    if (!rules) {
      rules = new ZoneRules(zone);
      ZoneRules.zones.set(zone, rules);
    }
    return rules;
  }

  private constructor(readonly name: string) {
    this.zone = IANAZone.create(name);
    if (!this.zone.isValid) throw new RangeError(`unknown time zone "${name}"`);
  }

  /** Local time minus UTC at instant `t`, in milliseconds. */
  offsetMs(t: number): number {
    const day = Math.floor(t / DAY_MS);
    let offsets = this.days.get(day);
    if (!offsets) {
      offsets = this.offsetsOfDay(day);
      if (this.days.size >= MEMO_LIMIT) this.days.clear();
      this.days.set(day, offsets);
    }
    return t < offsets.change ? offsets.before : offsets.after;
  }

  /** The local calendar date of instant `t`, as a day number. */
  localDay(t: number): number {
    return Math.floor((t + this.offsetMs(t)) / DAY_MS);
  }

  /**
   * The instant of a local wall time given as milliseconds since local 1970-01-01 00:00, trying
   * `guessOffsetMs` first. luxon's rule: in a gap (spring forward) the wall time is moved forward
   * by the gap; in an overlap (fall back) the guess decides which of the two instants is meant.
   */
  instantOfLocal(localMs: number, guessOffsetMs: number = this.offsetMs(localMs)): number {
    let utc = localMs - guessOffsetMs;
    const o2 = this.offsetMs(utc);
    if (o2 === guessOffsetMs) return utc;
    utc -= o2 - guessOffsetMs;
    const o3 = this.offsetMs(utc);
    if (o3 === o2) return utc;
    return localMs - Math.min(o2, o3);
  }

  /** The instant of local `hour:minute` on local date `days` (hour 24 is the next midnight). */
  instantAt(days: number, hour: number, minute = 0): number {
    return this.instantOfLocal(days * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS);
  }

  /** `days` calendar days after `t` at the same local wall-clock time (23 or 25 hours across DST), as luxon's `plus({ days })`. */
  plusLocalDays(t: number, days: number): number {
    const offset = this.offsetMs(t);
    return this.instantOfLocal(t + offset + days * DAY_MS, offset);
  }

  private offsetsOfDay(day: number): DayOffsets {
    const start = day * DAY_MS;
    const end = start + DAY_MS - 1;
    const before = this.luxonOffsetMs(start);
    const after = this.luxonOffsetMs(end);
    if (before === after) return { before, after, change: end + 1 };
    // Bisection: `lo` has the day's first offset, `hi` does not.
    let lo = start;
    let hi = end;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.luxonOffsetMs(mid) === before) lo = mid;
      else hi = mid;
    }
    return { before, after, change: hi };
  }

  private luxonOffsetMs(t: number): number {
    return Math.round(this.zone.offset(t) * MINUTE_MS);
  }
}

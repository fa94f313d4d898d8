/**
 * The three calendar values the platform accepts from outside — a calendar date, a year-month and
 * an instant — each with one strict grammar, bounds and no rollover. Every input of every context
 * goes through these (the platform's `@IsCalendarDate`, `@IsYearMonth`, `@IsInstant` validators),
 * so that what a command accepts is exactly what every read model can store: JavaScript's `Date`
 * turns 2026-02-30 into 2 March and PostgreSQL refuses year 0, and an accepted event that a
 * projection cannot write stalls that projection forever (the event is immutable).
 */

/** Years a date or an instant may name: wide enough for any contract, narrow enough for every column type. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
/** 'YYYY-MM-DDTHH:MM[:SS[.fraction]]' with 'Z' or '±HH:MM': a bare local time is ambiguous and refused. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonthOf(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const yearInBounds = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

/** Why `value` is not a calendar date 'YYYY-MM-DD' within the bounds, or null when it is one. */
export function calendarDateProblem(value: unknown): string | null {
  if (typeof value !== 'string') return "must be a calendar date 'YYYY-MM-DD'";
  const m = DATE.exec(value);
  if (!m) return "must be a calendar date 'YYYY-MM-DD'";
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!yearInBounds(year)) return `must be a date between ${MIN_YEAR}-01-01 and ${MAX_YEAR}-12-31`;
  if (month < 1 || month > 12) return `has no month ${m[2]}`;
  if (day < 1 || day > daysInMonthOf(year, month)) return `is not a day of ${m[1]}-${m[2]} (no rollover)`;
  return null;
}

export function isCalendarDate(value: unknown): value is string {
  return calendarDateProblem(value) === null;
}

/** Why `value` is not a year-month 'YYYY-MM' within the bounds, or null when it is one. */
export function yearMonthProblem(value: unknown): string | null {
  if (typeof value !== 'string') return "must be a month 'YYYY-MM'";
  const m = YEAR_MONTH.exec(value);
  if (!m) return "must be a month 'YYYY-MM'";
  if (!yearInBounds(Number(m[1]))) return `must be a month between ${MIN_YEAR}-01 and ${MAX_YEAR}-12`;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return `has no month ${m[2]}`;
  return null;
}

export function isYearMonth(value: unknown): value is string {
  return yearMonthProblem(value) === null;
}

/**
 * Why `value` is not an instant with an explicit offset whose every field is in range (no 24:00,
 * no 30 February, offsets within ±18:00) and whose UTC year is within the bounds; null when it is.
 */
export function instantProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be an ISO-8601 instant with an offset, e.g. 2026-05-13T19:00:00Z';
  const m = INSTANT.exec(value);
  if (!m) return 'must be an ISO-8601 instant with an offset, e.g. 2026-05-13T19:00:00Z';
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12) return `has no month ${m[2]}`;
  if (day < 1 || day > daysInMonthOf(year, month)) return `is not a day of ${m[1]}-${m[2]} (no rollover)`;
  if (hour > 23 || minute > 59 || second > 59) return 'has a time of day out of range (00:00:00–23:59:59)';
  if (!m[8]) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 18 || offsetMinutes > 59 || (offsetHours === 18 && offsetMinutes > 0)) return 'has an offset out of range (±18:00)';
  }
  const utcYear = new Date(value).getUTCFullYear();
  if (!yearInBounds(year) || !yearInBounds(utcYear)) return `must be an instant between ${MIN_YEAR} and ${MAX_YEAR}`;
  return null;
}

export function isInstant(value: unknown): value is string {
  return instantProblem(value) === null;
}

/** The Date of an instant that `isInstant` accepted (precision beyond milliseconds is truncated). */
export function dateOfInstant(value: string): Date {
  return new Date(value.replace(/(\.\d{3})\d+/, '$1'));
}

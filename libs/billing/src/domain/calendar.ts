import { DateTime } from 'luxon';
import { DomainError, isCalendarDate, isYearMonth as isKernelYearMonth, type BusinessCalendar } from '@oksio/kernel';

/**
 * Calendar arithmetic of billing: local dates 'YYYY-MM-DD' and months 'YYYY-MM' in Europe/Paris
 * (the contracts speak of calendar days and months). Arithmetic on zone-less dates (luxon in UTC)
 * so DST never shifts a day; only conversions to/from instants use the Paris zone.
 */
export type LocalDate = string;
export type YearMonth = string;
/** A half-year of the legal interest rate table: '2026-H1' (1 Jan–30 Jun) or '2026-H2'. */
export type HalfYear = string;

export const BILLING_ZONE = 'Europe/Paris';
const HALF_YEAR = /^\d{4}-H[12]$/;

const d = (date: LocalDate): DateTime => DateTime.fromISO(date, { zone: 'utc' });
const out = (dt: DateTime): LocalDate => dt.toISODate() as string;

/** Calendar values the platform accepts (kernel `calendar-values`: real days and months, years 1900–2999). */
export const isLocalDate = (v: unknown): v is LocalDate => isCalendarDate(v);
export const isYearMonth = (v: unknown): v is YearMonth => isKernelYearMonth(v);
export const isHalfYear = (v: unknown): v is HalfYear => typeof v === 'string' && HALF_YEAR.test(v);

export function requireLocalDate(value: unknown, field: string, rule?: string): LocalDate {
  if (!isLocalDate(value)) throw new DomainError('invalid_date', `${field} must be a calendar date 'YYYY-MM-DD', got ${JSON.stringify(value)}`, rule, field);
  return value;
}

export function requireYearMonth(value: unknown, field: string, rule?: string): YearMonth {
  if (!isYearMonth(value)) throw new DomainError('invalid_month', `${field} must be a month 'YYYY-MM', got ${JSON.stringify(value)}`, rule, field);
  return value;
}

export const addDays = (date: LocalDate, days: number): LocalDate => out(d(date).plus({ days }));
/** 31 Jan + 1 month = 28/29 Feb (luxon clamps to the month's last day). */
export const addMonths = (date: LocalDate, months: number): LocalDate => out(d(date).plus({ months }));
export const yearMonthOf = (date: LocalDate): YearMonth => date.slice(0, 7);
export const firstDayOf = (month: YearMonth): LocalDate => `${month}-01`;
export const lastDayOf = (month: YearMonth): LocalDate => out(d(`${month}-01`).endOf('month').startOf('day'));
export const daysInMonth = (month: YearMonth): number => d(`${month}-01`).daysInMonth as number;
export const nextMonth = (month: YearMonth): YearMonth => yearMonthOf(addMonths(`${month}-01`, 1));
export const previousMonth = (month: YearMonth): YearMonth => yearMonthOf(addMonths(`${month}-01`, -1));
export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);
export const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a < b ? a : b);

/** Days from `a` to `b` (b − a); 1 when b is the day after a. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round(d(b).diff(d(a), 'days').days);
}

/** Inclusive count of days in [from, to]; 0 when to < from. */
export function daysInclusive(from: LocalDate, to: LocalDate): number {
  return Math.max(0, daysBetween(from, to) + 1);
}

/** Whole calendar months from the month of `from` to the month of `to` (0 when same or earlier). */
export function calendarMonthsBetween(from: LocalDate, to: LocalDate): number {
  const a = d(from);
  const b = d(to);
  return Math.max(0, (b.year - a.year) * 12 + (b.month - a.month));
}

export function halfYearOf(date: LocalDate): HalfYear {
  return `${date.slice(0, 4)}-H${Number(date.slice(5, 7)) <= 6 ? 1 : 2}`;
}

/** Last day (inclusive) of the half-year containing `date`. */
export function endOfHalfYear(date: LocalDate): LocalDate {
  return `${date.slice(0, 4)}-${Number(date.slice(5, 7)) <= 6 ? '06-30' : '12-31'}`;
}

/** The Paris calendar date of an instant ("today" for a command executed at `now`). */
export function localDateOf(instant: Date): LocalDate {
  return DateTime.fromJSDate(instant, { zone: BILLING_ZONE }).toISODate() as string;
}

/** Local midnight in Paris (start of the day) as an instant. */
export function startOfLocalDay(date: LocalDate): Date {
  const { year, month, day } = d(date);
  return DateTime.fromObject({ year, month, day }, { zone: BILLING_ZONE }).toJSDate();
}

function isBusinessDate(calendar: BusinessCalendar, date: LocalDate): boolean {
  const { year, month, day } = d(date);
  return calendar.isBusinessDay(DateTime.fromObject({ year, month, day, hour: 12 }, { zone: BILLING_ZONE }).toJSDate());
}

/** The `n`th business day strictly after `date`. */
export function addBusinessDays(calendar: BusinessCalendar, date: LocalDate, n: number): LocalDate {
  let cursor = date;
  let counted = 0;
  for (let i = 0; i < 800 && counted < n; i++) {
    cursor = addDays(cursor, 1);
    if (isBusinessDate(calendar, cursor)) counted++;
  }
  if (counted < n) throw new RangeError(`no ${n} business days after ${date}`);
  return cursor;
}

/** Business days in (from, to]. */
export function businessDaysAfter(calendar: BusinessCalendar, from: LocalDate, to: LocalDate): number {
  let count = 0;
  for (let cursor = addDays(from, 1); cursor <= to; cursor = addDays(cursor, 1)) if (isBusinessDate(calendar, cursor)) count++;
  return count;
}

const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
export const monthLabelFr = (month: YearMonth): string => `${MONTHS_FR[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
export const dateFr = (date: LocalDate): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

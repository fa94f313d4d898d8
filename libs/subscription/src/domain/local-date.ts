import { DomainError, ZoneRules, daysInMonthOf, isCalendarDate, civilOfIsoDate, daysFromCivil, isoDateOf, isoDateOfDays, type BusinessCalendar } from '@oksio/kernel';

/**
 * Calendar dates of the contract, as the CG/CP speak of them ("le 1er du mois", "3 mois avant la
 * fin de la période"): a local date in Europe/Paris written 'YYYY-MM-DD'. Arithmetic is done on a
 * zone-less date (day numbers) so that DST can never shift a day; only the conversion to and from
 * instants (`localDateOf`, `startOfLocalDay`) uses the Paris zone (ZoneRules).
 */
export type LocalDate = string;
/** A calendar month 'YYYY-MM' (the month billed in full, SUB-06). */
export type YearMonth = string;

export const CONTRACT_ZONE = 'Europe/Paris';

/*
 * Zone-less date arithmetic on day numbers (kernel civil-time): the projections evaluate these for
 * every event of a rebuild, where building a luxon DateTime per call was most of the rebuild's CPU.
 * Results are those of luxon in UTC (the unit tests pin them).
 */
const daysInMonth = daysInMonthOf;

const contractZone = ZoneRules.for(CONTRACT_ZONE);

/** A calendar date the platform accepts (kernel `isCalendarDate`: a real day, years 1900–2999). */
export function isLocalDate(value: unknown): value is LocalDate {
  return isCalendarDate(value);
}

/** Input gate for dates in commands: 'YYYY-MM-DD' and a real day (no 30 February). */
export function requireLocalDate(value: unknown, field: string, rule?: string): LocalDate {
  if (!isLocalDate(value)) {
    throw new DomainError('invalid_date', `${field} must be a calendar date 'YYYY-MM-DD', got ${JSON.stringify(value)}`, rule, field);
  }
  return value;
}

export function addDays(d: LocalDate, days: number): LocalDate {
  return isoDateOfDays(daysFromCivil(civilOfIsoDate(d)) + days);
}

/** Calendar months; a day missing in the target month clamps to its last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(d: LocalDate, months: number): LocalDate {
  const { year, month, day } = civilOfIsoDate(d);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return isoDateOf({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

export function firstDayOfNextMonth(d: LocalDate): LocalDate {
  return addMonths(`${d.slice(0, 8)}01`, 1);
}

export function lastDayOfMonth(d: LocalDate): LocalDate {
  const { year, month } = civilOfIsoDate(d);
  return isoDateOf({ year, month, day: daysInMonth(year, month) });
}

export function yearMonthOf(d: LocalDate): YearMonth {
  return d.slice(0, 7);
}

/** ISO dates compare correctly as strings; these names keep call sites readable. */
export const isBefore = (a: LocalDate, b: LocalDate): boolean => a < b;
export const isAfter = (a: LocalDate, b: LocalDate): boolean => a > b;
export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);
export const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a < b ? a : b);

/** Calendar months from the month of `from` to the month of `to` (0 when same month or `to` earlier). */
export function calendarMonthsBetween(from: LocalDate, to: LocalDate): number {
  const a = civilOfIsoDate(from);
  const b = civilOfIsoDate(to);
  return Math.max(0, (b.year - a.year) * 12 + (b.month - a.month));
}

/** The Paris calendar date of an instant ("today" for a command executed at `now`). */
export function localDateOf(instant: Date): LocalDate {
  return isoDateOfDays(contractZone.localDay(instant.getTime()));
}

/** Local midnight in Paris as an instant (midnight always exists: French DST moves at 02:00/03:00). */
export function startOfLocalDay(d: LocalDate): Date {
  return new Date(contractZone.instantAt(daysFromCivil(civilOfIsoDate(d)), 0));
}

/**
 * When a deadline or period whose last day is `lastDay` (inclusive) is over: the next local
 * midnight. Every due action of the domain fires at such an instant.
 */
export function endOfLocalDay(lastDay: LocalDate): Date {
  return new Date(contractZone.instantAt(daysFromCivil(civilOfIsoDate(lastDay)) + 1, 0));
}

/** A noon instant of a local date: safely inside that day whatever the DST offset. */
function noonOf(d: LocalDate): Date {
  return new Date(contractZone.instantAt(daysFromCivil(civilOfIsoDate(d)), 12));
}

export function isBusinessDate(calendar: BusinessCalendar, d: LocalDate): boolean {
  return calendar.isBusinessDay(noonOf(d));
}

/**
 * The `n`th business day strictly after `d` ("dans les deux jours ouvrés suivant …": the
 * deadline is the end of the 2nd business day following the fact).
 */
export function addBusinessDays(calendar: BusinessCalendar, d: LocalDate, n: number): LocalDate {
  let cursor = d;
  let counted = 0;
  // A year without business days does not exist; the bound turns a bug into an error, not a hang.
  for (let i = 0; i < 800 && counted < n; i++) {
    cursor = addDays(cursor, 1);
    if (isBusinessDate(calendar, cursor)) counted++;
  }
  if (counted < n) throw new RangeError(`no ${n} business days after ${d}`);
  return cursor;
}

/** Business days in (from, to]: how many business days have fully begun since `from`. */
export function businessDaysAfter(calendar: BusinessCalendar, from: LocalDate, to: LocalDate): number {
  let count = 0;
  for (let cursor = addDays(from, 1); cursor <= to; cursor = addDays(cursor, 1)) {
    if (isBusinessDate(calendar, cursor)) count++;
  }
  return count;
}

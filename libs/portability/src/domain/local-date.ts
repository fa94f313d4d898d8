import { DateTime } from 'luxon';
import { DomainError, dateOfInstant, instantProblem, isCalendarDate, isInstant } from '@oksio/kernel';

/**
 * Calendar dates of the porting file, as the CP speak of them ("dans les trente jours suivant la
 * signature", "au moins 30 jours avant la date de portage"): a local date in Europe/Paris written
 * 'YYYY-MM-DD'. Arithmetic is done on a zone-less date (luxon in UTC) so DST can never shift a day;
 * only the conversions to and from instants use the Paris zone.
 */
export type LocalDate = string;

export const PORTABILITY_ZONE = 'Europe/Paris';

const toDate = (d: LocalDate): DateTime => DateTime.fromISO(d, { zone: 'utc' });

/** A calendar date the platform accepts (kernel `isCalendarDate`: a real day, years 1900–2999). */
export function isLocalDate(value: unknown): value is LocalDate {
  return isCalendarDate(value);
}

/** Input gate: 'YYYY-MM-DD' and a real day (no 30 February). */
export function requireLocalDate(value: unknown, field: string, rule?: string): LocalDate {
  if (!isLocalDate(value)) {
    throw new DomainError('invalid_date', `${field} must be a calendar date 'YYYY-MM-DD', got ${JSON.stringify(value)}`, rule, field);
  }
  return value;
}

/** Input gate for instants: an ISO-8601 string with an explicit offset or Z; returned normalised to UTC. */
export function requireInstant(value: unknown, field: string, rule?: string): string {
  if (!isInstant(value)) {
    throw new DomainError('invalid_instant', `${field} ${instantProblem(value)}, got ${JSON.stringify(value)}`, rule, field);
  }
  return dateOfInstant(value).toISOString();
}

export function addDays(d: LocalDate, days: number): LocalDate {
  return toDate(d).plus({ days }).toISODate() as string;
}

/** Calendar months; a day missing in the target month clamps to its last day (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(d: LocalDate, months: number): LocalDate {
  return toDate(d).plus({ months }).toISODate() as string;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round(toDate(to).diff(toDate(from), 'days').days);
}

export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);

/** The Paris calendar date of an instant ("today" for a command decided at `now`). */
export function localDateOf(instant: Date): LocalDate {
  return DateTime.fromJSDate(instant, { zone: PORTABILITY_ZONE }).toISODate() as string;
}

/** Local midnight in Paris as an instant (midnight always exists: French DST moves at 02:00/03:00). */
export function startOfLocalDay(d: LocalDate): Date {
  const { year, month, day } = toDate(d);
  return DateTime.fromObject({ year, month, day }, { zone: PORTABILITY_ZONE }).toJSDate();
}

/** When a period whose last day is `lastDay` (inclusive) is over: the next local midnight. */
export function endOfLocalDay(lastDay: LocalDate): Date {
  return startOfLocalDay(addDays(lastDay, 1));
}

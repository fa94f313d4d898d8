import { BusinessCalendar, DomainError, ZoneRules, civilFromDays, dateOfInstant, instantProblem, isInstant, isoDateOfDays } from '@oksio/kernel';

/**
 * Small time helpers shared by the incident domain. Instants travel as ISO-8601 strings in events
 * and in state (the state is stored as JSON by the aggregate-state projection, so a Date would come
 * back as a string); they become Dates only inside calculations.
 */

/** All business clocks run in Europe/Paris (REFERENCE.md, business calendar). */
export const PARIS = 'Europe/Paris';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * An instant given by a caller must state its offset ('Z' or ±hh:mm): a bare local time would be
 * read in the server's zone, which is exactly the ambiguity the clocks must not have. The grammar,
 * the bounds and the refusal of rollover (2026-02-30T10:00Z is not 2 March) are the kernel's.
 */
export function parseInstant(value: unknown, field: string, rule?: string): Date {
  if (!isInstant(value)) throw new DomainError('invalid_instant', `${field} ${instantProblem(value)}`, rule, field);
  return dateOfInstant(value);
}

/** Canonical UTC form stored in events ('2026-05-13T17:00:00.000Z'). */
export function iso(instant: Date): string {
  return instant.toISOString();
}

export function ms(isoInstant: string): number {
  return new Date(isoInstant).getTime();
}

/**
 * One calendar per setting: BusinessCalendar caches holidays per year, so sharing instances keeps
 * repeated clock evaluations cheap. Calendars are immutable apart from that cache, so this is pure.
 */
const calendars = new Map<boolean, BusinessCalendar>();
export function calendarFor(alsaceMoselle: boolean): BusinessCalendar {
  let cal = calendars.get(alsaceMoselle);
  if (!cal) {
    cal = new BusinessCalendar({ alsaceMoselle });
    calendars.set(alsaceMoselle, cal);
  }
  return cal;
}

/** 'YYYY-MM' of an instant, read in Paris (a billing month is a French civil month). */
export function parisMonth(instant: Date | string): string {
  return isoDateOfDays(parisRules.localDay(millisOf(instant))).slice(0, 7);
}

export function parisYear(instant: Date): number {
  return civilFromDays(parisRules.localDay(instant.getTime())).year;
}

/** `days` calendar days later at the same Paris wall-clock time (23 or 25 hours across DST). */
export function plusParisDays(instant: Date | string, days: number): Date {
  return new Date(parisRules.plusLocalDays(millisOf(instant), days));
}

const parisRules = ZoneRules.for(PARIS);

function millisOf(instant: Date | string): number {
  return typeof instant === 'string' ? ms(instant) : instant.getTime();
}

import { DateTime } from 'luxon';

/** A calendar date with no time zone attached (month 1–12). */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export interface PublicHoliday {
  /** ISO calendar date, 'YYYY-MM-DD', as a local date in France. */
  date: string;
  name: string;
}

export interface HolidayOptions {
  /** Départements 57, 67, 68 keep two extra days from the local law (REFERENCE.md); a site setting. */
  alsaceMoselle?: boolean;
}

function assertGregorianYear(year: number): void {
  // The algorithm is only valid for the Gregorian calendar, adopted in 1582.
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`year must be an integer between 1583 and 9999, got ${year}`);
  }
}

/**
 * Gregorian Easter Sunday by the anonymous (Meeus/Jones/Butcher) algorithm, as written in
 * REFERENCE.md, so that the code can be checked line by line against it. Pure integer arithmetic:
 * no dependency on a holiday package whose lists (observances, regional days) would need filtering.
 */
export function easterSunday(year: number): CalendarDate {
  assertGregorianYear(year);
  const div = (x: number, y: number) => Math.floor(x / y);
  const a = year % 19;
  const b = div(year, 100);
  const c = year % 100;
  const d = div(b, 4);
  const e = b % 4;
  const f = div(b + 8, 25);
  const g = div(b - f + 1, 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = div(c, 4);
  const k = c % 4;
  const L = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = div(a + 11 * h + 22 * L, 451);
  const month = div(h + L - 7 * m + 114, 31);
  const day = ((h + L - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

/**
 * Public holidays of France (Code du travail L3133-1), sorted by date. The UTC zone is used only
 * as a plain calendar to add days: these are dates, not instants.
 */
export function frenchPublicHolidays(year: number, options: HolidayOptions = {}): PublicHoliday[] {
  assertGregorianYear(year);
  const easter = DateTime.fromObject(easterSunday(year), { zone: 'utc' });
  const fromEaster = (days: number) => easter.plus({ days }).toISODate() as string;
  const fixed = (month: number, day: number) => DateTime.utc(year, month, day).toISODate() as string;

  const holidays: PublicHoliday[] = [
    { date: fixed(1, 1), name: "Jour de l'an" },
    { date: fromEaster(1), name: 'Lundi de Pâques' },
    { date: fixed(5, 1), name: 'Fête du Travail' },
    { date: fixed(5, 8), name: 'Victoire 1945' },
    { date: fromEaster(39), name: 'Ascension' },
    { date: fromEaster(50), name: 'Lundi de Pentecôte' },
    { date: fixed(7, 14), name: 'Fête nationale' },
    { date: fixed(8, 15), name: 'Assomption' },
    { date: fixed(11, 1), name: 'Toussaint' },
    { date: fixed(11, 11), name: 'Armistice 1918' },
    { date: fixed(12, 25), name: 'Noël' },
  ];
  if (options.alsaceMoselle) {
    holidays.push({ date: fromEaster(-2), name: 'Vendredi saint' }, { date: fixed(12, 26), name: 'Saint-Étienne' });
  }
  // ISO dates sort lexicographically. Easter-based days never coincide with fixed ones except
  // Ascension on 1 or 8 May (e.g. 2008), in which case both names are kept as two entries.
  return holidays.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

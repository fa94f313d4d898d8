import { DateTime } from 'luxon';
import { Money, ValidationError } from '@oksio/kernel';

/**
 * BIL-09 / CON-04: the SIP per-minute rate table is data, one version per calendar year. CP SIP
 * art. 6 lets OKSIO change the rates only "à chaque début d'année": a version therefore always
 * takes effect on 1 January (Europe/Paris) and stays in force until the next version's 1 January.
 */
export interface RateTableData {
  year: number;
  /** Must be `${year}-01-01` (CON-04). */
  effectiveFrom: string;
  /** Where the figures come from (document and section). */
  source: string;
  /** [destination as printed in the annex, EUR HT per minute as a decimal string]. */
  rates: ReadonlyArray<readonly [string, string]>;
}

const PRICE = /^\d+\.\d{1,6}$/;
export const PARIS = 'Europe/Paris';

/** Lookup key of a destination: accents, case, apostrophes and spacing do not distinguish destinations. */
export function destinationKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export interface Rate {
  /** The destination as printed in the annex. */
  destination: string;
  /** EUR HT per minute, decimal string. */
  pricePerMinute: string;
}

export class RateTable {
  private readonly byKey = new Map<string, Rate>();
  /** Exact printed names first: the resolver hands back annex names, so most lookups skip normalising. */
  private readonly byName = new Map<string, Rate>();

  private constructor(
    readonly year: number,
    readonly effectiveFrom: string,
    readonly source: string,
    rates: Rate[],
  ) {
    for (const r of rates) {
      this.byKey.set(destinationKey(r.destination), r);
      this.byName.set(r.destination, r);
    }
  }

  /** Validates a table version: CON-04 start date, plain decimal prices, no duplicate destination. */
  static from(data: RateTableData): RateTable {
    const invalid = (message: string, field: string) =>
      new ValidationError('invalid_rate_table', message, [{ field, message, rule: field === 'effectiveFrom' ? 'CON-04' : 'BIL-09' }]);
    if (!Number.isInteger(data.year) || data.year < 2000 || data.year > 2999) throw invalid(`year ${data.year} is not a calendar year`, 'year');
    if (data.effectiveFrom !== `${data.year}-01-01`) {
      throw invalid(`SIP rates change only on 1 January: the ${data.year} table cannot take effect on ${data.effectiveFrom}`, 'effectiveFrom');
    }
    const seen = new Set<string>();
    const rates: Rate[] = [];
    for (const [destination, price] of data.rates) {
      if (!destination.trim()) throw invalid('a rate has no destination', 'rates');
      if (!PRICE.test(price)) throw invalid(`price "${price}" of ${destination} is not a decimal string`, 'rates');
      const key = destinationKey(destination);
      if (seen.has(key)) throw invalid(`destination ${destination} appears twice`, 'rates');
      seen.add(key);
      rates.push({ destination, pricePerMinute: price });
    }
    return new RateTable(data.year, data.effectiveFrom, data.source, rates);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The rate of a destination, matched on `destinationKey`; null when the annex has none. */
  find(destination: string): Rate | null {
    return this.byName.get(destination) ?? this.byKey.get(destinationKey(destination)) ?? null;
  }

  pricePerMinute(destination: string): Money | null {
    const rate = this.find(destination);
    return rate ? Money.eur(rate.pricePerMinute) : null;
  }

  destinations(): string[] {
    return [...this.byKey.values()].map((r) => r.destination);
  }
}

/**
 * Paris UTC offset (minutes) per UTC hour. Europe/Paris only changes offset on whole UTC hours
 * (01:00 UTC), so one luxon lookup per hour of traffic gives every call's local date exactly, at a
 * fraction of the cost of a zone conversion per call (see the rating benchmark).
 */
const offsetByUtcHour = new Map<number, number>();
const HOUR = 3_600_000;

function parisOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / HOUR);
  let offset = offsetByUtcHour.get(hour);
  if (offset === undefined) {
    if (offsetByUtcHour.size > 200_000) offsetByUtcHour.clear();
    offset = DateTime.fromMillis(hour * HOUR, { zone: PARIS }).offset;
    offsetByUtcHour.set(hour, offset);
  }
  return offset;
}

export interface LocalParts {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
}

/** Calendar year, month and day of an instant in Europe/Paris. */
export function parisParts(instant: Date): LocalParts {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid instant');
  const local = new Date(ms + parisOffsetMinutes(ms) * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Calendar year of an instant in Paris: a call at 2026-12-31T23:30Z is a 2027 call. */
export function parisYear(instant: Date): number {
  return parisParts(instant).year;
}

/** Billing month 'YYYY-MM' of an instant, in Paris time. */
export function parisMonth(instant: Date): string {
  const p = parisParts(instant);
  return `${p.year}-${pad(p.month)}`;
}

/** Calendar date 'YYYY-MM-DD' of an instant, in Paris time. */
export function parisDate(instant: Date): string {
  const p = parisParts(instant);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** The yearly versions of the rate table (CON-04). */
export class RateCatalogue {
  private readonly tables: RateTable[];

  constructor(tables: RateTable[]) {
    const years = new Set<number>();
    for (const t of tables) {
      if (years.has(t.year)) throw new ValidationError('invalid_rate_table', `two rate tables for ${t.year}`, [{ field: 'year', message: `two rate tables for ${t.year}`, rule: 'CON-04' }]);
      years.add(t.year);
    }
    this.tables = [...tables].sort((a, b) => a.year - b.year);
  }

  /** The version in force during a calendar year: the latest one whose year is not after it. */
  forYear(year: number): RateTable | null {
    let found: RateTable | null = null;
    for (const t of this.tables) if (t.year <= year) found = t;
    return found;
  }

  /** The version in force at an instant (the call's start), by its Paris calendar year. */
  at(instant: Date): RateTable | null {
    return this.forYear(parisYear(instant));
  }

  years(): number[] {
    return this.tables.map((t) => t.year);
  }
}

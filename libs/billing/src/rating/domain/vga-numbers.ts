import { ValidationError } from '@oksio/kernel';

/**
 * BIL-10 (CP VGA 3.1): on a resold analogue line OKSIO bills **all** outgoing calls, special and
 * emergency numbers included. The SIP annex (the only per-minute tariff OKSIO publishes) prices
 * geographic, mobile and international destinations, but no French special number and no short
 * number — and libphonenumber-js calls the short ones invalid. So, for VGA lines only, the called
 * number is first matched against the French emergency and special numbering ranges below; what
 * they do not match goes to the annex exactly as a SIP call would.
 */

/**
 * Emergency numbers: free of charge to the caller by law (art. L33-1 CPCE), so listed at 0.00 €
 * and never rejected. 116 XYZ are the European harmonised numbers of social value (116 000 missing
 * children, 116 111 child helpline, 116 117 out-of-hours doctor…), free in France too.
 */
const EMERGENCY = /^(?:15|17|18|112|114|115|119|191|196|197|116\d{3})$/;

/**
 * French special numbers the annex does not price, by shape (ARCEP national plan): 08 AB PQ MC DU
 * value-added numbers (087 excepted: "box" numbers the annex prices as "France", as for SIP), short
 * numbers 10 YT (operators' customer services) and 3B PQ, and 118 XYZ directory enquiries.
 */
const SPECIAL: ReadonlyArray<{ shape: RegExp; kind: string }> = [
  { shape: /^08(?!7)\d{8}$/, kind: '08 value-added number' },
  { shape: /^118\d{3}$/, kind: '118 directory enquiries' },
  { shape: /^10\d{2}$/, kind: '10YT short number' },
  { shape: /^3\d{3}$/, kind: '3BPQ short number' },
];

export type VgaNumber =
  | { type: 'emergency'; digits: string }
  | { type: 'special'; digits: string; kind: string }
  /** Anything else: resolved and priced with the annex, as for a SIP line. */
  | { type: 'annex' };

/** Separators people and switches write inside numbers. */
const SEPARATORS = /[\s().\/-]/g;

/**
 * Classifies a number called from a VGA line. Special numbers are national: written +33 8… or
 * 0033 8… they are the same 08 numbers; any other international form is never special.
 */
export function classifyVgaNumber(called: string): VgaNumber {
  let digits = called.trim().replace(SEPARATORS, '');
  if (digits.startsWith('+33')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('0033')) digits = `0${digits.slice(4)}`;
  if (!/^\d+$/.test(digits)) return { type: 'annex' };
  if (EMERGENCY.test(digits)) return { type: 'emergency', digits };
  const special = SPECIAL.find((s) => s.shape.test(digits));
  return special ? { type: 'special', digits, kind: special.kind } : { type: 'annex' };
}

/**
 * One price of the VGA special-number list: matched by the longest digit prefix. The amount of an
 * answered call is `perCall` + started increments × `perMinute` (EUR HT, decimal strings).
 */
export interface VgaSpecialRate {
  prefixes: readonly string[];
  label: string;
  perMinute: string;
  perCall?: string;
}

export interface VgaSpecialRateData {
  year: number;
  /** `${year}-01-01`: a version runs for whole calendar years, like the annex (CON-04). */
  effectiveFrom: string;
  /** Where the figures come from. */
  source: string;
  rates: readonly VgaSpecialRate[];
}

export interface VgaSpecialPrice {
  prefix: string;
  label: string;
  perMinute: string;
  perCall: string;
}

const PRICE = /^\d+\.\d{1,6}$/;

/** One yearly version of the VGA special-number price list (seed data, see data/). */
export class VgaSpecialRateTable {
  private readonly byPrefix = new Map<string, VgaSpecialPrice>();
  private readonly longest: number;

  private constructor(
    readonly year: number,
    readonly source: string,
    prices: VgaSpecialPrice[],
  ) {
    for (const p of prices) this.byPrefix.set(p.prefix, p);
    this.longest = Math.max(0, ...prices.map((p) => p.prefix.length));
  }

  static from(data: VgaSpecialRateData): VgaSpecialRateTable {
    const invalid = (message: string, field: string) => new ValidationError('invalid_vga_special_rates', message, [{ field, message, rule: 'BIL-10' }]);
    if (!Number.isInteger(data.year) || data.year < 2000 || data.year > 2999) throw invalid(`year ${data.year} is not a calendar year`, 'year');
    if (data.effectiveFrom !== `${data.year}-01-01`) throw invalid(`the ${data.year} price list must take effect on ${data.year}-01-01, not ${data.effectiveFrom}`, 'effectiveFrom');
    const prices: VgaSpecialPrice[] = [];
    const seen = new Set<string>();
    for (const rate of data.rates) {
      const perCall = rate.perCall ?? '0.00';
      if (!PRICE.test(rate.perMinute) || !PRICE.test(perCall)) throw invalid(`prices of "${rate.label}" are not decimal strings`, 'rates');
      if (!rate.label.trim() || rate.prefixes.length === 0) throw invalid('a rate has no label or no prefix', 'rates');
      for (const prefix of rate.prefixes) {
        if (!/^\d{1,10}$/.test(prefix)) throw invalid(`prefix "${prefix}" is not a digit string`, 'rates');
        if (seen.has(prefix)) throw invalid(`prefix ${prefix} appears twice`, 'rates');
        seen.add(prefix);
        prices.push({ prefix, label: rate.label, perMinute: rate.perMinute, perCall });
      }
    }
    return new VgaSpecialRateTable(data.year, data.source, prices);
  }

  /** The price of the longest prefix of `digits`; null when the list has none. */
  find(digits: string): VgaSpecialPrice | null {
    for (let n = Math.min(this.longest, digits.length); n > 0; n--) {
      const hit = this.byPrefix.get(digits.slice(0, n));
      if (hit) return hit;
    }
    return null;
  }
}

/** The yearly versions of the VGA special-number price list. */
export class VgaSpecialRateCatalogue {
  private readonly tables: VgaSpecialRateTable[];

  constructor(tables: VgaSpecialRateTable[]) {
    const years = new Set(tables.map((t) => t.year));
    if (years.size !== tables.length) throw new ValidationError('invalid_vga_special_rates', 'two VGA special price lists for one year', [{ field: 'year', message: 'duplicate year', rule: 'BIL-10' }]);
    this.tables = [...tables].sort((a, b) => a.year - b.year);
  }

  /** The version in force during a calendar year: the latest one whose year is not after it. */
  forYear(year: number): VgaSpecialRateTable | null {
    let found: VgaSpecialRateTable | null = null;
    for (const t of this.tables) if (t.year <= year) found = t;
    return found;
  }
}

import { DomainError, Money } from '@oksio/kernel';
import { addDays, daysInclusive, endOfHalfYear, halfYearOf, minDate, type HalfYear, type LocalDate } from './calendar';

/**
 * French legal interest rate (taux de l'intérêt légal), percent per year, "all other cases"
 * column (O) of REFERENCE.md — the one between businesses. Versioned data: operators publish a
 * new half-year through the reference-data stream (`PublishLegalInterestRate`); this table is its
 * initial state. Source: arrêtés, service-public F783.
 */
export const LEGAL_INTEREST_RATES_O: Readonly<Record<HalfYear, string>> = {
  '2015-H1': '0.93', '2015-H2': '0.99',
  '2016-H1': '1.01', '2016-H2': '0.93',
  '2017-H1': '0.90', '2017-H2': '0.90',
  '2018-H1': '0.89', '2018-H2': '0.88',
  '2019-H1': '0.86', '2019-H2': '0.87',
  '2020-H1': '0.87', '2020-H2': '0.84',
  '2021-H1': '0.79', '2021-H2': '0.76',
  '2022-H1': '0.76', '2022-H2': '0.77',
  '2023-H1': '2.06', '2023-H2': '4.22',
  '2024-H1': '5.07', '2024-H2': '4.92',
  '2025-H1': '3.71', '2025-H2': '2.76',
  '2026-H1': '2.62',
};

/** An amount that stayed unpaid over [from, to] (both inclusive: the days late). */
export interface LateSegment {
  from: LocalDate;
  to: LocalDate;
  amount: Money;
}

export interface InterestPiece {
  halfYear: HalfYear;
  from: LocalDate;
  to: LocalDate;
  days: number;
  base: Money;
  legalRate: string;
  /** multiplier × legal rate, percent per year. */
  appliedRate: string;
  /** Unrounded. */
  interest: Money;
}

export interface LateInterest {
  /** Rounded once, half-up to the cent (BIL-01 rounding, applied to the total). */
  amount: Money;
  pieces: InterestPiece[];
}

export interface LateInterestOptions {
  rates: Readonly<Record<HalfYear, string>>;
  multiplier: string;
  dayCountBasis: 365 | 366;
}

const halfLabel = (h: HalfYear) => h.replace('-', ' ');

/**
 * BIL-05: simple interest, actual days late / basis, split at 1 January and 1 July because the
 * legal rate changes every half-year: Σ amount × days × (multiplier × legal rate) / (basis × 100).
 * A half-year without a rate in the data is an error naming it — never a guess.
 */
export function lateInterest(segments: LateSegment[], options: LateInterestOptions): LateInterest {
  const pieces: InterestPiece[] = [];
  for (const segment of segments) {
    if (segment.to < segment.from || !segment.amount.isPositive()) continue;
    let cursor = segment.from;
    while (cursor <= segment.to) {
      const halfYear = halfYearOf(cursor);
      const to = minDate(endOfHalfYear(cursor), segment.to);
      const legalRate = options.rates[halfYear];
      if (legalRate === undefined) {
        throw new DomainError('legal_rate_missing', `no legal rate for ${halfLabel(halfYear)}: add it to the legal interest rates before computing late interest`, 'BIL-05', 'halfYear');
      }
      const days = daysInclusive(cursor, to);
      const applied = Money.eur(legalRate).multiply(options.multiplier).amount;
      const interest = segment.amount.multiply(days).multiply(applied).divide(options.dayCountBasis * 100);
      pieces.push({ halfYear, from: cursor, to, days, base: segment.amount, legalRate, appliedRate: applied.toFixed(), interest });
      cursor = addDays(to, 1);
    }
  }
  return { amount: Money.sum(pieces.map((p) => p.interest)).roundToCent(), pieces };
}

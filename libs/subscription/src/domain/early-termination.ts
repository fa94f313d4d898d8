import { DomainError, Money } from '@oksio/kernel';
import type { YearMonth } from './local-date';

/** One billed period of the contract: what the client was invoiced for it, excluding VAT. */
export interface BilledPeriod {
  /** The billing month 'YYYY-MM', used to keep the last ones. */
  period: YearMonth;
  consumption: Money;
  subscription: Money;
}

export interface EarlyTerminationFee {
  /** Rounded once, half-up to the cent. */
  amount: Money;
  /** Unrounded monthly basis, for the invoice line's explanation. */
  monthlyAverage: Money;
  periodsUsed: YearMonth[];
  monthsRemaining: number;
  /** Why the fee is zero, when it is. */
  zeroReason: 'no_billed_period' | 'no_month_remaining' | null;
}

const YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * SUB-07: average of (consumption + subscription) over the last 3 billed periods × months
 * remaining. Decisions: fewer than 3 billed periods → the average of those billed; none → zero,
 * with the reason; the product is computed exactly (sum × months ÷ n, so 100/3 × 3 is exactly 100)
 * and rounded once at the end.
 */
export function earlyTerminationFee(billedPeriods: BilledPeriod[], monthsRemaining: number, basisPeriods = 3): EarlyTerminationFee {
  if (!Number.isInteger(monthsRemaining) || monthsRemaining < 0) {
    throw new DomainError('invalid_months_remaining', `monthsRemaining must be a natural number, got ${monthsRemaining}`, 'SUB-07', 'monthsRemaining');
  }
  const seen = new Set<string>();
  for (const [i, p] of billedPeriods.entries()) {
    if (!YEAR_MONTH.test(p.period)) throw new DomainError('invalid_billing_period', `period must be 'YYYY-MM', got ${p.period}`, 'SUB-07', `billedPeriods[${i}].period`);
    if (seen.has(p.period)) throw new DomainError('duplicate_billing_period', `period ${p.period} appears twice`, 'SUB-07', `billedPeriods[${i}].period`);
    seen.add(p.period);
  }
  const last = [...billedPeriods].sort((a, b) => a.period.localeCompare(b.period)).slice(-basisPeriods);
  const periodsUsed = last.map((p) => p.period);
  if (last.length === 0) {
    return { amount: Money.zero(), monthlyAverage: Money.zero(), periodsUsed, monthsRemaining, zeroReason: 'no_billed_period' };
  }
  const total = Money.sum(last.map((p) => p.consumption.add(p.subscription)));
  const monthlyAverage = total.divide(last.length);
  const amount = total.multiply(monthsRemaining).divide(last.length).roundToCent();
  return { amount, monthlyAverage, periodsUsed, monthsRemaining, zeroReason: monthsRemaining === 0 ? 'no_month_remaining' : null };
}

import Decimal from 'decimal.js';
import { ValidationError } from './errors';

/**
 * Our own Decimal constructor: the global one is shared with any other library in the process, so
 * configuring it would leak. 40 significant digits keep every sum of invoice amounts exact; only a
 * division can ever use them up. Half-up (away from zero on ties) is the BIL-01 rounding.
 */
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** What an amount may be built from. A JS number is accepted only when it is a safe integer. */
export type AmountInput = string | Decimal | bigint | number;
/** A multiplier, divisor, percentage or ratio: same rule as amounts. */
export type FactorInput = string | Decimal | bigint | number;

/** Plain decimal notation only: exponents, hex, 'NaN' or 'Infinity' (all accepted by decimal.js) are not amounts. */
const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;

function invalidAmount(message: string): ValidationError {
  return new ValidationError('invalid_amount', message, [{ message }]);
}

/**
 * The single gate through which outside values become Decimals. A non-integer JS number has
 * already lost precision before we see it (0.1 is 0.1000000000000000055…), so it is refused
 * rather than silently carried into an invoice.
 */
function toDecimal(value: AmountInput, what: string): Decimal {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw invalidAmount(`${what} ${value} is not a safe integer; pass a decimal string or a Decimal`);
    }
    return new D(value);
  }
  if (typeof value === 'bigint') return new D(value.toString());
  if (typeof value === 'string') {
    if (!PLAIN_DECIMAL.test(value)) throw invalidAmount(`${what} "${value}" is not a plain decimal number`);
    return new D(value);
  }
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) throw invalidAmount(`${what} must be finite, got ${value.toString()}`);
    // Re-wrap so later arithmetic uses our precision and rounding, whatever constructor made it.
    return new D(value);
  }
  throw invalidAmount(`${what} has an unsupported type ${typeof value}`);
}

/** Exact EUR amount. Immutable: every operation returns a new Money. Rounding happens only when asked. */
export class Money {
  readonly currency = 'EUR' as const;
  private readonly value: Decimal;

  private constructor(value: Decimal) {
    // Normalise -0 so that "-0.00" can never be printed and zero always compares equal.
    this.value = value.isZero() ? new D(0) : value;
  }

  static eur(amount: AmountInput): Money {
    return new Money(toDecimal(amount, 'amount'));
  }

  static zero(): Money {
    return new Money(new D(0));
  }

  /**
   * Reads an amount typed by a person or printed by `format('fr-FR')`: "12.34", "12,34",
   * "1 234,56 €", "-3.5", "€ 12". Spaces (incl. the no-break spaces Intl emits) group thousands and
   * must then be in groups of three; the decimal separator is one "," or "."; both together are
   * refused because "1.234,56" and "1,234.56" cannot be told apart safely.
   */
  static parse(text: string): Money {
    if (typeof text !== 'string') throw invalidAmount('amount text must be a string');
    const original = text;
    let s = text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
    s = s.replace(/^(€|EUR)\s*/i, '').replace(/\s*(€|EUR)$/i, '');
    // Intl uses U+2212 MINUS SIGN for negatives in some locales.
    s = s.replace(/^\u2212/, '-');
    const match = /^([+-])?\s*(\d{1,3}(?: \d{3})+|\d+)(?:[.,](\d+))?$/.exec(s);
    if (!match) throw invalidAmount(`"${original}" is not an amount in euros (expected e.g. "1 234,56 €" or "12.34")`);
    const [, sign = '', integer, fraction] = match;
    const plain = `${sign}${integer.replace(/ /g, '')}${fraction !== undefined ? `.${fraction}` : ''}`;
    return new Money(new D(plain));
  }

  /** Inverse of `toJSON`; strict (plain decimal string only) because JSON is machine-written. */
  static fromJSON(json: string): Money {
    if (typeof json !== 'string') throw invalidAmount('a Money JSON value must be a string');
    return new Money(toDecimal(json, 'amount'));
  }

  static sum(list: Iterable<Money>): Money {
    let total: Decimal = new D(0);
    for (const m of list) total = total.plus(m.value);
    return new Money(total);
  }

  static min(...values: Money[]): Money {
    if (values.length === 0) throw new RangeError('Money.min needs at least one value');
    return values.reduce((a, b) => (b.value.lessThan(a.value) ? b : a));
  }

  static max(...values: Money[]): Money {
    if (values.length === 0) throw new RangeError('Money.max needs at least one value');
    return values.reduce((a, b) => (b.value.greaterThan(a.value) ? b : a));
  }

  /** The exact amount. Decimal is immutable, so handing it out cannot change this Money. */
  get amount(): Decimal {
    return this.value;
  }

  add(other: Money): Money {
    return new Money(this.value.plus(other.value));
  }

  subtract(other: Money): Money {
    return new Money(this.value.minus(other.value));
  }

  multiply(factor: FactorInput): Money {
    return new Money(this.value.times(toDecimal(factor, 'factor')));
  }

  /** Unrounded quotient (to 40 significant digits); round it where the rule says, e.g. per invoice line. */
  divide(divisor: FactorInput): Money {
    const d = toDecimal(divisor, 'divisor');
    if (d.isZero()) throw new RangeError('cannot divide money by zero');
    return new Money(this.value.dividedBy(d));
  }

  /** `percentage('20')` is 20 % of this amount (VAT, SLA penalty tiers); unrounded. */
  percentage(pct: FactorInput): Money {
    return new Money(this.value.times(toDecimal(pct, 'percentage')).dividedBy(100));
  }

  /**
   * Splits the amount, rounded to the cent, into parts proportional to `ratios` whose sum is
   * exactly that rounded total: no cent is created or lost (prorations, split invoices).
   * Largest remainder on cents; equal remainders favour earlier parts so the result is stable.
   * Computed in integers (ratios scaled to whole numbers) so remainders compare exactly.
   */
  allocate(ratios: FactorInput[]): Money[] {
    if (ratios.length === 0) throw new RangeError('allocate needs at least one ratio');
    const decimals = ratios.map((r) => toDecimal(r, 'ratio'));
    if (decimals.some((r) => r.isNegative() && !r.isZero())) throw new RangeError('allocation ratios must not be negative');
    const scale = new D(10).pow(Math.max(...decimals.map((r) => r.decimalPlaces())));
    const weights = decimals.map((r) => BigInt(r.times(scale).toFixed(0)));
    const totalWeight = weights.reduce((a, b) => a + b, 0n);
    if (totalWeight === 0n) throw new RangeError('allocation ratios must not all be zero');

    const rounded = this.roundToCent().value;
    const negative = rounded.isNegative();
    const cents = BigInt(rounded.abs().times(100).toFixed(0));

    const parts = weights.map((w) => (cents * w) / totalWeight);
    const remainders = weights.map((w, index) => ({ index, rest: (cents * w) % totalWeight }));
    let left = cents - parts.reduce((a, b) => a + b, 0n);
    // Array.prototype.sort is stable, so ties keep index order: earlier parts win.
    remainders.sort((a, b) => (a.rest === b.rest ? 0 : a.rest > b.rest ? -1 : 1));
    for (const { index } of remainders) {
      if (left === 0n) break;
      parts[index] += 1n;
      left -= 1n;
    }
    return parts.map((c) => {
      const m = new Money(new D(c.toString()).dividedBy(100));
      return negative ? m.negate() : m;
    });
  }

  /** BIL-01: half-up, i.e. ties away from zero (-0.005 → -0.01). */
  roundToCent(): Money {
    return new Money(this.value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
  }

  negate(): Money {
    return new Money(this.value.negated());
  }

  abs(): Money {
    return new Money(this.value.abs());
  }

  isZero(): boolean {
    return this.value.isZero();
  }

  isNegative(): boolean {
    return this.value.isNegative() && !this.value.isZero();
  }

  isPositive(): boolean {
    return this.value.isPositive() && !this.value.isZero();
  }

  /** -1, 0 or 1 on the exact amounts: usable directly as a sort comparator. */
  compare(other: Money): -1 | 0 | 1 {
    return this.value.comparedTo(other.value) as -1 | 0 | 1;
  }

  /** Exact equality: 1.001 and 1.00 differ even though both print "1.00". */
  equals(other: Money): boolean {
    return this.value.equals(other.value);
  }

  /** Rounded to the cent, always two decimals, never exponent notation: "12.30". */
  toString(): string {
    return this.roundToCent().value.toFixed(2, Decimal.ROUND_HALF_UP);
  }

  /** The unrounded amount in plain notation (for audit and debugging). */
  toExactString(): string {
    return this.value.toFixed();
  }

  /** A string, not a number, so JSON consumers never parse an amount into a float. */
  toJSON(): string {
    return this.toString();
  }

  /**
   * Display only. Intl receives the 2-decimal string, which Node ≥ 20 formats exactly
   * (Intl.NumberFormat v3), so no float is involved even for very large amounts.
   * fr-FR output uses U+202F as group separator and U+00A0 before "€".
   */
  format(locale = 'fr-FR'): string {
    const formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
    return formatter.format(this.toString() as Intl.StringNumericLiteral);
  }
}

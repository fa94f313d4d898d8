import Decimal from 'decimal.js';
import { ValidationError } from './errors';
import { Money } from './money';

const eur = Money.eur;
const NNBSP = '\u202f'; // fr-FR group separator in Intl (narrow no-break space)
const NBSP = '\u00a0'; // fr-FR space before the currency sign

describe('Money', () => {
  describe('construction (BIL-01 exact decimal arithmetic)', () => {
    it('accepts decimal strings, Decimals, bigints and safe integers', () => {
      expect(eur('12.3').toString()).toBe('12.30');
      expect(eur(new Decimal('7.25')).toString()).toBe('7.25');
      expect(eur(10n).toString()).toBe('10.00');
      expect(eur(-4).toString()).toBe('-4.00');
      expect(Money.zero().toString()).toBe('0.00');
    });

    it.each([0.1, 1.5, -3.25, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY])('rejects the JS number %p (not a safe integer)', (n) => {
      expect(() => eur(n)).toThrow(ValidationError);
    });

    it('rejects a float passed as factor, divisor or ratio', () => {
      expect(() => eur('1').multiply(1.1)).toThrow(ValidationError);
      expect(() => eur('1').divide(0.5)).toThrow(ValidationError);
      expect(() => eur('1').allocate([0.5, 0.5])).toThrow(ValidationError);
    });

    it.each(['', 'abc', '1e3', '0x10', 'NaN', 'Infinity', '1.2.3', '12,34'])('rejects the non-plain string %p in eur()', (s) => {
      expect(() => eur(s)).toThrow(ValidationError);
    });

    it('rejects non-finite Decimals', () => {
      expect(() => eur(new Decimal(Number.NaN))).toThrow(ValidationError);
      expect(() => eur(new Decimal(Number.POSITIVE_INFINITY))).toThrow(ValidationError);
    });

    it('is immutable: operations return new values', () => {
      const a = eur('10');
      const b = a.add(eur('5'));
      expect(a.toString()).toBe('10.00');
      expect(b.toString()).toBe('15.00');
      expect(b).not.toBe(a);
    });
  });

  describe('arithmetic', () => {
    it('BIL-01 adds exactly: 0.1 + 0.2 = 0.30', () => {
      const sum = eur('0.1').add(eur('0.2'));
      expect(sum.equals(eur('0.3'))).toBe(true);
      expect(sum.toExactString()).toBe('0.3');
      expect(sum.toString()).toBe('0.30');
    });

    it('subtracts, multiplies, negates and takes absolute values', () => {
      expect(eur('1.00').subtract(eur('0.99')).toExactString()).toBe('0.01');
      expect(eur('19.99').multiply(3).toExactString()).toBe('59.97');
      expect(eur('19.99').multiply('0.5').toExactString()).toBe('9.995');
      expect(eur('19.99').multiply(new Decimal('1.2')).toExactString()).toBe('23.988');
      expect(eur('5').negate().toString()).toBe('-5.00');
      expect(eur('-5').abs().toString()).toBe('5.00');
    });

    it('divides exactly, without rounding to the cent', () => {
      expect(eur('10').divide(4).toExactString()).toBe('2.5');
      expect(eur('100').divide('3').toExactString()).toBe('33.33333333333333333333333333333333333333');
      expect(eur('100').divide(3).toString()).toBe('33.33');
      expect(() => eur('1').divide(0)).toThrow(RangeError);
    });

    it('BIL-01 computes 20 % VAT with percentage()', () => {
      expect(eur('123.45').percentage('20').toExactString()).toBe('24.69');
      expect(eur('0.13').percentage('20').toExactString()).toBe('0.026');
      expect(eur('0.13').percentage(new Decimal('5.5')).toExactString()).toBe('0.00715');
    });

    it('sums lists, with an empty list giving zero', () => {
      expect(Money.sum([eur('0.1'), eur('0.2'), eur('0.3')]).toExactString()).toBe('0.6');
      expect(Money.sum([]).isZero()).toBe(true);
    });

    it('keeps a large number of small additions exact', () => {
      let total = Money.zero();
      for (let i = 0; i < 10_000; i++) total = total.add(eur('0.01'));
      expect(total.toExactString()).toBe('100');
    });
  });

  describe('rounding', () => {
    it.each([
      ['1.005', '1.01'],
      ['1.004', '1.00'],
      ['2.675', '2.68'],
      ['0.125', '0.13'],
      ['-0.005', '-0.01'],
      ['-1.005', '-1.01'],
      ['-1.004', '-1.00'],
      ['-0.004', '0.00'],
    ])('BIL-01 rounds %s half-up to the cent (away from zero on ties): %s', (input, expected) => {
      expect(eur(input).roundToCent().toExactString()).toBe(new Decimal(expected).toFixed());
      expect(eur(input).toString()).toBe(expected);
    });

    it('never prints "-0.00"', () => {
      expect(eur('-0.001').toString()).toBe('0.00');
      expect(eur('-0').toString()).toBe('0.00');
      expect(eur('-0').isNegative()).toBe(false);
    });

    it('keeps the exact amount until rounding is asked for', () => {
      const m = eur('1.005');
      expect(m.toExactString()).toBe('1.005');
      expect(m.amount.toFixed()).toBe('1.005');
      expect(m.amount).toBeInstanceOf(Decimal);
    });
  });

  describe('allocate', () => {
    const strings = (parts: Money[]) => parts.map((p) => p.toString());

    it('splits 100.00 in 3 as 33.34 / 33.33 / 33.33 (extra cent to the earliest part)', () => {
      const parts = eur('100').allocate([1, 1, 1]);
      expect(strings(parts)).toEqual(['33.34', '33.33', '33.33']);
      expect(Money.sum(parts).equals(eur('100'))).toBe(true);
    });

    it('gives leftover cents to the largest remainders', () => {
      // 10.00 × 1/6 = 1.666…, × 2/6 = 3.333…, × 3/6 = 5 → 1.67 / 3.33 / 5.00
      expect(strings(eur('10').allocate([1, 2, 3]))).toEqual(['1.67', '3.33', '5.00']);
    });

    it('BIL-03 prorates by days with exact sums (e.g. 12 of 31 days)', () => {
      const parts = eur('49.90').allocate([12, 19]);
      expect(strings(parts)).toEqual(['19.32', '30.58']);
      expect(Money.sum(parts).toString()).toBe('49.90');
    });

    it('accepts decimal ratios and zero ratios', () => {
      expect(strings(eur('1').allocate(['0.5', '0.25', '0.25']))).toEqual(['0.50', '0.25', '0.25']);
      expect(strings(eur('1').allocate([0, 1]))).toEqual(['0.00', '1.00']);
      expect(strings(eur('0.05').allocate([new Decimal('1.5'), '1.5']))).toEqual(['0.03', '0.02']);
    });

    it('allocates the amount rounded to the cent first', () => {
      const parts = eur('10.005').allocate([1, 1]);
      expect(strings(parts)).toEqual(['5.01', '5.00']);
      expect(Money.sum(parts).equals(eur('10.01'))).toBe(true);
    });

    it('allocates negative amounts symmetrically', () => {
      const parts = eur('-100').allocate([1, 1, 1]);
      expect(strings(parts)).toEqual(['-33.34', '-33.33', '-33.33']);
      expect(Money.sum(parts).equals(eur('-100'))).toBe(true);
    });

    it('always sums exactly to the rounded total', () => {
      const ratioSets = [[1, 1, 1, 1, 1, 1, 1], [3, 7, 11], ['0.1', '0.2', '0.7'], [1, 0, 2, 0, 3], [97, 1, 1, 1]];
      for (const amount of ['0.01', '0.07', '1.00', '99.99', '1234.56', '1000000.01']) {
        for (const ratios of ratioSets) {
          const parts = eur(amount).allocate(ratios);
          expect(parts).toHaveLength(ratios.length);
          expect(Money.sum(parts).toExactString()).toBe(new Decimal(amount).toFixed());
        }
      }
    });

    it('rejects empty, negative and all-zero ratios', () => {
      expect(() => eur('1').allocate([])).toThrow(RangeError);
      expect(() => eur('1').allocate([1, -1])).toThrow(RangeError);
      expect(() => eur('1').allocate([0, 0])).toThrow(RangeError);
    });
  });

  describe('comparison', () => {
    it('compares, tests sign and equality on exact amounts', () => {
      expect(eur('1').compare(eur('2'))).toBe(-1);
      expect(eur('2').compare(eur('2.00'))).toBe(0);
      expect(eur('3').compare(eur('2'))).toBe(1);
      expect(eur('1.001').equals(eur('1.00'))).toBe(false);
      expect(eur('0').isZero()).toBe(true);
      expect(eur('-0.01').isNegative()).toBe(true);
      expect(eur('0.01').isPositive()).toBe(true);
      expect(eur('0').isPositive()).toBe(false);
      expect(eur('0').isNegative()).toBe(false);
    });

    it('sorts with compare and picks min/max', () => {
      const list = [eur('3'), eur('-1'), eur('2.5')];
      expect([...list].sort((a, b) => a.compare(b)).map(String)).toEqual(['-1.00', '2.50', '3.00']);
      expect(Money.min(...list).toString()).toBe('-1.00');
      expect(Money.max(list[0], list[1], list[2]).toString()).toBe('3.00');
      expect(Money.min(eur('4')).toString()).toBe('4.00');
      expect(() => Money.max()).toThrow(RangeError);
    });
  });

  describe('parse', () => {
    it.each([
      ['12.34', '12.34'],
      ['12,34', '12.34'],
      ['1 234,56 €', '1234.56'],
      ['-3.5', '-3.5'],
      ['+7', '7'],
      ['0,005', '0.005'],
      ['12€', '12'],
      ['€ 12.5', '12.5'],
      ['12 EUR', '12'],
      ['  42  ', '42'],
      ['1 234 567,89', '1234567.89'],
      [`1${NNBSP}234,56${NBSP}€`, '1234.56'],
      [`1${NBSP}234,56${NBSP}€`, '1234.56'],
      ['\u22121 234,56 €', '-1234.56'],
    ])('reads %p as %s', (text, exact) => {
      expect(Money.parse(text).toExactString()).toBe(exact);
    });

    it.each(['', 'abc', '12.3.4', '1.234,56', '1,234.56', '12 34', '1 2345', '--3', '3-', '12 $', '1e3', '€', ',5', 'NaN'])(
      'rejects %p with a clear ValidationError',
      (text) => {
        expect(() => Money.parse(text)).toThrow(ValidationError);
        expect(() => Money.parse(text)).toThrow(/is not an amount in euros/);
      },
    );

    it('carries a stable error code', () => {
      expect(() => Money.parse('garbage')).toThrow(expect.objectContaining({ code: 'invalid_amount', status: 400 }));
    });
  });

  describe('format (display only)', () => {
    it('formats fr-FR with U+202F groups and U+00A0 before €', () => {
      expect(eur('1234.56').format()).toBe(`1${NNBSP}234,56${NBSP}€`);
      expect(eur('1234.56').format('fr-FR')).toBe(`1${NNBSP}234,56${NBSP}€`);
      expect(eur('0.5').format()).toBe(`0,50${NBSP}€`);
      expect(eur('1234567.891').format()).toBe(`1${NNBSP}234${NNBSP}567,89${NBSP}€`);
      expect(eur('-0.001').format()).toBe(`0,00${NBSP}€`);
    });

    it('formats negatives and other locales', () => {
      expect(eur('-1234.5').format()).toMatch(new RegExp(`^[-\u2212]1${NNBSP}234,50${NBSP}€$`));
      expect(eur('1234.5').format('en-GB')).toBe('€1,234.50');
    });

    it('formats very large amounts without float loss', () => {
      expect(eur('12345678901234567.89').format()).toBe(`12${NNBSP}345${NNBSP}678${NNBSP}901${NNBSP}234${NNBSP}567,89${NBSP}€`);
    });

    it('round-trips through parse', () => {
      for (const s of ['1234.56', '-98765.43', '0.07']) {
        expect(Money.parse(eur(s).format()).toString()).toBe(s);
      }
    });
  });

  describe('JSON', () => {
    it('serialises as a 2-decimal string, never a number', () => {
      expect(JSON.stringify({ total: eur('12.3') })).toBe('{"total":"12.30"}');
      expect(typeof eur('1').toJSON()).toBe('string');
      expect(JSON.stringify(eur('-0.005'))).toBe('"-0.01"');
    });

    it('reads back with fromJSON', () => {
      const back = Money.fromJSON(JSON.parse(JSON.stringify(eur('99.999'))));
      expect(back.toExactString()).toBe('100');
      expect(Money.fromJSON('-12.30').equals(eur('-12.3'))).toBe(true);
    });

    it('rejects non-string or non-plain JSON', () => {
      expect(() => Money.fromJSON(12 as unknown as string)).toThrow(ValidationError);
      expect(() => Money.fromJSON('12,30')).toThrow(ValidationError);
    });

    it('has EUR as its only currency', () => {
      expect(eur('1').currency).toBe('EUR');
    });
  });
});

import { Money } from '@oksio/kernel';
import { totals } from './invoice';

/** BIL-01: exact decimal arithmetic on invoice amounts (the kernel's Money, as Billing uses it). */
describe('Money in billing', () => {
  it('BIL-01 sums of decimal amounts are exact (0.10 + 0.20 = 0.30, never 0.30000000000000004)', () => {
    expect(Money.eur('0.10').add(Money.eur('0.20')).toExactString()).toBe('0.3');
    expect(Money.sum(Array.from({ length: 10 }, () => Money.eur('0.10'))).equals(Money.eur('1'))).toBe(true);
    // 1.15 × 3 = 3.45 exactly (float: 3.4499999999999997).
    expect(Money.eur('1.15').multiply(3).toExactString()).toBe('3.45');
  });

  it('BIL-01 rounds to the cent half-up, per line, and keeps the unrounded amount until asked', () => {
    expect(Money.eur('2.675').roundToCent().toString()).toBe('2.68'); // float rounding gives 2.67
    expect(Money.eur('-0.005').roundToCent().toString()).toBe('-0.01');
    const third = Money.eur('100').divide(3);
    expect(third.toString()).toBe('33.33');
    expect(third.multiply(3).toString()).toBe('100.00');
    expect(() => Money.eur(0.1 as unknown as number)).toThrow(expect.objectContaining({ code: 'invalid_amount' }));
  });

  it('BIL-01 VAT 20 % of large and small totals is exact', () => {
    expect(totals([{ amount: '123456789.99', vatRate: '20' }])).toMatchObject({ totalVAT: '24691358.00', totalTTC: '148148147.99' });
    expect(totals([{ amount: '0.02', vatRate: '20' }])).toMatchObject({ totalVAT: '0.00', totalTTC: '0.02' });
    expect(totals([{ amount: '0.03', vatRate: '20' }])).toMatchObject({ totalVAT: '0.01', totalTTC: '0.04' });
  });
});

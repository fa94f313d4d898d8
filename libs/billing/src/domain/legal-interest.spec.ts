import { Money } from '@oksio/kernel';
import { LEGAL_INTEREST_RATES_O, lateInterest } from './legal-interest';

const options = { rates: LEGAL_INTEREST_RATES_O, multiplier: '20', dayCountBasis: 365 as const };

describe('late interest', () => {
  it('BIL-05 spanning two half-years with different legal rates: split at 1 July, simple interest, rounded once', () => {
    // 1 000.00 € due 2025-06-15, paid 2025-07-20.
    // 2025 H1 (legal 3.71 % × 20 = 74.2 %): 16 … 30 June = 15 days → 1000 × 15 × 74.2 / 36 500 = 30.4931506…
    // 2025 H2 (legal 2.76 % × 20 = 55.2 %): 1 … 20 July = 20 days → 1000 × 20 × 55.2 / 36 500 = 30.2465753…
    // Total 2 217 000 / 36 500 = 60.7397260… → 60.74.
    const r = lateInterest([{ from: '2025-06-16', to: '2025-07-20', amount: Money.eur('1000.00') }], options);
    expect(r.amount.toString()).toBe('60.74');
    expect(r.pieces.map((p) => [p.halfYear, p.from, p.to, p.days, p.appliedRate])).toEqual([
      ['2025-H1', '2025-06-16', '2025-06-30', 15, '74.2'],
      ['2025-H2', '2025-07-01', '2025-07-20', 20, '55.2'],
    ]);
    // Exact pieces: no float drift before the single rounding.
    expect(r.pieces[0].interest.toExactString()).toBe(Money.eur('1113000').divide(36500).toExactString());
  });

  it('BIL-05 across a year end, with a partial payment changing the late amount', () => {
    // 500.00 late 2024-12-20 … 2025-01-10; 200.00 paid on 2024-12-31 (that day still counts).
    // 2024 H2 (4.92 × 20 = 98.4 %): 20 … 31 Dec = 12 days on 500 → 500 × 12 × 98.4 / 36 500 = 16.1753424…
    // 2025 H1 (74.2 %): 1 … 10 Jan = 10 days on 300 → 300 × 10 × 74.2 / 36 500 = 6.0986301…
    // Total 22.2739726… → 22.27.
    const r = lateInterest(
      [
        { from: '2024-12-20', to: '2024-12-31', amount: Money.eur('500.00') },
        { from: '2025-01-01', to: '2025-01-10', amount: Money.eur('300.00') },
      ],
      options,
    );
    expect(r.amount.toString()).toBe('22.27');
  });

  it('BIL-05 a half-year without a rate in the data is a clear error, never a guess', () => {
    expect(() => lateInterest([{ from: '2026-06-20', to: '2026-07-05', amount: Money.eur('100.00') }], options)).toThrow(
      expect.objectContaining({ code: 'legal_rate_missing', rule: 'BIL-05', message: expect.stringContaining('no legal rate for 2026 H2') }),
    );
    // With the rate published as data, the same computation runs.
    const r = lateInterest([{ from: '2026-06-20', to: '2026-07-05', amount: Money.eur('100.00') }], { ...options, rates: { ...LEGAL_INTEREST_RATES_O, '2026-H2': '2.50' } });
    // 11 days × 52.4 % + 5 days × 50 % on 100: (57 640 + 25 000) / 36 500 = 2.2641… → 2.26.
    expect(r.amount.toString()).toBe('2.26');
  });

  it('BIL-05 the day-count basis is a setting (366 in leap years if the operator chooses)', () => {
    const r = lateInterest([{ from: '2024-03-01', to: '2024-03-30', amount: Money.eur('1000.00') }], { ...options, dayCountBasis: 366 });
    // 2024 H1: 5.07 × 20 = 101.4 %; 30 days: 1000 × 30 × 101.4 / 36 600 = 83.1147… → 83.11.
    expect(r.amount.toString()).toBe('83.11');
  });
});

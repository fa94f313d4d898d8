import { Money } from '@oksio/kernel';
import { earlyTerminationFee, type BilledPeriod } from './early-termination';

const period = (p: string, consumption: string, subscription: string): BilledPeriod => ({ period: p, consumption: Money.eur(consumption), subscription: Money.eur(subscription) });

describe('early-termination fee', () => {
  it('SUB-07 averages consumption + subscription over the last 3 billed periods, times the months remaining', () => {
    const fee = earlyTerminationFee(
      [period('2030-06', '50.00', '100.00'), period('2030-07', '10.00', '100.00'), period('2030-08', '20.00', '100.00'), period('2030-09', '30.00', '100.00')],
      5,
    );
    // Last three: 110 + 120 + 130 = 360 → 120 a month × 5.
    expect(fee.amount.toString()).toBe('600.00');
    expect(fee.periodsUsed).toEqual(['2030-07', '2030-08', '2030-09']);
    expect(fee.zeroReason).toBeNull();
  });

  it('SUB-07 rounds once at the end, half-up: 100/3 a month × 3 months is exactly 100.00', () => {
    const fee = earlyTerminationFee([period('2030-01', '0', '33.33'), period('2030-02', '0', '33.33'), period('2030-03', '0', '33.34')], 3);
    expect(fee.amount.toString()).toBe('100.00');
    const odd = earlyTerminationFee([period('2030-01', '0.01', '0'), period('2030-02', '0.01', '0'), period('2030-03', '0.00', '0')], 1);
    // 0.02 / 3 = 0.00666… → 0.01 (half-up), rounded once.
    expect(odd.amount.toString()).toBe('0.01');
    expect(odd.monthlyAverage.toExactString().startsWith('0.00666')).toBe(true);
  });

  it('SUB-07 fewer than 3 billed periods: the average of those billed; none: zero with a reason', () => {
    expect(earlyTerminationFee([period('2030-01', '10.00', '90.00')], 4).amount.toString()).toBe('400.00');
    expect(earlyTerminationFee([period('2030-02', '0', '90.00'), period('2030-01', '0', '110.00')], 2).amount.toString()).toBe('200.00');
    const none = earlyTerminationFee([], 12);
    expect(none.amount.isZero()).toBe(true);
    expect(none.zeroReason).toBe('no_billed_period');
    expect(earlyTerminationFee([period('2030-01', '0', '90.00')], 0).zeroReason).toBe('no_month_remaining');
  });

  it('SUB-07 refuses malformed inputs', () => {
    expect(() => earlyTerminationFee([], -1)).toThrow(expect.objectContaining({ code: 'invalid_months_remaining', rule: 'SUB-07' }));
    expect(() => earlyTerminationFee([period('2030-1', '0', '1')], 1)).toThrow(expect.objectContaining({ code: 'invalid_billing_period' }));
    expect(() => earlyTerminationFee([period('2030-01', '0', '1'), period('2030-01', '0', '1')], 1)).toThrow(expect.objectContaining({ code: 'duplicate_billing_period' }));
  });
});

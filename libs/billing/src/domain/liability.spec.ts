import type { BilledPeriod } from './account';
import { liabilityCap } from './liability';

const period = (p: string, subscription: string, consumption = '0.00'): BilledPeriod => ({ period: p, invoiceIds: [`i-${p}`], subscription, consumption, items: {}, options: {} });

describe('liability caps', () => {
  const periods = [period('2026-03', '103.65'), period('2026-04', '189.00', '12.34'), period('2026-05', '189.00'), period('2026-06', '189.00', '7.50'), period('2027-04', '189.00')];

  it('BIL-12 CG 13: per event the monthly sum; per 12-month period from activation the sum of that period', () => {
    const cap = liabilityCap({ service: 'DATA', activatedOn: '2026-03-15', eventOn: '2026-06-10', billedPeriods: periods });
    // Last billed period up to June: 189.00 + 7.50 = 196.50. Period 2026-03-15 … 2027-03-14: March … June 2026 = 103.65 + 201.34 + 189.00 + 196.50 = 690.49.
    expect(cap).toMatchObject({ cap: '196.50', basis: 'monthly_sum_paid', annualCap: '690.49', annualPeriod: { from: '2026-03-15', to: '2027-03-14' } });
  });

  it('BIL-12 HOSTED_PBX: the fees of the calendar year; MOBILE: the average of the last 3 invoices', () => {
    expect(liabilityCap({ service: 'HOSTED_PBX', activatedOn: '2026-03-15', eventOn: '2026-06-10', billedPeriods: periods })).toMatchObject({ cap: '690.49', basis: 'calendar_year_fees' });
    // April 201.34 + May 189.00 + June 196.50 = 586.84 / 3 = 195.6133… → 195.61.
    expect(liabilityCap({ service: 'MOBILE', activatedOn: '2026-03-15', eventOn: '2026-06-10', billedPeriods: periods })).toMatchObject({ cap: '195.61', basis: 'average_last_3_invoices', periodsUsed: ['2026-04', '2026-05', '2026-06'] });
  });
});

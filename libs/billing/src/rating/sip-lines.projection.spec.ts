import { planOn } from './sip-lines.projection';

describe('BIL-09 plan of a SIP line on a date', () => {
  const plans = [
    { from: null, plan: 'SIP_OK' },
    { from: '2026-03-15', plan: 'SIP_OKSIO' },
  ];

  it('BIL-09 the ordered plan applies until a migration, the migrated plan from its date (inclusive)', () => {
    expect(planOn(plans, '2026-03-14')).toBe('SIP_OK');
    expect(planOn(plans, '2026-03-15')).toBe('SIP_OKSIO');
    expect(planOn(plans, '2027-01-01')).toBe('SIP_OKSIO');
  });

  it('BIL-09 a line ordered without a SIP plan has none', () => {
    expect(planOn([{ from: null, plan: null }], '2026-03-01')).toBeNull();
    expect(planOn([], '2026-03-01')).toBeNull();
  });
});

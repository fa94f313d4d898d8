import {
  assertPriceChangeNotice,
  assertSipRateChange,
  assertTermsChangeNotice,
  priceChangeEarliestEffectiveDate,
  sipRateChangeEarliestEffectiveDate,
  termsChangeEarliestEffectiveDate,
} from './notices';

describe('notices of changes', () => {
  it('CON-02 a tariff change applies 2 months after the notice at the earliest, except force majeure or a supplier price surge', () => {
    expect(priceChangeEarliestEffectiveDate('2026-03-15')).toBe('2026-05-15');
    expect(priceChangeEarliestEffectiveDate('2026-12-31')).toBe('2027-02-28');
    expect(priceChangeEarliestEffectiveDate('2027-12-31')).toBe('2028-02-29');
    expect(priceChangeEarliestEffectiveDate('2026-03-15', 'supplier_price_surge')).toBe('2026-03-15');
    expect(() => assertPriceChangeNotice('2026-03-15', '2026-05-14')).toThrow(expect.objectContaining({ code: 'price_change_notice_too_short', rule: 'CON-02', field: 'effectiveOn' }));
    expect(() => assertPriceChangeNotice('2026-03-15', '2026-05-15')).not.toThrow();
    expect(() => assertPriceChangeNotice('2026-03-15', '2026-03-20', 'force_majeure')).not.toThrow();
  });

  it('CON-03 new general terms take effect at least 1 month after they are notified', () => {
    expect(termsChangeEarliestEffectiveDate('2026-01-31')).toBe('2026-02-28');
    expect(() => assertTermsChangeNotice('2026-06-10', '2026-07-09')).toThrow(expect.objectContaining({ code: 'terms_change_notice_too_short', rule: 'CON-03' }));
    expect(() => assertTermsChangeNotice('2026-06-10', '2026-07-10')).not.toThrow();
  });

  it('CON-04 SIP per-minute rates change only on 1 January, notified before', () => {
    expect(sipRateChangeEarliestEffectiveDate('2026-11-20')).toBe('2027-01-01');
    expect(sipRateChangeEarliestEffectiveDate('2027-01-01')).toBe('2028-01-01');
    expect(() => assertSipRateChange('2026-11-20', '2027-01-01')).not.toThrow();
    expect(() => assertSipRateChange('2026-11-20', '2027-03-01')).toThrow(expect.objectContaining({ code: 'sip_rates_change_only_on_1_january', rule: 'CON-04' }));
    expect(() => assertSipRateChange('2027-01-01', '2027-01-01')).toThrow(expect.objectContaining({ code: 'sip_rates_not_notified_before', rule: 'CON-04' }));
  });
});

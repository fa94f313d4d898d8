import { resolveTerms, TERMS_CATALOGUE, validateTermsOverrides, type TermsCatalogue } from './terms';

describe('terms profiles (CON-01)', () => {
  it('CON-01 CG defaults apply where the CP is silent: MOBILE keeps 60 months and notice from receipt', () => {
    const terms = resolveTerms('MOBILE');
    expect(terms).toMatchObject({ initialTermMonths: 60, renewalPeriodMonths: 12, noticeRule: 'from_receipt', noticeMonths: 3, cgVersion: 'CG-2026.1', cpVersion: 'CP-MOBILE-2026.1' });
    expect(terms.origin.initialTermMonths).toBe('CG');
    expect(terms.origin.lineInfoCollectionDays).toBe('CP');
  });

  it('CON-01 the CP overrides the CG: DATA and HOSTED_PBX terminate before the period end; PBX commits 12 months', () => {
    expect(resolveTerms('DATA')).toMatchObject({ initialTermMonths: 60, noticeRule: 'before_period_end', recommitOnChange: true, cpVersion: 'CP-DATA-2026.1' });
    const pbx = resolveTerms('HOSTED_PBX');
    expect(pbx).toMatchObject({ initialTermMonths: 12, noticeRule: 'before_period_end', softwareWithdrawalNoticeMonths: 18 });
    expect(pbx.origin.initialTermMonths).toBe('CP');
    expect(resolveTerms('FIXED_VGA').noticeRule).toBe('from_receipt');
    expect(resolveTerms('FIXED_SIP').perMinuteRatesRevisableYearly).toBe(true);
  });

  it('CON-01 the contract overrides the CP, which overrides the CG', () => {
    const terms = resolveTerms('HOSTED_PBX', { initialTermMonths: 36 });
    expect(terms.initialTermMonths).toBe(36);
    expect(terms.origin.initialTermMonths).toBe('contract');
    expect(terms.noticeRule).toBe('before_period_end');
    expect(terms.origin.noticeRule).toBe('CP');
  });

  it('CON-01 picks the catalogue versions in force on the signature date', () => {
    const catalogue: TermsCatalogue = {
      ...TERMS_CATALOGUE,
      generalTerms: [
        ...TERMS_CATALOGUE.generalTerms,
        { version: 'CG-2027.1', effectiveFrom: '2027-01-01', profile: { ...TERMS_CATALOGUE.generalTerms[0].profile, initialTermMonths: 36 } },
      ],
    };
    expect(resolveTerms('MOBILE', {}, { asOf: '2026-12-31', catalogue })).toMatchObject({ cgVersion: 'CG-2026.1', initialTermMonths: 60 });
    expect(resolveTerms('MOBILE', {}, { asOf: '2027-01-01', catalogue })).toMatchObject({ cgVersion: 'CG-2027.1', initialTermMonths: 36 });
    expect(() => resolveTerms('MOBILE', {}, { asOf: '2025-06-01' })).toThrow(expect.objectContaining({ code: 'no_terms_in_force', rule: 'CON-01' }));
  });

  it('CON-01 refuses overrides that are not terms fields or have the wrong shape', () => {
    expect(() => validateTermsOverrides({ colour: 'blue' })).toThrow(expect.objectContaining({ code: 'unknown_terms_field', rule: 'CON-01', field: 'contractOverrides.colour' }));
    expect(() => validateTermsOverrides({ initialTermMonths: 0 })).toThrow(expect.objectContaining({ code: 'invalid_terms_override' }));
    expect(() => validateTermsOverrides({ noticeRule: 'whenever' })).toThrow(expect.objectContaining({ code: 'invalid_terms_override' }));
    expect(() => validateTermsOverrides({ noticeMonths: 1.5 })).toThrow(expect.objectContaining({ code: 'invalid_terms_override' }));
    expect(validateTermsOverrides({ saturationNoticeDays: null, recommitOnChange: false })).toEqual({ saturationNoticeDays: null, recommitOnChange: false });
  });

  it('resolved terms are plain JSON (they travel inside SubscriptionSigned)', () => {
    const terms = resolveTerms('DATA', { noticeMonths: 4 });
    expect(JSON.parse(JSON.stringify(terms))).toEqual(terms);
  });
});

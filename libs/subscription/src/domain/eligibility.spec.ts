import { checkDataEligibility, checkFixedLineEligibility } from './eligibility';

describe('eligibility', () => {
  it('SUB-17 refuses fixed-line resale on excluded accesses and Numéris sites, listing every reason', () => {
    expect(checkFixedLineEligibility({ accessStatus: 'in_service' })).toEqual({ eligible: true, reasons: [] });
    const result = checkFixedLineEligibility({
      orangeInternalPost: true,
      groupHeadLine: true,
      accessStatus: 'being_moved',
      temporaryAccess: true,
      cabinOrPayphone: true,
      siteNumerisOffers: ['NUMERIS_T2', 'NUMERIS_ITOO'],
    });
    expect(result.eligible).toBe(false);
    expect(result.reasons.map((r) => r.code)).toEqual([
      'orange_internal_post',
      'group_head_line',
      'access_being_moved',
      'temporary_access',
      'cabin_or_payphone',
      'site_with_numeris_t2',
      'site_with_numeris_itoo',
    ]);
    expect(result.reasons.every((r) => r.rule === 'SUB-17')).toBe(true);
    for (const status of ['being_created', 'being_terminated', 'being_renumbered'] as const) {
      expect(checkFixedLineEligibility({ accessStatus: status }).reasons).toEqual([{ code: `access_${status}`, rule: 'SUB-17' }]);
    }
  });

  it('SUB-18 DATA needs DSL coverage and a plain copper line', () => {
    expect(checkDataEligibility({ inDslCoverage: true })).toEqual({ eligible: true, reasons: [] });
    expect(checkDataEligibility({ inDslCoverage: false }).reasons).toEqual([{ code: 'outside_dsl_coverage', rule: 'SUB-18' }]);
    const all = checkDataEligibility({
      inDslCoverage: true,
      radioSegment: true,
      signalProcessingEquipment: true,
      automaticSubDistribution: true,
      lineGroup: true,
      nonPermanentTerminal: true,
      publicUseTerminal: true,
      externalExtraLine: true,
    });
    expect(all.eligible).toBe(false);
    expect(all.reasons.map((r) => r.code)).toEqual([
      'radio_segment',
      'signal_processing_equipment',
      'automatic_sub_distribution',
      'line_group',
      'non_permanent_terminal',
      'public_use_terminal',
      'external_extra_line',
    ]);
  });
});

import { Money } from '@oksio/kernel';
import {
  DEFAULT_PENALTY_TIERS,
  SLA_EXCLUSION_CAUSES,
  applyMonthlyCap,
  computePenalty,
  isSlaExclusionCause,
  penaltyDue,
  penaltyTier,
  tierProblems,
  type PenaltyTier,
} from './penalties';
import { HOUR } from './testing/ticket-fixtures';

const fee = Money.eur('123.45');
const pct = (durationMs: number, tiers?: readonly PenaltyTier[]) => computePenalty(durationMs, fee, tiers).percentage;

describe('SLA penalties', () => {
  it('INC-11 tier boundaries exactly at 4 h / 8 h / 24 h / 36 h (upper bounds inclusive, lower exclusive)', () => {
    expect(pct(0)).toBe('0');
    expect(pct(4 * HOUR)).toBe('0');
    expect(pct(4 * HOUR + 1)).toBe('20');
    expect(pct(8 * HOUR)).toBe('20');
    expect(pct(8 * HOUR + 1)).toBe('40');
    expect(pct(24 * HOUR)).toBe('40');
    expect(pct(24 * HOUR + 1)).toBe('60');
    expect(pct(36 * HOUR)).toBe('60');
    expect(pct(36 * HOUR + 1)).toBe('100');
    expect(pct(500 * HOUR)).toBe('100');
  });

  it('INC-11 the seed gaps (8 h, 9 h] and (24 h, 25 h] are closed by the decision: 8 h 30 → 40 %, 24 h 30 → 60 %', () => {
    expect(pct(8.5 * HOUR)).toBe('40');
    expect(pct(9 * HOUR)).toBe('40');
    expect(pct(24.5 * HOUR)).toBe('60');
    expect(pct(25 * HOUR)).toBe('60');
  });

  it('INC-11 amounts are a percentage of the monthly subscription HT, rounded half-up to the cent', () => {
    expect(computePenalty(5 * HOUR, fee).amount.toString()).toBe('24.69');
    expect(computePenalty(10 * HOUR, fee).amount.toString()).toBe('49.38');
    expect(computePenalty(30 * HOUR, fee).amount.toString()).toBe('74.07');
    expect(computePenalty(40 * HOUR, fee).amount.toString()).toBe('123.45');
    expect(computePenalty(5 * HOUR, Money.eur('99.99')).amount.toString()).toBe('20.00'); // 19.998
    expect(computePenalty(5 * HOUR, Money.eur('0.025')).amount.toString()).toBe('0.01'); // 0.005 → half-up
    expect(computePenalty(3 * HOUR, fee)).toEqual({ tier: null, percentage: '0', amount: Money.zero() });
  });

  it('INC-11 tiers are configurable data: the literal seed table (with its gaps) can be used by a contract', () => {
    const literal: PenaltyTier[] = [
      { overHours: 4, upToHours: 8, percentage: '20' },
      { overHours: 9, upToHours: 24, percentage: '40' },
      { overHours: 25, upToHours: 36, percentage: '60' },
      { overHours: 36, upToHours: null, percentage: '100' },
    ];
    expect(tierProblems(literal)).toEqual([]);
    expect(penaltyTier(8.5 * HOUR, literal)).toBeNull();
    expect(pct(9.5 * HOUR, literal)).toBe('40');
    expect(tierProblems(DEFAULT_PENALTY_TIERS)).toEqual([]);
    expect(tierProblems([{ overHours: 4, upToHours: 8, percentage: '20' }, { overHours: 6, upToHours: null, percentage: '40' }])).toEqual(['tier 1: overlaps tier 0']);
    expect(tierProblems([{ overHours: 4, upToHours: null, percentage: '120' }])).toEqual(['tier 0: percentage must be a decimal string between 0 and 100']);
    expect(tierProblems([{ overHours: 4, upToHours: null, percentage: '20' }, { overHours: 8, upToHours: null, percentage: '40' }])).toHaveLength(2);
  });

  it('INC-12 monthly cap: what may still be granted is min(computed, fee − already granted), never negative', () => {
    const monthly = Money.eur('100.00');
    expect(applyMonthlyCap(Money.eur('60.00'), monthly, Money.zero()).toString()).toBe('60.00');
    expect(applyMonthlyCap(Money.eur('60.00'), monthly, Money.eur('60.00')).toString()).toBe('40.00');
    expect(applyMonthlyCap(Money.eur('20.00'), monthly, Money.eur('60.00')).toString()).toBe('20.00');
    expect(applyMonthlyCap(Money.eur('60.00'), monthly, Money.eur('100.00')).toString()).toBe('0.00');
    expect(applyMonthlyCap(Money.eur('60.00'), monthly, Money.eur('130.00')).toString()).toBe('0.00');
  });

  it('INC-14 nine exclusion causes, each cancelling the penalty', () => {
    expect(SLA_EXCLUSION_CAUSES).toEqual([
      'client_requested_change',
      'force_majeure',
      'third_party',
      'client_fault',
      'element_not_operated_by_oksio',
      'exceptional_difficulties',
      'incumbent_network',
      'other_network_operator',
      'regulator_prescription',
    ]);
    for (const cause of SLA_EXCLUSION_CAUSES) {
      expect(isSlaExclusionCause(cause)).toBe(true);
      expect(penaltyDue(Money.eur('40.00'), cause).toString()).toBe('0.00');
    }
    expect(isSlaExclusionCause('bad_weather')).toBe(false);
    expect(penaltyDue(Money.eur('40.00'), null).toString()).toBe('40.00');
  });
});

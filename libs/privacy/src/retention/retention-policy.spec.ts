import { DEFAULT_LEGAL_HOLDS, DEFAULT_RETENTION_POLICIES, categoryRetention, phaseAt, retentionOf, type RetentionFacts } from './retention-policy';
import { PII_CATEGORIES } from '../crypto/pii';

const facts = (over: Partial<RetentionFacts> = {}): RetentionFacts => ({
  contracts: {},
  lastCollectedAt: {},
  lastLegalRecordAt: {},
  openDebts: [],
  lastDebtSettledAt: null,
  purgedAt: {},
  erasureRequestedAt: {},
  ...over,
});
const policy = (category: string) => DEFAULT_RETENTION_POLICIES.find((p) => p.category === category)!;
const ended = { c1: { service: 'DATA', startedAt: '2020-01-01T00:00:00.000Z', endedAt: '2026-06-30T22:00:00.000Z' } };

describe('retention policies (pure)', () => {
  it('PRV-01 every personal-data category has a legal basis and a retention policy', () => {
    expect(DEFAULT_RETENTION_POLICIES.map((p) => p.category).sort()).toEqual([...PII_CATEGORIES].sort());
    for (const p of DEFAULT_RETENTION_POLICIES) expect(p.legalBasis.length).toBeGreaterThan(0);
    expect(policy('marketing').legalBasis).toEqual(expect.arrayContaining(['legitimate_interest', 'consent']));
  });

  it('PRV-02 identity data: active until 5 years after the last contract ends (Paris calendar)', () => {
    const r = categoryRetention(policy('identity_contact'), [], facts({ contracts: ended }));
    expect(r.activeUntil).toBe('2031-06-30T22:00:00.000Z');
    expect(r.purgeAt).toBe('2031-06-30T22:00:00.000Z');
    expect(phaseAt(r, new Date('2031-06-30T21:59:59Z'))).toBe('active');
    expect(phaseAt(r, new Date('2031-06-30T22:00:00Z'))).toBe('due');
    // A running contract keeps the relationship alive: no date yet.
    const running = categoryRetention(policy('identity_contact'), [], facts({ contracts: { ...ended, c2: { service: 'MOBILE', startedAt: '2025-01-01T00:00:00Z', endedAt: null } } }));
    expect(running.purgeAt).toBeNull();
    expect(phaseAt(running, new Date('2040-01-01T00:00:00Z'))).toBe('active');
  });

  it('PRV-02 a legal hold (invoices, 10 years) keeps data in the restricted archive after its active period', () => {
    const r = categoryRetention(policy('identity_contact'), DEFAULT_LEGAL_HOLDS, facts({ contracts: ended, lastLegalRecordAt: { invoice: '2026-07-05T10:00:00.000Z' } }));
    expect(r.holdUntil).toBe('2036-07-05T10:00:00.000Z');
    expect(r.purgeAt).toBe('2036-07-05T10:00:00.000Z');
    expect(phaseAt(r, new Date('2032-01-01T00:00:00Z'))).toBe('archived');
    expect(phaseAt(r, new Date('2036-07-05T10:00:00Z'))).toBe('due');
    // Categories the invoice does not cover are not held.
    expect(categoryRetention(policy('marketing'), DEFAULT_LEGAL_HOLDS, facts({ contracts: ended, lastLegalRecordAt: { invoice: '2026-07-05T10:00:00.000Z' } })).holdUntil).toBeNull();
  });

  it('PRV-02 payment data: 3 years after receipt, no purge date while an unpaid debt is handled, then at settlement', () => {
    const p = policy('financial');
    const received = facts({ lastCollectedAt: { financial: '2026-01-10T09:00:00.000Z' } });
    expect(categoryRetention(p, [], received).purgeAt).toBe('2029-01-10T09:00:00.000Z');
    const inDebt = categoryRetention(p, [], { ...received, openDebts: ['d1'] });
    expect(inDebt.purgeAt).toBeNull();
    expect(phaseAt(inDebt, new Date('2030-01-01T00:00:00Z'))).toBe('archived');
    expect(categoryRetention(p, [], { ...received, lastDebtSettledAt: '2029-05-01T00:00:00.000Z' }).purgeAt).toBe('2029-05-01T00:00:00.000Z');
  });

  it('PRV-03 hosted PBX files: 12 months after the HOSTED_PBX contract ends, whatever other contracts do', () => {
    const r = categoryRetention(policy('hosted_pbx'), [], facts({
      contracts: { pbx: { service: 'HOSTED_PBX', startedAt: '2026-01-01T00:00:00Z', endedAt: '2027-01-31T23:00:00.000Z' }, data: { service: 'DATA', startedAt: '2026-01-01T00:00:00Z', endedAt: null } },
    }));
    expect(r.purgeAt).toBe('2028-01-31T23:00:00.000Z');
  });

  it('after a purge nothing is due until new data arrives (a later anchor)', () => {
    const purged = facts({ lastCollectedAt: { communications: '2026-01-01T00:00:00.000Z' }, purgedAt: { communications: '2029-01-01T00:00:00.000Z' } });
    const r = categoryRetention(policy('communications'), [], purged);
    expect(r.purgeAt).toBeNull();
    expect(phaseAt(r, new Date('2030-01-01T00:00:00Z'))).toBe('purged');
    const again = categoryRetention(policy('communications'), [], { ...purged, lastCollectedAt: { communications: '2029-06-01T00:00:00.000Z' } });
    expect(again.purgeAt).toBe('2032-06-01T00:00:00.000Z');
    expect(retentionOf(DEFAULT_RETENTION_POLICIES, [], purged)).toHaveLength(PII_CATEGORIES.length);
  });
});

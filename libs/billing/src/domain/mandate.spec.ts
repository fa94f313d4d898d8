import { given } from '@oksio/kernel/testing/decider-spec';
import { mandateMatches } from './ledger';
import { describeIban, mandateDecider, normaliseIban, type ProtectedIban } from './mandate';

const at = (date: string) => new Date(`${date}T10:00:00Z`);
const IBAN_1 = 'FR76 3000 6000 0112 3456 7890 189';
const IBAN_2 = 'FR1420041010050500013M02606';
/** What the application layer hands the decider: the vault's sealed value (opaque here) and the masked form. */
const sealed = (raw: string): ProtectedIban => {
  const { masked, last4 } = describeIban(raw);
  return { sealed: { $pii: 1, subject: 'customer-k1', category: 'bank_details', keyId: 'key-1', iv: 'aXY=', ct: 'Y2lwaGVy', tag: 'dGFn' }, masked, last4 };
};

describe('SEPA mandates', () => {
  it('BIL-04 IBANs are checked (ISO 13616 mod 97)', () => {
    expect(normaliseIban(IBAN_1)).toBe('FR7630006000011234567890189');
    expect(normaliseIban(IBAN_2)).toBe('FR1420041010050500013M02606');
    expect(() => normaliseIban('FR7630006000011234567890188')).toThrow(expect.objectContaining({ code: 'invalid_iban', rule: 'BIL-04' }));
    expect(() => normaliseIban('FR76300060000112345678901')).toThrow(expect.objectContaining({ code: 'invalid_iban' }));
  });

  it('BIL-04 a changed bank account needs a new SEPA mandate, which supersedes the previous one', () => {
    const first = given(mandateDecider).when({ type: 'RegisterMandate', customerId: 'k1', mandateId: 'RUM-1', iban: sealed(IBAN_1), signedOn: '2026-03-01' }, at('2026-03-01')).events();
    expect(first[0].data).toMatchObject({ mandateId: 'RUM-1', ibanMasked: 'FR76 **** **** 0189', ibanLast4: '0189', supersedes: null });
    const second = given(mandateDecider, first).when({ type: 'RegisterMandate', customerId: 'k1', mandateId: 'RUM-2', iban: sealed(IBAN_2), signedOn: '2026-06-01' }, at('2026-06-01')).events();
    expect(second.map((e) => e.type)).toEqual(['SepaMandateSigned', 'SepaMandateSuperseded']);
    expect(second[1].data).toMatchObject({ mandateId: 'RUM-1', supersededBy: 'RUM-2', rule: 'BIL-04' });
    const state = given(mandateDecider, [...first, ...second]).state;
    expect(state.active?.mandateId).toBe('RUM-2');
    // A direct debit under the old mandate (old account) is refused; without any mandate too.
    expect(() => mandateMatches('sepa_direct_debit', state.active!.mandateId, 'RUM-1')).toThrow(expect.objectContaining({ code: 'mandate_not_active', rule: 'BIL-04' }));
    expect(() => mandateMatches('sepa_direct_debit', null, null)).toThrow(expect.objectContaining({ code: 'no_active_mandate', rule: 'BIL-04' }));
    expect(() => mandateMatches('bank_transfer', null, null)).not.toThrow();
    given(mandateDecider, first).when({ type: 'RegisterMandate', customerId: 'k1', mandateId: 'RUM-1', iban: sealed(IBAN_2), signedOn: '2026-06-01' }, at('2026-06-01')).thenRejects('mandate_exists');
  });

  it('BIL-04 PRV-01 the IBAN reaches the mandate event only sealed by the vault: its masked form is the only clear trace', () => {
    expect(describeIban(IBAN_1)).toEqual({ iban: 'FR7630006000011234567890189', masked: 'FR76 **** **** 0189', last4: '0189' });
    expect(() => describeIban('FR7630006000011234567890188')).toThrow(expect.objectContaining({ code: 'invalid_iban', rule: 'BIL-04', field: 'iban' }));
    const events = given(mandateDecider).when({ type: 'RegisterMandate', customerId: 'k1', mandateId: 'RUM-1', iban: sealed(IBAN_1), signedOn: '2026-03-01' }, at('2026-03-01')).events();
    const json = JSON.stringify(events);
    expect(json).not.toContain('30006000011234567890189');
    expect(json).not.toContain('3000 6000');
    expect((events[0].data as { iban: unknown }).iban).toMatchObject({ $pii: 1, category: 'bank_details' });
    // Handing the decider a clear IBAN is a programming error, never an event.
    const clear = { sealed: 'FR7630006000011234567890189' as unknown as Record<string, unknown>, masked: 'FR76 **** **** 0189', last4: '0189' };
    expect(() => mandateDecider.decide({ type: 'RegisterMandate', customerId: 'k1', mandateId: 'RUM-1', iban: clear, signedOn: '2026-03-01' }, mandateDecider.initialState, at('2026-03-01'))).toThrow(/sealed/);
    const unmasked = { ...sealed(IBAN_1), masked: 'FR7630006000011234567890189' };
    expect(() => mandateDecider.decide({ type: 'RegisterMandate', customerId: 'k1', mandateId: 'RUM-1', iban: unmasked, signedOn: '2026-03-01' }, mandateDecider.initialState, at('2026-03-01'))).toThrow(/masked/);
  });
});

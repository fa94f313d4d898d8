import { given } from '@oksio/kernel/testing/decider-spec';
import { SEED_REFERENCE, itemPrice, referenceDecider, versionOn } from './catalogue';

const at = (date: string) => new Date(`${date}T10:00:00Z`);

describe('catalogue and reference data', () => {
  it('BIL-01 prices are versioned: the version in force on a date, plan price else the service default', () => {
    expect(itemPrice(SEED_REFERENCE, 'MONTHLY', 'DATA', 'SDSL-4M', '2025-06-01').price).toBe('179.00');
    expect(itemPrice(SEED_REFERENCE, 'MONTHLY', 'DATA', 'SDSL-4M', '2026-03-01').price).toBe('189.00');
    expect(itemPrice(SEED_REFERENCE, 'MONTHLY', 'MOBILE', 'UNKNOWN-PLAN', '2026-03-01').price).toBe('19.90');
    expect(versionOn(SEED_REFERENCE, 'FEE:SIM_SWAP', '2026-03-01')!.price).toBe('32.00');
    expect(() => itemPrice(SEED_REFERENCE, 'MONTHLY', 'DATA', null, '2024-01-01')).toThrow(expect.objectContaining({ code: 'price_missing', rule: 'BIL-01' }));
  });

  it('CON-02 a changed tariff applies no earlier than 2 months after its notice, except force majeure or a supplier price surge', () => {
    const change = { type: 'PublishPriceChange' as const, code: 'MONTHLY:MOBILE:DEFAULT', price: '21.90' };
    given(referenceDecider).when({ ...change, effectiveFrom: '2026-05-14' }, at('2026-03-15')).thenRejects('price_change_notice_too_short', 'CON-02');
    const [event] = given(referenceDecider).when({ ...change, effectiveFrom: '2026-05-15' }, at('2026-03-15')).events();
    expect(event).toEqual({
      type: 'PriceVersionPublished',
      data: { code: 'MONTHLY:MOBILE:DEFAULT', label: 'Forfait mobile Pro 20 Go', kind: 'monthly', price: '21.90', effectiveFrom: '2026-05-15', notifiedOn: '2026-03-15', version: 'MONTHLY:MOBILE:DEFAULT@2026-05-15', exception: null },
    });
    // Notice on 31 December + 2 months = 28 February.
    given(referenceDecider).when({ ...change, effectiveFrom: '2027-02-28' }, at('2026-12-31')).events();
    given(referenceDecider).when({ ...change, effectiveFrom: '2026-04-01', exception: 'supplier_price_surge' }, at('2026-03-15')).events();
    given(referenceDecider).when({ ...change, effectiveFrom: '2026-03-14', exception: 'force_majeure' }, at('2026-03-15')).thenRejects('price_change_retroactive', 'CON-02');
    const after = given(referenceDecider, [event]);
    expect(itemPrice(after.state, 'MONTHLY', 'MOBILE', null, '2026-05-14').price).toBe('19.90');
    expect(itemPrice(after.state, 'MONTHLY', 'MOBILE', null, '2026-06-01').price).toBe('21.90');
  });

  it('CON-02 a new product needs no notice but a label; bad codes and prices are refused', () => {
    given(referenceDecider).when({ type: 'PublishPriceChange', code: 'OPTION:FAX_TO_MAIL', price: '3.00', effectiveFrom: '2026-03-15' }, at('2026-03-15')).thenRejects('label_required');
    const [e] = given(referenceDecider).when({ type: 'PublishPriceChange', code: 'OPTION:FAX_TO_MAIL', label: 'Fax vers e-mail', price: '3.00', effectiveFrom: '2026-03-15' }, at('2026-03-15')).events();
    expect(e.data).toMatchObject({ kind: 'option_monthly', notifiedOn: '2026-03-15' });
    given(referenceDecider).when({ type: 'PublishPriceChange', code: 'FREE TEXT', price: '3.00', effectiveFrom: '2026-06-01' }, at('2026-03-15')).thenRejects('invalid_price_code');
    given(referenceDecider).when({ type: 'PublishPriceChange', code: 'FEE:SIM_SWAP', price: '-1', effectiveFrom: '2026-06-01' }, at('2026-03-15')).thenRejects('invalid_price');
    given(referenceDecider).when({ type: 'PublishPriceChange', code: 'FEE:SIM_SWAP', price: '3.5e1', effectiveFrom: '2026-06-01' }, at('2026-03-15')).thenRejects('invalid_price');
  });

  it('BIL-05 a new half-year legal rate is published as data; a different value for a published half-year is refused', () => {
    const [e] = given(referenceDecider).when({ type: 'PublishLegalInterestRate', halfYear: '2026-H2', rate: '2.41' }, at('2026-07-01')).events();
    expect(given(referenceDecider, [e]).state.legalRates['2026-H2']).toBe('2.41');
    given(referenceDecider).when({ type: 'PublishLegalInterestRate', halfYear: '2026-H1', rate: '2.62' }, at('2026-07-01')).then([]);
    given(referenceDecider).when({ type: 'PublishLegalInterestRate', halfYear: '2026-H1', rate: '3.00' }, at('2026-07-01')).thenRejects('legal_rate_already_published', 'BIL-05');
    given(referenceDecider).when({ type: 'PublishLegalInterestRate', halfYear: '2026-H3', rate: '3.00' }, at('2026-07-01')).thenRejects('invalid_half_year', 'BIL-05');
  });
});

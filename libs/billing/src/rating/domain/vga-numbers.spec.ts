import { SIP_RATE_CATALOGUE, VGA_SPECIAL_RATE_CATALOGUE } from '../data';
import { VGA_SPECIAL_RATES_2026 } from '../data/vga-special-rates-2026';
import type { Cdr } from './cdr-parsing';
import { priceCdr, priceVgaCdr } from './pipeline';
import { RateCatalogue, RateTable } from './rate-table';
import { VgaSpecialRateCatalogue, VgaSpecialRateTable, classifyVgaNumber } from './vga-numbers';

const cdr = (called: string, startedAt = '2026-03-02T09:00:00+01:00'): Cdr => ({
  callId: `c-${called}`,
  subscriptionId: 's',
  lineId: 'l',
  caller: '0145000001',
  called,
  startedAt: new Date(startedAt),
  durationSeconds: 60,
});
const vga = (called: string, startedAt?: string) => priceVgaCdr(cdr(called, startedAt), SIP_RATE_CATALOGUE, VGA_SPECIAL_RATE_CATALOGUE);
const priced = (called: string) => {
  const r = vga(called);
  if (!r.ok) throw new Error(`${called}: ${r.reason} ${r.detail}`);
  return r.value;
};

describe('BIL-10 numbers called from a FIXED_VGA line', () => {
  it.each(['15', '17', '18', '112', '114', '115', '119', '191', '196', '197', '116000', '116 111', '116117'])('BIL-10 FIXED_VGA: %s is an emergency number', (n) => {
    expect(classifyVgaNumber(n)).toEqual({ type: 'emergency', digits: n.replace(/\s/g, '') });
  });

  it.each([
    ['0800 123 456', '0800123456', '08 value-added number'],
    ['+33 8 99 12 34 56', '0899123456', '08 value-added number'],
    ['0033810123456', '0810123456', '08 value-added number'],
    ['118 712', '118712', '118 directory enquiries'],
    ['1016', '1016', '10YT short number'],
    ['39 49', '3949', '3BPQ short number'],
  ])('BIL-10 FIXED_VGA: %s is the special number %s (%s)', (n, digits, kind) => {
    expect(classifyVgaNumber(n)).toEqual({ type: 'special', digits, kind });
  });

  it.each(['0145000001', '0612345678', '0951234567', '0870123456', '+49 30 123456', '+44 800 123456', '0112', '1234567', 'abc'])(
    'BIL-10 FIXED_VGA: %s is neither emergency nor special: the annex decides, as for SIP',
    (n) => {
      expect(classifyVgaNumber(n)).toEqual({ type: 'annex' });
    },
  );
});

describe('BIL-10 pricing of a FIXED_VGA call', () => {
  it('BIL-10 FIXED_VGA: geographic, mobile and international calls take the annex rate of the call date, exactly as SIP', () => {
    for (const n of ['0145000002', '0612345678', '+49 30 123456', '0951234567']) {
      const sip = priceCdr(cdr(n), SIP_RATE_CATALOGUE);
      expect(vga(n)).toEqual(sip);
      expect(sip).toMatchObject({ ok: true, value: { tariff: 'annex', pricePerCall: '0', rateYear: 2026 } });
    }
    expect(priced('0612345678')).toMatchObject({ destination: 'France - Mobile', pricePerMinute: '0.089' });
  });

  it('BIL-10 FIXED_VGA: an emergency call is free and accepted even when no price list is in force', () => {
    expect(priced('112')).toMatchObject({ tariff: 'emergency', destination: "Numéro d'urgence", pricePerMinute: '0', pricePerCall: '0', calledE164: '112', rateYear: 2026 });
    const r = vga('15', '2025-06-01T10:00:00+02:00');
    expect(r).toMatchObject({ ok: true, value: { tariff: 'emergency', rateYear: 2025, billingMonth: '2025-06' } });
  });

  it.each([
    ['0800123456', 'Numéro gratuit (SVA 0800-0805)', '0.000', '0.00'],
    ['0805123456', 'Numéro gratuit (SVA 0800-0805)', '0.000', '0.00'],
    ['0806123456', "SVA au prix d'un appel (0806-0809)", '0.015', '0.00'],
    ['0810123456', 'SVA payant (081)', '0.080', '0.00'],
    ['0825123456', 'SVA payant (082)', '0.200', '0.00'],
    ['0899123456', 'SVA payant (089)', '0.800', '0.00'],
    ['118712', 'Renseignements téléphoniques (118 XYZ)', '0.450', '1.990'],
    ['3949', 'Numéro court (3BPQ)', '0.015', '0.00'],
    ['3919', "Numéro court gratuit (ligne d'écoute)", '0.000', '0.00'],
  ])('BIL-10 FIXED_VGA: special number %s is priced from the seed price list: %s', (n, destination, perMinute, perCall) => {
    expect(priced(n)).toMatchObject({ tariff: 'vga_special', destination, pricePerMinute: perMinute, pricePerCall: perCall, rateYear: 2026, allowanceCategory: null });
  });

  it.each([
    ['1016', 'no price for 10YT short number 1016 in the 2026 VGA special-number price list'],
    ['0884123456', 'no price for 08 value-added number 0884123456 in the 2026 VGA special-number price list'],
  ])('BIL-10 FIXED_VGA: special number %s without a seeded price is rejected with its reason, never dropped', (n, detail) => {
    expect(vga(n)).toEqual({ ok: false, reason: 'no_vga_special_rate', detail });
  });

  it('BIL-10 FIXED_VGA: a special number before the first price list is rejected, not priced by a later one', () => {
    expect(vga('0899123456', '2025-12-31T22:00:00Z')).toEqual({ ok: false, reason: 'no_vga_special_rate', detail: 'no VGA special-number price list in force on 2025-12-31' });
    // 2025-12-31T23:30Z is 2026 in Paris: the 2026 list applies.
    expect(vga('0899123456', '2025-12-31T23:30:00Z')).toMatchObject({ ok: true, value: { rateYear: 2026 } });
  });

  it('BIL-10 FIXED_VGA: the annex year still decides annex-priced calls (CON-04)', () => {
    const only2027 = new RateCatalogue([RateTable.from({ ...SIP_RATE_CATALOGUE.forYear(2026)!, year: 2027, effectiveFrom: '2027-01-01', rates: [['France', '0.020']] } as never)]);
    expect(priceVgaCdr(cdr('0145000002'), only2027, VGA_SPECIAL_RATE_CATALOGUE)).toMatchObject({ ok: false, reason: 'no_rate_table' });
  });
});

describe('BIL-10 VGA special-number price list (seed data)', () => {
  it('BIL-10 the 2026 seed is valid: decimal prices, digit prefixes, one price per prefix, in force from 1 January', () => {
    const table = VgaSpecialRateTable.from(VGA_SPECIAL_RATES_2026);
    expect(table.year).toBe(2026);
    expect(table.find('3114123')?.perMinute).toBe('0.000');
    expect(table.find('7')).toBeNull();
  });

  it.each([
    [{ effectiveFrom: '2026-03-01' }, 'effectiveFrom'],
    [{ rates: [{ prefixes: ['081'], label: 'x', perMinute: '0,08' }] }, 'rates'],
    [{ rates: [{ prefixes: ['08a'], label: 'x', perMinute: '0.08' }] }, 'rates'],
    [{ rates: [{ prefixes: ['081'], label: 'x', perMinute: '0.08' }, { prefixes: ['081'], label: 'y', perMinute: '0.09' }] }, 'rates'],
  ])('BIL-10 an invalid price list %j is refused (field %s)', (change, field) => {
    expect(() => VgaSpecialRateTable.from({ ...VGA_SPECIAL_RATES_2026, ...change })).toThrow(expect.objectContaining({ code: 'invalid_vga_special_rates', details: [expect.objectContaining({ field, rule: 'BIL-10' })] }));
  });

  it('BIL-10 two price lists for one year are refused', () => {
    const t = VgaSpecialRateTable.from(VGA_SPECIAL_RATES_2026);
    expect(() => new VgaSpecialRateCatalogue([t, t])).toThrow(expect.objectContaining({ code: 'invalid_vga_special_rates' }));
  });
});

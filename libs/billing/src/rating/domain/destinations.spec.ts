import { getCountries, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { SIP_RATE_CATALOGUE } from '../data';
import { resolveDestination } from './destinations';

const table = SIP_RATE_CATALOGUE.forYear(2026)!;
const resolve = (n: string) => resolveDestination(n, table);
const destination = (n: string) => {
  const r = resolve(n);
  if (!r.ok) throw new Error(`${n}: ${r.reason} ${r.detail}`);
  return r.value;
};

describe('BIL-09 destination resolution (libphonenumber-js metadata → annex destinations)', () => {
  it.each([
    ['0145000001', 'France', 'fixed', 'fr_fixed'],
    ['+33 5 56 00 00 00', 'France', 'fixed', 'fr_fixed'],
    ['0612345678', 'France - Mobile', 'mobile', 'fr_mobile'],
    ['07 81 23 45 67', 'France - Mobile', 'mobile', 'fr_mobile'],
    ['0033612345678', 'France - Mobile', 'mobile', 'fr_mobile'],
    ['+49 30 123456', 'Allemagne', 'fixed', null],
    ['+49 151 23456789', 'Allemagne - Mobile', 'mobile', null],
    ['+44 7400 123456', 'Royaume-Uni - Mobile', 'mobile', null],
    ['+44 9012 345678', 'Royaume-Uni - Premium', 'premium', null],
    ['+1 415 555 0123', 'Etats-Unis', 'fixed_or_mobile', null],
    ['+1 907 555 0123', 'Alaska', 'fixed_or_mobile', null],
    ['+1 808 555 0123', 'Hawaï', 'fixed_or_mobile', null],
    ['+351 292 123 456', 'Açores', 'fixed', null],
    ['+351 912 345 678', 'Portugal - Mobile', 'mobile', null],
    ['+81 50 1234 5678', 'Japon - IP Phone', 'voip', null],
    ['+590 690 12 34 56', 'Guadeloupe - Mobile', 'mobile', null],
    ['+262 262 12 34 56', 'Réunion', 'fixed', null],
    ['+1 869 465 1234', 'St-Kitts-et-Nevis', 'fixed', null],
    ['+1 784 456 1234', 'St-Vincent-et-les-Grenadines', 'fixed', null],
    ['+852 2123 4567', 'Hong-Kong', 'fixed', null],
    ['+243 12 345 6789', 'Rép. dém. du congo', 'fixed', null],
    ['+881 6 1234 5678', 'Satellite - Iridium', 'global_service', null],
  ])('%s → %s', (number, expected, kind, category) => {
    const d = destination(number);
    expect(d.destination).toBe(expected);
    expect(d.kind).toBe(kind);
    expect(d.allowanceCategory).toBe(category);
    expect(d.nonGeographic).toBe(false);
  });

  it.each([
    ['0951234567', 'voip'],
    ['0970123456', 'voip'],
    ['0962000000', 'voip'],
    ['0872123456', 'voip'],
  ])('BIL-09 French box number %s is non-geographic, priced as "France" and never in an allowance category', (number, kind) => {
    const d = destination(number);
    expect(d).toMatchObject({ destination: 'France', kind, nonGeographic: true, allowanceCategory: null, region: 'FR' });
  });

  it.each([
    ['0800123456', 'toll free'],
    ['0810123456', 'shared cost'],
    ['0891234567', 'premium'],
  ])('BIL-09 French special number %s (%s) has no annex rate: unknown destination', (number, kind) => {
    const r = resolve(number);
    expect(r).toEqual({ ok: false, reason: 'unknown_destination', detail: `the annex has no rate for France (${kind} number)` });
  });

  it('BIL-09 a premium number of a country without a "- Premium" line is not priced', () => {
    expect(resolve('+32 902 12345')).toMatchObject({ ok: true, value: { destination: 'Belgique - Premium' } });
    expect(resolve('+39 899 123456')).toMatchObject({ ok: false, reason: 'unknown_destination' });
  });

  it.each(['15', '112', '3615', 'abc', '+33 1', '0712345678', '', '+999 1234567'])('BIL-09 %j is not a valid number', (n) => {
    expect(resolve(n)).toMatchObject({ ok: false, reason: 'invalid_number' });
  });

  it('BIL-09 a region the annex does not list is an unknown destination (Tonga)', () => {
    expect(resolve('+676 20123')).toMatchObject({ ok: false, reason: 'unknown_destination', detail: 'the annex has no rate for Tonga' });
  });

  it('BIL-09 distinct numbers are compared in E.164, whatever the written form', () => {
    expect(destination('01 45 00 00 01').e164).toBe(destination('+33145000001').e164);
    expect(destination('0033 1 45 00 00 01').e164).toBe('+33145000001');
  });

  it('BIL-09 every region of the metadata reaches an annex destination (its example mobile number), except those the annex omits', () => {
    const unreachable = getCountries().filter((region) => {
      const example = getExampleNumber(region, examples);
      return !example || !resolve(example.number).ok;
    });
    expect(unreachable.sort()).toEqual(['AS', 'CK', 'FJ', 'KI', 'MH', 'NF', 'NR', 'NU', 'PW', 'TK', 'TO', 'TV', 'VU', 'WS']);
  });
});

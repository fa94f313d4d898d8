import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Money } from '@oksio/kernel';
import { SIP_RATE_CATALOGUE } from '../data';
import { ANNEX_CORRECTIONS, SIP_RATES_2026 } from '../data/sip-rates-2026';
import { DateTime } from 'luxon';
import { RateCatalogue, RateTable, parisDate, parisMonth } from './rate-table';

/** The annex as printed in the seed, read independently of the data file. */
function annexFromSeed(): Array<[string, string]> {
  const seed = readFileSync(join(__dirname, '../../../../../docs/sources/002_589cb4fc53788cf1.txt'), 'utf8');
  const start = seed.indexOf('Annexe : Grille tarifaire des télécommunications SIP');
  expect(start).toBeGreaterThan(0);
  const cells: Array<[string, string]> = [];
  for (const line of seed.slice(start).split('\n')) {
    for (const m of line.matchAll(/([^€\n]*?)\s*(\d+,\d{3}) €/g)) cells.push([m[1].trim(), m[2].replace(',', '.')]);
  }
  return cells;
}

describe('SIP rate table (annex of seed 002)', () => {
  const annex = annexFromSeed();
  const corrected = annex.map(([name, price]): [string, string] => [ANNEX_CORRECTIONS.find((c) => c.printed === name && c.price === price)?.corrected ?? name, price]);

  it('BIL-09 the annex prints 468 destinations and the data file has all 468, in the same order', () => {
    expect(annex).toHaveLength(468);
    expect(SIP_RATES_2026.rates).toHaveLength(468);
    expect(SIP_RATE_CATALOGUE.forYear(2026)!.size).toBe(468);
    expect(SIP_RATES_2026.rates.map(([d, p]) => [d, p])).toEqual(corrected);
  });

  it('BIL-09 only the two damaged annex cells are corrected, and each correction matches the printed cell', () => {
    const differing = annex.filter(([name], i) => name !== SIP_RATES_2026.rates[i][0]);
    expect(differing).toEqual([
      ['', '1.015'],
      ['St-Vincent-et-les-Grenadines - M', '1.103'],
    ]);
    expect(SIP_RATES_2026.rates.filter(([d]) => d.startsWith('Aruba'))).toEqual([
      ['Aruba', '1.015'],
      ['Aruba - Mobile', '1.015'],
    ]);
  });

  it.each([
    ['France', '0.015'],
    ['France - Mobile', '0.089'],
    ['France - Mobile autres', '0.154'],
    ['Allemagne - Mobile', '0.898'],
    ['Satellite', '30.821'],
    ['Russie - Premium', '12.300'],
    ['Iles Salomon', '11.857'],
    ['Japon - IP Phone', '0.133'],
    ['Guadeloupe', '0.020'],
    ['Tunisie - Premium', '3.542'],
  ])('BIL-09 %s costs %s € per minute, as printed in the annex', (destination, price) => {
    const printed = annex.find(([name]) => name === destination);
    expect(printed).toEqual([destination, price]);
    const table = SIP_RATE_CATALOGUE.forYear(2026)!;
    expect(table.find(destination)).toEqual({ destination, pricePerMinute: price });
    expect(table.pricePerMinute(destination)!.equals(Money.eur(price))).toBe(true);
  });

  it('BIL-09 destinations are found whatever their accents or case ("Haiti", "rep. dem. du congo")', () => {
    const table = SIP_RATE_CATALOGUE.forYear(2026)!;
    expect(table.find('HAITI')?.destination).toBe('Haïti');
    expect(table.find('Rép. dém. du Congo')?.pricePerMinute).toBe('2.859');
    expect(table.find('Atlantis')).toBeNull();
  });

  it('CON-04 a rate table takes effect only on 1 January', () => {
    expect(() => RateTable.from({ ...SIP_RATES_2026, year: 2027, effectiveFrom: '2027-03-01' })).toThrow(/only on 1 January/);
    expect(() => RateTable.from({ ...SIP_RATES_2026, effectiveFrom: '2026-01-02' })).toThrow(/only on 1 January/);
    expect(RateTable.from({ ...SIP_RATES_2026, year: 2027, effectiveFrom: '2027-01-01' }).year).toBe(2027);
  });

  it('CON-04 a call is priced with the table of its Paris calendar year; the 2027 table starts at midnight Paris on 1 January', () => {
    const table2027 = RateTable.from({ year: 2027, effectiveFrom: '2027-01-01', source: 'test', rates: [['France', '0.017']] });
    const catalogue = new RateCatalogue([RateTable.from(SIP_RATES_2026), table2027]);
    expect(catalogue.at(new Date('2026-12-31T22:59:59Z'))!.year).toBe(2026);
    expect(catalogue.at(new Date('2026-12-31T23:00:00Z'))!.year).toBe(2027);
    expect(catalogue.at(new Date('2028-06-01T10:00:00Z'))!.year).toBe(2027);
    expect(catalogue.at(new Date('2025-12-31T10:00:00Z'))).toBeNull();
    expect(() => new RateCatalogue([table2027, table2027])).toThrow(/two rate tables/);
    expect(parisMonth(new Date('2026-03-31T22:30:00Z'))).toBe('2026-04');
  });

  it('BIL-09 the Paris calendar date of a call is exact across DST changes (same as a luxon zone conversion)', () => {
    const from = Date.UTC(2025, 11, 31, 0, 7);
    for (let ms = from; ms < Date.UTC(2027, 0, 2); ms += 97 * 60_000) {
      const instant = new Date(ms);
      expect(parisDate(instant)).toBe(DateTime.fromMillis(ms, { zone: 'Europe/Paris' }).toISODate());
    }
    expect(parisDate(new Date('2026-03-28T22:59:59Z'))).toBe('2026-03-28');
    expect(parisDate(new Date('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
    expect(parisDate(new Date('2026-10-24T21:59:59Z'))).toBe('2026-10-24');
    expect(parisDate(new Date('2026-10-24T22:00:00Z'))).toBe('2026-10-25');
  });

  it('BIL-09 prices must be decimal strings and destinations unique', () => {
    expect(() => RateTable.from({ ...SIP_RATES_2026, rates: [['France', '0,015']] })).toThrow(/not a decimal string/);
    expect(() => RateTable.from({ ...SIP_RATES_2026, rates: [['France', '0.015'], ['FRANCE', '0.016']] })).toThrow(/twice/);
  });
});

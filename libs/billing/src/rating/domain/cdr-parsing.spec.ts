import { SIP_RATE_CATALOGUE } from '../data';
import { checkCdr, parseCdrDocument, parseCsv, parseJson } from './cdr-parsing';
import { priceCdr } from './pipeline';

const HEADER = 'call_id,subscription_id,line_id,caller,called,started_at,duration_seconds';

describe('BIL-07 CDR documents', () => {
  it('BIL-07 reads a CSV with a header, quoted fields and ";" separators', () => {
    const records = parseCsv(`\uFEFF${HEADER.replace(/,/g, ';')}\r\n"c;1";s1;line-1;0145000001;"01 45 00 00 02";2026-03-02T09:15:00+01:00;61\r\n\r\n`);
    expect(records).toHaveLength(1);
    const check = checkCdr(records[0]);
    expect(check).toEqual({
      ok: true,
      cdr: { callId: 'c;1', subscriptionId: 's1', lineId: 'line-1', caller: '0145000001', called: '01 45 00 00 02', startedAt: new Date('2026-03-02T08:15:00Z'), durationSeconds: 61 },
    });
  });

  it('BIL-07 a CSV without the required columns is refused as a whole', () => {
    expect(() => parseCsv('call_id,called\nc1,0145000001')).toThrow(/lacks subscriptionId, lineId, caller, startedAt, durationSeconds/);
    expect(() => parseCsv('  \n')).toThrow(/empty/);
    expect(() => parseCdrDocument('csv', { not: 'text' })).toThrow(/must be text/);
  });

  it('BIL-07 reads JSON as an array or { cdrs }, with camelCase or snake_case keys and numeric durations', () => {
    const cdr = { callId: 'c1', subscriptionId: 's1', lineId: 'l1', caller: '0145000001', called: '0612345678', startedAt: '2026-03-02T09:15:00Z', durationSeconds: 0 };
    expect(checkCdr(parseJson([cdr])[0])).toMatchObject({ ok: true, cdr: { durationSeconds: 0 } });
    expect(checkCdr(parseJson(JSON.stringify({ cdrs: [{ call_id: 'c2', subscription_id: 's', line_id: 'l', caller: '1', called: '2', started_at: '2026-03-02T09:15:00Z', duration: '5' }] }))[0])).toMatchObject({ ok: true, cdr: { callId: 'c2', durationSeconds: 5 } });
    expect(() => parseJson('{"cdrs": 3}')).toThrow(/array of CDRs/);
    expect(() => parseJson('[{')).toThrow(/cannot be parsed/);
  });

  it.each([
    [`${HEADER}\nc1,s1,l1,0145000001,0145000002,2026-03-02T09:15:00Z,-5`, 'negative_duration', /-5 s is negative/],
    [`${HEADER}\nc1,s1,l1,0145000001,0145000002,2026-03-02T09:15:00Z,6.5`, 'unparseable', /whole number/],
    [`${HEADER}\nc1,s1,l1,0145000001,0145000002,2026-03-02 09:15:00,60`, 'unparseable', /with its offset/],
    [`${HEADER}\nc1,s1,l1,0145000001,0145000002,yesterday,60`, 'unparseable', /ISO-8601/],
    [`${HEADER}\nc1,s1,l1,0145000001,0145000002,2026-03-02T09:15:00Z,90000`, 'unparseable', /exceeds 24 hours/],
    [`${HEADER}\nc1,s1,l1,0145000001,2026-03-02T09:15:00Z,60`, 'unparseable', /6 columns where the header has 7/],
    [`${HEADER}\n"c1,s1,l1,0145000001,0145000002,2026-03-02T09:15:00Z,60`, 'unparseable', /unterminated/],
    [`${HEADER}\n,s1,l1,0145000001,0145000002,2026-03-02T09:15:00Z,60`, 'unparseable', /callId is missing/],
  ])('BIL-07 a bad record is rejected with its reason, never dropped (%#)', (csv, reason, detail) => {
    const [record] = parseCsv(csv);
    const check = checkCdr(record);
    expect(check).toMatchObject({ ok: false, reason });
    if (!check.ok) expect(check.detail).toMatch(detail);
    expect(record.raw).toBe(csv.split('\n')[1]);
  });

  it.each([
    ['2026-02-30T09:15:00Z', /no rollover/],
    ['2026-03-02T24:00:00Z', /time of day out of range/],
    ['0000-01-01T00:00:00Z', /between 1900 and 2999/],
    ['2026-03-02T09:15:00+25:00', /offset out of range/],
  ])('issue 18 item 1 — BIL-07 a start time that would roll over or that no read model can hold is rejected: %s', (startedAt, detail) => {
    const [record] = parseCsv(`${HEADER}\nc1,s1,l1,0145000001,0145000002,${startedAt},60`);
    const check = checkCdr(record);
    expect(check).toMatchObject({ ok: false, reason: 'unparseable' });
    if (!check.ok) expect(check.detail).toMatch(detail);
  });

  it('BIL-07 switch-style start times (space, offset without colon) are read as the same instant', () => {
    const [record] = parseCsv(`${HEADER}\nc1,s1,l1,0145000001,0145000002,2026-03-02 09:15:00+0100,60`);
    expect(checkCdr(record)).toMatchObject({ ok: true, cdr: { startedAt: new Date('2026-03-02T08:15:00Z') } });
  });

  it('BIL-09 a valid CDR is priced with its destination, month and rate-table year', () => {
    const [record] = parseCsv(`${HEADER}\nc1,s1,l1,0145000001,0612345678,2026-03-31T22:30:00Z,61`);
    const check = checkCdr(record);
    if (!check.ok) throw new Error(check.detail);
    expect(priceCdr(check.cdr, SIP_RATE_CATALOGUE)).toMatchObject({
      ok: true,
      value: { billingMonth: '2026-04', callDate: '2026-04-01', destination: 'France - Mobile', pricePerMinute: '0.089', calledE164: '+33612345678', allowanceCategory: 'fr_mobile', rateYear: 2026 },
    });
  });

  it('CON-04 a call before the first rate table is rejected as having no rate table', () => {
    const [record] = parseCsv(`${HEADER}\nc1,s1,l1,0145000001,0612345678,2025-12-31T22:30:00Z,61`);
    const check = checkCdr(record);
    if (!check.ok) throw new Error(check.detail);
    expect(priceCdr(check.cdr, SIP_RATE_CATALOGUE)).toEqual({ ok: false, reason: 'no_rate_table', detail: 'no SIP rate table in force on 2025-12-31' });
  });
});

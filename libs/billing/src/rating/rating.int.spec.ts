import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Money, newId } from '@oksio/kernel';
import type { CommandContext, Runtime } from '@oksio/platform';
import { subscriptionDecider, subscriptionStream, type SubscriptionCommand } from '@oksio/subscription';
import { KEYS, settle as settleApp, startTestApp, type TestApp } from '../../../../test/support/app';
import { RatingService } from './index';

/** The rating sub-context inside the full API (apps/api/src/contexts.ts), on real PostgreSQL. */
describe('SIP rating: CDR import, rejections, rated amounts (BIL-07, BIL-09, CON-04)', () => {
  let t: TestApp;
  let runtime: Runtime;
  let app: INestApplication;
  let http: TestApp['http'];
  const subscriptionId = randomUUID();
  // Rating's own streams: the other contexts' schedulers (billing runs, SUB-15 deadlines …) append on their own.
  const eventCount = async () => Number((await runtime.pool.query(`SELECT count(*) FROM es_events WHERE stream_id LIKE 'cdrbatch-%'`)).rows[0].count);
  const settle = () => settleApp(t);
  const ctx = (): CommandContext => ({ actor: { id: 'test', role: 'system' }, correlationId: newId(), causationId: null, commandId: newId(), reason: null });

  beforeAll(async () => {
    t = await startTestApp();
    ({ runtime, app, http } = t);
    // After the CDRs of the tests (March–May 2026): the billing runs of the months before are all the schedulers catch up on.
    await request(http).post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant: '2026-06-15T08:00:00Z' }).expect(200);

    // A FIXED_SIP subscription through the Subscription decider: line-1 on SIP_OK_PLUS, line-2 on SIP_OK.
    const steps: Array<[SubscriptionCommand, string]> = [
      [
        {
          type: 'PlaceOrder',
          subscriptionId,
          customerId: randomUUID(),
          service: 'FIXED_SIP',
          items: [
            { itemId: 'line-1', label: '0386644706', plan: 'SIP_OK_PLUS' },
            { itemId: 'line-2', label: '0386644707', plan: 'SIP OK' },
          ],
          quoteDate: '2026-02-01',
          orderAmount: '0.00',
        },
        '2026-02-01T10:00:00Z',
      ],
      [{ type: 'RecordFeasibilityResult', feasible: true, studyReference: 'EF-1' }, '2026-02-02T10:00:00Z'],
      [{ type: 'SignSubscription', signedOn: '2026-02-03' }, '2026-02-03T10:00:00Z'],
      [{ type: 'ActivateService', activatedOn: '2026-02-15' }, '2026-02-15T10:00:00Z'],
    ];
    for (const [command, at] of steps) await runtime.repository.execute(subscriptionDecider, subscriptionStream(subscriptionId), command, ctx(), new Date(at));
    await settle();
  });

  afterAll(async () => t?.close());

  const HEADER = 'call_id,subscription_id,line_id,caller,called,started_at,duration_seconds';
  const row = (...cells: Array<string | number>) => cells.join(',');

  it('BIL-09 a CSV import rates each accepted CDR and keeps every rejected one with its reason', async () => {
    const S = subscriptionId;
    const csv = [
      HEADER,
      row('c1', S, 'line-1', '0386644706', '0145000002', '2026-03-02T09:00:00+01:00', 61),
      row('c2', S, 'line-1', '0386644706', '0612345678', '2026-03-02T09:10:00+01:00', 61),
      row('c3', S, 'line-1', '0386644706', '01 45 00 00 02', '2026-03-03T09:00:00+01:00', 3660),
      row('c4', S, 'line-1', '0386644706', '0951234567', '2026-03-03T10:00:00+01:00', 30),
      row('c5', S, 'line-2', '0386644707', '+49 30 123456', '2026-03-04T10:00:00+01:00', 125),
      row('c6', S, 'line-9', '0386644709', '0145000002', '2026-03-04T10:00:00+01:00', 60),
      row('c7', S, 'line-1', '0386644706', '0145000002', '2026-03-04T11:00:00+01:00', -4),
      row('c8', S, 'line-1', '0386644706', '0800123456', '2026-03-04T12:00:00+01:00', 60),
      row('c1', S, 'line-1', '0386644706', '0145000002', '2026-03-02T09:00:00+01:00', 61),
      'not,a,cdr',
      row('c9', S, 'line-1', '0386644706', '0145000002', '2026-02-10T10:00:00+01:00', 60),
    ].join('\n');
    const before = await eventCount();
    const res = await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.system).set('Content-Type', 'text/csv').send(csv).expect(201);
    expect(res.body).toMatchObject({
      format: 'csv',
      received: 11,
      accepted: 5,
      rejected: 6,
      rejectedByReason: { unknown_line: 1, negative_duration: 1, unknown_destination: 1, duplicate: 1, unparseable: 1, line_not_active: 1 },
      rateYears: [2026],
      replayed: false,
    });
    expect(res.body.rejections.map((r: { recordNo: number; callId: string | null; reason: string }) => [r.recordNo, r.callId, r.reason])).toEqual([
      [7, 'c6', 'unknown_line'],
      [8, 'c7', 'negative_duration'],
      [9, 'c8', 'unknown_destination'],
      [10, 'c1', 'duplicate'],
      [11, null, 'unparseable'],
      [12, 'c9', 'line_not_active'],
    ]);
    expect(res.body.lineMonths).toEqual([
      { subscriptionId: S, lineId: 'line-1', billingMonth: '2026-03', calls: 4, billedSeconds: 240, amount: '0.208' },
      { subscriptionId: S, lineId: 'line-2', billingMonth: '2026-03', calls: 1, billedSeconds: 180, amount: '0.078' },
    ]);
    // One event for the batch, without any telephone number in clear.
    expect(await eventCount()).toBe(before + 1);
    const { rows } = await runtime.pool.query("SELECT type, data::text AS data FROM es_events WHERE stream_id = $1", [`cdrbatch-${res.body.importId}`]);
    expect(rows.map((r) => r.type)).toEqual(['CdrBatchImported']);
    for (const n of ['0145000002', '145000002', '0612345678', '612345678', '0386644706', '386644706', '951234567', '30123456']) expect(rows[0].data).not.toContain(n);

    const rated = await request(http).get(`/billing/rated-calls?subscriptionId=${S}&month=2026-03`).set('X-API-Key', KEYS.support).expect(200);
    expect(rated.body.calls.map((c: Record<string, unknown>) => [c.callId, c.lineId, c.destination, c.plan, c.outcome, c.includedSeconds, c.billedSeconds, c.amount])).toEqual([
      ['c1', 'line-1', 'France', 'SIP_OK_PLUS', 'included', 61, 0, '0'],
      ['c2', 'line-1', 'France - Mobile', 'SIP_OK_PLUS', 'not_in_plan', 0, 120, '0.178'],
      ['c3', 'line-1', 'France', 'SIP_OK_PLUS', 'included_first_60_minutes', 3600, 60, '0.015'],
      ['c4', 'line-1', 'France', 'SIP_OK_PLUS', 'non_geographic', 0, 60, '0.015'],
      ['c5', 'line-2', 'Allemagne', 'SIP_OK', 'not_in_plan', 0, 180, '0.078'],
    ]);
    expect(rated.body.total).toBe('0.286');
    const rejected = await request(http).get(`/billing/rejected-cdrs?importId=${res.body.importId}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(rejected.body).toHaveLength(6);
    expect(rejected.body.find((r: { reason: string }) => r.reason === 'unparseable')).toMatchObject({ raw: 'not,a,cdr', detail: '3 columns where the header has 7' });
  });

  it('BIL-09 a JSON import across imports: a duplicate call id is rejected with its reason, amounts stay exact', async () => {
    const S = subscriptionId;
    const cdrs = [
      { callId: 'j1', subscriptionId: S, lineId: 'line-2', caller: '0386644707', called: '+33 6 12 34 56 78', startedAt: '2026-03-20T08:00:00Z', durationSeconds: 59 },
      { callId: 'c5', subscriptionId: S, lineId: 'line-2', caller: '0386644707', called: '+49 30 123456', startedAt: '2026-03-04T09:00:00Z', durationSeconds: 125 },
      { callId: 'j2', subscriptionId: S, lineId: 'line-1', caller: '0386644706', called: '0145000003', startedAt: '2026-03-31T22:30:00Z', durationSeconds: 120 },
    ];
    const before = await eventCount();
    const res = await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.system).set('Idempotency-Key', 'json-import-1').send(cdrs).expect(201);
    expect(res.body).toMatchObject({ format: 'json', received: 3, accepted: 2, rejected: 1, rejectedByReason: { duplicate: 1 } });
    expect(res.body.rejections).toEqual([{ recordNo: 2, callId: 'c5', subscriptionId: S, lineId: 'line-2', reason: 'duplicate', detail: 'call id already imported' }]);
    expect(await eventCount()).toBe(before + 1);

    // The same request again (same Idempotency-Key): the same answer, nothing imported twice.
    const again = await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.system).set('Idempotency-Key', 'json-import-1').send(cdrs).expect(201);
    expect(again.body).toEqual(res.body);
    expect(await eventCount()).toBe(before + 1);

    const march = await request(http).get(`/billing/rated-calls?subscriptionId=${S}&month=2026-03&lineId=line-2`).set('X-API-Key', KEYS.system).expect(200);
    expect(march.body.calls.map((c: { callId: string; amount: string }) => [c.callId, c.amount])).toEqual([
      ['c5', '0.078'],
      ['j1', '0.089'],
    ]);
    // 2026-03-31T22:30Z is 1 April in Paris: April's first number, included.
    const april = await request(http).get(`/billing/rated-calls?subscriptionId=${S}&month=2026-04`).set('X-API-Key', KEYS.system).expect(200);
    expect(april.body.calls).toEqual([expect.objectContaining({ callId: 'j2', outcome: 'included', amount: '0', distinctNumberRank: 1 })]);

    const service = app.get(RatingService);
    expect((await service.consumptionTotal(S, '2026-03')).equals(Money.eur('0.375'))).toBe(true);
    const consumption = await request(http).get(`/billing/consumption?subscriptionId=${S}&month=2026-03`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(consumption.body).toEqual({ subscriptionId: S, month: '2026-03', total: '0.375', totalRounded: '0.38' });

    const gql = await request(http)
      .post('/graphql')
      .set('X-API-Key', KEYS.support)
      .send({ query: `{ ratedCalls(subscriptionId: "${S}", month: "2026-03") { total calls { callId amount } } sipConsumption(subscriptionId: "${S}", month: "2026-03") rejectedCdrs(subscriptionId: "${S}", reason: "duplicate") { callId detail } }` })
      .expect(200);
    expect(gql.body.data.ratedCalls.total).toBe('0.375');
    expect(gql.body.data.ratedCalls.calls).toHaveLength(6);
    expect(gql.body.data.sipConsumption).toBe('0.375');
    expect(gql.body.data.rejectedCdrs.map((r: { callId: string }) => r.callId).sort()).toEqual(['c1', 'c5']);
  });

  it('BIL-09 a late CDR re-rates its whole line-month: it takes its place among the 99 distinct numbers', async () => {
    const S = subscriptionId;
    const numbers = Array.from({ length: 98 }, (_, i) => `0145${String(100000 + i)}`);
    const cdrs = numbers.map((called, i) => ({ callId: `may-${i}`, subscriptionId: S, lineId: 'line-1', caller: '0386644706', called, startedAt: `2026-05-10T${String(8 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`, durationSeconds: 30 }));
    cdrs.push({ callId: 'may-last', subscriptionId: S, lineId: 'line-1', caller: '0386644706', called: '0145999999', startedAt: '2026-05-20T08:00:00Z', durationSeconds: 61 });
    await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.system).send(cdrs).expect(201);
    expect((await app.get(RatingService).consumptionTotal(S, '2026-05')).isZero()).toBe(true);

    // A CDR of 5 May to a 100th number arrives later: it becomes number 1, and the 20 May call number 100.
    const late = await request(http)
      .post('/billing/cdrs?format=json')
      .set('X-API-Key', KEYS.system)
      .send([{ callId: 'may-late', subscriptionId: S, lineId: 'line-1', caller: '0386644706', called: '0388000000', startedAt: '2026-05-05T08:00:00Z', durationSeconds: 10 }])
      .expect(201);
    expect(late.body.lineMonths).toEqual([{ subscriptionId: S, lineId: 'line-1', billingMonth: '2026-05', calls: 100, billedSeconds: 120, amount: '0.03' }]);
    // 100 calls: one page of 200 (the default page is 50).
    const may = await request(http).get(`/billing/rated-calls?subscriptionId=${S}&month=2026-05&limit=200`).set('X-API-Key', KEYS.system).expect(200);
    expect(may.body).toMatchObject({ count: 100, limit: 200, offset: 0 });
    const byId = new Map(may.body.calls.map((c: { callId: string }) => [c.callId, c]));
    expect(byId.get('may-late')).toMatchObject({ outcome: 'included', distinctNumberRank: 1, amount: '0' });
    expect(byId.get('may-97')).toMatchObject({ outcome: 'included', distinctNumberRank: 99 });
    expect(byId.get('may-last')).toMatchObject({ outcome: 'distinct_numbers_exceeded', billedSeconds: 120, amount: '0.03' });
    expect(may.body.total).toBe('0.03');
  });

  it('BIL-09 a MOBILE line is never rated, a SIP line only while active: a line ended by its local loop (SUB-16) rejects later calls', async () => {
    const sip = randomUUID();
    const mobile = randomUUID();
    const history = (id: string, service: 'FIXED_SIP' | 'MOBILE', itemId: string, plan: string): Array<[SubscriptionCommand, string]> => [
      [{ type: 'PlaceOrder', subscriptionId: id, customerId: randomUUID(), service, items: [{ itemId, label: '0386644710', plan }], quoteDate: '2026-02-01', orderAmount: '0.00' }, '2026-02-01T10:00:00Z'],
      [{ type: 'RecordFeasibilityResult', feasible: true, studyReference: 'EF-2' }, '2026-02-02T10:00:00Z'],
      [{ type: 'SignSubscription', signedOn: '2026-02-03' }, '2026-02-03T10:00:00Z'],
      [service === 'MOBILE' ? { type: 'ActivateMobileLine', lineId: itemId, simActivatedOn: '2026-02-15' } : { type: 'ActivateService', activatedOn: '2026-02-15' }, '2026-02-15T10:00:00Z'],
    ];
    for (const [command, at] of [
      ...history(sip, 'FIXED_SIP', 'trunk', 'SIP_OKSIO'),
      [{ type: 'RecordLocalLoopSubscriptionEnded', lineId: 'trunk', endedOn: '2026-03-10', change: 'cancelled' }, '2026-03-11T10:00:00Z'] as [SubscriptionCommand, string],
    ]) {
      await runtime.repository.execute(subscriptionDecider, subscriptionStream(sip), command, ctx(), new Date(at));
    }
    for (const [command, at] of history(mobile, 'MOBILE', 'm1', 'SIP_OKSIO')) await runtime.repository.execute(subscriptionDecider, subscriptionStream(mobile), command, ctx(), new Date(at));
    await settle();

    const res = await request(http)
      .post('/billing/cdrs')
      .set('X-API-Key', KEYS.system)
      .send([
        { callId: 't1', subscriptionId: sip, lineId: 'trunk', caller: '0386644710', called: '0612345678', startedAt: '2026-03-10T20:00:00Z', durationSeconds: 4000 },
        { callId: 't2', subscriptionId: sip, lineId: 'trunk', caller: '0386644710', called: '0612345678', startedAt: '2026-03-10T23:30:00Z', durationSeconds: 60 },
        { callId: 'm1', subscriptionId: mobile, lineId: 'm1', caller: '0386644710', called: '0612345678', startedAt: '2026-03-05T10:00:00Z', durationSeconds: 60 },
      ])
      .expect(201);
    expect(res.body.rejections.map((r: { callId: string; reason: string; detail: string }) => [r.callId, r.reason, r.detail])).toEqual([
      ['t2', 'line_not_active', 'the line ended on 2026-03-10'],
      ['m1', 'unknown_line', `no FIXED_SIP or FIXED_VGA line m1 in subscription ${mobile}`],
    ]);
    // SIP_OKSIO includes French mobiles: 4000 s = 60 min included + 400 s → 7 started minutes at 0.089 €.
    expect(res.body.lineMonths).toEqual([{ subscriptionId: sip, lineId: 'trunk', billingMonth: '2026-03', calls: 1, billedSeconds: 420, amount: '0.623' }]);
  });

  it('BIL-10 FIXED_VGA: all outgoing calls billed, special and emergency numbers included; an unpriced special number is rejected with its reason; SIP lines unchanged', async () => {
    const V = randomUUID();
    const S = subscriptionId;
    for (const [command, at] of [
      [{ type: 'PlaceOrder', subscriptionId: V, customerId: randomUUID(), service: 'FIXED_VGA', items: [{ itemId: 'vga-1', label: '0145000010' }], quoteDate: '2026-02-01', orderAmount: '0.00' }, '2026-02-01T10:00:00Z'],
      [{ type: 'RecordFeasibilityResult', feasible: true, studyReference: 'EF-3' }, '2026-02-02T10:00:00Z'],
      [{ type: 'SignSubscription', signedOn: '2026-02-03' }, '2026-02-03T10:00:00Z'],
      [{ type: 'ActivateService', activatedOn: '2026-02-15' }, '2026-02-15T10:00:00Z'],
    ] as Array<[SubscriptionCommand, string]>) {
      await runtime.repository.execute(subscriptionDecider, subscriptionStream(V), command, ctx(), new Date(at));
    }
    await settle();

    const vga = (id: string, called: string, day: number, seconds: number) => row(id, V, 'vga-1', '0145000010', called, `2026-03-${String(day).padStart(2, '0')}T10:00:00+01:00`, seconds);
    const csv = [
      HEADER,
      vga('v-geo', '0145000002', 2, 61),
      vga('v-geo-again', '01 45 00 00 02', 3, 30),
      vga('v-mobile', '0612345678', 4, 61),
      vga('v-intl', '+49 30 123456', 5, 125),
      vga('v-112', '112', 6, 300),
      vga('v-0800', '0800123456', 7, 600),
      vga('v-0899', '08 99 12 34 56', 8, 125),
      vga('v-118', '118712', 9, 95),
      vga('v-unanswered', '0899123456', 10, 0),
      vga('v-1016', '1016', 11, 60),
      // SIP lines of the same import: rated, or rejected, exactly as before BIL-10.
      row('s-intl', S, 'line-2', '0386644707', '+49 30 123456', '2026-04-02T10:00:00+02:00', 125),
      row('s-0800', S, 'line-2', '0386644707', '0800123456', '2026-04-03T10:00:00+02:00', 60),
      row('s-112', S, 'line-2', '0386644707', '112', '2026-04-04T10:00:00+02:00', 60),
    ].join('\n');
    const before = await eventCount();
    const res = await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.system).set('Content-Type', 'text/csv').send(csv).expect(201);
    expect(res.body).toMatchObject({ received: 13, accepted: 10, rejected: 3, rejectedByReason: { no_vga_special_rate: 1, unknown_destination: 1, invalid_number: 1 }, rateYears: [2026] });
    expect(res.body.rejections.map((r: Record<string, unknown>) => [r.callId, r.reason, r.detail])).toEqual([
      ['v-1016', 'no_vga_special_rate', 'no price for 10YT short number 1016 in the 2026 VGA special-number price list'],
      ['s-0800', 'unknown_destination', 'the annex has no rate for France (toll free number)'],
      ['s-112', 'invalid_number', 'not a valid number of the FR numbering plan'],
    ]);
    expect(await eventCount()).toBe(before + 1);
    expect(res.body.lineMonths).toHaveLength(2);
    expect(res.body.lineMonths).toEqual(
      expect.arrayContaining([
        { subscriptionId: V, lineId: 'vga-1', billingMonth: '2026-03', calls: 9, billedSeconds: 1380, amount: '5.591' },
        { subscriptionId: S, lineId: 'line-2', billingMonth: '2026-04', calls: 1, billedSeconds: 180, amount: '0.078' },
      ]),
    );

    const rated = await request(http).get(`/billing/rated-calls?subscriptionId=${V}&month=2026-03`).set('X-API-Key', KEYS.support).expect(200);
    expect(rated.body.calls.map((c: Record<string, unknown>) => [c.callId, c.destination, c.plan, c.outcome, c.includedSeconds, c.billedSeconds, c.amount])).toEqual([
      ['v-geo', 'France', 'VGA', 'billed', 0, 120, '0.03'],
      ['v-geo-again', 'France', 'VGA', 'billed', 0, 60, '0.015'],
      ['v-mobile', 'France - Mobile', 'VGA', 'billed', 0, 120, '0.178'],
      ['v-intl', 'Allemagne', 'VGA', 'billed', 0, 180, '0.078'],
      ['v-112', "Numéro d'urgence", 'VGA', 'emergency_free', 0, 0, '0'],
      ['v-0800', 'Numéro gratuit (SVA 0800-0805)', 'VGA', 'billed', 0, 600, '0'],
      ['v-0899', 'SVA payant (089)', 'VGA', 'billed', 0, 180, '2.4'],
      ['v-118', 'Renseignements téléphoniques (118 XYZ)', 'VGA', 'billed', 0, 120, '2.89'],
      ['v-unanswered', 'SVA payant (089)', 'VGA', 'unanswered', 0, 0, '0'],
    ]);
    expect(rated.body.calls.find((c: { callId: string }) => c.callId === 'v-118')).toMatchObject({ pricePerMinute: '0.450000', pricePerCall: '1.990000' });
    expect(rated.body.total).toBe('5.591');
    // Billing reads the same total for the VGA invoice's consumption line, with no change on its side.
    expect((await app.get(RatingService).consumptionTotal(V, '2026-03')).toExactString()).toBe('5.591');
    const consumption = await request(http).get(`/billing/consumption?subscriptionId=${V}&month=2026-03`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(consumption.body).toEqual({ subscriptionId: V, month: '2026-03', total: '5.591', totalRounded: '5.59' });

    const sip = await request(http).get(`/billing/rated-calls?subscriptionId=${S}&month=2026-04&lineId=line-2`).set('X-API-Key', KEYS.support).expect(200);
    expect(sip.body.calls.map((c: Record<string, unknown>) => [c.callId, c.destination, c.plan, c.outcome, c.billedSeconds, c.amount])).toEqual([['s-intl', 'Allemagne', 'SIP_OK', 'not_in_plan', 180, '0.078']]);

    const rejected = await request(http).get(`/billing/rejected-cdrs?subscriptionId=${V}&reason=no_vga_special_rate`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(rejected.body).toEqual([expect.objectContaining({ callId: 'v-1016', lineId: 'vga-1', importId: res.body.importId, raw: vga('v-1016', '1016', 11, 60) })]);
  });

  it('BIL-07 an unreadable document or a bad query is a 400 naming the field, and nothing is appended or stored', async () => {
    const before = await eventCount();
    const storedBefore = Number((await runtime.pool.query('SELECT count(*) FROM rating_rejected_cdrs')).rows[0].count);
    const noHeader = await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.system).set('Content-Type', 'text/csv').send('c1,s,l,1,2,2026-03-01T00:00:00Z,5').expect(400);
    expect(noHeader.body).toMatchObject({ code: 'unreadable_cdr_document', errors: [{ field: 'content', rule: 'BIL-07' }] });
    const notArray = await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.system).send({ calls: [] }).expect(400);
    expect(notArray.body.code).toBe('unreadable_cdr_document');
    const empty = await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.system).send([]).expect(400);
    expect(empty.body.code).toBe('empty_cdr_document');
    const xml = await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.system).set('Content-Type', 'application/xml').send('<cdrs/>').expect(400);
    expect(xml.body.errors).toEqual([expect.objectContaining({ field: 'Content-Type' })]);
    const format = await request(http).post('/billing/cdrs?format=xml').set('X-API-Key', KEYS.system).send([]).expect(400);
    expect(format.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    await request(http).post('/billing/cdrs').set('X-API-Key', KEYS.auditor).send([]).expect(403);
    const month = await request(http).get(`/billing/rated-calls?subscriptionId=${subscriptionId}&month=2026-13`).set('X-API-Key', KEYS.system).expect(400);
    expect(month.body.errors).toEqual([expect.objectContaining({ field: 'month', rule: 'BIL-09' })]);
    const reason = await request(http).get('/billing/rejected-cdrs?reason=bored').set('X-API-Key', KEYS.system).expect(400);
    expect(reason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect(await eventCount()).toBe(before);
    expect(Number((await runtime.pool.query('SELECT count(*) FROM rating_rejected_cdrs')).rows[0].count)).toBe(storedBefore);
  });
});

import request from 'supertest';
import { KEYS, settle, startTestApp, type TestApp } from '../../../../test/support/app';

/**
 * Subscription contracts over HTTP on real PostgreSQL: REST and GraphQL on one application
 * service, read models folded with the domain's evolve, due actions run by the scheduler under
 * the test clock. The clock only moves forward through this file, so tests run in order.
 */
describe('Subscriptions API (REST + GraphQL, read models, scheduler)', () => {
  let t: TestApp;
  const api = () => request(t.http);
  const eventCount = async () => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);
  const streamCount = async (id: string) => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events WHERE stream_id = $1', [`subscription-${id}`])).rows[0].count);
  const streamTypes = async (id: string): Promise<string[]> =>
    (await t.runtime.pool.query('SELECT type FROM es_events WHERE stream_id = $1 ORDER BY revision', [`subscription-${id}`])).rows.map((r) => r.type);
  const travel = async (instant: string) => {
    await api().post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant }).expect(200);
  };
  const post = (path: string, body: object = {}, key: string = KEYS.support) => api().post(path).set('X-API-Key', key).send(body);
  const get = (path: string) => api().get(path).set('X-API-Key', KEYS.auditor);
  const graphql = (query: string, variables: object = {}, key: string = KEYS.support) => api().post('/graphql').set('X-API-Key', key).send({ query, variables }).expect(200);

  /**
   * settle(t) compares checkpoints with the store's head, and the head leaves out events of
   * transactions committed after an older one still in flight (e.g. another projection's batch):
   * it can return before the last command is projected. This also waits until the `subscriptions`
   * projection has folded every subscription stream up to its last revision.
   */
  async function caughtUp(): Promise<void> {
    await settle(t);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await t.runtime.pool.query(
        `SELECT count(*)::int AS behind FROM (SELECT stream_id, max(revision) AS r FROM es_events WHERE stream_id LIKE 'subscription-%' GROUP BY stream_id) e
         LEFT JOIN projection_states p ON p.projection = 'subscriptions' AND p.stream_id = e.stream_id
         WHERE p.revision IS NULL OR p.revision < e.r`,
      );
      if (rows[0].behind === 0) return;
      if (Date.now() > deadline) throw new Error(`subscriptions projection behind on ${rows[0].behind} streams`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Polls until the assertion holds (the scheduler ticks every second). */
  async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  let customerId: string;
  const ITEMS: Record<string, object[]> = {
    DATA: [{ itemId: 'link-1', label: 'SDSL Paris 2e', plan: 'SDSL-4M', dataLineFacts: { inDslCoverage: true } }],
    MOBILE: [
      { itemId: 'line-1', label: '0612345678' },
      { itemId: 'line-2', label: '0698765432' },
    ],
    FIXED_VGA: [{ itemId: 'line-1', label: '0145000001', fixedLineFacts: { accessStatus: 'in_service' } }],
    FIXED_SIP: [{ itemId: 'line-1', label: '0145000002' }],
    HOSTED_PBX: [{ itemId: 'pbx', label: 'Standard hébergé' }],
  };
  const orderBody = (service: string, quoteDate: string, over: object = {}) => ({ customerId, service, items: ITEMS[service], quoteDate, orderAmount: '1200.00', ...over });

  /** Order → feasibility → signature → activation on `on` (MOBILE: every line). */
  async function activeContract(service: string, on: string): Promise<string> {
    const placed = await post('/subscriptions', orderBody(service, on)).expect(201);
    const id = placed.body.subscriptionId as string;
    await post(`/subscriptions/${id}/feasibility`, { feasible: true, studyReference: 'EF-1' }).expect(200);
    await post(`/subscriptions/${id}/sign`, { signedOn: on }).expect(200);
    if (service === 'MOBILE') {
      for (const line of ITEMS.MOBILE as Array<{ itemId: string }>) await post(`/subscriptions/${id}/lines/activate`, { lineId: line.itemId, simActivatedOn: on }).expect(200);
    } else {
      await post(`/subscriptions/${id}/activate`, { activatedOn: on }).expect(200);
    }
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    await travel('2026-03-02T10:00:00Z');
    const res = await post('/customers', {
      companyName: 'Boulangerie Martin SARL',
      siret: '73282932000074',
      billingAddress: { line1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
      contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Jeanne Martin', email: 'jeanne@example.fr', phone: '0612345678' }],
    }).expect(201);
    customerId = res.body.customerId;
  });
  afterAll(async () => t?.close());

  it('SUB-01 SUB-02 signs and activates over REST; the read model shows the contract, its order status and commitment', async () => {
    const id = await activeContract('DATA', '2026-03-02');
    await caughtUp();
    const one = await get(`/subscriptions/${id}`).expect(200);
    expect(one.body).toMatchObject({ subscriptionId: id, customerId, service: 'DATA', status: 'active', orderStatus: 'delivered', signedOn: '2026-03-02', activatedOn: '2026-03-02' });
    expect(one.body.terms).toMatchObject({ cgVersion: 'CG-2026.1', cpVersion: 'CP-DATA-2026.1', noticeRule: 'before_period_end' });
    expect(one.body.commitment).toMatchObject({ periodStartOn: '2026-04-01', periodEndOn: '2031-03-31', initialEndOn: '2031-03-31', renewalCount: 0, noticeDeadlineOn: '2030-12-31', monthsRemaining: 60, asOf: '2026-03-02' });
    expect(one.headers['etag']).toBe('"4"');
  });
  it('CON-01 resolved terms are stored once per content: contracts with the same terms share one row; get and list show the terms, not their id', async () => {
    const [a, b] = [await activeContract('DATA', '2026-03-02'), await activeContract('DATA', '2026-03-02')];
    await caughtUp();
    const { rows } = await t.runtime.pool.query('SELECT subscription_id, terms_id FROM subscriptions WHERE subscription_id = ANY($1::uuid[])', [[a, b]]);
    expect(rows).toHaveLength(2);
    expect(rows[0].terms_id).toBe(rows[1].terms_id);
    const stored = await t.runtime.pool.query('SELECT count(*)::int AS n FROM subscription_terms WHERE terms_id = $1', [rows[0].terms_id]);
    expect(stored.rows[0].n).toBe(1);
    const one = await get(`/subscriptions/${a}`).expect(200);
    expect(one.body.terms).toMatchObject({ service: 'DATA', cpVersion: 'CP-DATA-2026.1', initialTermMonths: 60 });
    expect(one.body).not.toHaveProperty('termsId');
    const listed = await get(`/subscriptions?customerId=${customerId}&service=DATA&limit=200`).expect(200);
    const item = listed.body.items.find((x: { subscriptionId: string }) => x.subscriptionId === b);
    expect(item.terms).toEqual(one.body.terms);
    expect(item).not.toHaveProperty('termsId');
    // The folded state refers to its terms by the same id (stored once, not per contract).
    const state = await t.runtime.pool.query(`SELECT state FROM projection_states WHERE projection = 'subscriptions' AND stream_id = $1`, [`subscription-${a}`]);
    expect(state.rows[0].state).toMatchObject({ terms: null, termsId: rows[0].terms_id });
  });

  it('SUB-09 CON-01 invalid dates or an unknown service → 400 naming the field and the rule; domain refusals → 422; nothing appended', async () => {
    const before = await eventCount();
    const badDate = await post('/subscriptions', orderBody('DATA', '2026-02-30')).expect(400);
    expect(badDate.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(badDate.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'quoteDate', rule: 'SUB-09' }] });
    const badService = await post('/subscriptions', { ...orderBody('DATA', '2026-03-01'), service: 'ISDN' }).expect(400);
    expect(badService.body.errors).toEqual([expect.objectContaining({ field: 'service', rule: 'CON-01' })]);
    const badOverride = await post('/subscriptions', orderBody('DATA', '2026-03-01', { contractOverrides: { noticeMonths: -2 } })).expect(422);
    expect(badOverride.body).toMatchObject({ code: 'invalid_terms_override', errors: [{ field: 'contractOverrides.noticeMonths', rule: 'CON-01' }] });
    const ineligible = await post('/subscriptions', orderBody('DATA', '2026-03-01', { items: [{ itemId: 'l1', label: 'x', dataLineFacts: { inDslCoverage: false } }] })).expect(422);
    expect(ineligible.body).toMatchObject({ code: 'line_not_eligible', errors: [{ field: 'items[0].dataLineFacts', rule: 'SUB-18' }] });
    const unknownCustomer = await post('/subscriptions', { ...orderBody('DATA', '2026-03-01'), customerId: '0195f3c2-7d2a-7c4e-9f00-000000000000' }).expect(422);
    expect(unknownCustomer.body).toMatchObject({ code: 'customer_not_found', errors: [{ field: 'customerId' }] });
    expect(await eventCount()).toBe(before);

    const id = (await post('/subscriptions', orderBody('DATA', '2026-03-01')).expect(201)).body.subscriptionId;
    const afterOrder = await eventCount();
    const impossible = await post(`/subscriptions/${id}/sign`, { signedOn: '2026-13-01' }).expect(400);
    expect(impossible.body.errors).toEqual([expect.objectContaining({ field: 'signedOn', rule: 'SUB-01' })]);
    const future = await post(`/subscriptions/${id}/sign`, { signedOn: '2026-03-10' }).expect(422);
    expect(future.body).toMatchObject({ code: 'date_in_future', errors: [{ field: 'signedOn', rule: 'SUB-01' }] });
    const notAccepted = await post(`/subscriptions/${id}/activate`, { activatedOn: '2026-03-02' }).expect(422);
    expect(notAccepted.body.errors[0]).toMatchObject({ field: 'subscriptionId', rule: 'SUB-02' });
    const lateLine = await post(`/subscriptions/${id}/lines/activate`, { lineId: 'link-1', simActivatedOn: '2026-03-02' }).expect(422);
    expect(lateLine.body).toMatchObject({ code: 'not_applicable_to_service', errors: [{ rule: 'SUB-15' }] });
    const extra = await post(`/subscriptions/${id}/sign`, { signedOn: '2026-03-02', colour: 'red' }).expect(400);
    expect(extra.body.errors.map((e: { field: string }) => e.field)).toEqual(['colour']);
    const unknown = await post('/subscriptions/0195f3c2-7d2a-7c4e-9f00-000000000001/sign', { signedOn: '2026-03-02' }).expect(404);
    expect(unknown.body).toMatchObject({ code: 'subscription_not_found', errors: [{ field: 'subscriptionId' }] });
    await get('/subscriptions/0195f3c2-7d2a-7c4e-9f00-000000000001').expect(404);
    await post('/subscriptions/not-a-uuid/sign', { signedOn: '2026-03-02' }).expect(400);
    expect(await eventCount()).toBe(afterOrder);
    expect(await streamCount(id)).toBe(1);
  });

  it('If-Match: a stale revision → 409 naming If-Match, nothing appended; the current one succeeds and the ETag moves on', async () => {
    const placed = await post('/subscriptions', orderBody('FIXED_VGA', '2026-03-02')).expect(201);
    const id = placed.body.subscriptionId;
    expect(placed.body).toMatchObject({ revision: 0, events: ['OrderPlaced'], createdId: id });
    expect(placed.headers['etag']).toBe('"0"');
    const before = await eventCount();
    const stale = await api().post(`/subscriptions/${id}/feasibility`).set('X-API-Key', KEYS.support).set('If-Match', '"5"').send({ feasible: true }).expect(409);
    expect(stale.body).toMatchObject({ code: 'revision_mismatch', errors: [{ field: 'If-Match' }] });
    const malformed = await api().post(`/subscriptions/${id}/feasibility`).set('X-API-Key', KEYS.support).set('If-Match', 'yesterday').send({ feasible: true }).expect(400);
    expect(malformed.body).toMatchObject({ code: 'invalid_if_match', errors: [{ field: 'If-Match' }] });
    const again = await api().post('/subscriptions').set('X-API-Key', KEYS.support).set('If-Match', '-1').send(orderBody('DATA', '2026-03-02', { subscriptionId: id })).expect(409);
    expect(again.body.code).toBe('revision_mismatch');
    expect(await eventCount()).toBe(before);
    const ok = await api().post(`/subscriptions/${id}/feasibility`).set('X-API-Key', KEYS.support).set('If-Match', '"0"').send({ feasible: true }).expect(200);
    expect(ok.body).toMatchObject({ revision: 1, events: ['OrderAccepted'] });
    expect(ok.headers['etag']).toBe('"1"');
    // The same command retried with its Idempotency-Key has one effect.
    const sign = () => api().post(`/subscriptions/${id}/sign`).set('X-API-Key', KEYS.support).set('Idempotency-Key', `sign-${id}`).send({ signedOn: '2026-03-02' });
    await sign().expect(200);
    await sign().expect(200);
    expect(await streamTypes(id)).toEqual(['OrderPlaced', 'OrderAccepted', 'SubscriptionSigned']);
  });

  it('SUB-09 GraphQL mutation + query round trip on the same service, with expectedRevision', async () => {
    const placeOrder = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { subscriptionId revision events } }`;
    const created = await graphql(placeOrder, { input: orderBody('HOSTED_PBX', '2026-03-02', { items: [{ itemId: 'pbx', label: 'Standard hébergé' }] }) });
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.placeOrder.subscriptionId;
    expect(created.body.data.placeOrder).toMatchObject({ revision: 0, events: ['OrderPlaced'] });
    const feasibility = `mutation($id: ID!, $rev: Int) { recordFeasibilityResult(subscriptionId: $id, input: { feasible: true }, expectedRevision: $rev) { revision events } }`;
    const before = await streamCount(id);
    const stale = await graphql(feasibility, { id, rev: 3 });
    expect(stale.body.errors[0].extensions).toMatchObject({ code: 'revision_mismatch', status: 409, errors: [{ field: 'expectedRevision' }] });
    expect(await streamCount(id)).toBe(before);
    const accepted = await graphql(feasibility, { id, rev: 0 });
    expect(accepted.body.data.recordFeasibilityResult).toEqual({ revision: 1, events: ['OrderAccepted'] });
    const invalid = await graphql(`mutation($id: ID!) { signSubscription(subscriptionId: $id, input: { signedOn: "2026-02-30" }) { revision } }`, { id });
    expect(invalid.body.errors[0].extensions).toMatchObject({ status: 400, errors: [{ field: 'signedOn', rule: 'SUB-01' }] });
    const signed = await graphql(`mutation($id: ID!) { signSubscription(subscriptionId: $id, input: { signedOn: "2026-03-02" }, expectedRevision: 1) { revision events } }`, { id });
    expect(signed.body.data.signSubscription).toEqual({ revision: 2, events: ['SubscriptionSigned'] });
    const activated = await graphql(`mutation($id: ID!) { activateService(subscriptionId: $id, input: { activatedOn: "2026-03-02" }) { events } }`, { id });
    expect(activated.body.data.activateService.events).toEqual(['ServiceActivated', 'CommitmentStarted']);
    await caughtUp();
    const q = await graphql(
      `query($id: ID!, $customerId: ID!) {
        subscription(id: $id) { status orderStatus service revision commitment { periodStartOn periodEndOn initialTermMonths renewalCount monthsRemaining } }
        subscriptions(customerId: $customerId, service: "HOSTED_PBX") { total items { subscriptionId status } }
        orders(status: "delivered", service: "HOSTED_PBX") { total items { subscriptionId orderStatus } }
        commitments(subscriptionId: $id) { total items { scope periodEndOn noticeDeadlineOn } }
      }`,
      { id, customerId },
      KEYS.auditor,
    );
    expect(q.body.errors).toBeUndefined();
    // SUB-02 HOSTED_PBX commits 12 months from the 1st of the next month.
    expect(q.body.data.subscription).toEqual({
      status: 'active',
      orderStatus: 'delivered',
      service: 'HOSTED_PBX',
      revision: 4,
      commitment: { periodStartOn: '2026-04-01', periodEndOn: '2027-03-31', initialTermMonths: 12, renewalCount: 0, monthsRemaining: 12 },
    });
    expect(q.body.data.subscriptions).toEqual({ total: 1, items: [{ subscriptionId: id, status: 'active' }] });
    expect(q.body.data.orders.items).toEqual([{ subscriptionId: id, orderStatus: 'delivered' }]);
    expect(q.body.data.commitments).toEqual({ total: 1, items: [{ scope: 'contract', periodEndOn: '2027-03-31', noticeDeadlineOn: '2026-12-31' }] });
    const denied = await graphql(`mutation($id: ID!) { resumeDeliveries(subscriptionId: $id) { revision } }`, { id }, KEYS.auditor);
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'forbidden', status: 403 });
    // Orders by status: the accepted-but-not-delivered VGA order of the previous test.
    const orders = await get('/subscriptions/orders?status=accepted&service=FIXED_VGA').expect(200);
    expect(orders.body.items.map((o: { orderStatus: string }) => o.orderStatus)).toEqual(['accepted']);
    // Audit replay folds the stream with the registered decider.
    const replay = await get(`/audit/streams/subscription-${id}/state?asOf=2026-03-02T10:00:00Z`).expect(200);
    expect(replay.body.state).toMatchObject({ phase: 'active', service: 'HOSTED_PBX' });
  });

  it('SUS-04 SUS-03 SUS-01 suspensions and reactivation appear in the suspensions read model (active, then history)', async () => {
    const id = await activeContract('MOBILE', '2026-03-02');
    const lost = await post(`/subscriptions/${id}/suspensions/lost-or-stolen-sim`, { lineId: 'line-1', kind: 'stolen', factsOn: '2026-03-02' }).expect(200);
    const lostId = lost.body.createdId;
    expect(lost.body.events).toEqual(['ServiceSuspended']);
    const misuse = await post(`/subscriptions/${id}/suspensions`, { reason: 'misuse', scope: 'full', itemIds: ['line-2'], misuseKind: 'sim_box' }).expect(200);
    const conservatory = await post(`/subscriptions/${id}/suspensions`, { reason: 'illegal_use', scope: 'international_calls' }).expect(200);
    const tooEarly = await post(`/subscriptions/${id}/suspensions`, { reason: 'unpaid', scope: 'full', unpaidInvoice: { invoiceRef: 'F-1', dueOn: '2026-02-26' } }).expect(422);
    expect(tooEarly.body.errors[0]).toMatchObject({ rule: 'SUS-02' });
    await caughtUp();
    const active = await get(`/subscriptions/suspensions?state=active&subscriptionId=${id}`).expect(200);
    expect(active.body.total).toBe(3);
    expect(active.body.items.find((s: { suspensionId: string }) => s.suspensionId === lostId)).toMatchObject({
      reason: 'lost_or_stolen_sim',
      rule: 'SUS-04',
      active: true,
      itemIds: ['line-1'],
      lostOrStolen: { kind: 'stolen', factsOn: '2026-03-02', confirmationDueOn: '2026-03-04', confirmedOn: null },
    });
    expect(active.body.items.find((s: { suspensionId: string }) => s.suspensionId === conservatory.body.createdId)).toMatchObject({ conservatory: true, rule: 'SUS-01' });
    expect((await get(`/subscriptions/${id}`).expect(200)).body.activeSuspensions).toBe(3);

    await post(`/subscriptions/${id}/suspensions/lost-or-stolen-sim/confirm`, { suspensionId: lostId, lrarReceivedOn: '2026-03-02', policeReportEnclosed: true }).expect(200);
    const noRequest = await post(`/subscriptions/${id}/suspensions/lift`, { suspensionId: lostId }).expect(422);
    expect(noRequest.body.errors[0]).toMatchObject({ rule: 'SUS-04' });
    await post(`/subscriptions/${id}/suspensions/lift`, { suspensionId: lostId, writtenRequestFromClient: true, newNumber: '0611111111' }).expect(200);
    await post(`/subscriptions/${id}/suspensions/lift`, { suspensionId: misuse.body.createdId }).expect(200);
    await caughtUp();
    const stillActive = await get(`/subscriptions/suspensions?state=active&subscriptionId=${id}`).expect(200);
    expect(stillActive.body.items.map((s: { suspensionId: string }) => s.suspensionId)).toEqual([conservatory.body.createdId]);
    const history = await get(`/subscriptions/suspensions?state=ended&subscriptionId=${id}&limit=1`).expect(200);
    expect(history.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    const all = await get(`/subscriptions/suspensions?subscriptionId=${id}`).expect(200);
    expect(all.body.total).toBe(3);
    const reactivated = all.body.items.find((s: { suspensionId: string }) => s.suspensionId === lostId);
    expect(reactivated).toMatchObject({ active: false, endedBy: 'lifted', reconnectionCostsBillable: true, newNumber: '0611111111' });
    expect(reactivated.lostOrStolen.confirmedOn).toBe('2026-03-02');
    const gql = await graphql(`query($id: ID!) { suspensions(subscriptionId: $id, state: "ended") { total items { reason endedBy } } }`, { id }, KEYS.auditor);
    expect(gql.body.data.suspensions.total).toBe(2);
    // SUB-15: one commitment for the contract and one row per MOBILE line, on the same calendar.
    const lines = await get(`/subscriptions/commitments?subscriptionId=${id}&scope=line`).expect(200);
    expect(lines.body.items.map((c: { lineId: string; serviceStartOn: string; periodEndOn: string }) => [c.lineId, c.serviceStartOn, c.periodEndOn])).toEqual([
      ['line-1', '2026-03-02', '2031-03-31'],
      ['line-2', '2026-03-02', '2031-03-31'],
    ]);
  });
  it('issue 18 item 9 — SUB-05 MOBILE and FIXED_SIP contracts have no notice deadline and are not listed by notice-deadlines; SUB-04 DATA is', async () => {
    const ids: Record<string, string> = {};
    for (const service of ['MOBILE', 'FIXED_SIP', 'DATA']) ids[service] = await activeContract(service, '2026-03-02');
    await caughtUp();
    for (const service of ['MOBILE', 'FIXED_SIP']) {
      const one = await get(`/subscriptions/${ids[service]}`).expect(200);
      expect(one.body.commitment).toMatchObject({ noticeRule: 'from_receipt', noticeDeadlineOn: null });
      const rows = await get(`/subscriptions/commitments?subscriptionId=${ids[service]}`).expect(200);
      expect(rows.body.items.map((c: { noticeDeadlineOn: string | null }) => c.noticeDeadlineOn)).toEqual(rows.body.items.map(() => null));
    }
    expect((await get(`/subscriptions/${ids.DATA}`).expect(200)).body.commitment).toMatchObject({ noticeRule: 'before_period_end', noticeDeadlineOn: '2030-12-31' });
    const listed = await get(`/subscriptions/notice-deadlines?from=2026-01-01&to=2099-12-31&customerId=${customerId}&limit=200`).expect(200);
    const listedIds = listed.body.items.map((c: { subscriptionId: string }) => c.subscriptionId);
    expect(listedIds).toContain(ids.DATA);
    expect(listedIds).not.toContain(ids.MOBILE);
    expect(listedIds).not.toContain(ids.FIXED_SIP);
    expect(listed.body.items.every((c: { service: string }) => c.service === 'DATA' || c.service === 'HOSTED_PBX')).toBe(true);
    const gql = await graphql(`{ noticeDeadlines(from: "2026-01-01", to: "2099-12-31", limit: 200) { items { subscriptionId service } } }`, {}, KEYS.auditor);
    expect(gql.body.data.noticeDeadlines.items.map((c: { service: string }) => c.service).filter((s: string) => !['DATA', 'HOSTED_PBX'].includes(s))).toEqual([]);
  });

  it('SUB-04 SUB-05 a termination letter on the deadline ends the contract at the period end, one a day late later; the scheduler applies both ends', async () => {
    // Activated on 2 March 2026: the commitment runs 1 April 2026 … 31 March 2031 (SUB-02).
    const onTime = await activeContract('DATA', '2026-03-02');
    const late = await activeContract('DATA', '2026-03-02');
    const cgOnTime = await activeContract('FIXED_VGA', '2026-03-02');
    const cgLate = await activeContract('FIXED_VGA', '2026-03-02');
    await caughtUp();
    const deadlines = await get(`/subscriptions/notice-deadlines?from=2030-12-01&to=2030-12-31&service=DATA&customerId=${customerId}`).expect(200);
    expect(deadlines.body.items.filter((c: { subscriptionId: string }) => [onTime, late].includes(c.subscriptionId)).map((c: { noticeDeadlineOn: string }) => c.noticeDeadlineOn)).toEqual(['2030-12-31', '2030-12-31']);
    const gqlDeadlines = await graphql(`{ noticeDeadlines(from: "2030-12-31", to: "2030-12-31", service: "DATA") { total items { subscriptionId noticeDeadlineOn } } }`, {}, KEYS.auditor);
    expect(gqlDeadlines.body.data.noticeDeadlines.items.map((c: { subscriptionId: string }) => c.subscriptionId)).toEqual(expect.arrayContaining([onTime, late]));
    await get('/subscriptions/notice-deadlines?from=2031-01-01&to=2030-12-01').expect(400);
    const badRange = await get('/subscriptions/renewals-due?from=2031-02-30&to=2031-03-01').expect(400);
    expect(badRange.body.errors[0]).toMatchObject({ field: 'from', rule: 'SUB-03' });

    const notice = (id: string, lrarReceivedOn: string, channel = 'registered_letter_with_ack') =>
      post(`/subscriptions/${id}/termination-notices`, { from: 'client', channel, lrarReceivedOn });
    await travel('2030-12-31T12:00:00Z');
    const email = await notice(onTime, '2030-12-31', 'email').expect(422);
    expect(email.body.errors[0]).toMatchObject({ field: 'channel', rule: 'SUB-04' });
    const exact = await notice(onTime, '2030-12-31').expect(200);
    expect(exact.body.events).toEqual(['TerminationNoticeReceived']);
    const cgExact = await notice(cgOnTime, '2030-12-31').expect(200);
    await travel('2031-01-01T12:00:00Z');
    await notice(late, '2031-01-01').expect(200);
    await notice(cgLate, '2031-01-01').expect(200);
    await caughtUp();
    const view = async (id: string) => (await get(`/subscriptions/${id}`).expect(200)).body;
    // SUB-04 (DATA): on the deadline → end of this period; a day late → end of the NEXT period.
    expect(await view(onTime)).toMatchObject({ pendingEndOn: '2031-03-31', pendingEndCause: 'notice', pendingEndRule: 'SUB-04' });
    expect(await view(late)).toMatchObject({ pendingEndOn: '2032-03-31', pendingEndRule: 'SUB-04' });
    // SUB-05 (CG services): 3 months from receipt, never before the end of the initial period.
    expect(cgExact.body.revision).toBeGreaterThan(0);
    expect(await view(cgOnTime)).toMatchObject({ pendingEndOn: '2031-03-31', pendingEndRule: 'SUB-05' });
    expect(await view(cgLate)).toMatchObject({ pendingEndOn: '2031-04-01', pendingEndRule: 'SUB-05' });
    const renewals = await get('/subscriptions/renewals-due?from=2031-03-31&to=2031-03-31&limit=200').expect(200);
    const renewing = renewals.body.items.map((c: { subscriptionId: string }) => c.subscriptionId);
    expect(renewing).toEqual(expect.arrayContaining([late, cgLate]));
    expect(renewing).not.toContain(onTime);
    expect(renewing).not.toContain(cgOnTime);

    await travel('2031-04-02T12:00:00Z');
    await eventually(async () => {
      await caughtUp();
      expect(await view(onTime)).toMatchObject({ status: 'terminated', endedOn: '2031-03-31' });
      expect(await view(cgOnTime)).toMatchObject({ status: 'terminated', endedOn: '2031-03-31' });
      expect(await view(cgLate)).toMatchObject({ status: 'terminated', endedOn: '2031-04-01' });
      const y = await view(late);
      expect(y).toMatchObject({ status: 'active', pendingEndOn: '2032-03-31' });
      expect(y.commitment).toMatchObject({ renewalCount: 1, periodStartOn: '2031-04-01', periodEndOn: '2032-03-31', renewsAtPeriodEnd: false, noticeDeadlineOn: null });
    });
    // The late CG letter renewed the contract for the one day it ran into the renewal period.
    expect(await streamTypes(cgLate)).toEqual(expect.arrayContaining(['SubscriptionRenewed', 'SubscriptionTerminated']));
    expect((await streamTypes(onTime)).filter((e) => e === 'SubscriptionTerminated')).toHaveLength(1);
    expect(await streamTypes(onTime)).not.toContain('SubscriptionRenewed');
  });

  it('SUB-03 SUB-07 sign, activate, travel 61 months with the test clock: the scheduler renews and the read model shows it', async () => {
    const id = await activeContract('DATA', '2031-04-02');
    await caughtUp();
    expect((await get(`/subscriptions/${id}`).expect(200)).body.commitment).toMatchObject({ periodStartOn: '2031-05-01', periodEndOn: '2036-04-30', renewalCount: 0, monthsRemaining: 60 });
    const before = await get(`/subscriptions/renewals-due?from=2036-04-01&to=2036-04-30&customerId=${customerId}`).expect(200);
    expect(before.body.items.map((c: { subscriptionId: string }) => c.subscriptionId)).toContain(id);

    await api().post('/admin/clock').set('X-API-Key', KEYS.admin).send({ advance: 'P61M' }).expect(200);
    const renewed = await eventually(async () => {
      await caughtUp();
      const c = (await get(`/subscriptions/${id}`).expect(200)).body.commitment;
      expect(c).toMatchObject({ renewalCount: 1, periodKind: 'renewal', periodStartOn: '2036-05-01', periodEndOn: '2037-04-30', initialEndOn: '2036-04-30' });
      return c;
    });
    // Months remaining come from the clock at query time (2 May 2036): June 2036 … April 2037.
    expect(renewed).toMatchObject({ asOf: '2036-05-02', monthsRemaining: 11, noticeDeadlineOn: '2037-01-31' });
    const events = await t.runtime.pool.query(`SELECT type, metadata FROM es_events WHERE stream_id = $1 AND type = 'SubscriptionRenewed'`, [`subscription-${id}`]);
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0].metadata.actor).toEqual({ id: 'subscription-scheduler', role: 'system' });
  });

  it('SUB-03 renewal after 60 months then yearly for 3 years, driven by the scheduler and the test clock, each exactly once', async () => {
    const id = await activeContract('DATA', '2036-05-02');
    const expected = [
      ['2041-06-01', '2042-05-31'],
      ['2042-06-01', '2043-05-31'],
      ['2043-06-01', '2044-05-31'],
      ['2044-06-01', '2045-05-31'],
    ];
    for (const [n, [start, end]] of expected.entries()) {
      await travel(`${start}T12:00:00Z`);
      await eventually(async () => {
        await caughtUp();
        const c = (await graphql(`query($id: ID!) { subscription(id: $id) { commitment { renewalCount periodStartOn periodEndOn } } }`, { id }, KEYS.auditor)).body.data.subscription.commitment;
        expect(c).toEqual({ renewalCount: n + 1, periodStartOn: start, periodEndOn: end });
      });
      const due = await graphql(`query($from: String!, $to: String!) { renewalsDue(from: $from, to: $to) { items { subscriptionId periodEndOn renewalCount } } }`, { from: end, to: end }, KEYS.auditor);
      expect(due.body.data.renewalsDue.items).toContainEqual({ subscriptionId: id, periodEndOn: end, renewalCount: n + 1 });
    }
    const renewals = await t.runtime.pool.query(`SELECT data FROM es_events WHERE stream_id = $1 AND type = 'SubscriptionRenewed' ORDER BY revision`, [`subscription-${id}`]);
    expect(renewals.rows.map((r) => [r.data.endedPeriodLastDay, r.data.period.index])).toEqual([
      ['2041-05-31', 1],
      ['2042-05-31', 2],
      ['2043-05-31', 3],
      ['2044-05-31', 4],
    ]);
    const actions = await t.runtime.pool.query(`SELECT key, status FROM due_actions WHERE aggregate_id = $1 AND kind = 'subscription.renewal' ORDER BY due_at`, [id]);
    expect(actions.rows.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'pending']);
  });
  // The clock now stands on 1 June 2044 (previous test); the commands below are dated that day.
  it('SUB-12 SUB-13 SUB-14 SUB-11 SUB-10 CON-02 CON-03 SUS-02 DATA changes, notices and non-payment over REST', async () => {
    const id = await activeContract('DATA', '2044-06-01');
    const ok = (path: string, body: object = {}) => post(`/subscriptions/${id}/${path}`, body).expect(200).then((r) => r.body);
    const migration = await ok('plan-migrations', { itemId: 'link-1', targetPlan: 'SDSL-8M', targetRange: 'DATA', requestedOn: '2044-06-01' });
    expect(migration.events).toEqual(['PlanMigrationRequested']);
    const outside = await post(`/subscriptions/${id}/plan-migrations`, { itemId: 'link-1', targetPlan: 'FIBRE', targetRange: 'FIBRE', requestedOn: '2044-06-01' }).expect(422);
    expect(outside.body.errors[0]).toMatchObject({ field: 'targetRange', rule: 'SUB-12' });
    await ok('plan-migrations/answer', { migrationId: migration.createdId, outcome: 'accepted', plannedOn: '2044-06-10' });
    expect((await ok('plan-migrations/complete', { migrationId: migration.createdId, migratedOn: '2044-06-01', speedChanged: false })).events).toEqual(['PlanMigrated']);
    expect((await ok('capacity-changes', { itemId: 'link-1', change: 'speed', from: '4M', to: '8M', changedOn: '2044-06-01' })).events).toEqual(['DataLinkCapacityChanged', 'CommitmentRestarted']);
    const equipment = await ok('equipment-modifications', { channel: 'electronic', description: 'router swap' });
    await ok('equipment-modifications/answer', { requestId: equipment.createdId, approved: true });
    const byLetter = await post(`/subscriptions/${id}/equipment-modifications`, { channel: 'letter', description: 'x' }).expect(422);
    expect(byLetter.body.errors[0]).toMatchObject({ field: 'channel', rule: 'SUB-11' });
    const saturation = await ok('saturations', { itemId: 'link-1', triggeredOn: '2044-06-01' });
    expect((await ok('saturations/notify-delay', { saturationId: saturation.createdId })).events).toEqual(['SaturationDelayNotified']);
    const change = await ok('data-changes', { itemId: 'link-1', kind: 'range', channel: 'electronic', details: 'SDSL → SDSL EFM' });
    await ok('data-changes/feasibility', { changeId: change.createdId, feasible: true });
    expect((await ok('data-changes/complete', { changeId: change.createdId, changedOn: '2044-06-01' })).events).toEqual(['DataChangeCompleted']);
    expect((await ok('tariff-change-notices', { noticeOn: '2044-06-01', effectiveOn: '2044-08-01', description: 'SDSL +3%' })).events).toEqual(['TariffChangeNotified']);
    const tooSoon = await post(`/subscriptions/${id}/tariff-change-notices`, { noticeOn: '2044-06-01', effectiveOn: '2044-07-31', description: 'x' }).expect(422);
    expect(tooSoon.body).toMatchObject({ code: 'price_change_notice_too_short', errors: [{ field: 'effectiveOn', rule: 'CON-02' }] });
    expect((await ok('terms-change-notices', { noticeOn: '2044-06-01', effectiveOn: '2044-07-01', termsVersion: 'CG-2044.1', description: 'art. 6' })).events).toEqual(['TermsChangeNotified']);
    const notDue = await post(`/subscriptions/${id}/renewals`, { periodLastDay: '2049-05-31' }, KEYS.system).expect(422);
    expect(notDue.body.errors[0]).toMatchObject({ field: 'periodLastDay', rule: 'SUB-03' });
    expect((await post(`/subscriptions/${id}/deadlines/passed`, { key: 'subscription.renewal:none' }, KEYS.system).expect(200)).body.events).toEqual([]);
    await post(`/subscriptions/${id}/renewals`, { periodLastDay: '2049-05-31' }).expect(403);
    const unpaid = await ok('terminations/non-payment', { invoiceRef: 'F-2044-05', invoiceDueOn: '2044-05-01', lrarReceivedOn: '2044-06-01' });
    expect(unpaid.events).toEqual(['NonPaymentTerminationNotified']);
    await caughtUp();
    const view = (await get(`/subscriptions/${id}`).expect(200)).body;
    // SUB-13: the speed change re-committed from the change date; SUS-02: the contract ends 2 days after the LRAR.
    expect(view).toMatchObject({ pendingEndOn: '2044-06-03', pendingEndRule: 'SUS-02' });
    expect(view.commitment).toMatchObject({ anchorOn: '2044-06-01', periodEndOn: '2049-05-31', renewsAtPeriodEnd: false });
    expect(view.items[0]).toMatchObject({ plan: 'SDSL-8M' });
  });

  it('SUB-09 guarantee refused → order cancelled by OKSIO; cancelled by the client: the order lists by status', async () => {
    const g = (await post('/subscriptions', orderBody('DATA', '2044-06-01')).expect(201)).body.subscriptionId;
    await post(`/subscriptions/${g}/feasibility`, { feasible: true }).expect(200);
    await post(`/subscriptions/${g}/guarantee/request`, { insolvencyRiskReason: 'late payments', amount: '500.00' }).expect(200);
    await post(`/subscriptions/${g}/sign`, { signedOn: '2044-06-01' }).expect(200);
    const blocked = await post(`/subscriptions/${g}/activate`, { activatedOn: '2044-06-01' }).expect(422);
    expect(blocked.body.errors[0]).toMatchObject({ field: 'guarantee', rule: 'SUB-09' });
    await post(`/subscriptions/${g}/guarantee/answer`, { provided: false }).expect(200);
    expect((await post(`/subscriptions/${g}/order/cancel-for-refused-guarantee`).expect(200)).body.events).toEqual(['OrderCancelledByOksio']);
    const c = (await post('/subscriptions', orderBody('FIXED_VGA', '2044-06-01')).expect(201)).body.subscriptionId;
    await post(`/subscriptions/${c}/feasibility`, { feasible: true }).expect(200);
    expect((await post(`/subscriptions/${c}/order/cancel-by-client`, { withOksioWrittenAgreement: false }).expect(200)).body.events).toEqual(['OrderCancelledByClient']);
    const refused = (await post('/subscriptions', orderBody('FIXED_VGA', '2044-06-01')).expect(201)).body.subscriptionId;
    const noReason = await post(`/subscriptions/${refused}/feasibility`, { feasible: false }).expect(422);
    expect(noReason.body.errors[0]).toMatchObject({ field: 'reason', rule: 'SUB-09' });
    await post(`/subscriptions/${refused}/feasibility`, { feasible: false, reason: 'no copper pair' }).expect(200);
    await caughtUp();
    const cancelled = await get('/subscriptions/orders?status=cancelled&limit=200').expect(200);
    expect(cancelled.body.items.map((o: { subscriptionId: string }) => o.subscriptionId)).toEqual(expect.arrayContaining([g, c]));
    const refusedOrders = await graphql(`{ orders(status: "refused") { total items { subscriptionId status } } }`, {}, KEYS.auditor);
    expect(refusedOrders.body.data.orders.items).toContainEqual({ subscriptionId: refused, status: 'refused' });
  });

  it('SUB-15 SUS-06 SUS-05 SUB-08 SUB-16 SUB-19 CON-04 line info, deliveries, force majeure, immediate and per-line ends, PBX withdrawal, SIP rates', async () => {
    const m = await activeContract('MOBILE', '2044-06-01');
    const info = await post(`/subscriptions/${m}/lines/info`, { lineId: 'line-1', rio: '01P123456ABC', previousContractEndsOn: null }).expect(200);
    expect(info.body.events).toEqual(['LineInfoCollected']);
    const again = await post(`/subscriptions/${m}/lines/info`, { lineId: 'line-1', rio: '01P123456ABC' }).expect(422);
    expect(again.body.errors[0]).toMatchObject({ rule: 'SUB-15' });
    const early = await post(`/subscriptions/${m}/deliveries/suspend`, { invoiceRef: 'F-1', invoiceDueOn: '2044-05-28' }).expect(422);
    expect(early.body.errors[0]).toMatchObject({ field: 'invoiceDueOn', rule: 'SUS-06' });
    await post(`/subscriptions/${m}/deliveries/suspend`, { invoiceRef: 'F-1', invoiceDueOn: '2044-05-01' }).expect(200);
    await caughtUp();
    expect((await get(`/subscriptions/${m}`).expect(200)).body.deliveriesSuspended).toBe(true);
    await post(`/subscriptions/${m}/deliveries/resume`).expect(200);
    await post(`/subscriptions/${m}/suspensions`, { reason: 'force_majeure', scope: 'full', forceMajeureStartedOn: '2044-06-01' }).expect(200);
    const tooSoon = await post(`/subscriptions/${m}/terminations/force-majeure`, { by: 'oksio' }).expect(422);
    expect(tooSoon.body.errors[0]).toMatchObject({ rule: 'SUS-05' });
    const fraud = await post(`/subscriptions/${m}/terminations/immediate`, { reason: 'fraud_or_sim_duplication', details: 'duplicated SIM' }).expect(200);
    expect(fraud.body.events).toContain('SubscriptionTerminated');

    const v = await activeContract('FIXED_VGA', '2044-06-01');
    const loop = await post(`/subscriptions/${v}/lines/local-loop-ended`, { lineId: 'line-1', endedOn: '2044-06-01', change: 'cancelled' }).expect(200);
    expect(loop.body.events).toEqual(['ItemTerminated', 'SubscriptionTerminated']);

    const p = await activeContract('HOSTED_PBX', '2044-06-01');
    expect((await post(`/subscriptions/${p}/software-withdrawal`).expect(200)).body.events).toEqual(['SoftwareWithdrawalAnnounced']);

    const sip = await activeContract('FIXED_SIP', '2044-06-01');
    expect((await post(`/subscriptions/${sip}/sip-rate-change-notices`, { noticeOn: '2044-06-01', effectiveOn: '2045-01-01', description: 'rates 2045' }).expect(200)).body.events).toEqual(['SipRateChangeNotified']);
    await caughtUp();
    expect((await get(`/subscriptions/${m}`).expect(200)).body).toMatchObject({ status: 'terminated', endedOn: '2044-06-01', activeSuspensions: 0 });
    const ended = await get(`/subscriptions/suspensions?subscriptionId=${m}&state=ended`).expect(200);
    expect(ended.body.items).toEqual([expect.objectContaining({ reason: 'force_majeure', endedBy: 'termination', rule: 'SUS-05' })]);
    expect((await get(`/subscriptions/${v}`).expect(200)).body).toMatchObject({ status: 'terminated', endedOn: '2044-06-01' });
    expect((await get(`/subscriptions/${p}`).expect(200)).body).toMatchObject({ pendingEndOn: '2045-12-01', pendingEndRule: 'SUB-19' });
    const terminated = await get(`/subscriptions?status=terminated&customerId=${customerId}&limit=200`).expect(200);
    expect(terminated.body.items.map((s: { subscriptionId: string }) => s.subscriptionId)).toEqual(expect.arrayContaining([m, v]));
  });
  it('POR-06 a port-out over REST and GraphQL ends the MOBILE line on the porting date with the SUB-07 basis; bad input 400/422, nothing appended', async () => {
    // The clock stands on 1 June 2044; activated that day, the commitment runs 1 July 2044 … 30 June 2049.
    const m = await activeContract('MOBILE', '2044-06-01');
    // This contract's stream only: the scheduler appends elsewhere on its own.
    const before = await streamCount(m);
    const badDate = await post(`/subscriptions/${m}/lines/port-out`, { lineId: 'line-1', portingId: 'p-1', portedOn: '2044-02-30' }).expect(400);
    expect(badDate.body.errors[0]).toMatchObject({ field: 'portedOn', rule: 'POR-06' });
    const future = await post(`/subscriptions/${m}/lines/port-out`, { lineId: 'line-1', portingId: 'p-1', portedOn: '2044-06-02' }).expect(422);
    expect(future.body.errors[0]).toMatchObject({ field: 'portedOn', rule: 'POR-06' });
    const unknownLine = await post(`/subscriptions/${m}/lines/port-out`, { lineId: 'line-9', portingId: 'p-1', portedOn: '2044-06-01' }).expect(422);
    expect(unknownLine.body.errors[0]).toMatchObject({ field: 'lineId', rule: 'POR-06' });
    await post(`/subscriptions/${m}/lines/port-out`, { lineId: 'line-1', portingId: 'p-1', portedOn: '2044-06-01' }, KEYS.auditor).expect(403);
    expect(await streamCount(m)).toBe(before);

    const ported = await post(`/subscriptions/${m}/lines/port-out`, { lineId: 'line-1', portingId: 'p-1', portedOn: '2044-06-01' }).expect(200);
    expect(ported.body.events).toEqual(['ItemTerminated']);
    const [ended] = (await t.runtime.pool.query(`SELECT data FROM es_events WHERE stream_id = $1 AND type = 'ItemTerminated'`, [`subscription-${m}`])).rows.map((r) => r.data);
    // SUB-07: July 2044 … June 2049 = 60 whole months after June.
    expect(ended).toMatchObject({ itemId: 'line-1', cause: 'port_out', rule: 'POR-06', portingId: 'p-1', monthsRemaining: 60, commitmentPeriodLastDay: '2049-06-30', feeBasis: 'early_termination_average', earlyTerminationFeeDue: true });
    const last = await graphql(
      `mutation($id: ID!, $input: TerminateLineByPortOutInput!) { terminateLineByPortOut(subscriptionId: $id, input: $input) { events revision } }`,
      { id: m, input: { lineId: 'line-2', portingId: 'p-2', portedOn: '2044-06-01' } },
    );
    expect(last.body.errors).toBeUndefined();
    expect(last.body.data.terminateLineByPortOut.events).toEqual(['ItemTerminated', 'SubscriptionTerminated']);
    await caughtUp();
    const view = (await get(`/subscriptions/${m}`).expect(200)).body;
    expect(view).toMatchObject({ status: 'terminated', endedOn: '2044-06-01' });
    expect(view.items.map((i: { status: string; endsOn: string }) => [i.status, i.endsOn])).toEqual([
      ['terminated', '2044-06-01'],
      ['terminated', '2044-06-01'],
    ]);
  });
});

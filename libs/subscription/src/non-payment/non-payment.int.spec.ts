import request from 'supertest';
import { KEYS, settle, startTestApp, type TestApp } from '../../../../test/support/app';

/**
 * The non-payment process manager end to end over HTTP on real PostgreSQL, driven by the test
 * clock: Billing issues and follows the invoice, the Subscription context suspends and lifts.
 * The clock only moves forward through this file, so tests run in order.
 */
describe('Non-payment process manager (Billing → Subscription, SUS-02 / SUS-06)', () => {
  let t: TestApp;
  let customerId: string;
  let dataSub: string;
  let mobileSub: string;
  let march: { invoiceId: string; number: string; dueOn: string };

  const api = () => request(t.http);
  const travel = (instant: string) => api().post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant }).expect(200);
  const post = (path: string, body: object = {}, key: string = KEYS.support) => api().post(path).set('X-API-Key', key).send(body);
  const get = (path: string, key: string = KEYS.auditor) => api().get(path).set('X-API-Key', key);
  const streamTypes = async (id: string): Promise<string[]> =>
    (await t.runtime.pool.query('SELECT type FROM es_events WHERE stream_id = $1 ORDER BY revision', [`subscription-${id}`])).rows.map((r) => r.type);
  const invoiceTypes = async (streamId: string): Promise<string[]> =>
    (await t.runtime.pool.query('SELECT type FROM es_events WHERE stream_id = $1 ORDER BY revision', [streamId])).rows.map((r) => r.type);
  const streamCount = async (streamId: string) => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events WHERE stream_id = $1', [streamId])).rows[0].count);
  const pendingActions = async () =>
    Number((await t.runtime.pool.query(`SELECT count(*) FROM due_actions WHERE source = 'subscription-nonpayment' AND status = 'pending' AND due_at <= $1`, [t.runtime.clock.now()])).rows[0].count);

  /** Polls until the assertion holds: due actions run on the scheduler's ticks, projections follow. */
  async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await settle(t);
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Every non-payment action due now has run, and what it appended is projected. */
  const actionsDone = () => eventually(async () => expect(await pendingActions()).toBe(0));

  async function activeContract(service: 'DATA' | 'MOBILE', on: string): Promise<string> {
    const items = service === 'DATA' ? [{ itemId: 'link-1', label: 'SDSL Lyon', plan: 'SDSL-4M' }] : [{ itemId: 'line-1', label: '0612345678' }];
    const placed = await post('/subscriptions', { customerId, service, items, quoteDate: on, orderAmount: '100.00' }).expect(201);
    const id = placed.body.subscriptionId as string;
    await post(`/subscriptions/${id}/feasibility`, { feasible: true, studyReference: 'EF-1' }).expect(200);
    await post(`/subscriptions/${id}/sign`, { signedOn: on }).expect(200);
    if (service === 'MOBILE') await post(`/subscriptions/${id}/lines/activate`, { lineId: 'line-1', simActivatedOn: on }).expect(200);
    else await post(`/subscriptions/${id}/activate`, { activatedOn: on }).expect(200);
    return id;
  }

  const unpaidSuspensions = async (state: 'active' | 'ended') =>
    (await get(`/subscriptions/suspensions?state=${state}&customerId=${customerId}&reason=unpaid&limit=200`).expect(200)).body.items as Array<Record<string, any>>;

  beforeAll(async () => {
    t = await startTestApp();
    await travel('2026-03-02T10:00:00Z');
    const customer = await post('/customers', {
      companyName: 'Fromagerie Dupont SAS',
      siret: '73282932000074',
      billingAddress: { line1: '3 quai Saint-Antoine', postalCode: '69002', city: 'Lyon', country: 'FR' },
      contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Paul Dupont', email: 'paul@example.fr', phone: '0612345678' }],
    }).expect(201);
    customerId = customer.body.customerId;
    dataSub = await activeContract('DATA', '2026-03-02');
    mobileSub = await activeContract('MOBILE', '2026-03-02');
    await settle(t);
  });
  afterAll(async () => t?.close());

  it('SUS-02 the policy is automatic by default; changing it is for an admin, with a valid value and a reason (400/403, nothing appended)', async () => {
    expect((await get('/non-payment/policy').expect(200)).body).toMatchObject({ serviceSuspension: 'automatic', deliveriesSuspension: 'automatic', source: 'default', setAt: null });
    const bad = await api().put('/non-payment/policy').set('X-API-Key', KEYS.admin).send({ serviceSuspension: 'sometimes', deliveriesSuspension: 'manual', reason: 'x' }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'serviceSuspension', rule: 'SUS-02' });
    await api().put('/non-payment/policy').set('X-API-Key', KEYS.admin).send({ serviceSuspension: 'manual', deliveriesSuspension: 'manual' }).expect(400);
    await api().put('/non-payment/policy').set('X-API-Key', KEYS.support).send({ serviceSuspension: 'manual', deliveriesSuspension: 'manual', reason: 'x' }).expect(403);
    expect(await streamCount('subscriptionpolicy-nonpayment')).toBe(0);
  });

  it('SUS-02 a billing month left unpaid: no suspension before due date + 7 days, then both contracts suspended for non-payment (reason unpaid) by the process manager', async () => {
    await travel('2026-04-01T06:00:00Z');
    const run = await post('/billing/runs', { month: '2026-03' }, KEYS.admin).expect(201);
    expect([...run.body.issued, ...run.body.alreadyIssued].map((i: { customerId: string }) => i.customerId)).toContain(customerId);
    march = await eventually(async () => {
      const res = await get(`/billing/invoices?customerId=${customerId}&month=2026-03`).expect(200);
      expect(res.body.total).toBe(1);
      return res.body.items[0];
    });
    expect(march.dueOn).toBe('2026-05-01');

    // 7 May: overdue, but SUS-02 allows a suspension from 8 May only.
    await travel('2026-05-07T20:00:00Z');
    await eventually(async () => expect(await invoiceTypes(`invoice-${march.invoiceId}`)).toContain('InvoiceBecameOverdue'));
    await new Promise((r) => setTimeout(r, 1500)); // a scheduler tick or more
    await actionsDone();
    expect(await unpaidSuspensions('active')).toEqual([]);
    expect(await streamTypes(dataSub)).not.toContain('ServiceSuspended');

    await travel('2026-05-08T06:00:00Z'); // 08:00 in Paris
    const suspended = await eventually(async () => {
      const items = await unpaidSuspensions('active');
      expect(items.map((s) => s.subscriptionId).sort()).toEqual([dataSub, mobileSub].sort());
      return items;
    });
    for (const s of suspended) {
      expect(s).toMatchObject({ suspensionId: `unpaid:${march.number}`, reason: 'unpaid', scope: 'full', rule: 'SUS-02', conservatory: false, details: { unpaidInvoice: { invoiceRef: march.number, dueOn: '2026-05-01' }, subscriptionFeesContinue: true } });
    }
    // Sent by the process manager under the due action's deterministic command id.
    const [event] = (await t.runtime.pool.query(`SELECT metadata FROM es_events WHERE stream_id = $1 AND type = 'ServiceSuspended'`, [`subscription-${dataSub}`])).rows;
    const [action] = (await t.runtime.pool.query(`SELECT command_id, status FROM due_actions WHERE key = $1`, [`subscription.nonpayment:${march.invoiceId}:${dataSub}:suspend:0`])).rows;
    expect(event.metadata).toMatchObject({ actor: { id: 'subscription-nonpayment', role: 'system' }, commandId: action.command_id });
    expect(action.status).toBe('done');
    const cases = await get(`/non-payment/cases?customerId=${customerId}`).expect(200);
    expect(cases.body.items).toEqual([
      expect.objectContaining({ invoiceId: march.invoiceId, invoiceRef: march.number, status: 'unpaid', dueOn: '2026-05-01', suspensionAllowedFrom: '2026-05-08', subscriptionIds: [dataSub, mobileSub].sort() }),
    ]);
    expect((await get(`/subscriptions/${dataSub}`).expect(200)).body).toMatchObject({ status: 'active', activeSuspensions: 1 });
  });

  it('SUS-06 from the 9th business day after the due date the MOBILE contract has its deliveries suspended (not the DATA one)', async () => {
    // Due Friday 1 May (holiday): business days 4–7, (8 May holiday), 11–13, (14 Ascension), 15, 18 → 18 May is the 9th.
    await travel('2026-05-15T12:00:00Z');
    await actionsDone();
    expect((await get(`/subscriptions/${mobileSub}`).expect(200)).body.deliveriesSuspended).toBe(false);
    await travel('2026-05-18T06:00:00Z');
    await eventually(async () => expect((await get(`/subscriptions/${mobileSub}`).expect(200)).body.deliveriesSuspended).toBe(true));
    expect((await get(`/subscriptions/${dataSub}`).expect(200)).body.deliveriesSuspended).toBe(false);
    const [suspended] = (await t.runtime.pool.query(`SELECT data FROM es_events WHERE stream_id = $1 AND type = 'DeliveriesSuspended'`, [`subscription-${mobileSub}`])).rows;
    expect(suspended.data).toMatchObject({ invoiceRef: march.number, invoiceDueOn: '2026-05-01', suspendedOn: '2026-05-18', businessDaysOverdue: 9 });
  });

  it('SUS-02 SUS-06 the invoice paid: the suspensions are lifted and deliveries resume; a rebuild of the process manager appends nothing again', async () => {
    const invoice = (await get(`/billing/invoices/${march.invoiceId}`).expect(200)).body;
    const paid = await post(`/billing/invoices/${march.invoiceId}/payments`, { amount: invoice.outstanding, receivedOn: '2026-05-18', method: 'bank_transfer' }, KEYS.system).expect(201);
    expect(paid.body.events).toEqual(['PaymentRecorded', 'InvoiceSettled']);
    await eventually(async () => {
      expect(await unpaidSuspensions('active')).toEqual([]);
      expect((await get(`/subscriptions/${mobileSub}`).expect(200)).body).toMatchObject({ deliveriesSuspended: false, activeSuspensions: 0 });
    });
    const ended = await unpaidSuspensions('ended');
    expect(ended.map((s) => [s.subscriptionId, s.endedBy, s.reconnectionCostsBillable]).sort()).toEqual(
      [
        [dataSub, 'lifted', true],
        [mobileSub, 'lifted', true],
      ].sort(),
    );
    expect(await streamTypes(mobileSub)).toEqual(expect.arrayContaining(['ServiceSuspended', 'DeliveriesSuspended', 'SuspensionLifted', 'DeliveriesResumed']));
    const gql = await api()
      .post('/graphql')
      .set('X-API-Key', KEYS.auditor)
      .send({ query: `query($c: ID) { nonPaymentCases(customerId: $c) { total items { invoiceRef status settledOn deliveriesSubscriptionIds } } }`, variables: { c: customerId } })
      .expect(200);
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.nonPaymentCases.items).toEqual([{ invoiceRef: march.number, status: 'settled', settledOn: '2026-05-18', deliveriesSubscriptionIds: [mobileSub] }]);

    // Replay: the rebuilt projection schedules the same actions with the same command ids; nothing is appended twice.
    await actionsDone();
    const before = [await streamCount(`subscription-${dataSub}`), await streamCount(`subscription-${mobileSub}`)];
    const commandIds = async () =>
      (await t.runtime.pool.query(`SELECT key, command_id FROM due_actions WHERE source = 'subscription-nonpayment' AND aggregate_id = $1 ORDER BY key`, [march.invoiceId])).rows;
    const idsBefore = await commandIds();
    // Per contract: suspend then lift (both), suspend then resume deliveries (MOBILE).
    expect(idsBefore.map((r) => r.key.split(':').slice(3).join(':')).sort()).toEqual(['lift:0', 'lift:0', 'resume-deliveries:0', 'suspend-deliveries:0', 'suspend:0', 'suspend:0']);
    await api().post('/admin/projections/subscription-nonpayment/rebuild').set('X-API-Key', KEYS.admin).expect(202);
    await settle(t);
    await new Promise((r) => setTimeout(r, 1500));
    await actionsDone();
    expect([await streamCount(`subscription-${dataSub}`), await streamCount(`subscription-${mobileSub}`)]).toEqual(before);
    expect(await commandIds()).toEqual(idsBefore);
    const statuses = (await t.runtime.pool.query(`SELECT status, count(*)::int AS n FROM due_actions WHERE source = 'subscription-nonpayment' GROUP BY status`)).rows;
    expect(statuses.find((r) => r.status === 'failed')).toBeUndefined();
    expect((await get(`/non-payment/cases?customerId=${customerId}&status=settled`).expect(200)).body.total).toBe(1);
  });

  it('SUS-02 manual policy: Billing allows it but nothing is suspended automatically; an operator suspends by hand and the payment still lifts it', async () => {
    const set = await api().put('/non-payment/policy').set('X-API-Key', KEYS.admin).send({ serviceSuspension: 'manual', deliveriesSuspension: 'manual', reason: 'relances téléphoniques avant toute coupure' }).expect(200);
    expect(set.body).toMatchObject({ serviceSuspension: 'manual', deliveriesSuspension: 'manual', source: 'operator', events: ['NonPaymentPolicySet'] });
    const gql = await api().post('/graphql').set('X-API-Key', KEYS.auditor).send({ query: '{ nonPaymentPolicy { serviceSuspension deliveriesSuspension source } }' }).expect(200);
    expect(gql.body.data.nonPaymentPolicy).toEqual({ serviceSuspension: 'manual', deliveriesSuspension: 'manual', source: 'operator' });

    // The April invoice (issued by the scheduled run) goes unpaid past its due date + 7 days and its 9th business day.
    const april = await eventually(async () => {
      const res = await get(`/billing/invoices?customerId=${customerId}&month=2026-04`).expect(200);
      expect(res.body.total).toBe(1);
      return res.body.items[0] as { invoiceId: string; number: string; dueOn: string };
    });
    const due = new Date(`${april.dueOn}T12:00:00Z`);
    await travel(new Date(due.getTime() + 16 * 86_400_000).toISOString());
    await eventually(async () => {
      const cases = (await get(`/non-payment/cases?customerId=${customerId}&status=unpaid`).expect(200)).body.items;
      expect(cases).toEqual([expect.objectContaining({ invoiceRef: april.number, deliveriesSubscriptionIds: [mobileSub] })]);
    });
    await new Promise((r) => setTimeout(r, 1500));
    await actionsDone();
    expect(await unpaidSuspensions('active')).toEqual([]);
    expect((await get(`/subscriptions/${mobileSub}`).expect(200)).body.deliveriesSuspended).toBe(false);

    const byHand = await post(`/subscriptions/${dataSub}/suspensions`, { reason: 'unpaid', scope: 'international_calls', unpaidInvoice: { invoiceRef: april.number, dueOn: april.dueOn } }).expect(200);
    await eventually(async () => expect((await unpaidSuspensions('active')).map((s) => s.suspensionId)).toEqual([byHand.body.createdId]));
    const invoice = (await get(`/billing/invoices/${april.invoiceId}`).expect(200)).body;
    await post(`/billing/invoices/${april.invoiceId}/payments`, { amount: invoice.outstanding, receivedOn: invoice.dueOn, method: 'bank_transfer' }, KEYS.system).expect(201);
    await eventually(async () => expect(await unpaidSuspensions('active')).toEqual([]));
    const lifted = (await unpaidSuspensions('ended')).find((s) => s.suspensionId === byHand.body.createdId);
    expect(lifted).toMatchObject({ endedBy: 'lifted', scope: 'international_calls' });
  });
});

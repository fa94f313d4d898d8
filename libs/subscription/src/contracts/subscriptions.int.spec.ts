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
    await settle(t);
    const one = await get(`/subscriptions/${id}`).expect(200);
    expect(one.body).toMatchObject({ subscriptionId: id, customerId, service: 'DATA', status: 'active', orderStatus: 'delivered', signedOn: '2026-03-02', activatedOn: '2026-03-02' });
    expect(one.body.terms).toMatchObject({ cgVersion: 'CG-2026.1', cpVersion: 'CP-DATA-2026.1', noticeRule: 'before_period_end' });
    expect(one.body.commitment).toMatchObject({ periodStartOn: '2026-04-01', periodEndOn: '2031-03-31', initialEndOn: '2031-03-31', renewalCount: 0, noticeDeadlineOn: '2030-12-31', monthsRemaining: 60, asOf: '2026-03-02' });
    expect(one.headers['etag']).toBe('"4"');
  });
});

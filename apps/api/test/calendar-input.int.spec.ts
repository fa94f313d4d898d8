import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { KEYS, settle, startTestApp, type TestApp } from '../../../test/support/app';
import { customerBody } from '../../../test/reliability/support/api';

/**
 * Issue 18 item 1, the cases found by hand: each was accepted with 201 (or read as another day) and
 * the first two then stalled a projection forever. Now a 400 naming the field, nothing appended,
 * and the read models keep up.
 */
describe('issue 18 item 1 — accepted input is projectable: required nested objects, bounded dates, no rollover', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const events = async () => Number((await t.runtime.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);

  async function refused(method: 'post' | 'put', path: string, body: object, field: string, role: keyof typeof KEYS = 'admin') {
    const before = await events();
    const res = await request(t.http)[method](path).set('X-API-Key', KEYS[role]).send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await events()).toBe(before);
    return res.body;
  }

  it('SUB-01 a customer without its billing address is refused (the customers projection needs it)', async () => {
    const { billingAddress: _omitted, ...body } = customerBody();
    await refused('post', '/customers', body, 'billingAddress');
  });

  it.each([
    ['0000-01-01', /between 1900-01-01 and 2999-12-31/],
    ['2026-02-30', /no rollover/],
    ['+275760-09-13', /calendar date/],
  ])('SUB-09 an order quoted on %s is refused', async (quoteDate, why) => {
    const customer = customerBody();
    await request(t.http).post('/customers').set('X-API-Key', KEYS.system).send(customer).expect(201);
    const problem = await refused(
      'post',
      '/subscriptions',
      { customerId: customer.customerId, service: 'DATA', items: [{ itemId: 'link-1', label: 'SDSL', plan: 'SDSL-4M', dataLineFacts: { inDslCoverage: true } }], quoteDate, orderAmount: '100.00' },
      'quoteDate',
    );
    expect(problem.errors.find((e: { field: string }) => e.field === 'quoteDate')).toMatchObject({ rule: 'SUB-09', message: expect.stringMatching(why) });
  });

  it('INC-13 a ticket time of 30 February or of year 0 is refused, not read as 2 March', async () => {
    for (const notifiedAt of ['2026-02-30T10:00:00Z', '0000-01-01T00:00:00Z']) {
      await refused('post', `/tickets/${randomUUID()}/open`, { notifiedAt, serviceType: 'DATA', subscriptionId: randomUUID() }, 'notifiedAt');
    }
  });

  it('an audit replay as of 30 February is refused (was replayed as of 2 March)', async () => {
    const res = await request(t.http).get('/audit/streams/customer-x/state').query({ asOf: '2027-02-30T00:00:00Z' }).set('X-API-Key', KEYS.auditor).expect(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'asOf', message: expect.stringMatching(/no rollover/) });
  });

  it('BIL-09 a month outside the accepted years is refused on reads too', async () => {
    const res = await request(t.http).get('/billing/rated-calls').query({ subscriptionId: 'x', month: '0000-01' }).set('X-API-Key', KEYS.admin).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('month');
  });

  it('after all of it every projection is at the head', async () => {
    await settle(t);
  });
});

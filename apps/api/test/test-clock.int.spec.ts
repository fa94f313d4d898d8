import request from 'supertest';
import { KEYS, startTestApp, type TestApp } from '../../../test/support/app';

/**
 * The test clock takes instants with their offset only, and never goes back before what has been
 * recorded: events would otherwise be recorded before events already recorded, and every later
 * reading of the history (audit replay, deadlines, SLA clocks) would see a past that never was.
 */
const CUSTOMER = {
  companyName: 'Horloge SARL',
  siret: '73282932000074',
  billingAddress: { line1: '1 rue du Temps', postalCode: '75001', city: 'Paris', country: 'FR' },
  contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Jean Temps', email: 'jean@example.fr', phone: '0612345678' }],
};

describe('issue 18 item 9 — the test clock: an instant carries its offset; never before the newest recorded event', () => {
  let t: TestApp;
  const setClock = (body: object) => request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).send(body);
  const gql = (query: string) => request(t.http).post('/graphql').set('X-API-Key', KEYS.admin).send({ query }).expect(200);
  const now = () => t.runtime.clock.now().toISOString();

  beforeAll(async () => {
    t = await startTestApp({ ALLOW_CLOCK_REWIND: 'false' }); // the default outside the test harness
  });
  afterAll(async () => t?.close());

  it('an instant without an offset, or that rolls over, is a 400 naming instant (REST and GraphQL); the clock is unchanged', async () => {
    await setClock({ instant: '2031-02-01T08:00:00Z' }).expect(200);
    for (const instant of ['2031-02-01T08:00:00', '2031-02-01', '2031-02-30T08:00:00Z', '2031-02-01T24:00:00Z']) {
      const res = await setClock({ instant }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'instant' })]);
      const graph = await gql(`mutation { setTestClock(instant: "${instant}") { now } }`);
      expect(graph.body.errors[0].extensions).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'instant' })] });
    }
    expect(now()).toBe('2031-02-01T08:00:00.000Z');
    const offset = await setClock({ instant: '2031-02-01T10:00:00+01:00' }).expect(200);
    expect(offset.body.now).toBe('2031-02-01T09:00:00.000Z');
  });

  it('setting or advancing to before the newest recorded event is a 422 naming the field, over REST and GraphQL; nothing moves', async () => {
    await request(t.http)
      .post('/customers')
      .set('X-API-Key', KEYS.support)
      .send(CUSTOMER)
      .expect(201);
    const newest = (await t.runtime.pool.query(`SELECT metadata->>'occurredAt' AS at FROM es_events ORDER BY global_position DESC LIMIT 1`)).rows[0].at;
    expect(newest).toBe('2031-02-01T09:00:00.000Z');

    const back = await setClock({ instant: '2031-01-31T09:00:00Z' }).expect(422);
    expect(back.body).toMatchObject({ code: 'clock_before_recorded_events', errors: [{ field: 'instant' }] });
    expect(back.body.detail ?? back.body.title).toMatch(/2031-02-01T09:00:00.000Z/);
    const graph = await gql('mutation { setTestClock(instant: "2031-02-01T08:59:59Z") { now } }');
    expect(graph.body.errors[0].extensions).toMatchObject({ status: 422, code: 'clock_before_recorded_events', errors: [{ field: 'instant' }] });
    expect(now()).toBe('2031-02-01T09:00:00.000Z');

    // Real time (DELETE) stays possible; from there, advancing to a time still before the events is refused.
    await request(t.http).delete('/admin/clock').set('X-API-Key', KEYS.admin).expect(200);
    const advance = await setClock({ advance: 'P1D' }).expect(422);
    expect(advance.body).toMatchObject({ code: 'clock_before_recorded_events', errors: [{ field: 'advance' }] });
    const graphAdvance = await gql('mutation { setTestClock(advance: "P1D") { now } }');
    expect(graphAdvance.body.errors[0].extensions).toMatchObject({ status: 422, errors: [{ field: 'advance' }] });

    // At the newest event's instant, and after it, the clock moves.
    await setClock({ instant: '2031-02-01T09:00:00Z' }).expect(200);
    await setClock({ advance: 'PT1H' }).expect(200);
    expect(now()).toBe('2031-02-01T10:00:00.000Z');
  });

  it('ALLOW_CLOCK_REWIND=true (test harness only) lets the clock go back; it needs CLOCK=test', async () => {
    const rewinding = await startTestApp({ ALLOW_CLOCK_REWIND: 'true' });
    try {
      await request(rewinding.http).post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant: '2031-02-01T09:00:00Z' }).expect(200);
      await request(rewinding.http).post('/customers').set('X-API-Key', KEYS.support).send(CUSTOMER).expect(201);
      await request(rewinding.http).post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant: '2026-01-01T00:00:00Z' }).expect(200);
    } finally {
      await rewinding.close();
    }
  });
});

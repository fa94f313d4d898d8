import request from 'supertest';
import { KEYS, settle, startTestApp, type TestApp } from '../../../../test/support/app';

const body = (over: Record<string, unknown> = {}) => ({
  companyName: 'Boulangerie Martin SARL',
  siret: '73282932000074',
  billingAddress: { line1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
  contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Jeanne Martin', email: 'jeanne@example.fr', phone: '0612345678' }],
  ...over,
});

describe('Customers API (REST + GraphQL, encrypted contacts)', () => {
  let t: TestApp;
  const eventCount = async () => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('registers a customer, projects it, finds it by name and SIRET; contact details are encrypted in events', async () => {
    const res = await request(t.http).post('/customers').set('X-API-Key', KEYS.support).send(body()).expect(201);
    const { customerId } = res.body;
    await settle(t);
    const found = await request(t.http).get(`/customers?q=martin`).set('X-API-Key', KEYS.support).expect(200);
    expect(found.body.map((c: { customerId: string }) => c.customerId)).toContain(customerId);
    const bySiret = await request(t.http).get(`/customers?q=7328293`).set('X-API-Key', KEYS.support).expect(200);
    expect(bySiret.body[0].customerId).toBe(customerId);
    const one = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(one.body.contacts[0]).toMatchObject({ name: 'Jeanne Martin', email: 'jeanne@example.fr', erased: false });
    const raw = await t.runtime.pool.query(`SELECT data::text FROM es_events WHERE stream_id = $1`, [`customer-${customerId}`]);
    expect(raw.rows.map((r) => r.data).join('')).not.toMatch(/Jeanne|jeanne@example/);
    expect(raw.rows.map((r) => r.data).join('')).toContain('Boulangerie Martin SARL');
  });

  it('invalid body → 400 naming every field, nothing written', async () => {
    const before = await eventCount();
    const res = await request(t.http)
      .post('/customers')
      .set('X-API-Key', KEYS.system)
      .send(body({ siret: '12', contacts: [{ role: 'boss', authorisedForSupport: 'yes', name: '', email: 'x', phone: '12' }], colour: 'red' }))
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['siret', 'colour', 'contacts.0.role', 'contacts.0.authorisedForSupport', 'contacts.0.name', 'contacts.0.email', 'contacts.0.phone']));
    expect(await eventCount()).toBe(before);
  });

  it('a business refusal → 422 naming the field and the rule, nothing written', async () => {
    const before = await eventCount();
    const bad = await request(t.http).post('/customers').set('X-API-Key', KEYS.system).send(body({ siret: '73282932000075' })).expect(422);
    expect(bad.body).toMatchObject({ code: 'invalid_siret', errors: [{ field: 'siret' }] });
    const noSignatory = await request(t.http)
      .post('/customers')
      .set('X-API-Key', KEYS.system)
      .send(body({ contacts: [{ role: 'technical', authorisedForSupport: true, name: 'Paul', email: 'p@example.fr', phone: '0145678901' }] }))
      .expect(422);
    expect(noSignatory.body).toMatchObject({ code: 'signatory_required', errors: [{ field: 'contacts', rule: 'SUB-01' }] });
    expect(await eventCount()).toBe(before);
  });

  it('unknown customer → 404; malformed id → 400', async () => {
    await request(t.http).get('/customers/0195f3c2-7d2a-7c4e-9f00-000000000000').set('X-API-Key', KEYS.support).expect(404);
    await request(t.http).get('/customers/not-a-uuid').set('X-API-Key', KEYS.support).expect(400);
    const res = await request(t.http)
      .post('/customers/0195f3c2-7d2a-7c4e-9f00-000000000000/contacts')
      .set('X-API-Key', KEYS.support)
      .send({ role: 'technical', authorisedForSupport: false, name: 'Paul', email: 'p@example.fr', phone: '0145678901' })
      .expect(404);
    expect(res.body.code).toBe('customer_not_found');
  });

  it('the same command retried 100 times concurrently with one Idempotency-Key has one effect', async () => {
    const before = await eventCount();
    const send = () =>
      request(t.http).post('/customers').set('X-API-Key', KEYS.system).set('Idempotency-Key', 'register-boulangerie-2').send(body({ companyName: 'Idem SARL' }));
    const responses = await Promise.all(Array.from({ length: 100 }, send));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const ok = responses.filter((r) => r.status === 201);
    expect(new Set(ok.map((r) => r.body.customerId)).size).toBe(1);
    expect(await eventCount()).toBe(before + 2); // CustomerRegistered + one contact
    const later = await send().expect(201);
    expect(later.body.customerId).toBe(ok[0].body.customerId);
  });

  it('GraphQL uses the same application layer: mutation, query and validation errors', async () => {
    const mutation = `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId } }`;
    const created = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.system)
      .send({ query: mutation, variables: { input: body({ companyName: 'GraphQL SAS' }) } })
      .expect(200);
    const id = created.body.data.registerCustomer.customerId;
    await settle(t);
    const q = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.support)
      .send({ query: `{ customer(customerId: "${id}") { companyName contacts { name erased } } }` })
      .expect(200);
    expect(q.body.data.customer).toEqual({ companyName: 'GraphQL SAS', contacts: [{ name: 'Jeanne Martin', erased: false }] });
    const invalid = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.system)
      .send({ query: mutation, variables: { input: body({ siret: '123' }) } })
      .expect(200);
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'validation_failed', status: 400, errors: [{ field: 'siret' }] });
    const denied = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.auditor)
      .send({ query: mutation, variables: { input: body() } })
      .expect(200);
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'forbidden', status: 403 });
  });
});

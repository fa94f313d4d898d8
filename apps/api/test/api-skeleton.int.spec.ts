import request from 'supertest';
import { KEYS, startTestApp, type TestApp } from '../../../test/support/app';

describe('API skeleton: auth, problem+json, validation, idempotency, test clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('health needs no key and reports database, event store and projection lag', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'up', database: { status: 'up' }, eventStore: { status: 'up' }, eventStoreAdapter: 'postgresql' });
    expect(Array.isArray(res.body.projections)).toBe(true);
    const live = await request(t.http).get('/health/live').expect(200);
    expect(live.body).toMatchObject({ status: 'up' });
  });

  it('unauthenticated → 401 problem+json', async () => {
    const res = await request(t.http).get('/audit/streams/x/events').expect(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'unauthenticated', instance: '/audit/streams/x/events' });
    await request(t.http).get('/audit/streams/x/events').set('X-API-Key', 'not-a-key').expect(401);
  });

  it('wrong role → 403', async () => {
    const res = await request(t.http).get('/audit/streams/x/events').set('X-API-Key', KEYS.support).expect(403);
    expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
    await request(t.http).post('/admin/clock').set('X-API-Key', KEYS.auditor).send({ instant: '2030-01-01T00:00:00Z' }).expect(403);
  });

  it('invalid body → 400 naming the field, nothing written', async () => {
    const before = await t.runtime.testClock!.state();
    const res = await request(t.http)
      .post('/admin/clock')
      .set('X-API-Key', KEYS.admin)
      .send({ instant: 'yesterday', extra: 1 })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'instant']);
    const rows = await t.runtime.pool.query('SELECT * FROM test_clock');
    expect(rows.rowCount).toBe(0);
    expect(Math.abs(Date.parse(t.runtime.testClock!.state().now) - Date.parse(before.now))).toBeLessThan(5000);
  });

  it('a test-clock instant outside 1970–9999 (REST or GraphQL, set or advance) → 400 naming the field, the clock unchanged, never a 500', async () => {
    const before = t.runtime.testClock!.state();
    for (const body of [{ instant: '1969-12-31T23:59:59Z' }, { advance: 'P999999Y' }]) {
      const res = await request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).send(body).expect(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ field: Object.keys(body)[0] }] });
    }
    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.admin)
      .send({ query: 'mutation { setTestClock(instant: "-232550-09-08T05:54:23.070Z") { now } }' })
      .expect(200);
    expect(gql.body.errors[0].extensions).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(t.runtime.testClock!.state().frozen).toBe(before.frozen);
    expect(Math.abs(Date.parse(t.runtime.testClock!.state().now) - Date.parse(before.now))).toBeLessThan(5000);
  });

  it('malformed JSON → 400 problem+json, never a 500', async () => {
    const res = await request(t.http)
      .post('/admin/clock')
      .set('X-API-Key', KEYS.admin)
      .set('Content-Type', 'application/json')
      .send('{"instant": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('bodies nested deeper than 32 levels → 400 input_too_deep before any recursive processing, never a 500', async () => {
    const before = Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);
    for (const depth of [33, 2_000, 50_000]) {
      const raw = `{"companyName":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
      for (const key of [null, `deep-${depth}`]) {
        let req = request(t.http).post('/customers').set('X-API-Key', KEYS.system).set('Content-Type', 'application/json');
        if (key) req = req.set('Idempotency-Key', key);
        const res = await req.send(raw).expect(400);
        expect(res.body).toMatchObject({ code: 'input_too_deep', errors: [{ field: 'companyName.0.0' }] });
      }
    }
    expect(Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count)).toBe(before);
  });

  it('text with a UTF-16 surrogate without its pair (value or field name) → 400 malformed_text naming the field, never a 500, nothing written', async () => {
    const before = Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);
    // Found by fuzzing: IsEmail threw "URI malformed" on this e-mail address (a 500).
    const registration = await request(t.http)
      .post('/portal/registrations')
      .set('X-API-Key', KEYS.system)
      .set('Content-Type', 'application/json')
      .send('{"customerId":"valeur","name":"-1","email":"\\udfff\\ud800","phone":"0612345678","password":"Correct horse 42!"}')
      .expect(400);
    expect(registration.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(registration.body).toMatchObject({ code: 'malformed_text', errors: [{ field: 'email' }] });
    const key = await request(t.http)
      .post('/customers')
      .set('X-API-Key', KEYS.system)
      .set('Idempotency-Key', 'surrogate-key')
      .set('Content-Type', 'application/json')
      .send('{"companyName":"ACME","\\ud800":1}')
      .expect(400);
    expect(key.body).toMatchObject({ code: 'malformed_text', errors: [{ field: 'body' }] });
    // A pair is one character (here U+1F600) and is accepted as text.
    const paired = await request(t.http).post('/portal/registrations').set('X-API-Key', KEYS.system).send({ customerId: 'valeur', name: '\u{1F600}', email: 'a@b.fr', phone: '0612345678', password: 'x' });
    expect(paired.status).toBe(400);
    expect(paired.body.code).toBe('validation_failed');
    expect(Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count)).toBe(before);
  });

  it('a value PostgreSQL cannot store (NUL character in an id) → 400 invalid_characters, never a 500', async () => {
    const before = Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);
    const res = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.support)
      .send({
        query: 'mutation($id: ID!) { requestExpertise(ticketId: $id, input: { requestedByContactId: "0190a8a4-5e4c-7d2e-8f00-000000000001" }) { ticketId } }',
        variables: { id: 'ticket\u0000id' },
      })
      .expect(200);
    expect(res.body.errors[0].extensions).toMatchObject({ status: 400, code: 'invalid_characters' });
    expect(Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count)).toBe(before);
  });

  it('the test clock travels in time (admin) and is shared through the database', async () => {
    const res = await request(t.http)
      .post('/admin/clock')
      .set('X-API-Key', KEYS.admin)
      .send({ instant: '2031-02-01T08:00:00Z' })
      .expect(200);
    expect(res.body).toMatchObject({ now: '2031-02-01T08:00:00.000Z', frozen: true });
    const advanced = await request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).send({ advance: 'P1M' }).expect(200);
    expect(advanced.body.now).toBe('2031-03-01T08:00:00.000Z');
    expect(t.runtime.clock.now().toISOString()).toBe('2031-03-01T08:00:00.000Z');
    const back = await request(t.http).delete('/admin/clock').set('X-API-Key', KEYS.admin).expect(200);
    expect(back.body.frozen).toBe(false);
    expect(Math.abs(back.body.offsetMs)).toBeLessThan(60_000);
    expect((await t.runtime.pool.query('SELECT count(*)::int AS n FROM test_clock')).rows[0].n).toBe(0);
    await request(t.http).delete('/admin/clock').set('X-API-Key', KEYS.support).expect(403);
  });

  it('the test clock is refused in production', async () => {
    const prod = await startTestApp({
      NODE_ENV: 'production',
      CLOCK: 'system',
      API_KEYS: 'ops=admin:production-admin-key',
      PII_MASTER_KEY: '1a8861fcbf33abe1d8a346e1b118a9b7652f65a323167e1f5af6e8600468aeca',
    });
    try {
      const res = await request(prod.http).post('/admin/clock').set('X-API-Key', 'production-admin-key').send({ advance: 'P1D' }).expect(403);
      expect(res.body.code).toBe('test_clock_disabled');
      await request(prod.http).get('/health').expect(200);
      // Development keys do not exist when keys are configured.
      await request(prod.http).get('/admin/clock').set('X-API-Key', KEYS.admin).expect(401);
    } finally {
      await prod.close();
    }
  });

  it('Idempotency-Key: same key + same body → same response; other body → 422', async () => {
    const send = (body: object) =>
      request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).set('Idempotency-Key', 'clock-1').send(body);
    const first = await send({ instant: '2032-01-01T00:00:00Z' }).expect(200);
    await request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant: '2033-01-01T00:00:00Z' }).expect(200);
    const again = await send({ instant: '2032-01-01T00:00:00Z' }).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // The replay did not run the command again: the clock stayed where the second call put it.
    expect(t.runtime.clock.now().toISOString()).toBe('2033-01-01T00:00:00.000Z');
    const other = await send({ instant: '2034-01-01T00:00:00Z' }).expect(422);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused', errors: [{ field: 'Idempotency-Key' }] });
  });

  it('Idempotency-Key: a claim left unanswered by a process that died is taken over; a live one is 409', async () => {
    const body = { instant: '2035-01-01T00:00:00Z' };
    const claim = async (key: string, age: string) => {
      // The exact claim a dead process leaves behind: same principal, key and request hash, no answer.
      const first = await request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).set('Idempotency-Key', key).send(body).expect(200);
      expect(first.body).toMatchObject({ now: body.instant.replace('Z', '.000Z') });
      await t.runtime.pool.query(`UPDATE idempotency_keys SET status_code = NULL, response = NULL, created_at = now() - $2::interval WHERE key = $1`, [key, age]);
    };
    await claim('clock-abandoned', '10 minutes');
    const taken = await request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).set('Idempotency-Key', 'clock-abandoned').send(body).expect(200);
    expect(taken.headers['idempotent-replayed']).toBeUndefined();
    const stored = await t.runtime.pool.query(`SELECT status_code FROM idempotency_keys WHERE key = 'clock-abandoned'`);
    expect(stored.rows[0].status_code).toBe(200);
    await claim('clock-running', '1 second');
    const busy = await request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).set('Idempotency-Key', 'clock-running').send(body).expect(409);
    expect(busy.body).toMatchObject({ code: 'idempotency_request_in_progress' });
  });

  it('OpenAPI document is served at /docs and GraphQL at /graphql', async () => {
    const doc = await request(t.http).get('/docs/openapi.json').expect(200);
    expect(doc.body.paths['/admin/clock']).toBeDefined();
    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.auditor)
      .send({ query: '{ verifyStream(streamId: "nope") { valid } }' })
      .expect(200);
    expect(gql.body.errors[0].extensions).toMatchObject({ code: 'stream_not_found', status: 404 });
    // Without a key the body is not even read (issue 18 item 6): HTTP 401, the problem in the GraphQL error.
    const anon = await request(t.http).post('/graphql').send({ query: '{ verifyStream(streamId: "nope") { valid } }' }).expect(401);
    expect(anon.body.errors[0].extensions).toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('auditors replay a stream over GraphQL: events with their metadata instants exactly as stored and the hash chain', async () => {
    const created = await request(t.http)
      .post('/customers')
      .set('X-API-Key', KEYS.system)
      .send({ companyName: 'Audit SA', siret: '73282932000074', billingAddress: { line1: '1 rue A', postalCode: '75002', city: 'Paris', country: 'FR' },
        contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Jean Audit', email: 'jean@example.fr', phone: '0612345678' }],
      })
      .expect(201);
    const streamId = `customer-${created.body.customerId}`;
    const stored = (await t.runtime.pool.query('SELECT metadata, hash FROM es_events WHERE stream_id = $1 ORDER BY revision', [streamId])).rows;
    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.auditor)
      .send({ query: 'query($s: String!) { streamEvents(streamId: $s) { revision type hash prevHash metadata { occurredAt recordedAt actor { id role } } } }', variables: { s: streamId } })
      .expect(200);
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.streamEvents).toHaveLength(stored.length);
    expect(gql.body.data.streamEvents[0]).toMatchObject({
      revision: 0,
      hash: stored[0].hash,
      prevHash: null,
      metadata: { occurredAt: stored[0].metadata.occurredAt, recordedAt: stored[0].metadata.recordedAt, actor: { id: 'dev-system', role: 'system' } },
    });
  });
});

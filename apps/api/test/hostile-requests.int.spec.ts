import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request as httpRequest, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { getIntrospectionQuery } from 'graphql';
import request from 'supertest';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../../libs/platform/src';
import { KEYS, startTestApp, type TestApp } from '../../../test/support/app';

/** A customer registration the API accepts (SIRET with a valid check digit, a signatory). */
function customer(customerId = randomUUID()) {
  return {
    customerId,
    companyName: `Hostile ${customerId.slice(0, 8)} SAS`,
    siret: '73282932000074',
    billingAddress: { line1: '8 rue des Tests', postalCode: '69002', city: 'Lyon', country: 'FR' },
    contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Claire Durand', email: 'claire.durand@example.fr', phone: '0612345678' }],
  };
}

/** The refusal is a problem document naming `field` (REST). */
function expectProblem(res: request.Response, status: number, field: string, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, ...(code ? { code } : {}) });
  expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/** The refusal is a GraphQL error whose extensions are a problem naming `field`. */
function expectGraphqlProblem(res: request.Response, status: number, field: string, code?: string) {
  const error = res.body.errors?.[0];
  expect(error?.extensions).toMatchObject({ status, ...(code ? { code } : {}) });
  expect(error.extensions.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/**
 * Sends the request line and headers only, announcing a body that never comes: an answer proves
 * the server decided without reading the body (waiting for it would time out).
 */
function headersOnly(server: Server, lines: string[]): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer without the body; received so far: ${answer.slice(0, 200)}`));
    }, 5_000);
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (/\r\n\r\n[\s\S]*\}$/.test(answer)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (answer) resolve(answer);
      else reject(error);
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** A POST with exactly these bytes (supertest serialises a Buffer as JSON when the type is JSON). */
function rawPost(server: Server, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; contentType: string; body: any }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The app's server, listening on a loopback port (raw sockets and requests need one; supertest reuses it). */
async function listening(t: TestApp): Promise<Server> {
  const server = t.http as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

const eventCount = async (t: TestApp) => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);

describe('issue 18 item 5 — hostile headers and parameters answer a problem+json 4xx naming the field or header, never a 5xx', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RUN_WORKER: 'false' });
  });
  afterAll(async () => t?.close());

  it('offsets and limits out of range (1e20, 20 digits, negative, not a number, over the maximum) on the lists → 400 naming offset or limit', async () => {
    const lists = ['/customers', '/subscriptions', '/tickets', '/porting', '/numbers', '/billing/invoices', '/billing/overdue', '/billing/rejected-cdrs', '/privacy/requests', '/audit/streams/customer-x/events'];
    for (const path of lists) {
      for (const [query, field] of [
        ['offset=1e20', 'offset'],
        ['offset=99999999999999999999', 'offset'],
        ['offset=-1', 'offset'],
        ['offset=0x10', 'offset'],
        ['limit=0', 'limit'],
        [`limit=${PAGE_LIMIT_MAX + 1}`, 'limit'],
        ['limit=1.5', 'limit'],
        ['limit=', 'limit'],
      ] as const) {
        const res = await request(t.http).get(`${path}?${query}`).set('X-API-Key', KEYS.admin);
        expectProblem(res, 400, field);
      }
    }
    // GraphQL: the same bounds, the same problem in the error's extensions.
    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.admin)
      .send({ query: `{ invoices(offset: 2000000, limit: ${PAGE_LIMIT_MAX + 1}) { total } }` })
      .expect(200);
    expectGraphqlProblem(gql, 400, 'limit', 'validation_failed');
    expect(gql.body.errors[0].extensions.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'offset']);
    const events = await request(t.http).post('/graphql').set('X-API-Key', KEYS.auditor).send({ query: '{ streamEvents(streamId: "customer-x", offset: -1) { revision } }' }).expect(200);
    expectGraphqlProblem(events, 400, 'offset');
    await request(t.http).get('/health/live').expect(200);
  });

  it('X-Reason and X-Correlation-Id with malformed percent-encoding or control characters → 400 naming the header (REST and GraphQL), nothing written', async () => {
    const before = await eventCount(t);
    for (const [header, value] of [
      ['X-Reason', '%'],
      ['X-Reason', '%E9'],
      ['X-Reason', '%ED%A0%80'],
      ['X-Reason', 'line%0Abreak'],
      ['X-Correlation-Id', '%zz'],
      ['X-Correlation-Id', 'x'.repeat(201)],
    ]) {
      const rest = await request(t.http).post('/customers').set('X-API-Key', KEYS.system).set(header, value).send(customer());
      expectProblem(rest, 400, header, 'invalid_header');
      const gql = await request(t.http)
        .post('/graphql')
        .set('X-API-Key', KEYS.system)
        .set(header, value)
        .send({ query: 'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId } }', variables: { input: customer() } })
        .expect(200);
      expectGraphqlProblem(gql, 400, header, 'invalid_header');
    }
    expect(await eventCount(t)).toBe(before);
    // A well-formed, percent-encoded reason is accepted and decoded.
    const ok = await request(t.http).post('/customers').set('X-API-Key', KEYS.system).set('X-Reason', encodeURIComponent('Appel client: résiliation')).send(customer());
    expect(ok.status).toBe(201);
  });

  it('body encodings and charsets the parsers refuse → 415/400 naming Content-Encoding or Content-Type (authenticated), 401 before reading (anonymous)', async () => {
    const server = await listening(t);
    const json = Buffer.from(JSON.stringify(customer()));
    const send = async (key: string | null, headers: Record<string, string>, body: Buffer) => {
      const res = await rawPost(server, '/customers', { ...headers, ...(key ? { 'X-API-Key': key } : {}) }, body);
      return { status: res.status, headers: { 'content-type': res.contentType }, body: res.body } as unknown as request.Response;
    };
    expectProblem(await send(KEYS.system, { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }, json), 415, 'Content-Encoding', 'unsupported_content_encoding');
    expectProblem(await send(KEYS.system, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, Buffer.from('not gzip at all')), 400, 'Content-Encoding', 'malformed_content_encoding');
    expectProblem(await send(KEYS.system, { 'Content-Type': 'application/json; charset=klingon' }, json), 415, 'Content-Type', 'unsupported_charset');
    expectProblem(await send(KEYS.system, { 'Content-Type': 'application/json' }, Buffer.alloc(1_100_000, 0x20)), 413, 'body', 'payload_too_large');
    // The CSV import's own parser refuses the same way.
    const csv = await request(t.http).post('/billing/cdrs').set('X-API-Key', KEYS.system).set('Content-Type', 'text/csv; charset=klingon').send('call_id\n1');
    expectProblem(csv, 415, 'Content-Type', 'unsupported_charset');
    // A valid gzip body is read.
    const zipped = await send(KEYS.system, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, gzipSync(json));
    expect(zipped.status).toBe(201);
    // Without a key, none of them is read: 401.
    const refusedEncodings: Array<Record<string, string>> = [{ 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }, { 'Content-Type': 'application/json; charset=klingon' }];
    for (const headers of refusedEncodings) {
      const anonymous = await send(null, headers, json);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({ status: 401, code: 'unauthenticated' });
    }
  });

  it('a URL or a header over 16 KB → 414 naming the URL / 431 naming the header, as problem+json', async () => {
    const server = await listening(t);
    const longUrl = await headersOnly(server, [`GET /customers?q=${'a'.repeat(20_000)} HTTP/1.1`, 'Host: localhost', `X-API-Key: ${KEYS.admin}`]);
    expect(longUrl).toMatch(/^HTTP\/1\.1 414 /);
    expect(longUrl).toMatch(/Content-Type: application\/problem\+json/);
    expect(JSON.parse(longUrl.slice(longUrl.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 414, code: 'uri_too_long', errors: [{ field: 'url' }] });
    const longHeader = await headersOnly(server, ['GET /customers HTTP/1.1', 'Host: localhost', `X-API-Key: ${KEYS.admin}`, `X-Padding: ${'b'.repeat(20_000)}`]);
    expect(longHeader).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(longHeader.slice(longHeader.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, code: 'header_too_large', errors: [{ field: 'X-Padding' }] });
    await request(server).get('/health/live').expect(200);
  });

  it('__proto__, constructor and prototype field names → 400 naming the field (REST body, query string, GraphQL), nothing written, no pollution', async () => {
    const before = await eventCount(t);
    const polluted = [
      ['{"__proto__":{"isAdmin":true},"companyName":"ACME"}', '__proto__'],
      ['{"constructor":{"prototype":{"isAdmin":true}},"companyName":"ACME"}', 'constructor'],
      ['{"billingAddress":{"line1":"x","postalCode":"69002","city":"Lyon","country":"FR","__proto__":{"x":1}}}', 'billingAddress.__proto__'],
    ] as const;
    for (const [raw, field] of polluted) {
      const res = await request(t.http).post('/customers').set('X-API-Key', KEYS.system).set('Content-Type', 'application/json').send(raw);
      expectProblem(res, 400, field, 'forbidden_field');
    }
    expectProblem(await request(t.http).get('/subscriptions?__proto__=1').set('X-API-Key', KEYS.admin), 400, '__proto__', 'forbidden_field');
    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.system)
      .set('Content-Type', 'application/json')
      .send(
        `{"query":"mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { subscriptionId } }","variables":{"input":{"customerId":"${randomUUID()}","service":"DATA","items":[{"itemId":"i1","label":"Lien","plan":"FIBRE_100"}],"quoteDate":"2026-02-20","orderAmount":"1.00","contractOverrides":{"__proto__":{"isAdmin":true}}}}}`,
      )
      .expect(200);
    expectGraphqlProblem(gql, 400, 'contractOverrides.__proto__', 'forbidden_field');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(await eventCount(t)).toBe(before);
  });

  it('ids that are not UUIDs, path segments that are not UTF-8 → 400 naming the parameter (REST and GraphQL)', async () => {
    expectProblem(await request(t.http).get('/customers/not-a-uuid').set('X-API-Key', KEYS.admin), 400, 'customerId', 'invalid_id');
    expectProblem(await request(t.http).get('/tickets/42').set('X-API-Key', KEYS.admin), 400, 'ticketId', 'invalid_id');
    expectProblem(await request(t.http).get('/privacy/requests/x').set('X-API-Key', KEYS.admin), 400, 'requestId', 'invalid_id');
    expectProblem(await request(t.http).get('/customers/%FF').set('X-API-Key', KEYS.admin), 400, 'path', 'malformed_path');
    const gql = await request(t.http).post('/graphql').set('X-API-Key', KEYS.admin).send({ query: '{ subscription(id: "nope") { subscriptionId } }' }).expect(200);
    expectGraphqlProblem(gql, 400, 'id', 'invalid_id');
  });
});

describe('issue 18 item 6 — bounded answers, GraphQL cost limits, no body read before authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RUN_WORKER: 'false' });
  });
  afterAll(async () => t?.close());

  it(`rated calls answer one page (default ${PAGE_LIMIT_DEFAULT}, at most ${PAGE_LIMIT_MAX}) with the count and exact total of the whole month`, async () => {
    const subscriptionId = randomUUID();
    const calls = 450;
    await t.runtime.pool.query(
      `INSERT INTO rating_cdrs (call_id, import_id, subscription_id, line_id, caller, called, called_e164, started_at, duration_seconds, billing_month, destination,
         price_per_minute, rate_year, allowance_category, non_geographic, imported_at)
       SELECT 'c' || i, $2, $1, 'line-1', '0386644706', '0145000002', '+33145000002', timestamptz '2026-03-01 08:00+01' + i * interval '1 minute', 61, '2026-03',
         'fixed_fr', 0.0125, 2026, NULL, false, now()
       FROM generate_series(1, $3) AS i`,
      [subscriptionId, randomUUID(), calls],
    );
    await t.runtime.pool.query(
      `INSERT INTO rating_rated_calls (call_id, subscription_id, line_id, billing_month, started_at, called, destination, plan, duration_seconds, included_seconds,
         billed_seconds, price_per_minute, amount, outcome, distinct_number_rank, rated_at)
       SELECT call_id, subscription_id, line_id, billing_month, started_at, called, destination, 'SIP OK', 61, 0, 120, 0.0125, 0.025, 'not_in_plan', NULL, now()
       FROM rating_cdrs WHERE subscription_id = $1`,
      [subscriptionId],
    );
    const first = await request(t.http).get(`/billing/rated-calls?subscriptionId=${subscriptionId}&month=2026-03`).set('X-API-Key', KEYS.support).expect(200);
    expect(first.body).toMatchObject({ count: calls, limit: PAGE_LIMIT_DEFAULT, offset: 0, total: '11.25' });
    expect(first.body.calls).toHaveLength(PAGE_LIMIT_DEFAULT);
    const last = await request(t.http).get(`/billing/rated-calls?subscriptionId=${subscriptionId}&month=2026-03&limit=${PAGE_LIMIT_MAX}&offset=400`).set('X-API-Key', KEYS.support).expect(200);
    expect(last.body.calls).toHaveLength(calls - 400);
    expect(last.body.total).toBe('11.25');
    expectProblem(await request(t.http).get(`/billing/rated-calls?subscriptionId=${subscriptionId}&month=2026-03&limit=${PAGE_LIMIT_MAX + 1}`).set('X-API-Key', KEYS.support), 400, 'limit');
    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.support)
      .send({ query: `{ ratedCalls(subscriptionId: "${subscriptionId}", month: "2026-03", limit: 10) { count total calls { callId } } }` })
      .expect(200);
    expect(gql.body.data.ratedCalls).toMatchObject({ count: calls, total: '11.25' });
    expect(gql.body.data.ratedCalls.calls).toHaveLength(10);
  });

  it('GraphQL: documents over the token limit, too many aliases, or over the cost → refused before execution with a problem-like code, even without a key', async () => {
    const timed = async (send: () => request.Test) => {
      const started = Date.now();
      const res = await send();
      return { res, ms: Date.now() - started };
    };
    // 3,000 aliased customers(limit: 100): refused while parsing (token limit).
    const aliases = Array.from({ length: 3_000 }, (_, i) => `c${i}: customers(query: "a", limit: 100) { customerId }`).join(' ');
    const big = await timed(() => request(t.http).post('/graphql').set('X-API-Key', KEYS.admin).send({ query: `{ ${aliases} }` }));
    expect(big.res.status).toBe(400);
    expect(big.res.body.errors[0].extensions).toMatchObject({ status: 400, code: 'query_too_large', errors: [{ field: 'query' }] });
    expect(big.ms).toBeLessThan(2_000);
    // 2,000 aliased __schema, without a key, by GET (no body): refused too.
    const schemas = Array.from({ length: 2_000 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ');
    const intro = await request(t.http).post('/graphql').set('apollo-require-preflight', 'true').send({ query: `{ ${schemas} }` });
    expect(intro.status).toBe(401);
    const someSchemas = Array.from({ length: 12 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ');
    const introGet = await request(t.http).get('/graphql').query({ query: `{ ${someSchemas} }` }).set('apollo-require-preflight', 'true');
    expect(introGet.status).toBe(400);
    expect(introGet.body.errors[0].extensions).toMatchObject({ status: 400, code: 'query_too_complex', errors: [{ field: 'query', message: expect.stringMatching(/^cost 60000;/) }] });
    // Under the token limit: 40 aliases are too many.
    const forty = Array.from({ length: 40 }, (_, i) => `c${i}: customers(query: "a", limit: 1) { customerId }`).join(' ');
    const many = await request(t.http).post('/graphql').set('X-API-Key', KEYS.admin).send({ query: `{ ${forty} }` });
    expect(many.status).toBe(400);
    expect(many.body.errors[0].extensions).toMatchObject({ code: 'query_too_complex' });
    expect(many.body.errors[0].extensions.errors[0].message).toMatch(/40 aliased fields/);
    // 30 aliases of 200 rows × 10 fields: over the cost.
    const fields = 'customerId companyName siret registeredAt billingAddress customerId companyName siret registeredAt billingAddress';
    const costly = Array.from({ length: 30 }, (_, i) => `c${i}: customers(query: "a", limit: 200) { ${fields} }`).join(' ');
    const cost = await request(t.http).post('/graphql').set('X-API-Key', KEYS.admin).send({ query: `{ ${costly} }` });
    expect(cost.status).toBe(400);
    expect(cost.body.errors[0].extensions.errors[0].message).toMatch(/^cost \d+; at most 50000/);
    // Variables count with their value: limit $n = 200 on 30 aliases is the same cost.
    const withVariables = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.admin)
      .send({ query: `query($n: Int) { ${costly.replace(/limit: 200/g, 'limit: $n')} }`, variables: { n: 200 } });
    expect(withVariables.status).toBe(400);
    // A full introspection and the admin client's largest query are within the limits.
    const full = await request(t.http).post('/graphql').set('X-API-Key', KEYS.admin).send({ query: getIntrospectionQuery() }).expect(200);
    expect(full.body.data.__schema.types.length).toBeGreaterThan(50);
    const customerId = randomUUID();
    const contracts = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.admin)
      .send({
        query: `query($id: ID!) { subscriptions(customerId: $id, limit: 200) { total items { subscriptionId service status items { itemId label } } }
          commitments(customerId: $id, limit: 200) { items { subscriptionId lineId scope status } } suspensions(customerId: $id, limit: 200) { items { suspensionId reason } } }`,
        variables: { id: customerId },
      })
      .expect(200);
    expect(contracts.body.errors).toBeUndefined();
  });

  it('a body is not read before its sender is authenticated: 401 without waiting for 19 MB, and the CSV import reads nothing for a role it refuses', async () => {
    const server = await listening(t);
    const announce = (path: string, type: string, key?: string) =>
      headersOnly(server, [`POST ${path} HTTP/1.1`, 'Host: localhost', `Content-Type: ${type}`, 'Content-Length: 19000000', ...(key ? [`X-API-Key: ${key}`] : [])]);
    for (const [path, type] of [
      ['/billing/cdrs', 'text/csv'],
      ['/customers', 'application/json'],
      ['/graphql', 'application/json'],
    ]) {
      const answer = await announce(path, type);
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(answer).toMatch(/Connection: close/i);
    }
    const wrongKey = await announce('/billing/cdrs', 'text/csv', 'not-a-key-at-all');
    expect(wrongKey).toMatch(/^HTTP\/1\.1 401 /);
    // Authenticated, but the import is not for this role: the CSV parser does not run, the guard answers 403.
    const auditor = await announce('/billing/cdrs', 'text/csv', KEYS.auditor);
    expect(auditor).toMatch(/^HTTP\/1\.1 403 /);
    await request(server).get('/health/live').expect(200);
  });

  it('every list of the OpenAPI document takes limit and offset with the documented bounds', async () => {
    const doc = (await request(t.http).get('/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: { maximum?: number; minimum?: number } }> }>> };
    const lists = ['/customers', '/subscriptions', '/subscriptions/orders', '/subscriptions/commitments', '/subscriptions/renewals-due', '/subscriptions/notice-deadlines', '/subscriptions/suspensions', '/non-payment/cases',
      '/tickets', '/tickets/board', '/tickets/penalties', '/porting', '/numbers', '/fixed-line-mandates', '/billing/invoices', '/billing/disputes', '/billing/balances', '/billing/overdue',
      '/billing/handset-orders', '/billing/customers/{customerId}/mandates', '/billing/rated-calls', '/billing/rejected-cdrs', '/privacy/purges', '/privacy/requests', '/portal/outbox',
      '/portal/accounts/{accountId}/connections', '/audit/streams/{id}/events'];
    for (const path of lists) {
      const parameters = doc.paths[path]?.get?.parameters ?? [];
      const limit = parameters.find((p) => p.name === 'limit' && p.in === 'query');
      const offset = parameters.find((p) => p.name === 'offset' && p.in === 'query');
      expect({ path, limit: limit?.schema?.maximum, offset: offset?.schema?.minimum }).toEqual({ path, limit: PAGE_LIMIT_MAX, offset: 0 });
    }
  });
});

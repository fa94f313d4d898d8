import { randomUUID } from 'node:crypto';
import { newId } from '@oksio/kernel';
import { IdempotencyService, markDates, withDates, type CommandContext } from '@oksio/platform';
import { customerDecider, customerStream } from '@oksio/subscription';
import { call, customerBody, contactBody, eventCount, graphql, startListeningApp, type ListeningApp } from '../../../test/reliability/support/api';

/**
 * Issue 18 item 2: an Idempotency-Key is one key per client across REST and GraphQL, bound at its
 * first use to one operation and one input. Before: GraphQL compared nothing (50 concurrent
 * registerCustomer with one key and 50 inputs gave 50 "successes", 1 stored) and the command-id
 * lookup answered `duplicate: true` to another operation under the same key.
 */

const REGISTER = `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId } }`;
const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { subscriptionId duplicate events } }`;

function orderInput(customerId: string) {
  return {
    customerId,
    service: 'DATA',
    quoteDate: '2026-03-02',
    orderAmount: '1200.00',
    items: [{ itemId: 'link-1', label: 'Lien fibre', plan: 'FIBRE-100' }],
  };
}

function errorCode(reply: { body: any }): string | undefined {
  return reply.body?.errors?.[0]?.extensions?.code;
}

async function customerStreams(t: ListeningApp): Promise<number> {
  const { rows } = await t.runtime.pool.query(`SELECT count(*)::int AS n FROM es_streams WHERE stream_id LIKE 'customer-%'`);
  return rows[0].n;
}

describe('issue 18 item 2 — Idempotency-Key over GraphQL and REST: one key space, bound to one operation and input', () => {
  let t: ListeningApp;

  beforeAll(async () => {
    t = await startListeningApp({ RUN_WORKER: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('50 concurrent registerCustomer mutations with one key and 50 inputs: one success, the others refused; one customer stored', async () => {
    const key = `gql-${randomUUID()}`;
    const streamsBefore = await customerStreams(t);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => graphql(t.baseUrl, REGISTER, { input: customerBody(randomUUID(), `concurrent ${i}`) }, 'system', { 'Idempotency-Key': key })),
    );
    const successes = replies.filter((r) => r.body?.data?.registerCustomer);
    expect(successes).toHaveLength(1);
    for (const refused of replies.filter((r) => !r.body?.data?.registerCustomer)) {
      expect(['idempotency_key_reused', 'idempotency_request_in_progress']).toContain(errorCode(refused));
      expect(refused.body.errors[0].extensions.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    }
    expect(await customerStreams(t)).toBe(streamsBefore + 1);
  });

  it('50 concurrent retries of the same mutation and input: never two different successes, one customer', async () => {
    const key = `gql-${randomUUID()}`;
    const input = customerBody(randomUUID(), 'retried');
    const streamsBefore = await customerStreams(t);
    const replies = await Promise.all(Array.from({ length: 50 }, () => graphql(t.baseUrl, REGISTER, { input }, 'system', { 'Idempotency-Key': key })));
    const ids = new Set(replies.filter((r) => r.body?.data?.registerCustomer).map((r) => r.body.data.registerCustomer.customerId));
    expect([...ids]).toEqual([input.customerId]);
    for (const r of replies.filter((x) => !x.body?.data?.registerCustomer)) expect(errorCode(r)).toBe('idempotency_request_in_progress');
    expect(await customerStreams(t)).toBe(streamsBefore + 1);
    // Once answered, the same request is replayed, marked as such.
    const replay = await graphql(t.baseUrl, REGISTER, { input }, 'system', { 'Idempotency-Key': key });
    expect(replay.body.data.registerCustomer.customerId).toBe(input.customerId);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('placeOrder reusing a registerCustomer key: 422 idempotency_key_reused naming Idempotency-Key, nothing written', async () => {
    const key = `gql-${randomUUID()}`;
    const input = customerBody(randomUUID(), 'reuse');
    const registered = await graphql(t.baseUrl, REGISTER, { input }, 'system', { 'Idempotency-Key': key });
    expect(registered.body.data.registerCustomer.customerId).toBe(input.customerId);
    const before = await eventCount(t);
    const order = await graphql(t.baseUrl, PLACE_ORDER, { input: orderInput(input.customerId) }, 'system', { 'Idempotency-Key': key });
    expect(order.body.data).toBeNull();
    expect(order.body.errors[0].extensions).toMatchObject({ code: 'idempotency_key_reused', status: 422, errors: [{ field: 'Idempotency-Key' }] });
    expect(await eventCount(t)).toBe(before);
  });

  it('one key space across REST and GraphQL: a key used over one is refused over the other for another operation, in both directions', async () => {
    const restKey = `rest-${randomUUID()}`;
    const customer = customerBody();
    expect((await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body: customer, headers: { 'Idempotency-Key': restKey } })).status).toBe(201);
    const before = await eventCount(t);
    const overGraphql = await graphql(t.baseUrl, PLACE_ORDER, { input: orderInput(customer.customerId) }, 'system', { 'Idempotency-Key': restKey });
    expect(errorCode(overGraphql)).toBe('idempotency_key_reused');

    const gqlKey = `gql-${randomUUID()}`;
    const other = customerBody();
    expect((await graphql(t.baseUrl, REGISTER, { input: other }, 'system', { 'Idempotency-Key': gqlKey })).body.data.registerCustomer.customerId).toBe(other.customerId);
    const afterOther = await eventCount(t);
    const overRest = await call(t.baseUrl, { method: 'POST', path: `/customers/${customer.customerId}/contacts`, role: 'system', body: contactBody(1), headers: { 'Idempotency-Key': gqlKey } });
    expect(overRest.status).toBe(422);
    expect(overRest.body).toMatchObject({ code: 'idempotency_key_reused', errors: [{ field: 'Idempotency-Key' }] });
    // The same mutation and input under the key used over REST: still another request (the interface is part of it).
    const sameOverGraphql = await graphql(t.baseUrl, REGISTER, { input: customer }, 'system', { 'Idempotency-Key': restKey });
    expect(errorCode(sameOverGraphql)).toBe('idempotency_key_reused');
    expect(afterOther).toBeGreaterThan(before); // the registration of `other`…
    expect(await eventCount(t)).toBe(afterOther); // …and nothing else
  });

  it('keys are per client: the same key under another API key is another key', async () => {
    const key = `shared-${randomUUID()}`;
    const one = customerBody();
    const two = customerBody();
    expect((await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body: one, headers: { 'Idempotency-Key': key } })).status).toBe(201);
    expect((await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'support', body: two, headers: { 'Idempotency-Key': key } })).status).toBe(201);
  });

  it('a REST replay gives the first answer with its ETag, marked Idempotent-Replayed', async () => {
    const customer = customerBody();
    expect((await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body: customer })).status).toBe(201);
    const key = `rest-${randomUUID()}`;
    const request = { method: 'POST', path: `/customers/${customer.customerId}/contacts`, role: 'system' as const, body: contactBody(2), headers: { 'Idempotency-Key': key } };
    const first = await call(t.baseUrl, request);
    expect(first.status).toBe(201);
    const [head] = await t.runtime.store.readStream(customerStream(customer.customerId), { direction: 'backwards', maxCount: 1 });
    expect(first.headers.get('etag')).toBe(`"${head.revision}"`);
    const before = await eventCount(t);
    const again = await call(t.baseUrl, request);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('etag')).toBe(`"${head.revision}"`);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // The revision a command is based on is part of it: the same body under another If-Match is another request.
    const otherRevision = await call(t.baseUrl, { ...request, headers: { ...request.headers, 'If-Match': `"${head.revision}"` } });
    expect(otherRevision.status).toBe(422);
    expect(otherRevision.body).toMatchObject({ code: 'idempotency_key_reused', errors: [{ field: 'Idempotency-Key' }] });
    expect(await eventCount(t)).toBe(before);
  });

  it('the repository answers a command id only for the stream it was first used on (another command under the key: 422)', async () => {
    const ctx: CommandContext = { actor: { id: 'test', role: 'system' }, correlationId: newId(), causationId: null, commandId: newId(), reason: null };
    const first = customerBody();
    const now = t.runtime.clock.now();
    const register = (c: ReturnType<typeof customerBody>) => ({ type: 'RegisterCustomer' as const, customerId: c.customerId, companyName: c.companyName, siret: c.siret, billingAddress: c.billingAddress, contacts: [{ contactId: newId(), role: 'signatory' as const, authorisedForSupport: true, details: {} }] });
    await t.runtime.repository.execute(customerDecider, customerStream(first.customerId), register(first), ctx, now);
    const replayed = await t.runtime.repository.execute(customerDecider, customerStream(first.customerId), register(first), ctx, now);
    expect(replayed.duplicateCommand).toBe(true);
    const second = customerBody();
    await expect(t.runtime.repository.execute(customerDecider, customerStream(second.customerId), register(second), ctx, now)).rejects.toMatchObject({
      code: 'idempotency_key_reused',
      status: 422,
    });
    expect((await t.runtime.store.readStream(customerStream(second.customerId))).length).toBe(0);
  });

  it('GraphQL answers are stored with their dates, so a replay serializes DateTime fields as the first answer did', () => {
    const answer = { at: new Date('2026-05-15T15:00:00.000Z'), nested: [{ to: new Date('2026-05-16T00:00:00.000Z'), label: '2026-05-16T00:00:00.000Z' }], none: null };
    const stored = JSON.parse(JSON.stringify(markDates(answer)));
    expect(withDates(stored)).toEqual(answer);
  });
});

describe('issue 18 item 9 — a claim the 503 path could not release is not stuck for ABANDONED_CLAIM_SECONDS', () => {
  let t: ListeningApp;

  beforeAll(async () => {
    t = await startListeningApp({ RUN_WORKER: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The app's pool, except that releases fail while `down` (the database went away after the claim). */
  function flakyPool(state: { down: boolean }) {
    return {
      query: ((text: string, values?: unknown[]) => {
        if (state.down && /SET released = true/.test(text)) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
        return t.runtime.pool.query(text, values);
      }) as never,
    };
  }

  it('the same request runs again as soon as the database is back; another request under the key stays refused', async () => {
    const state = { down: true };
    const service = new IdempotencyService(flakyPool(state), { releaseRetryMs: 3_600_000 });
    const use = { principal: 'system:dev-system', key: `outage-${randomUUID()}`, fingerprint: IdempotencyService.fingerprint('POST /customers', { n: 1 }) };
    expect(await service.claim(use)).toEqual({ kind: 'run' });
    // The request failed with a 503 and its release failed too.
    await service.release(use);
    expect(service.pendingReleaseCount).toBe(1);
    // Still down: the claim is still held (a retry now is told to come back).
    await expect(service.claim(use)).rejects.toMatchObject({ code: 'idempotency_request_in_progress', status: 409 });
    state.down = false;
    // Back: the retry releases first, then takes the claim over — at once, not after 120 s.
    expect(await service.claim(use)).toEqual({ kind: 'run' });
    expect(service.pendingReleaseCount).toBe(0);
    await service.complete(use, 201, { ok: true });
    expect(await service.claim(use)).toEqual({ kind: 'replay', status: 201, body: { ok: true }, headers: {} });
    service.onModuleDestroy();
  });

  it('a claim committed as the connection dropped (the INSERT answered an error) is released for the same request', async () => {
    const state = { down: true };
    const pool = {
      query: (async (text: string, values?: unknown[]) => {
        if (state.down && text.startsWith('INSERT INTO idempotency_keys')) {
          await t.runtime.pool.query(text, values); // committed…
          throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }); // …but the answer is lost
        }
        if (state.down && /SET released = true/.test(text)) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return t.runtime.pool.query(text, values);
      }) as never,
    };
    const service = new IdempotencyService(pool, { releaseRetryMs: 3_600_000 });
    const use = { principal: 'system:dev-system', key: `lost-${randomUUID()}`, fingerprint: IdempotencyService.fingerprint('POST /customers', { n: 4 }) };
    await expect(service.claim(use)).rejects.toMatchObject({ code: 'ECONNRESET' });
    state.down = false;
    expect(await service.claim(use)).toEqual({ kind: 'run' });
    service.onModuleDestroy();
  });

  it('over HTTP: a command whose answer could not be stored (503) is answered by its retry once the database is back, written once', async () => {
    const service = t.app.get(IdempotencyService);
    const state = { down: false };
    const real = (service as unknown as { pool: { query: (text: string, values?: unknown[]) => Promise<unknown> } }).pool;
    (service as unknown as { pool: unknown }).pool = {
      query: (text: string, values?: unknown[]) => {
        if (state.down && /^UPDATE idempotency_keys SET (status_code|released)/.test(text)) {
          return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
        }
        return real.query(text, values);
      },
    };
    try {
      const key = `outage-${randomUUID()}`;
      const customer = customerBody();
      const request = { method: 'POST', path: '/customers', role: 'system' as const, body: customer, headers: { 'Idempotency-Key': key } };
      // The command is written, then the database goes away: neither the answer nor the release can be stored.
      state.down = true;
      const failed = await call(t.baseUrl, request);
      expect(failed.status).toBe(503);
      expect(failed.body.code).toBe('database_unavailable');
      state.down = false;
      // Before: 409 idempotency_request_in_progress for ABANDONED_CLAIM_SECONDS (120 s).
      const retried = await call(t.baseUrl, request);
      expect(retried.status).toBe(201);
      expect(retried.body).toEqual({ customerId: customer.customerId });
      const { rows } = await t.runtime.pool.query(`SELECT count(*)::int AS n FROM es_events WHERE stream_id = $1 AND type = 'CustomerRegistered'`, [customerStream(customer.customerId)]);
      expect(rows[0].n).toBe(1);
      expect((await call(t.baseUrl, request)).headers.get('idempotent-replayed')).toBe('true');
    } finally {
      (service as unknown as { pool: unknown }).pool = real;
    }
  });

  it('released by the background retry for a retry reaching another process; a released claim serves the same request only', async () => {
    const state = { down: true };
    const owner = new IdempotencyService(flakyPool(state), { releaseRetryMs: 3_600_000 });
    const other = new IdempotencyService(t.runtime.pool);
    const use = { principal: 'system:dev-system', key: `outage-${randomUUID()}`, fingerprint: IdempotencyService.fingerprint('POST /customers', { n: 2 }) };
    await owner.claim(use);
    await owner.release(use);
    state.down = false;
    await owner.flushReleases(); // what the owner's timer does once the database answers again
    expect(owner.pendingReleaseCount).toBe(0);
    await expect(other.claim({ ...use, fingerprint: IdempotencyService.fingerprint('POST /customers', { n: 3 }) })).rejects.toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    expect(await other.claim(use)).toEqual({ kind: 'run' });
    owner.onModuleDestroy();
    other.onModuleDestroy();
  });
});

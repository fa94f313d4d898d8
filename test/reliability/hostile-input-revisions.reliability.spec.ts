import { randomUUID } from 'node:crypto';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { noAggregateRevisionReason } from '../../libs/platform/src';
import { requestEventCount, settle } from '../support/app';
import { call, contactBody, customerBody, graphql, introspect, startListeningApp, type ListeningApp, type Reply } from './support/api';
import { buildWorld, requestFor, routeKey, runScheduler, type World } from './support/aggregates';
import { graphqlOperations, minimalValue, operationDocument, restRoutes, type GraphqlOperation, type RestRoute, type Schema } from './support/routes';

/**
 * Hostile revisions and keys (issue 18 items 2 and 3), on every route the application serves —
 * discovered from Nest's router and GraphQL introspection, never listed by hand:
 * - every REST command on an existing aggregate, sent with a wrong `If-Match`, is the one 409
 *   `revision_mismatch` naming If-Match and writes nothing; a malformed one is a 400
 *   `invalid_if_match`; a command addressing no aggregate refuses any If-Match (400);
 * - reads of one aggregate answer `ETag: "<revision>"`, nothing else carries an ETag;
 * - every GraphQL mutation on an aggregate takes `expectedRevision`;
 * - an Idempotency-Key used for one operation is refused (422) on every other REST route and
 *   GraphQL mutation, and writes nothing.
 */

const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WRONG = '"999999"';

interface Finding {
  route: string;
  problem: string;
  reply: string;
}

/** The controller class and handler of every route, for the metadata the platform's decorators leave. */
function handlerOf(t: ListeningApp): (route: RestRoute) => Function {
  const handlers = new Map<string, Function>();
  const scanner = new MetadataScanner();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const cls = wrapper.metatype as Function | null;
      if (!cls) continue;
      for (const name of scanner.getAllMethodNames(cls.prototype)) handlers.set(`${cls.name}.${name}`, cls.prototype[name]);
    }
  }
  return (route) => handlers.get(`${route.controller}.${route.handler}`)!;
}

function summary(reply: Reply): string {
  return `${reply.status} ${reply.text.slice(0, 300)}`;
}

describe('issue 18 item 3 — If-Match on every command route', () => {
  let t: ListeningApp;
  let world: World;
  let routes: RestRoute[];
  let handler: (route: RestRoute) => Function;

  beforeAll(async () => {
    t = await startListeningApp();
    world = await buildWorld(t);
    routes = restRoutes(t.app);
    handler = handlerOf(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const commandRoutes = () => routes.filter((r) => COMMAND_METHODS.has(r.method));
  const send = (route: RestRoute, ifMatch?: string, extra: Record<string, string> = {}) => {
    const request = requestFor(route, world);
    return call(t.baseUrl, {
      method: route.method,
      path: request.path,
      role: request.role,
      body: request.body,
      raw: request.raw,
      headers: { ...request.headers, ...(ifMatch === undefined ? {} : { 'If-Match': ifMatch }), ...extra },
    });
  };

  it('a wrong If-Match on every REST command route: the one 409 revision_mismatch naming If-Match, nothing written (no aggregate addressed: 400)', async () => {
    const findings: Finding[] = [];
    const commands = commandRoutes();
    expect(commands.length).toBeGreaterThan(130);
    for (const route of commands) {
      await runScheduler(t);
      const before = await requestEventCount(t);
      const reply = await send(route, WRONG);
      const after = await requestEventCount(t);
      const noAggregate = noAggregateRevisionReason(handler(route));
      const [status, code] = noAggregate ? [400, 'invalid_if_match'] : [409, 'revision_mismatch'];
      const problems: string[] = [];
      if (reply.status !== status || reply.body?.code !== code) problems.push(`expected ${status} ${code}`);
      else if (!reply.body.errors?.some((e: { field?: string }) => e.field === 'If-Match')) problems.push('the 4xx does not name If-Match');
      if (after !== before) problems.push(`${after - before} event(s) written`);
      if (reply.headers.get('etag')) problems.push(`a refused command answered an ETag ${reply.headers.get('etag')}`);
      for (const problem of problems) findings.push({ route: routeKey(route), problem, reply: summary(reply) });
    }
    expect(findings).toEqual([]);
  });

  it('the OpenAPI document states If-Match on every command route on an aggregate, and on no other', async () => {
    const doc = (await call(t.baseUrl, { method: 'GET', path: '/docs/openapi.json' })).body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>> };
    const findings: string[] = [];
    for (const route of commandRoutes()) {
      const operation = doc.paths[route.openApiPath]?.[route.method.toLowerCase()];
      const documented = Boolean(operation?.parameters?.some((p) => p.in === 'header' && p.name === 'If-Match'));
      if (documented === Boolean(noAggregateRevisionReason(handler(route)))) findings.push(`${routeKey(route)}: If-Match ${documented ? 'documented' : 'missing'}`);
    }
    expect(findings).toEqual([]);
  });

  it('a malformed If-Match on every REST command route: 400 invalid_if_match naming If-Match, nothing written', async () => {
    const findings: Finding[] = [];
    for (const route of commandRoutes()) {
      for (const malformed of ['yesterday', '"1", "2"', '*']) {
        const before = await requestEventCount(t);
        const reply = await send(route, malformed);
        const after = await requestEventCount(t);
        if (reply.status !== 400 || reply.body?.code !== 'invalid_if_match' || !reply.body.errors?.some((e: { field?: string }) => e.field === 'If-Match')) {
          findings.push({ route: `${routeKey(route)} (If-Match: ${malformed})`, problem: 'expected 400 invalid_if_match naming If-Match', reply: summary(reply) });
        }
        if (after !== before) findings.push({ route: routeKey(route), problem: `${after - before} event(s) written`, reply: summary(reply) });
      }
    }
    expect(findings).toEqual([]);
  });

  it('every REST read of one aggregate answers ETag "<revision>"; no other answer carries an ETag (no content hash)', async () => {
    await runScheduler(t);
    const findings: Finding[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const reply = await send(route);
      if (reply.status !== 200) continue;
      const etag = reply.headers.get('etag');
      const oneAggregate = /\/:[A-Za-z0-9_]+$/.test(route.path);
      const marked = Reflect.getMetadata('oksio:etag-stream', handler(route)) !== undefined;
      if (oneAggregate && !marked) findings.push({ route: routeKey(route), problem: 'a read of one aggregate without @RevisionETag', reply: summary(reply) });
      if (marked && !/^"-?\d+"$/.test(etag ?? '')) findings.push({ route: routeKey(route), problem: `ETag ${etag} is not a revision`, reply: summary(reply) });
      if (!marked && etag) findings.push({ route: routeKey(route), problem: `ETag ${etag} on an answer that is not one aggregate's revision`, reply: summary(reply) });
    }
    expect(findings).toEqual([]);
  });

  it('the ETag of a read is the If-Match of the next command; the command answers the revision it reached', async () => {
    const customer = `/customers/${world.customerId}`;
    const read = await call(t.baseUrl, { method: 'GET', path: customer, role: 'support' });
    const etag = read.headers.get('etag')!;
    const added = await call(t.baseUrl, { method: 'POST', path: `${customer}/contacts`, role: 'support', body: contactBody(7), headers: { 'If-Match': etag } });
    expect(added.status).toBe(201);
    expect(added.headers.get('etag')).toBe(`"${Number(JSON.parse(etag)) + 1}"`);
    const stale = await call(t.baseUrl, { method: 'POST', path: `${customer}/contacts`, role: 'support', body: contactBody(8), headers: { 'If-Match': etag } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'revision_mismatch', errors: [{ field: 'If-Match' }] });
    // Weak and bare forms are the same revision.
    const bare = await call(t.baseUrl, { method: 'POST', path: `${customer}/contacts`, role: 'support', body: contactBody(9), headers: { 'If-Match': `W/${added.headers.get('etag')}` } });
    expect(bare.status).toBe(201);
  });

  it('a creation accepts If-Match: -1 (must not exist yet) or none; -1 on an existing aggregate is the 409', async () => {
    const created = await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'support', body: customerBody(), headers: { 'If-Match': '-1' } });
    expect(created.status).toBe(201);
    const again = await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'support', body: customerBody(created.body.customerId), headers: { 'If-Match': '-1' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'revision_mismatch', errors: [{ field: 'If-Match' }] });
  });

  it('50 concurrent commands with the same correct If-Match on one aggregate: exactly one succeeds, the others get the one 409', async () => {
    const customerId = randomUUID();
    expect((await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body: customerBody(customerId) })).status).toBe(201);
    await settle(t);
    const etag = (await call(t.baseUrl, { method: 'GET', path: `/customers/${customerId}`, role: 'support' })).headers.get('etag')!;
    const before = await requestEventCount(t, [`customer-${customerId}`]);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(t.baseUrl, { method: 'POST', path: `/customers/${customerId}/contacts`, role: 'support', body: contactBody(i), headers: { 'If-Match': etag } })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of replies.filter((x) => x.status !== 201)) expect(r.body).toMatchObject({ status: 409, code: 'revision_mismatch', errors: [{ field: 'If-Match' }] });
    expect((await requestEventCount(t, [`customer-${customerId}`])) - before).toBe(1);
  });

  it('GraphQL: every mutation on an aggregate takes expectedRevision; a stale one is the same 409 naming expectedRevision', async () => {
    const schema: Schema = await introspect(t.baseUrl);
    const mutations = graphqlOperations(t.app, schema).filter((o) => o.kind === 'mutation');
    const resolverHandler = (op: GraphqlOperation) => {
      for (const module of t.app.get(ModulesContainer).values()) {
        for (const wrapper of module.providers.values()) {
          const cls = wrapper.metatype as Function | null;
          if (cls?.name === op.resolver?.className) return cls!.prototype[op.resolver!.method] as Function;
        }
      }
      throw new Error(`no resolver for ${op.field}`);
    };
    const missing = mutations.filter((op) => !op.args.some((a) => a.name === 'expectedRevision' && a.type.name === 'Int') && !noAggregateRevisionReason(resolverHandler(op)));
    expect(missing.map((op) => op.field)).toEqual([]);

    const stale = await graphql(
      t.baseUrl,
      `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input, expectedRevision: 4) { customerId } }`,
      { input: customerBody() },
      'support',
    );
    expect(stale.body.errors[0].extensions).toMatchObject({ code: 'revision_mismatch', status: 409, errors: [{ field: 'expectedRevision' }] });
    const policy = `mutation($rev: Int) { setNonPaymentPolicy(input: { serviceSuspension: "manual", deliveriesSuspension: "manual", reason: "test" }, expectedRevision: $rev) { source } }`;
    const wrong = await graphql(t.baseUrl, policy, { rev: 999 }, 'admin');
    expect(wrong.body.errors[0].extensions).toMatchObject({ code: 'revision_mismatch', status: 409, errors: [{ field: 'expectedRevision' }] });
  });
});

describe('issue 18 item 2 — Idempotency-Key reused across operations', () => {
  let t: ListeningApp;

  beforeAll(async () => {
    t = await startListeningApp({ RUN_WORKER: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a key used by POST /customers is refused (422 naming Idempotency-Key) on every other REST command route and GraphQL mutation; nothing written', async () => {
    // Keys are per client: the key is first used by each role, then reused by that role elsewhere.
    const key = `reused-${randomUUID()}`;
    for (const role of ['system', 'support', 'admin'] as const) {
      expect((await call(t.baseUrl, { method: 'POST', path: '/customers', role, body: customerBody(), headers: { 'Idempotency-Key': key } })).status).toBe(201);
    }
    const before = await requestEventCount(t);
    const findings: Finding[] = [];
    for (const route of restRoutes(t.app).filter((r) => COMMAND_METHODS.has(r.method))) {
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, () => randomUUID());
      const role = route.access.kind === 'roles' ? (route.access.roles.includes('admin') ? 'admin' : (route.access.roles[0] as 'system' | 'support')) : 'admin';
      const reply = await call(t.baseUrl, { method: route.method, path, role, body: route.path === '/customers' ? customerBody() : {}, headers: { 'Idempotency-Key': key } });
      if (reply.status !== 422 || reply.body?.code !== 'idempotency_key_reused' || reply.body.errors?.[0]?.field !== 'Idempotency-Key') {
        findings.push({ route: routeKey(route), problem: 'expected 422 idempotency_key_reused', reply: summary(reply) });
      }
    }
    const schema = await introspect(t.baseUrl);
    for (const op of graphqlOperations(t.app, schema).filter((o) => o.kind === 'mutation')) {
      const variables = Object.fromEntries(op.args.map((a) => [a.name, minimalValue(a.type, schema)]));
      const access = op.resolver?.access;
      const role = access?.kind === 'roles' && !access.roles.includes('admin') ? (access.roles[0] as 'system' | 'support') : 'admin';
      const reply = await graphql(t.baseUrl, operationDocument(op, schema), variables, role, { 'Idempotency-Key': key });
      const extensions = reply.body?.errors?.[0]?.extensions;
      if (extensions?.code !== 'idempotency_key_reused' || extensions.errors?.[0]?.field !== 'Idempotency-Key') {
        findings.push({ route: `graphql ${op.field}`, problem: 'expected idempotency_key_reused', reply: summary(reply) });
      }
    }
    expect(findings).toEqual([]);
    expect(await requestEventCount(t)).toBe(before);
  });
});

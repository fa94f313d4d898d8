import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PAGE_LIMIT_MAX, PAGE_OFFSET_MAX } from '../../libs/platform/src';
import { call, graphql, introspect, problemShapeErrors, startListeningApp, type ListeningApp, type Reply } from './support/api';
import { fillPath, namedType, restRoutes, type RestRoute, type Schema, type TypeRef } from './support/routes';

/**
 * Issue 18 items 5 and 6, over everything the application serves (discovered from its router,
 * OpenAPI document and GraphQL schema, never listed by hand):
 * - every list takes the one paging input, and hostile offsets and limits are a 400 naming the field;
 * - hostile X-Reason / X-Correlation-Id headers on every command route are never a 5xx;
 * - GraphQL aliases, introspection and fragment expansion are refused by cost before execution,
 *   without stalling the event loop;
 * - no route reads a body before its sender is authenticated (a 19 MB announcement is answered at
 *   once), and anonymous 19 MB uploads do not grow the process's memory.
 */

/** GET routes answering a list that does not grow with the data (configuration, fixed sets). */
const BOUNDED_LISTS: Record<string, string> = {
  'GET /health': 'one entry per projection of the code',
  'GET /admin/projections': 'one entry per projection of the code',
  'GET /billing/catalogue': 'the price list of the code and its versions',
  'GET /billing/legal-interest-rates': 'two legal rates a year',
  'GET /privacy/retention-policies': 'one policy per personal-data category',
  'GET /privacy/legal-holds': 'one hold per kind',
  'GET /portal/terms': 'published versions of the portal terms (an admin act)',
  'GET /portal/settings': 'the portal settings of the code',
  'GET /non-payment/policy': 'one policy',
  'GET /billing/consumption': 'one total of one subscription-month',
  'GET /portal/me': 'the session’s own account',
  'GET /portal/me/consumption': 'current figures of one customer, one per line',
  'GET /portal/me/delegations': 'the delegates of one account',
  'GET /portal/me/pbx/export': 'one export',
};

/** Sub-resources under an id that are a single document or bounded by the resource itself. */
const BOUNDED_SUB_RESOURCES: Record<string, string> = {
  'GET /billing/invoices/:invoiceId/document': 'one HTML document',
  'GET /billing/invoices/:invoiceId/late-interest': 'one computation',
  'GET /billing/accounts/:subscriptionId/liability-cap': 'one computation',
  'GET /numbers/:msisdn/rio': 'one RIO',
  'GET /tickets/links/:subscriptionId/terms': 'one set of terms',
  'GET /audit/streams/:id/verify': 'one verdict',
  'GET /audit/streams/:id/state': 'one folded state',
  'GET /privacy/subjects/:subjectId/retention': "one row per category of one subject",
  'GET /privacy/subjects/:subjectId/data': "one subject's data, one entry per context",
  'GET /privacy/subjects/:subjectId/archive': "one subject's restricted archive",
  'GET /privacy/subjects/:subjectId/consents': 'one entry per purpose',
  'GET /privacy/subjects/:subjectId/can-prospect': 'one answer',
  'GET /privacy/requests/:requestId/export': 'one export',
  'GET /portal/accounts/:accountId/pbx-authorisations': 'the PBX users of one account',
  'GET /portal/accounts/:accountId/pbx-export': 'one export',
};

/** GraphQL queries answering a bounded list (the same reasons). */
const BOUNDED_GRAPHQL_LISTS: Record<string, string> = {
  retentionPolicies: 'one policy per personal-data category',
  portalTerms: 'published versions of the portal terms',
  legalHolds: 'one hold per kind',
  projections: 'one entry per projection of the code',
};

const HOSTILE_OFFSETS = ['1e20', '99999999999999999999', String(PAGE_OFFSET_MAX + 1), '-1', '0x10', '1.5', 'NaN', 'abc', '', '%00', ' 1'];
const HOSTILE_LIMITS = ['0', String(PAGE_LIMIT_MAX + 1), '1e3', '-5', '99999999999999999999', 'ten', '', '2.5'];

function failuresOf(where: string, reply: Reply, field: string): string[] {
  const out: string[] = [];
  if (reply.status >= 500) out.push(`${where}: ${reply.status} ${reply.text.slice(0, 200)}`);
  else if (reply.status !== 400) out.push(`${where}: expected 400, got ${reply.status} ${reply.text.slice(0, 200)}`);
  else {
    out.push(...problemShapeErrors(reply).map((e) => `${where}: not problem+json (${e})`));
    const fields = (reply.body?.errors ?? []).map((e: { field?: string }) => e.field);
    if (!fields.includes(field)) out.push(`${where}: errors do not name ${field}: ${JSON.stringify(reply.body?.errors)}`);
  }
  return out;
}

/** A path's parameters filled with values each handler's pipes accept. */
function pathFor(route: RestRoute): string {
  return fillPath(route.path, { id: 'customer-x', subjectId: `contact-${randomUUID()}`, msisdn: '0612345678', kind: 'invoice', category: 'identity_contact', key: 'portal.password_cost' });
}

/** A list, or a page of one: an object with a `total` and a list field. */
function isListType(t: TypeRef, schema: Schema): boolean {
  if (t.kind === 'NON_NULL') return isListType(t.ofType!, schema);
  if (t.kind === 'LIST') return true;
  const fields = schema.types.find((x) => x.name === t.name)?.fields ?? [];
  const listField = (f: { type: TypeRef }): boolean => (f.type.kind === 'NON_NULL' ? listField({ type: f.type.ofType! }) : f.type.kind === 'LIST');
  return fields.some((f) => f.name === 'total' || f.name === 'count') && fields.some(listField);
}

/** Sends the request line and headers only, announcing a body that is never sent. */
function announceBody(baseUrl: string, method: string, path: string, headers: string[]): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${method} ${path}: no answer without the body (it waited for it)`));
    }, 5_000);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (/\r\n\r\n[\s\S]*\}$/.test(answer)) done();
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write([`${method} ${path} HTTP/1.1`, 'Host: localhost', 'Content-Type: application/json', 'Content-Length: 19000000', ...headers, '', ''].join('\r\n'));
  });
}

describe('issue 18 items 5 and 6 — hostile paging, headers, GraphQL cost and unauthenticated bodies over every route', () => {
  let t: ListeningApp;
  let routes: RestRoute[];
  let schema: Schema;
  let doc: { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required?: boolean }> }>> };

  beforeAll(async () => {
    t = await startListeningApp({ RUN_WORKER: 'false' });
    routes = restRoutes(t.app);
    schema = await introspect(t.baseUrl);
    doc = (await call(t.baseUrl, { method: 'GET', path: '/docs/openapi.json' })).body;
  });

  afterAll(async () => {
    await t?.close();
  });

  const pagedRoutes = () => routes.filter((r) => r.method === 'GET' && doc.paths[r.openApiPath]?.get?.parameters?.some((p) => p.name === 'limit' && p.in === 'query'));

  it('every REST list is paged: a list answer without `limit` in the OpenAPI document is a finding', async () => {
    const findings: string[] = [];
    const paged = new Set(pagedRoutes().map((r) => `GET ${r.path}`));
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const name = `GET ${route.path}`;
      if (paged.has(name) || BOUNDED_LISTS[name] || BOUNDED_SUB_RESOURCES[name]) continue;
      const segments = route.path.split('/');
      if (segments[segments.length - 1].startsWith(':')) continue; // one resource by its id
      if (route.path.includes(':')) {
        findings.push(`${name}: a sub-resource neither paged nor declared bounded`);
        continue;
      }
      const reply = await call(t.baseUrl, { method: 'GET', path: route.path, role: 'admin' });
      // A route that cannot be asked without more (parameters, a portal session) must be declared.
      if (reply.status !== 200) {
        findings.push(`${name}: not classified (answers ${reply.status} without parameters): page it or declare it bounded`);
        continue;
      }
      const body = reply.body;
      const list = Array.isArray(body) || (body && typeof body === 'object' && Object.values(body).some(Array.isArray));
      if (list) findings.push(`${name}: answers a list (${reply.text.slice(0, 80)}) without limit/offset`);
    }
    process.stdout.write(`[limits] ${paged.size} paged REST lists: ${[...paged].join(', ')}\n`);
    expect(paged.size).toBeGreaterThanOrEqual(25);
    expect(findings).toEqual([]);
  });

  it('every GraphQL list query takes `limit` (and `offset`)', () => {
    const query = schema.types.find((x) => x.name === schema.queryType?.name)!;
    const findings = (query.fields ?? [])
      .filter((f) => isListType(f.type, schema) && !BOUNDED_GRAPHQL_LISTS[f.name])
      .filter((f) => !f.args.some((a) => a.name === 'limit') || !f.args.some((a) => a.name === 'offset'))
      .map((f) => `${f.name}: ${namedType(f.type).name} without limit/offset`);
    expect(findings).toEqual([]);
  });

  it(`hostile offsets and limits on every paged REST list → 400 naming the field (${HOSTILE_OFFSETS.length + HOSTILE_LIMITS.length} values each), never a 5xx`, async () => {
    const findings: string[] = [];
    let requests = 0;
    for (const route of pagedRoutes()) {
      const role = route.access.kind === 'roles' ? (route.access.roles.includes('admin') ? 'admin' : route.access.roles[0]) : 'admin';
      for (const [field, values] of [
        ['offset', HOSTILE_OFFSETS],
        ['limit', HOSTILE_LIMITS],
      ] as const) {
        for (const value of values) {
          const path = `${pathFor(route)}?${field}=${encodeURIComponent(value)}`;
          const reply = await call(t.baseUrl, { method: 'GET', path, role });
          requests++;
          findings.push(...failuresOf(`GET ${route.path}?${field}=${value}`, reply, field));
        }
      }
    }
    process.stdout.write(`[limits] ${requests} hostile paging requests over ${pagedRoutes().length} lists\n`);
    expect(findings).toEqual([]);
    expect((await call(t.baseUrl, { method: 'GET', path: '/health/live' })).status).toBe(200);
  });

  it('hostile limits and offsets on every paged GraphQL query → a 400 problem naming the field', async () => {
    const query = schema.types.find((x) => x.name === schema.queryType?.name)!;
    const findings: string[] = [];
    for (const f of (query.fields ?? []).filter((x) => x.args.some((a) => a.name === 'limit'))) {
      // Required arguments get a value of their type; the paging arguments are what is refused.
      const required = f.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
      const vars = required.map((a) => `$${a.name}: ${a.type.ofType!.name}!`).join(', ');
      const passed = required.map((a) => `${a.name}: $${a.name}`).join(', ');
      const values = Object.fromEntries(required.map((a) => [a.name, a.type.ofType!.name === 'Int' ? 1 : a.name === 'month' ? '2026-03' : a.name === 'from' ? '2026-01-01' : a.name === 'to' ? '2026-12-31' : randomUUID()]));
      const selection = schema.types.find((x) => x.name === namedType(f.type).name)?.kind === 'OBJECT' ? ' { __typename }' : '';
      for (const [field, value] of [
        ['limit', PAGE_LIMIT_MAX + 1],
        ['limit', 0],
        ['offset', -1],
        ['offset', PAGE_OFFSET_MAX + 1],
      ] as const) {
        const document = `query${vars ? `(${vars})` : ''} { ${f.name}(${[passed, `${field}: ${value}`].filter(Boolean).join(', ')})${selection} }`;
        const reply = await graphql(t.baseUrl, document, values, 'admin');
        const error = reply.body?.errors?.[0];
        const where = `${f.name}(${field}: ${value})`;
        if (reply.status >= 500 || (error?.extensions?.status ?? 0) >= 500) findings.push(`${where}: internal error ${reply.text.slice(0, 200)}`);
        else if (error?.extensions?.status !== 400 || !(error.extensions.errors ?? []).some((e: { field?: string }) => e.field === field)) {
          findings.push(`${where}: expected a 400 naming ${field}, got ${reply.text.slice(0, 200)}`);
        }
      }
    }
    expect(findings).toEqual([]);
  });

  it('malformed X-Reason / X-Correlation-Id on every command route (REST) → never a 5xx, problem+json', async () => {
    const findings: string[] = [];
    const commands = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    for (const route of commands) {
      const role = route.access.kind === 'roles' ? (route.access.roles.includes('admin') ? 'admin' : route.access.roles[0]) : 'admin';
      for (const [header, value] of [
        ['X-Reason', '%'],
        ['X-Reason', '%C3%28'],
        ['X-Correlation-Id', '%E9'],
      ]) {
        const reply = await call(t.baseUrl, { method: route.method, path: pathFor(route), role, body: {}, headers: { [header]: value } });
        const where = `${route.method} ${route.path} ${header}: ${value}`;
        if (reply.status >= 500) findings.push(`${where}: ${reply.status} ${reply.text.slice(0, 200)}`);
        else if (reply.status >= 400) findings.push(...problemShapeErrors(reply).map((e) => `${where}: not problem+json (${e})`));
      }
    }
    process.stdout.write(`[limits] ${commands.length} command routes with malformed headers\n`);
    expect(findings).toEqual([]);
  });

  it('GraphQL: thousands of aliases, aliased introspection, a fragment bomb → refused by cost before execution, the event loop never stalled', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = Date.now();
    const refusals: Array<[string, Reply]> = [];
    const customers = Array.from({ length: 3_000 }, (_, i) => `c${i}: customers(query: "a", limit: 100) { customerId }`).join(' ');
    refusals.push(['3,000 aliased customers(limit: 100)', await graphql(t.baseUrl, `{ ${customers} }`)]);
    const schemas = Array.from({ length: 2_000 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ');
    refusals.push(['2,000 aliased __schema', await graphql(t.baseUrl, `{ ${schemas} }`)]);
    const fewSchemas = Array.from({ length: 25 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ');
    refusals.push(['25 aliased __schema without a key (GET)', await call(t.baseUrl, { method: 'GET', path: `/graphql?query=${encodeURIComponent(`{ ${fewSchemas} }`)}`, headers: { 'apollo-require-preflight': 'true' } })]);
    const chain = Array.from({ length: 14 }, (_, i) => `fragment F${i} on Customer { a: contacts { ...C${i} } } fragment C${i} on CustomerContact { __typename }`).join(' ');
    const bomb = `query { ${Array.from({ length: 25 }, (_, i) => `x${i}: customers(query: "a", limit: 200) { ...F${i % 14} }`).join(' ')} } ${chain}`;
    refusals.push(['fragment-spread aliases', await graphql(t.baseUrl, bomb)]);
    const elapsed = Date.now() - started;
    delay.disable();
    const findings: string[] = [];
    for (const [what, reply] of refusals) {
      const error = reply.body?.errors?.[0];
      if (reply.status !== 400 || !['query_too_large', 'query_too_complex'].includes(error?.extensions?.code)) findings.push(`${what}: ${reply.status} ${reply.text.slice(0, 300)}`);
      else if (!(error.extensions.errors ?? []).some((e: { field?: string }) => e.field === 'query')) findings.push(`${what}: the problem does not name the query`);
    }
    process.stdout.write(`[limits] GraphQL refusals in ${elapsed} ms; event loop delay max ${Math.round(delay.max / 1e6)} ms\n`);
    expect(findings).toEqual([]);
    expect(elapsed).toBeLessThan(5_000);
    expect(delay.max / 1e6).toBeLessThan(1_000);
  });

  it('no route reads a body before authentication: a 19 MB announcement without a key is answered 401 at once, on every body-taking route', async () => {
    const findings: string[] = [];
    const bodyRoutes = routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    for (const route of [...bodyRoutes, { method: 'POST', path: '/graphql' } as RestRoute]) {
      const answer = await announceBody(t.baseUrl, route.method, pathFor(route), []).catch((error: Error) => error.message);
      if (!/^HTTP\/1\.1 401 /.test(answer)) findings.push(`${route.method} ${route.path}: ${answer.slice(0, 120)}`);
    }
    expect(findings).toEqual([]);
  });

  it('20 concurrent anonymous 19 MB CDR uploads: all refused 401, the process memory does not grow by their size', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const upload = () =>
      new Promise<number | string>((resolve) => {
        const { hostname, port } = new URL(t.baseUrl);
        const req = httpRequest({ host: hostname, port: Number(port), path: '/billing/cdrs', method: 'POST', headers: { 'Content-Type': 'text/csv', 'Content-Length': String(19 * chunk.length) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        // The server answers and closes without reading: the rest of the upload then fails to send.
        req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        let sent = 0;
        const pump = () => {
          while (sent < 19) {
            sent++;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
    global.gc?.();
    const before = process.memoryUsage().rss;
    const outcomes = await Promise.all(Array.from({ length: 20 }, upload));
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    process.stdout.write(`[limits] anonymous uploads: ${JSON.stringify(outcomes)}; RSS +${grown.toFixed(0)} MiB\n`);
    expect(outcomes.filter((o) => o !== 401 && o !== 'EPIPE' && o !== 'ECONNRESET')).toEqual([]);
    expect(outcomes).toContain(401);
    // Parsed, they would take 20 × 19 MB = 380 MB (more as strings).
    expect(grown).toBeLessThan(150);
    expect((await call(t.baseUrl, { method: 'GET', path: '/health/live' })).status).toBe(200);
  });
});

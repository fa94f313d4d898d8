import { randomUUID } from 'node:crypto';
import { call, graphql, introspect, problemShapeErrors, startListeningApp, type ListeningApp, type Reply } from './support/api';
import {
  type Access,
  expressRoutes,
  fillPath,
  graphqlOperations,
  minimalValue,
  operationDocument,
  restRoutes,
  ROLE_COLUMNS,
  type GraphqlOperation,
  type RestRoute,
  type Schema,
} from './support/routes';

/**
 * Authorization matrix: every REST route and every GraphQL query/mutation × every role (system,
 * support, auditor, admin, and no key at all), generated from the running application's route
 * table and schema. The expected cell comes from the handler's own metadata (`@Roles` / `@Public`,
 * read as the guard reads it), so a route added without a rule fails here, and a rule the guard
 * would not enforce is caught by the request itself.
 */

const EXCLUDED_FROM_OPENAPI = 'swagger/apiExcludeEndpoint';

function allowed(access: Access, role: string): boolean {
  if (access.kind === 'public') return true;
  if (role === 'none') return false;
  return access.kind === 'roles' ? access.roles.includes(role as never) : role === 'admin';
}

function describeAccess(access: Access): string {
  return access.kind === 'public' ? 'public' : access.kind === 'roles' ? access.roles.join('|') : 'NO RULE (admin by default)';
}

describe('Authorization matrix (route table × roles)', () => {
  let t: ListeningApp;
  let routes: RestRoute[];
  let schema: Schema;
  let operations: GraphqlOperation[];

  beforeAll(async () => {
    t = await startListeningApp({ RUN_WORKER: 'false' });
    routes = restRoutes(t.app);
    schema = await introspect(t.baseUrl);
    operations = graphqlOperations(t.app, schema);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('discovers the routes and operations of every context from the application itself', () => {
    // Sanity: the discovery sees the platform's and the customers context's handlers.
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /health', 'POST /customers', 'POST /customers/:customerId/contacts']));
    expect(operations.map((o) => `${o.kind} ${o.field}`)).toEqual(expect.arrayContaining(['mutation registerCustomer', 'query customer']));
    process.stdout.write(`[authz] ${routes.length} REST routes, ${operations.length} GraphQL operations\n`);
  });

  it('§10 every REST route declares its rule explicitly (@Roles or @Public on the handler or its controller)', () => {
    const withoutRule = routes.filter((r) => r.access.kind === 'none').map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(withoutRule).toEqual([]);
  });

  it('§10 every GraphQL query and mutation has a resolver method with an explicit rule', () => {
    const missing = operations.filter((o) => !o.resolver || o.resolver.access.kind === 'none').map((o) => `${o.kind} ${o.field}`);
    expect(missing).toEqual([]);
  });

  it('the route table is the whole surface: Express serves no route Nest does not know, OpenAPI documents every route', async () => {
    const known = new Set(routes.map((r) => `${r.method} ${r.path}`));
    // Outside Nest's router there may only be static, public content: Swagger UI and its JSON
    // document (SwaggerModule) and the admin client's files (a GET-only middleware). Anything else
    // would be an unguarded entry point.
    const outside = expressRoutes(t.app).filter((r) => !known.has(`${r.method} ${r.path}`));
    expect(outside.filter((r) => r.method !== 'GET')).toEqual([]);
    for (const r of outside.filter((x) => !x.path.startsWith('/docs'))) {
      const reply = await call(t.baseUrl, { method: 'GET', path: fillPath(r.path.replace(/\*[A-Za-z0-9_]+/g, 'reliability-probe.js')) });
      const servesData = reply.status < 300 && /json/.test(reply.contentType);
      expect({ route: r.path, status: reply.status, servesData }).toEqual({ route: r.path, status: reply.status, servesData: false });
    }

    const doc = (await call(t.baseUrl, { method: 'GET', path: '/docs/openapi.json' })).body as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const undocumented = routes
      .filter((r) => !documented.has(`${r.method} ${r.openApiPath}`))
      .filter((r) => !isExcludedFromOpenApi(r))
      .map((r) => `${r.method} ${r.path}`);
    expect(undocumented).toEqual([]);
    const routeKeys = new Set(routes.map((r) => `${r.method} ${r.openApiPath}`));
    expect([...documented].filter((k) => !routeKeys.has(k))).toEqual([]);
  });

  function isExcludedFromOpenApi(r: RestRoute): boolean {
    for (const module of (t.app as any).container.getModules().values()) {
      for (const wrapper of module.controllers.values()) {
        if (wrapper.metatype?.name !== r.controller) continue;
        const handler = wrapper.metatype.prototype[r.handler];
        return Reflect.getMetadata(EXCLUDED_FROM_OPENAPI, handler)?.disable === true || Reflect.getMetadata(EXCLUDED_FROM_OPENAPI, wrapper.metatype)?.disable === true;
      }
    }
    return false;
  }

  it('§10 REST: no key → 401, an unknown key → 401, a role not allowed → 403 (problem+json), allowed roles pass the guard; never a 5xx', async () => {
    const failures: string[] = [];
    const matrix: string[] = [];
    for (const route of routes) {
      if (route.method === 'ALL' || route.method === 'HEAD' || route.method === 'OPTIONS') continue;
      const path = fillPath(route.path);
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      const cells: string[] = [];
      for (const role of ROLE_COLUMNS) {
        const reply = await call(t.baseUrl, { method: route.method, path, role: role === 'none' ? null : role, body });
        cells.push(`${role}:${reply.status}`);
        const where = `${route.method} ${route.path} [${describeAccess(route.access)}] as ${role}: ${reply.status} ${reply.text.slice(0, 160)}`;
        if (reply.status >= 500) failures.push(`5xx — ${where}`);
        if (allowed(route.access, role)) {
          // The guard's refusals; a handler may still answer 401/403 for reasons of its own
          // (e.g. the customer portal's session), which is not an authorization-matrix failure.
          if (guardRefused(reply.status, reply.body?.code)) failures.push(`refused by the guard although allowed — ${where}`);
        } else {
          const expected = role === 'none' ? 401 : 403;
          if (reply.status !== expected || !guardRefused(reply.status, reply.body?.code)) failures.push(`expected ${expected} from the guard — ${where}`);
          else for (const e of problemShapeErrors(reply)) failures.push(`not problem+json (${e}) — ${where}`);
        }
      }
      if (route.access.kind !== 'public') {
        const bogus = await call(t.baseUrl, { method: route.method, path, apiKey: `not-a-key-${randomUUID()}`, body });
        cells.push(`bogus:${bogus.status}`);
        if (bogus.status !== 401) failures.push(`unknown key: expected 401 — ${route.method} ${route.path}: ${bogus.status}`);
      }
      matrix.push(`${route.method.padEnd(6)} ${route.path.padEnd(48)} ${describeAccess(route.access).padEnd(34)} ${cells.join(' ')}`);
    }
    process.stdout.write(`[authz] REST matrix:\n${matrix.join('\n')}\n`);
    expect(failures).toEqual([]);
  });

  it('§10 GraphQL: no key → 401, a role not allowed → 403, allowed roles pass the guard; never an internal error', async () => {
    const failures: string[] = [];
    const matrix: string[] = [];
    for (const op of operations) {
      if (!op.resolver) continue;
      const variables = Object.fromEntries(op.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null).map((a) => [a.name, minimalValue(a.type, schema)]));
      const document = operationDocument(op, schema, Object.keys(variables));
      const cells: string[] = [];
      for (const role of ROLE_COLUMNS) {
        const reply = await graphql(t.baseUrl, document, variables, role === 'none' ? null : role);
        const outcome = graphqlOutcome(reply);
        cells.push(`${role}:${outcome.status}`);
        const where = `${op.kind} ${op.field} [${describeAccess(op.resolver.access)}] as ${role}: HTTP ${reply.status} ${reply.text.slice(0, 200)}`;
        if (outcome.internal) failures.push(`internal error — ${where}`);
        if (allowed(op.resolver.access, role)) {
          if (guardRefused(outcome.status, outcome.code)) failures.push(`refused by the guard although allowed — ${where}`);
        } else {
          const expected = role === 'none' ? 401 : 403;
          if (outcome.status !== expected || !guardRefused(outcome.status, outcome.code)) failures.push(`expected ${expected} from the guard — ${where}`);
        }
      }
      matrix.push(`${op.kind.padEnd(8)} ${op.field.padEnd(40)} ${describeAccess(op.resolver.access).padEnd(34)} ${cells.join(' ')}`);
    }
    process.stdout.write(`[authz] GraphQL matrix:\n${matrix.join('\n')}\n`);
    expect(failures).toEqual([]);
  });
});

/** ApiKeyGuard's two refusals (libs/platform/src/http/auth.ts). */
function guardRefused(status: number, code: string | null | undefined): boolean {
  return (status === 401 && code === 'unauthenticated') || (status === 403 && code === 'forbidden');
}

/** The status a GraphQL reply stands for: the problem's status in the first error, else 200 / HTTP status. */
function graphqlOutcome(reply: Reply): { status: number; code: string | null; internal: boolean } {
  const errors = (reply.body?.errors ?? []) as Array<{ extensions?: { status?: number; code?: string } }>;
  const internal = reply.status >= 500 || errors.some((e) => (e.extensions?.status ?? 0) >= 500 || e.extensions?.code === 'INTERNAL_SERVER_ERROR' || e.extensions?.code === 'internal_error');
  if (errors.length === 0) return { status: reply.status, code: null, internal };
  const first = errors[0].extensions ?? {};
  return { status: first.status ?? reply.status, code: first.code ?? null, internal };
}

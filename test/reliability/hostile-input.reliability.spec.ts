import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { call, customerBody, eventCount, graphql, introspect, problemShapeErrors, startListeningApp, type ListeningApp, type Reply } from './support/api';
import { hostileBody, hostileGraphqlValue, hostileParam, type OpenApiSchema } from './support/hostile';
import { graphqlOperations, operationDocument, restRoutes, type GraphqlOperation, type RestRoute, type Schema } from './support/routes';
import { size } from './support/scale';

/**
 * Property-based hostile input (fast-check) against every REST body (POST/PUT/PATCH operations of
 * the OpenAPI document the API serves) and every GraphQL mutation (introspection). Each request
 * runs alone, as a role the route allows, and must:
 * - never answer 5xx (nor a GraphQL internal error);
 * - when refused (4xx), append nothing (es_events counted before and after) and answer
 *   problem+json (REST) or errors carrying a code (GraphQL);
 * - never pollute Object.prototype (the API runs in this process, so it is checked directly).
 * The worker is off, so nothing else appends meanwhile.
 */

const RUNS = size('fuzzRuns');
const SEED = process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : Date.now() % 2 ** 31;

function polluted(): string | null {
  const probe: Record<string, unknown> = {};
  for (const key of ['polluted', 'isAdmin']) if (key in probe) return key;
  return null;
}

function roleFor(route: RestRoute | undefined): 'system' | 'support' | 'auditor' | 'admin' | null {
  if (!route || route.access.kind === 'public') return null;
  if (route.access.kind === 'none') return 'admin';
  return route.access.roles.includes('admin') ? 'admin' : route.access.roles[0];
}

interface Finding {
  operation: string;
  problem: string;
  request: string;
  reply: string;
}

describe('Hostile input (fast-check): never a 5xx, nothing appended on refusal, problem+json', () => {
  let t: ListeningApp;
  let doc: { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, OpenApiSchema> } };
  let routes: RestRoute[];
  let schema: Schema;
  let mutations: GraphqlOperation[];
  /** Ids of aggregates that exist, by path-parameter name, so that some requests reach the handlers. */
  const known: Record<string, string> = {};

  beforeAll(async () => {
    t = await startListeningApp({ RUN_WORKER: 'false' });
    routes = restRoutes(t.app);
    doc = (await call(t.baseUrl, { method: 'GET', path: '/docs/openapi.json' })).body;
    schema = await introspect(t.baseUrl);
    mutations = graphqlOperations(t.app, schema).filter((o) => o.kind === 'mutation');
    const customerId = randomUUID();
    const registered = await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body: customerBody(customerId) });
    expect(registered.status).toBe(201);
    known.customerId = customerId;
    process.stdout.write(`[hostile] seed ${SEED}, ${RUNS} runs per operation (RELIABILITY_SEED=${SEED} replays this run)\n`);
  });

  afterAll(async () => {
    await t?.close();
  });

  function check(operation: string, request: string, reply: Reply, before: number, after: number, refused: boolean, extra: string[] = []): Finding[] {
    const problems: string[] = [...extra];
    if (reply.status >= 500) problems.push(`HTTP ${reply.status}`);
    if (refused && after !== before) problems.push(`${after - before} event(s) appended by a refused request`);
    const key = polluted();
    if (key) problems.push(`Object.prototype.${key} polluted`);
    return problems.map((problem) => ({ operation, problem, request: request.slice(0, 400), reply: `${reply.status} ${reply.text.slice(0, 300)}` }));
  }

  it('§10 every REST body (POST/PUT/PATCH in the OpenAPI document) survives hostile input', async () => {
    const components = doc.components?.schemas ?? {};
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => ['post', 'put', 'patch'].includes(m))
        .map(([m, op]) => ({ method: m.toUpperCase(), openApiPath: path, schema: op.requestBody?.content?.['application/json']?.schema as OpenApiSchema | undefined })),
    );
    expect(operations.length).toBeGreaterThan(5);
    const findings: Finding[] = [];
    const summary: string[] = [];
    let operationIndex = 0;
    for (const op of operations) {
      const route = routes.find((r) => r.method === op.method && r.openApiPath === op.openApiPath);
      const role = roleFor(route);
      const params = [...op.openApiPath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const statuses: Record<number, number> = {};
      const name = `${op.method} ${op.openApiPath}`;
      const property = fc.asyncProperty(
        hostileBody(op.schema, components),
        fc.tuple(...params.map(() => hostileParam())),
        fc.option(fc.oneof(fc.uuid(), fc.string({ unit: fc.constantFrom(...'abcXYZ019-_:.~ '.split('')), maxLength: 20 }), fc.constant('k'.repeat(250))), { freq: 3 }),
        async (body, paramValues, idempotencyKey) => {
          const path = op.openApiPath.replace(/\{([^}]+)\}/g, (_, p: string) => {
            const v = paramValues[params.indexOf(p)];
            return encodeURIComponent(v ?? known[p] ?? randomUUID());
          });
          const headers: Record<string, string> = { 'Content-Type': body.contentType };
          if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
          const before = await eventCount(t);
          const reply = await call(t.baseUrl, { method: op.method, path, role, raw: body.raw, headers });
          const after = await eventCount(t);
          statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
          const refused = reply.status >= 400;
          const shape = refused ? problemShapeErrors(reply).map((e) => `not problem+json: ${e}`) : [];
          const found = check(name, `${op.method} ${path} [${body.label}] ${body.raw}`, reply, before, after, refused, shape);
          findings.push(...found);
          return found.length === 0;
        },
      );
      const result = await fc.check(property, { numRuns: RUNS, seed: SEED + operationIndex++, endOnFailure: true });
      summary.push(`${name.padEnd(60)} as ${String(role ?? 'public').padEnd(7)} ${result.numRuns} runs ${JSON.stringify(statuses)}`);
    }
    process.stdout.write(`[hostile] REST (${operations.length} operations):\n${summary.join('\n')}\n`);
    expect(findings).toEqual([]);
  });

  it('§10 every GraphQL mutation (introspection) survives hostile variables', async () => {
    expect(mutations.length).toBeGreaterThan(0);
    const findings: Finding[] = [];
    const summary: string[] = [];
    let operationIndex = 0;
    for (const op of mutations) {
      const document = operationDocument(op, schema);
      const role = op.resolver?.access.kind === 'roles' ? (op.resolver.access.roles.includes('admin') ? 'admin' : op.resolver.access.roles[0]) : 'admin';
      const outcomes: Record<string, number> = {};
      const property = fc.asyncProperty(
        fc.tuple(...op.args.map((a) => fc.option(hostileGraphqlValue(a.type, schema), { freq: 12, nil: undefined }))),
        fc.option(fc.uuid(), { freq: 4 }),
        async (values, idempotencyKey) => {
          const variables = Object.fromEntries(op.args.map((a, i) => [a.name, values[i]]).filter(([, v]) => v !== undefined));
          const before = await eventCount(t);
          const reply = await graphql(t.baseUrl, document, variables, role, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {});
          const after = await eventCount(t);
          const errors = (reply.body?.errors ?? []) as Array<{ message?: string; extensions?: { code?: unknown; status?: number } }>;
          const succeeded = reply.body?.data?.[op.field] != null && errors.length === 0;
          const outcome = succeeded ? 'ok' : String(errors[0]?.extensions?.status ?? errors[0]?.extensions?.code ?? reply.status);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          const extra: string[] = [];
          if (!reply.body || typeof reply.body !== 'object') extra.push('reply is not JSON');
          for (const e of errors) {
            if (typeof e.extensions?.code !== 'string') extra.push(`error without a code: ${e.message}`);
            if ((e.extensions?.status ?? 0) >= 500 || e.extensions?.code === 'INTERNAL_SERVER_ERROR' || e.extensions?.code === 'internal_error') {
              extra.push(`internal error: ${e.message}`);
            }
          }
          const found = check(`mutation ${op.field}`, JSON.stringify(variables), reply, before, after, !succeeded, extra);
          findings.push(...found);
          return found.length === 0;
        },
      );
      const result = await fc.check(property, { numRuns: RUNS, seed: SEED + 1000 + operationIndex++, endOnFailure: true });
      summary.push(`mutation ${op.field.padEnd(40)} as ${role.padEnd(7)} ${result.numRuns} runs ${JSON.stringify(outcomes)}`);
    }
    process.stdout.write(`[hostile] GraphQL (${mutations.length} mutations):\n${summary.join('\n')}\n`);
    expect(findings).toEqual([]);
  });
});

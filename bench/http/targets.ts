/**
 * HTTP endpoints under load; `nextRequest` gives each request its own body or headers (e.g. a
 * fresh Idempotency-Key or aggregate id). Each API target is compared with the
 * bare Nest endpoint named in `baseline` (same HTTP method, same body handling).
 */
export interface HttpTarget {
  name: string;
  app: 'api' | 'bare';
  kind: 'command' | 'read' | 'baseline';
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called for each request with a running number (inside the load generator process). */
  nextRequest?: (n: number) => { body?: string; headers?: Record<string, string> };
  expectStatus: number;
  baseline?: string;
  description: string;
}

const ADMIN_KEY = 'dev-admin-key';
const SYSTEM_KEY = 'dev-system-key';

/** A customer registration as an internal system sends it (SIRET valid, one signatory contact). */
const CUSTOMER = {
  companyName: 'Boulangerie Martin SARL',
  siret: '73282932000074',
  billingAddress: { line1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
  contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Jeanne Martin', email: 'jeanne@example.fr', phone: '0612345678' }],
};
const JSON_HEADERS = { 'content-type': 'application/json' };

export const HTTP_TARGETS: HttpTarget[] = [
  {
    name: 'bare GET',
    app: 'bare',
    kind: 'baseline',
    method: 'GET',
    path: '/bare',
    expectStatus: 200,
    description: 'minimal Nest 11 + Express app in the same process: @Get() returning {ok:true}',
  },
  {
    name: 'bare POST',
    app: 'bare',
    kind: 'baseline',
    method: 'POST',
    path: '/bare',
    headers: JSON_HEADERS,
    body: JSON.stringify({ advance: 'PT1S' }),
    expectStatus: 200,
    description: 'minimal Nest app: @Post() parsing the JSON body, returning {ok:true}',
  },
  {
    name: 'command POST /admin/clock',
    app: 'api',
    kind: 'command',
    method: 'POST',
    path: '/admin/clock',
    headers: { ...JSON_HEADERS, 'x-api-key': ADMIN_KEY },
    body: JSON.stringify({ advance: 'PT1S' }),
    expectStatus: 200,
    baseline: 'bare POST',
    description: 'API key guard, validation pipe (class-validator DTO), idempotency interceptor (no key), one upsert of test_clock',
  },
  {
    name: 'command POST /customers',
    app: 'api',
    kind: 'command',
    method: 'POST',
    path: '/customers',
    headers: { ...JSON_HEADERS, 'x-api-key': SYSTEM_KEY },
    body: JSON.stringify(CUSTOMER),
    // A new customer and a new Idempotency-Key per request: every request is a real command.
    nextRequest: (n) => ({ headers: { 'idempotency-key': `bench-${process.pid}-${n}` } }),
    expectStatus: 201,
    baseline: 'bare POST',
    description:
      'a real command: guard, validation (class-validator, SIRET check), Idempotency-Key claim and stored response, contact encrypted under a new data key (pii_keys insert), decider, event-store append with hash chain',
  },
  {
    name: 'read GET /customers?q=',
    app: 'api',
    kind: 'read',
    method: 'GET',
    path: '/customers?q=martin',
    headers: { 'x-api-key': SYSTEM_KEY },
    expectStatus: 200,
    baseline: 'bare GET',
    description: 'a read-model query: guard, substring search on the customer directory (empty here: the worker is off in this benchmark)',
  },
  {
    name: 'read GET /admin/projections',
    app: 'api',
    kind: 'read',
    method: 'GET',
    path: '/admin/projections',
    headers: { 'x-api-key': ADMIN_KEY },
    expectStatus: 200,
    baseline: 'bare GET',
    description: 'API key guard, projection_checkpoints query + lag count per projection',
  },
  {
    name: 'read GET /health',
    app: 'api',
    kind: 'read',
    method: 'GET',
    path: '/health',
    expectStatus: 200,
    baseline: 'bare GET',
    description: 'public: SELECT 1, event-store ping, projection status',
  },
];

/**
 * HTTP endpoints under load. To benchmark a real command once the contexts land, replace the
 * `command` entry (path, body, expected status); `nextRequest` can give each request its own body
 * or headers (e.g. a fresh Idempotency-Key or aggregate id). Each API target is compared with the
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

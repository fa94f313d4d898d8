import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { KEYS, startTestApp, type TestApp } from '../../support/app';
import { INTROSPECTION, type Schema } from './routes';

/**
 * The real API (startTestApp: real PostgreSQL, every context module) listening on a loopback port,
 * driven with fetch so that requests really run concurrently on sockets.
 */
export interface ListeningApp extends TestApp {
  baseUrl: string;
}

export async function startListeningApp(env: Record<string, string> = {}): Promise<ListeningApp> {
  const t = await startTestApp(env);
  // A long accept queue: a thousand clients connecting at once must not be reset by the kernel
  // before the server even sees them (Node's default backlog is 511).
  const server = t.app.getHttpServer() as import('node:http').Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { ...t, baseUrl: `http://127.0.0.1:${port}` };
}

export type RoleKey = keyof typeof KEYS;

export interface Reply {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  body: any;
}

export interface Call {
  method: string;
  path: string;
  role?: RoleKey | null;
  /** Raw API key (overrides role). */
  apiKey?: string;
  /** Serialised as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function call(baseUrl: string, c: Call): Promise<Reply> {
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  const key = c.apiKey ?? (c.role ? KEYS[c.role] : undefined);
  if (key) headers['X-API-Key'] = key;
  let body: string | undefined;
  if (c.raw !== undefined) body = c.raw;
  else if (c.body !== undefined) body = JSON.stringify(c.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${baseUrl}${c.path}`, {
    method: c.method,
    headers,
    body: c.method === 'GET' || c.method === 'HEAD' ? undefined : body,
    signal: AbortSignal.timeout(c.timeoutMs ?? 60_000),
  });
  const text = await res.text();
  let parsed: any = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', headers: res.headers, text, body: parsed };
}

export async function graphql(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  role: RoleKey | null = 'admin',
  headers: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<Reply> {
  return call(baseUrl, { method: 'POST', path: '/graphql', role, body: { query, variables }, headers: { 'apollo-require-preflight': 'true', ...headers }, timeoutMs });
}

export async function introspect(baseUrl: string): Promise<Schema> {
  const reply = await graphql(baseUrl, INTROSPECTION, {}, 'admin');
  if (reply.status !== 200 || !reply.body?.data?.__schema) throw new Error(`introspection failed: ${reply.status} ${reply.text.slice(0, 500)}`);
  return reply.body.data.__schema as Schema;
}

export async function eventCount(t: TestApp): Promise<number> {
  const { rows } = await t.runtime.pool.query('SELECT count(*)::int AS n FROM es_events');
  return rows[0].n;
}

/** A problem+json document as the platform writes it (RFC 9457 + code + errors). */
export function problemShapeErrors(reply: Reply): string[] {
  const errors: string[] = [];
  if (!/^application\/problem\+json/.test(reply.contentType)) errors.push(`content-type ${reply.contentType || '(none)'}`);
  const b = reply.body;
  if (!b || typeof b !== 'object') return [...errors, `body is not JSON: ${reply.text.slice(0, 200)}`];
  if (b.status !== reply.status) errors.push(`body.status ${b.status} ≠ ${reply.status}`);
  if (typeof b.code !== 'string' || !b.code) errors.push('no code');
  if (typeof b.type !== 'string' || typeof b.title !== 'string' || typeof b.detail !== 'string') errors.push('type/title/detail missing');
  if (!Array.isArray(b.errors)) errors.push('errors is not an array');
  return errors;
}

/** A valid customer registration (SIRET with a correct check digit, a signatory contact). */
export function customerBody(customerId: string = randomUUID(), label = customerId.slice(0, 8)) {
  return {
    customerId,
    companyName: `Fiabilité ${label} SAS`,
    siret: '73282932000074',
    billingAddress: { line1: '8 rue de la Fiabilité', postalCode: '69002', city: 'Lyon', country: 'FR' },
    contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Claire Durand', email: 'claire.durand@example.fr', phone: '0612345678' }],
  };
}

export function contactBody(i: number, contactId: string = randomUUID()) {
  return { contactId, role: 'technical', authorisedForSupport: i % 2 === 0, name: `Technicien ${i}`, email: `tech${i}@example.fr`, phone: '0698765432' };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

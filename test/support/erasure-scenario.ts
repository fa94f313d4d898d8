import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { WorkerService } from '../../libs/platform/src';
import { PiiVault } from '../../libs/privacy/src';
import { exportEvents, findSentinels, runCli, type CliResult } from '../../libs/privacy/src/testing/cli';
import { KEYS, settle, type TestApp } from './app';

/**
 * Issue 18 item 7, "personal data outside the vault": a scenario that hands one person's data to
 * every place free text goes (X-Reason on REST and GraphQL commands, a ticket's description,
 * location, consequences, notes and reopening reason, a consent's proof, a data-subject request's
 * refusal reason), erases that person (and the customer's communications, where the free text
 * about them is kept), then looks for their values everywhere: every column of every table as
 * text, the same rows with every sealed value opened through the vault, the events export (raw
 * and opened), the data-subject exports (JSON and CSV), the API's views, the audit API and every
 * line the process and the CLI logged. Used by the integration test and the reliability suite.
 */

/** Recognisable values of one person: any of them found after the erasure is a leak. */
export function personSentinels(tag: string = randomUUID().slice(0, 8), options: { name?: string } = {}) {
  const name = options.name ?? `Jeanne Oublivault ${tag}`;
  const email = `jeanne.oublivault.${tag}@erasure-grep.example`;
  const phone = '0611229944';
  return {
    person: { name, email, phone },
    values: {
      name,
      email,
      phone,
      reason: `call from ${email}`,
      graphqlReason: `classified after ${name} called back`,
      description: `${name} (${email}) reports that the link is down since 9:00`,
      location: `office of ${name}, 2nd floor`,
      consequences: `${name} cannot reach customers, call back on ${phone}`,
      exclusionNote: `site access refused by ${name}`,
      reopenReason: `${name} says the link dropped again`,
      consentProof: `paper form signed by ${name}`,
      refusalReason: `duplicate of the request ${email} sent by post`,
      erasureReason: `erasure asked by ${email}`,
    },
  };
}
export type Sentinels = ReturnType<typeof personSentinels>;

/** A Nest logger keeping every line (API and worker roles run in the test process). */
export class CapturedLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]) { this.keep('log', message, rest); }
  error(message: unknown, ...rest: unknown[]) { this.keep('error', message, rest); }
  warn(message: unknown, ...rest: unknown[]) { this.keep('warn', message, rest); }
  debug(message: unknown, ...rest: unknown[]) { this.keep('debug', message, rest); }
  verbose(message: unknown, ...rest: unknown[]) { this.keep('verbose', message, rest); }
  fatal(message: unknown, ...rest: unknown[]) { this.keep('fatal', message, rest); }
  private keep(level: string, message: unknown, rest: unknown[]) {
    this.lines.push(`${level} ${[message, ...rest].map((m) => (m instanceof Error ? m.stack : typeof m === 'string' ? m : JSON.stringify(m))).join(' ')}`);
  }
}

/** Everything this process writes to stdout and stderr until `stop()` (Nest's own output included). */
export function captureProcessOutput(): { text: () => string; stop: () => void } {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap = (write: typeof out) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof out;
  process.stdout.write = tap(out);
  process.stderr.write = tap(err);
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}

export interface ScenarioIds {
  customerId: string;
  contactId: string;
  otherContactId: string;
  ticketId: string;
  refusedRequestId: string;
  /** Subjects the erasure covers: the person, and the customer whose communications hold free text about them. */
  person: string;
  customer: string;
}

const reasonHeader = (text: string) => encodeURIComponent(text);

function api(t: TestApp, key: string = KEYS.support) {
  const withHeaders = (r: request.Test, reason?: string) => {
    // An Idempotency-Key too: the stored first answers are one more table the grep covers.
    r.set('X-API-Key', key).set('X-Correlation-Id', `erasure-grep:${randomUUID()}`).set('Idempotency-Key', randomUUID());
    if (reason) r.set('X-Reason', reasonHeader(reason));
    return r;
  };
  return {
    post: (path: string, body: object, reason?: string) => withHeaders(request(t.http).post(path), reason).send(body),
    get: (path: string) => request(t.http).get(path).set('X-API-Key', key),
    graphql: (query: string, variables: object, reason?: string) => withHeaders(request(t.http).post('/graphql'), reason).send({ query, variables }),
  };
}

/** Drives the person's data into every place free text goes; returns the ids. Clock at 2026-05-04T08:00Z. */
export async function runFreeTextScenario(t: TestApp, s: Sentinels): Promise<ScenarioIds> {
  const v = s.values;
  const system = api(t, KEYS.system);
  const support = api(t, KEYS.support);
  const contactId = randomUUID();
  const otherContactId = randomUUID();
  const created = await system
    .post(
      '/customers',
      {
        companyName: `Scieries Réunies ${randomUUID().slice(0, 6)}`,
        siret: '73282932000074',
        billingAddress: { line1: '8 rue des Tanneurs', postalCode: '69001', city: 'Lyon', country: 'FR' },
        contacts: [
          { contactId, role: 'signatory', authorisedForSupport: true, ...s.person },
          { contactId: otherContactId, role: 'technical', authorisedForSupport: true, name: 'Paul Keepsake', email: 'paul.keepsake@erasure-grep.example', phone: '0655667788' },
        ],
      },
      v.reason,
    )
    .expect(201);
  const customerId: string = created.body.customerId;
  const placed = await support
    .post('/subscriptions', { customerId, service: 'DATA', items: [{ itemId: 'site-lyon', label: 'site-lyon' }], quoteDate: '2026-05-01', orderAmount: '100.00' })
    .expect(201);
  const subscriptionId: string = placed.body.subscriptionId;
  await settle(t);

  // The ticket: X-Reason on every command, the person in every free-text field.
  const call = await support.post('/tickets/calls', { customerId, callerContactId: contactId, impactedSiteIds: ['site-lyon'] }, v.reason).expect(201);
  const ticketId: string = call.body.ticketId;
  await support
    .post(
      `/tickets/${ticketId}/open`,
      {
        notifiedAt: '2026-05-04T07:30:00Z',
        declaredByContactId: contactId,
        serviceType: 'DATA',
        subscriptionId,
        description: v.description,
        location: v.location,
        consequences: v.consequences,
        terms: { guaranteedLink: true, monthlyFee: '450.00' },
      },
      v.reason,
    )
    .expect(201);
  const classified = await support.graphql(
    'mutation($id: ID!) { classifyIncident(ticketId: $id, input: { totalUnavailability: true, attributableToNetworkOnly: true }) { revision } }',
    { id: ticketId },
    v.graphqlReason,
  );
  if (classified.body.errors) throw new Error(`classifyIncident: ${JSON.stringify(classified.body.errors)}`);
  await support.post(`/tickets/${ticketId}/exclusion`, { cause: 'third_party', note: v.exclusionNote }, v.reason).expect((r) => expectOk(r, 'exclusion'));
  await support.post(`/tickets/${ticketId}/restoration`, { via: 'phone' }, v.reason).expect((r) => expectOk(r, 'restoration'));
  await support.post(`/tickets/${ticketId}/closure`, { clientInformedVia: 'email' }, v.reason).expect((r) => expectOk(r, 'closure'));
  await support.post(`/tickets/${ticketId}/reopen`, { requestedByContactId: contactId, reason: v.reopenReason }, v.reason).expect((r) => expectOk(r, 'reopen'));

  // Privacy: a consent with its proof, and a request refused with a reason that names them.
  const person = `contact-${contactId}`;
  await system.post(`/privacy/subjects/${person}/consents`, { purpose: 'prospecting_email', source: 'web_form', evidence: v.consentProof }, v.reason).expect(201);
  const refused = await system.post('/privacy/requests', { subjectId: person, type: 'access', channel: 'post' }, v.reason).expect(201);
  await support.post(`/privacy/requests/${refused.body.requestId}/refuse`, { reason: v.refusalReason }, v.reason).expect((r) => expectOk(r, 'refuse'));
  await settle(t);
  return { customerId, contactId, otherContactId, ticketId, refusedRequestId: refused.body.requestId, person, customer: `customer-${customerId}` };
}

function expectOk(res: request.Response, step: string): void {
  if (res.status >= 300) throw new Error(`${step}: ${res.status} ${res.text}`);
}

/**
 * The erasure requests, received and fulfilled through the API: the person (every category), and
 * the customer's communications, where the free text written about its contacts is kept (a
 * contact's erasure does not reach the customer's support history by design: docs/operations.md).
 */
export async function eraseSubjects(t: TestApp, ids: ScenarioIds, s: Sentinels): Promise<void> {
  const system = api(t, KEYS.system);
  const support = api(t, KEYS.support);
  for (const [subjectId, categories] of [[ids.person, undefined], [ids.customer, ['communications']]] as const) {
    const received = await system.post('/privacy/requests', { subjectId, type: 'erasure', channel: 'email', ...(categories ? { categories } : {}) }, s.values.erasureReason).expect(201);
    const fulfilled = await support.post(`/privacy/requests/${received.body.requestId}/fulfil`, {}, s.values.erasureReason).expect(200);
    if (!fulfilled.body.outcome.erased.includes('communications')) throw new Error(`erasure of ${subjectId}: ${JSON.stringify(fulfilled.body)}`);
  }
  await settle(t);
}

/** Every row of every table of every non-system schema, as text (`t::text`): current and future tables alike. */
export async function everyTableAsText(t: TestApp): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await tableNames(t)) {
    const { rows } = await t.runtime.pool.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
    out.set(name, rows.map((r) => r.row).join('\n'));
  }
  return out;
}

/** The same rows with every sealed value opened through the vault: what an attacker holding the master key could read. */
export async function everyTableOpened(t: TestApp): Promise<Map<string, string>> {
  const vault = t.app.get(PiiVault);
  const out = new Map<string, string>();
  for (const name of await tableNames(t)) {
    const { rows } = await t.runtime.pool.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${name} t`);
    // Text columns holding JSON (e.g. stored answers) are parsed, so that envelopes inside them are opened too.
    const parsed = rows.map((r) => deepParse(r.row));
    out.set(`${name} (opened)`, JSON.stringify(await vault.revealDeep(parsed)));
  }
  return out;
}

function deepParse(value: unknown): unknown {
  if (typeof value === 'string' && /^[[{]/.test(value)) {
    try {
      return deepParse(JSON.parse(value));
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(deepParse);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepParse(v)]));
  return value;
}

async function tableNames(t: TestApp): Promise<string[]> {
  const { rows } = await t.runtime.pool.query<{ name: string }>(
    `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** What the API shows about the scenario (views, audit REST and GraphQL, data-subject exports after the fact). */
export async function apiViews(t: TestApp, ids: ScenarioIds): Promise<Map<string, string>> {
  const auditor = api(t, KEYS.auditor);
  const support = api(t, KEYS.support);
  const system = api(t, KEYS.system);
  const views = new Map<string, string>();
  const keep = (label: string, res: request.Response) => views.set(label, res.text);
  keep('GET /tickets/{id}', await support.get(`/tickets/${ids.ticketId}`).expect(200));
  keep('GET /customers/{id}', await support.get(`/customers/${ids.customerId}`).expect(200));
  keep('GET /privacy/requests/{id}', await support.get(`/privacy/requests/${ids.refusedRequestId}`).expect(200));
  for (const stream of [`ticket-${ids.ticketId}`, `customer-${ids.customerId}`, `dsr-${ids.refusedRequestId}`, `datasubject-${ids.person}`, `consents-${ids.person}`]) {
    const rest = await auditor.get(`/audit/streams/${stream}/events`);
    if (rest.status === 200) keep(`GET /audit/streams/${stream}/events`, rest);
    const gql = await api(t, KEYS.auditor).graphql('query($id: String!) { streamEvents(streamId: $id) { type data metadata { reason correlationId } } }', { id: stream });
    keep(`graphql streamEvents ${stream}`, gql);
  }
  // Access exports (PRV-04) of both subjects, JSON and CSV, answered now.
  for (const subjectId of [ids.person, ids.customer]) {
    const access = (await system.post('/privacy/requests', { subjectId, type: 'access', channel: 'email' }).expect(201)).body.requestId;
    await settle(t);
    keep(`export json ${subjectId}`, await support.get(`/privacy/requests/${access}/export?format=json`).expect(200));
    keep(`export csv ${subjectId}`, await support.get(`/privacy/requests/${access}/export?format=csv`).expect(200));
  }
  return views;
}

/** The operator's `events export` (CLI, spawned): the raw file, and the same events opened through the vault. */
export async function eventsExport(t: TestApp): Promise<{ haystacks: Map<string, string>; cli: CliResult }> {
  const exported = await exportEvents(t);
  if (exported.result.code !== 0) throw new Error(`events export failed: ${exported.result.stderr}`);
  const opened = await t.app.get(PiiVault).revealDeep(exported.events);
  return {
    haystacks: new Map([
      ['events export (file)', exported.text],
      ['events export (opened)', JSON.stringify(opened)],
      ['events export (CLI output)', exported.result.stdout + exported.result.stderr],
    ]),
    cli: exported.result,
  };
}

/** Where each sentinel was found (empty: nowhere). */
export function leaks(haystacks: Map<string, string>, s: Sentinels) {
  return findSentinels(haystacks, s.values);
}

/** Empties the incident board and replays it from the events (rows rebuilt after the erasure stay erased). */
export async function rebuildTickets(t: TestApp): Promise<void> {
  await t.app.get(WorkerService).runner.reset('incident-tickets');
  await settle(t);
}

export { runCli };

import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore, WrongExpectedRevisionError } from '../../libs/event-store/src';
import { settle } from '../support/app';
import { toProblem } from '../../libs/platform/src';
import { customerDecider, customerStream } from '../../libs/subscription/src';
import { call, contactBody, customerBody, graphql, startListeningApp, type ListeningApp, type Reply } from './support/api';
import { size } from './support/scale';

/**
 * Concurrency under load:
 * - §3: 1,000 conflicting commands on 10 aggregates at once — through the REST API on sockets,
 *   through EventSourcedRepository (every command between its read and its append at the same
 *   time), and on the event-store port with explicit expected revisions: no lost update, every
 *   loser a 409;
 * - §10: the same command retried 100 times at once with its Idempotency-Key (REST and GraphQL):
 *   one effect.
 *
 * There is no If-Match on the customer endpoints (the client cannot state the revision it read):
 * the repository appends with the revision *it* read (EventSourcedRepository.execute), so REST
 * commands conflict only when they interleave. The "client states its expected revision" case is
 * therefore also driven on the event-store port directly: N appends that all expect the same
 * revision, exactly one wins.
 */

const COMMANDS = size('conflictingCommands');
const AGGREGATES = size('conflictAggregates');
const RETRIES = size('idempotentRetries');

// Node's fetch (undici) opens as many sockets per origin as there are requests in flight, so the
// requests below really are concurrent on the server.

describe('Concurrency: conflicting commands and idempotent retries', () => {
  let t: ListeningApp;

  beforeAll(async () => {
    t = await startListeningApp({ RUN_WORKER: 'true', DB_POOL_SIZE: '20' });
  });

  afterAll(async () => {
    // Bounded: if a test left the API's pool stuck, closing it would wait forever.
    await Promise.race([t?.close(), new Promise((r) => setTimeout(r, 15_000))]);
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await t.runtime.pool.query(sql, params)).rows[0].n);

  it(`§3 ${COMMANDS} concurrent AddContact commands on ${AGGREGATES} customers: every 201 is stored once, every loser gets 409, nothing lost`, async () => {
    const customers = Array.from({ length: AGGREGATES }, () => randomUUID());
    for (const id of customers) expect((await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body: customerBody(id) })).status).toBe(201);
    const eventsBefore = await count('SELECT count(*)::int AS n FROM es_events');

    const commands = Array.from({ length: COMMANDS }, (_, i) => ({ customerId: customers[i % AGGREGATES], contactId: randomUUID(), i }));
    const started = Date.now();
    const replies = await Promise.all(
      commands.map((c) => call(t.baseUrl, { method: 'POST', path: `/customers/${c.customerId}/contacts`, role: 'support', body: contactBody(c.i, c.contactId), timeoutMs: 180_000 })),
    );
    const seconds = (Date.now() - started) / 1000;

    const byStatus: Record<number, number> = {};
    for (const r of replies) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    // Only winners (201) and conflicts (409 concurrency_conflict, problem+json): no 5xx, no other outcome.
    const unexpected = replies.map((r, i) => ({ r, c: commands[i] })).filter(({ r }) => !(r.status === 201 || (r.status === 409 && r.body?.code === 'concurrency_conflict')));
    expect(unexpected.map(({ r }) => `${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);
    for (const r of replies.filter((x) => x.status === 409)) expect(r.contentType).toMatch(/^application\/problem\+json/);

    // No lost update: the streams hold exactly the winners' contacts, each once, and no loser's.
    const { rows } = await t.runtime.pool.query(
      `SELECT data->>'contactId' AS contact_id, stream_id FROM es_events WHERE type = 'CustomerContactAdded' AND stream_id = ANY($1)`,
      [customers.map((id) => `customer-${id}`)],
    );
    const stored = new Map<string, number>();
    for (const r of rows) stored.set(r.contact_id, (stored.get(r.contact_id) ?? 0) + 1);
    const winners = commands.filter((_, i) => replies[i].status === 201);
    const losers = commands.filter((_, i) => replies[i].status === 409);
    for (const w of winners) expect({ contact: w.contactId, stored: stored.get(w.contactId) }).toEqual({ contact: w.contactId, stored: 1 });
    for (const l of losers) expect({ contact: l.contactId, stored: stored.get(l.contactId) ?? 0 }).toEqual({ contact: l.contactId, stored: 0 });
    expect(await count('SELECT count(*)::int AS n FROM es_events')).toBe(eventsBefore + winners.length);
    // How many lost the race depends on the machine: the API is CPU-bound before it reaches the
    // database (validation, encryption), which spreads the appends out. The repository-level
    // test below puts every command between its read and its append at the same time.

    // Each stream's revisions are contiguous (no two winners on one revision) and the read model agrees.
    const gaps = await count(
      `SELECT count(*)::int AS n FROM (SELECT stream_id, count(*) AS c, max(revision) AS m FROM es_events WHERE stream_id = ANY($1) GROUP BY stream_id) s WHERE c <> m + 1`,
      [customers.map((id) => `customer-${id}`)],
    );
    expect(gaps).toBe(0);
    await settle(t, 60_000);
    const projected = await count(`SELECT count(*)::int AS n FROM customer_contacts WHERE customer_id = ANY($1::uuid[])`, [customers]);
    expect(projected).toBe(winners.length + AGGREGATES);
    process.stdout.write(`[concurrency] REST: ${COMMANDS} commands on ${AGGREGATES} aggregates in ${seconds.toFixed(1)} s: ${JSON.stringify(byStatus)}\n`);
  });

  it(`§3 ${COMMANDS} AddContact commands through EventSourcedRepository at once on ${AGGREGATES} customers: the losers get a 409 concurrency_conflict, no update is lost`, async () => {
    const customers = Array.from({ length: AGGREGATES }, () => randomUUID());
    for (const id of customers) expect((await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body: customerBody(id) })).status).toBe(201);
    const repository = t.runtime.repository;
    const now = t.runtime.clock.now();
    const commands = Array.from({ length: COMMANDS }, (_, i) => ({ customerId: customers[i % AGGREGATES], contactId: randomUUID(), i }));
    const outcomes = await Promise.all(
      commands.map((c) =>
        repository
          .execute(
            customerDecider,
            customerStream(c.customerId),
            { type: 'AddContact', contact: { contactId: c.contactId, role: 'technical', authorisedForSupport: false, details: { $test: c.i } } },
            { actor: { id: 'reliability', role: 'system' }, correlationId: randomUUID(), causationId: null, commandId: randomUUID(), reason: null },
            now,
          )
          .then(
            () => ({ ok: true as const, problem: null }),
            (error) => ({ ok: false as const, problem: toProblem(error) }),
          ),
      ),
    );
    const losers = outcomes.filter((o) => !o.ok);
    expect(losers.filter((o) => o.problem?.status !== 409 || o.problem.code !== 'concurrency_conflict').map((o) => o.problem)).toEqual([]);
    expect(losers.length).toBeGreaterThan(0);
    const { rows } = await t.runtime.pool.query(
      `SELECT data->>'contactId' AS contact_id FROM es_events WHERE type = 'CustomerContactAdded' AND stream_id = ANY($1) AND revision > 1`,
      [customers.map((id) => `customer-${id}`)],
    );
    const stored = new Set(rows.map((r) => r.contact_id as string));
    expect(rows.length).toBe(outcomes.filter((o) => o.ok).length);
    commands.forEach((c, i) => expect({ contact: c.contactId, stored: stored.has(c.contactId) }).toEqual({ contact: c.contactId, stored: outcomes[i].ok }));
    process.stdout.write(`[concurrency] repository: ${outcomes.length - losers.length} appended, ${losers.length} conflicts (409)\n`);
  });

  it(`§3 on the event-store port, ${AGGREGATES} streams × 100 appends all expecting the same revision: exactly one wins per stream and round (2 rounds)`, async () => {
    // A store of its own with a larger pool: appends waiting on a stream's head lock hold a connection.
    const pool = new Pool({ connectionString: t.runtime.databaseUrl, max: 60 });
    const store = new PostgresEventStore({ pool, connectionString: t.runtime.databaseUrl });
    const streams = Array.from({ length: AGGREGATES }, () => `reliability-${randomUUID()}`);
    const event = (writer: number) => ({
      type: 'ReliabilityProbeWritten',
      data: { writer },
      metadata: { occurredAt: new Date().toISOString(), actor: { id: 'reliability', role: 'system' }, correlationId: randomUUID(), causationId: null, commandId: null, reason: null },
    });
    try {
      for (let round = 0; round < 2; round++) {
        const expected = round === 0 ? ('no_stream' as const) : round - 1;
        const outcomes = await Promise.all(
          streams.flatMap((s) =>
            Array.from({ length: 100 }, (_, w) =>
              store.append(s, [event(w)], { expectedRevision: expected }).then(
                () => ({ s, ok: true as const }),
                (e) => ({ s, ok: false as const, conflict: e instanceof WrongExpectedRevisionError }),
              ),
            ),
          ),
        );
        for (const s of streams) {
          const mine = outcomes.filter((o) => o.s === s);
          expect({ s, round, winners: mine.filter((o) => o.ok).length, conflicts: mine.filter((o) => !o.ok && o.conflict).length }).toEqual({ s, round, winners: 1, conflicts: 99 });
        }
      }
      for (const s of streams) expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0, 1]);
    } finally {
      await store.close();
      await pool.end();
    }
  });

  it(`§10 one POST /customers retried ${RETRIES} times at once with its Idempotency-Key: one customer, one set of events, one answer`, async () => {
    const key = `reliability-${randomUUID()}`;
    const customerId = randomUUID();
    const body = customerBody(customerId);
    const eventsBefore = await count('SELECT count(*)::int AS n FROM es_events');
    const replies = await Promise.all(
      Array.from({ length: RETRIES }, () => call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body, headers: { 'Idempotency-Key': key }, timeoutMs: 120_000 })),
    );
    const outcomes = summarise(replies);
    // The first runs; concurrent retries are told it is in progress (409) or get its stored answer.
    expect(replies.filter((r) => !(r.status === 201 || (r.status === 409 && r.body?.code === 'idempotency_request_in_progress'))).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(replies.filter((r) => r.status === 201).every((r) => r.body?.customerId === customerId)).toBe(true);
    expect(await count(`SELECT count(*)::int AS n FROM es_events WHERE stream_id = $1`, [`customer-${customerId}`])).toBe(2); // registered + signatory
    expect(await count('SELECT count(*)::int AS n FROM es_events')).toBe(eventsBefore + 2);
    // Once it is done, a retry gets the same answer, marked as replayed.
    const late = await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body, headers: { 'Idempotency-Key': key } });
    expect({ status: late.status, body: late.body, replayed: late.headers.get('idempotent-replayed') }).toEqual({ status: 201, body: { customerId }, replayed: 'true' });
    process.stdout.write(`[idempotency] REST register ×${RETRIES}: ${JSON.stringify(outcomes)}\n`);
  });

  it(`§10 one AddContact (no client-chosen id) retried ${RETRIES} times at once with its Idempotency-Key: one contact added`, async () => {
    const customerId = randomUUID();
    expect((await call(t.baseUrl, { method: 'POST', path: '/customers', role: 'system', body: customerBody(customerId) })).status).toBe(201);
    const key = `reliability-${randomUUID()}`;
    const { contactId: _omitted, ...body } = contactBody(7);
    const replies = await Promise.all(
      Array.from({ length: RETRIES }, () =>
        call(t.baseUrl, { method: 'POST', path: `/customers/${customerId}/contacts`, role: 'support', body, headers: { 'Idempotency-Key': key }, timeoutMs: 120_000 }),
      ),
    );
    expect(replies.filter((r) => !(r.status === 201 || (r.status === 409 && r.body?.code === 'idempotency_request_in_progress'))).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const added = await t.runtime.pool.query(`SELECT data->>'contactId' AS id FROM es_events WHERE stream_id = $1 AND type = 'CustomerContactAdded' AND revision > 1`, [`customer-${customerId}`]);
    expect(added.rowCount).toBe(1);
    const answered = new Set(replies.filter((r) => r.status === 201).map((r) => r.body?.contactId));
    expect([...answered]).toEqual([added.rows[0].id]);
    process.stdout.write(`[idempotency] REST add contact ×${RETRIES}: ${JSON.stringify(summarise(replies))}\n`);
  });

  it(`§10 the GraphQL mutation registerCustomer retried ${RETRIES} times at once with one Idempotency-Key: one effect`, async () => {
    const key = `reliability-${randomUUID()}`;
    const customerId = randomUUID();
    const input = customerBody(customerId);
    const mutation = 'mutation Register($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId } }';
    const eventsBefore = await count('SELECT count(*)::int AS n FROM es_events');
    const answers = await Promise.all(
      Array.from({ length: RETRIES }, () => graphql(t.baseUrl, mutation, { input }, 'system', { 'Idempotency-Key': key }, 60_000).catch(() => null)),
    );
    // Every request is answered: a retry must not wait forever (e.g. on a database pool that
    // concurrent duplicates of one command id have exhausted).
    expect({ unanswered: answers.filter((a) => a === null).length }).toEqual({ unanswered: 0 });
    const replies = answers as Reply[];
    const ok = replies.filter((r) => r.body?.data?.registerCustomer?.customerId === customerId);
    const refused = replies.filter((r) => !ok.includes(r));
    // Concurrent duplicates either return the first outcome or a retryable conflict — never a second customer, never a 5xx.
    for (const r of refused) {
      expect(r.status).toBeLessThan(500);
      expect(r.body?.errors?.[0]?.extensions?.status).toBe(409);
    }
    expect(ok.length).toBeGreaterThan(0);
    expect(await count(`SELECT count(*)::int AS n FROM es_events WHERE stream_id = $1`, [`customer-${customerId}`])).toBe(2);
    expect(await count('SELECT count(*)::int AS n FROM es_events')).toBe(eventsBefore + 2);
    process.stdout.write(`[idempotency] GraphQL register ×${RETRIES}: ${ok.length} answered with the customer, ${refused.length} conflicts (409)\n`);
  });
});

function summarise(replies: Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const k = r.status === 201 && r.headers.get('idempotent-replayed') ? '201 replayed' : `${r.status}${r.body?.code ? ` ${r.body.code}` : ''}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

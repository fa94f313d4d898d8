import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ERASED_TEXT } from '@oksio/platform';
import { travelTo } from '../../../libs/privacy/src/testing/helpers';
import { KEYS, startTestApp, type TestApp } from '../../../test/support/app';
import {
  CapturedLogger,
  apiViews,
  captureProcessOutput,
  eraseSubjects,
  eventsExport,
  everyTableAsText,
  everyTableOpened,
  leaks,
  personSentinels,
  rebuildTickets,
  runCli,
  runFreeTextScenario,
} from '../../../test/support/erasure-scenario';

const eventCount = async (t: TestApp) => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);

describe('issue 18 item 7 — personal data outside the vault', () => {
  let t: TestApp;
  const logger = new CapturedLogger();
  let output: ReturnType<typeof captureProcessOutput>;

  beforeAll(async () => {
    output = captureProcessOutput();
    t = await startTestApp({}, { logger });
    await travelTo(t, '2026-05-04T08:00:00Z');
  });
  afterAll(async () => {
    output?.stop();
    await t?.close();
  });

  it('X-Correlation-Id is an opaque token: an e-mail address or a name is a 400 naming the header, on REST and GraphQL, and nothing is written', async () => {
    const body = {
      companyName: 'Opaque Tokens SA',
      siret: '73282932000074',
      billingAddress: { line1: '1 rue du Port', postalCode: '13002', city: 'Marseille', country: 'FR' },
      contacts: [{ contactId: randomUUID(), role: 'signatory', authorisedForSupport: true, name: 'Opaque Contact', email: 'opaque@example.com', phone: '0600000000' }],
    };
    const before = await eventCount(t);
    for (const value of ['jeanne.doe@example.com', 'Jeanne Doe', 'a'.repeat(129), 'caf%C3%A9']) {
      const refused = await request(t.http).post('/customers').set('X-API-Key', KEYS.system).set('X-Correlation-Id', value).send(body).expect(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'X-Correlation-Id' })]);
      const gql = await request(t.http)
        .post('/graphql')
        .set('X-API-Key', KEYS.system)
        .set('X-Correlation-Id', value)
        .send({ query: 'mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { customerId } }', variables: { input: body } });
      expect(gql.body.errors?.[0]?.extensions).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'X-Correlation-Id' })] });
    }
    expect(await eventCount(t)).toBe(before);
    // A UUID, a ULID-like or a namespaced token is accepted and kept as it is.
    for (const value of [randomUUID(), '01J9ZQ4K8V5N2C7W3X6Y0B1D2E', 'crm:ticket-4711.retry_2']) {
      const created = await request(t.http).post('/customers').set('X-API-Key', KEYS.system).set('X-Correlation-Id', value).send({ ...body, contacts: [{ ...body.contacts[0], contactId: randomUUID() }] }).expect(201);
      const events = await request(t.http).get(`/audit/streams/customer-${created.body.customerId}/events`).set('X-API-Key', KEYS.auditor).expect(200);
      expect(events.body.events[0].metadata.correlationId).toBe(value);
    }
  });

  it('free text and X-Reason are sealed at rest; after the erasure no table (in clear or opened with the vault), export, view, audit answer or log line holds any of the person\'s values', async () => {
    const s = personSentinels();
    const v = s.values;
    const ids = await runFreeTextScenario(t, s);
    // Only the values typed as free text (not the contact's own details, kept in clear by the customer directory until erased).
    const freeText = { ...s, values: Object.fromEntries(Object.entries(v).filter(([k]) => !['name', 'email', 'phone'].includes(k))) as typeof v };

    // ---- before the erasure: readable where they should be (the checks below are not vacuous) ----
    const ticket = await request(t.http).get(`/tickets/${ids.ticketId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(ticket.body).toMatchObject({ description: v.description, location: v.location, consequences: v.consequences });
    const audit = await request(t.http).get(`/audit/streams/ticket-${ids.ticketId}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(audit.body.events.map((e: { metadata: { reason: string } }) => e.metadata.reason)).toEqual(expect.arrayContaining([v.reason, v.graphqlReason]));
    const refused = await request(t.http).get(`/privacy/requests/${ids.refusedRequestId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(refused.body.refusalReason).toBe(v.refusalReason);
    const customerExport = (await apiViews(t, ids)).get(`export json ${ids.customer}`)!;
    for (const text of [v.description, v.reopenReason, v.exclusionNote, v.reason]) expect(customerExport).toContain(text);
    // (the erasure's own reason is only given below)
    expect(leaks(await everyTableOpened(t), s).map((l) => l.sentinel)).toEqual(expect.arrayContaining(Object.keys(v).filter((k) => k !== 'erasureReason')));
    // At rest, no free text is in clear anywhere: events (data and metadata) and read models hold it sealed.
    expect(leaks(await everyTableAsText(t), freeText)).toEqual([]);

    // ---- the erasure ----
    await eraseSubjects(t, ids, s);

    // Every table, as stored and with every sealed value opened through the vault.
    expect(leaks(await everyTableAsText(t), s)).toEqual([]);
    expect(leaks(await everyTableOpened(t), s)).toEqual([]);
    // The API's views, the audit API (REST and GraphQL) and the data-subject exports (JSON, CSV) of both subjects.
    const views = await apiViews(t, ids);
    expect(leaks(views, s)).toEqual([]);
    const after = JSON.parse(views.get('GET /tickets/{id}')!);
    expect(after).toMatchObject({ description: ERASED_TEXT, location: ERASED_TEXT, consequences: ERASED_TEXT });
    const erasedReasons = JSON.parse(views.get(`GET /audit/streams/ticket-${ids.ticketId}/events`)!).events.map((e: { metadata: { reason: string } }) => e.metadata.reason);
    expect(new Set(erasedReasons)).toEqual(new Set([ERASED_TEXT]));
    expect(JSON.parse(views.get('GET /privacy/requests/{id}')!).refusalReason).toBe(ERASED_TEXT);
    // The other contact is not erased.
    expect(JSON.parse(views.get('GET /customers/{id}')!).contacts.find((c: { contactId: string }) => c.contactId === ids.otherContactId)).toMatchObject({ name: 'Paul Keepsake', erased: false });
    // The operator's events export, raw and opened through the vault.
    const exported = await eventsExport(t);
    expect(leaks(exported.haystacks, s)).toEqual([]);

    // A rebuild of the board from the events after the erasure stays erased.
    await rebuildTickets(t);
    expect((await request(t.http).get(`/tickets/${ids.ticketId}`).set('X-API-Key', KEYS.support).expect(200)).body.description).toBe(ERASED_TEXT);
    expect(leaks(await everyTableOpened(t), s)).toEqual([]);

    // The hash chains still verify: they cover the sealed form.
    const verified = await runCli(t, ['audit', 'verify']);
    expect(verified.stdout).toMatch(/^OK: \d+ streams, \d+ events verified$/m);
    expect(verified.code).toBe(0);

    // Every line logged by the API and worker roles, and by this process and the CLI runs.
    const logs = new Map([
      ['nest logger', logger.lines.join('\n')],
      ['process stdout/stderr', output.text()],
      ['cli audit verify', verified.stdout + verified.stderr],
    ]);
    expect(leaks(logs, s)).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { PiiVault } from '../crypto/pii-vault';
import request from 'supertest';
import { runDueActions, travelTo } from '../testing/helpers';
import { KEYS, settle, startTestApp, type TestApp, requestEventCount } from '../../../../test/support/app';

describe('Data-subject requests: deadlines, exports, rights (PRV-04)', () => {
  let t: TestApp;
  const eventCount = () => requestEventCount(t);
  const at = (instant: string) => travelTo(t, instant);
  const tick = () => runDueActions(t);
  const fact = (subjectId: string, body: Record<string, unknown>) =>
    request(t.http).post(`/privacy/subjects/${subjectId}/facts`).set('X-API-Key', KEYS.system).send(body).expect(201);
  const receive = (body: Record<string, unknown>) => request(t.http).post('/privacy/requests').set('X-API-Key', KEYS.system).send(body);
  const fulfil = (requestId: string, body: Record<string, unknown> = {}) =>
    request(t.http).post(`/privacy/requests/${requestId}/fulfil`).set('X-API-Key', KEYS.support).send(body);
  const registerCustomer = async () => {
    const jeanne = randomUUID();
    const paul = randomUUID();
    const res = await request(t.http)
      .post('/customers')
      .set('X-API-Key', KEYS.system)
      .send({
        companyName: 'Garage Dupont SAS',
        siret: '73282932000074',
        billingAddress: { line1: '3 rue du Port', postalCode: '13002', city: 'Marseille', country: 'FR' },
        contacts: [
          { contactId: jeanne, role: 'signatory', authorisedForSupport: true, name: 'Jeanne Martin', email: 'jeanne@example.fr', phone: '0612345678' },
          { contactId: paul, role: 'technical', authorisedForSupport: true, name: 'Paul Durand', email: 'paul@example.fr', phone: '0698765432' },
        ],
      })
      .expect(201);
    await settle(t);
    return { customerId: res.body.customerId as string, jeanne: `contact-${jeanne}`, paul: `contact-${paul}` };
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('PRV-04 access and portability: JSON and CSV exports gather every context\'s data about the subject, and only that subject', async () => {
    await at('2026-02-02T09:00:00Z');
    const { customerId, jeanne } = await registerCustomer();
    await fact(jeanne, { kind: 'data_collected', category: 'communications', source: 'support-ticket' });
    await request(t.http).post(`/privacy/subjects/${jeanne}/consents`).set('X-API-Key', KEYS.system).send({ purpose: 'prospecting_email', source: 'web_form', evidence: 'form v3, box ticked by Jeanne' }).expect(201);
    const created = await receive({ subjectId: jeanne, type: 'access', channel: 'email' }).expect(201);
    expect(created.body.dueAt).toBe('2026-03-02T09:00:00.000Z');
    const requestId = created.body.requestId;
    await settle(t);

    const json = await request(t.http).get(`/privacy/requests/${requestId}/export?format=json`).set('X-API-Key', KEYS.support).expect(200);
    expect(json.body).toMatchObject({ requestId, requestType: 'access', format: 'json' });
    const data = json.body.data;
    expect(data.records).toContainEqual(
      expect.objectContaining({ source: 'subscription.customer_contacts', category: 'identity_contact', data: expect.objectContaining({ name: 'Jeanne Martin', customerId }) }),
    );
    const streams = new Set(data.events.map((e: { streamId: string }) => e.streamId));
    expect(streams).toEqual(new Set([`customer-${customerId}`, `datasubject-${jeanne}`, `consents-${jeanne}`, `dsr-${requestId}`]));
    const text = JSON.stringify(data);
    // The subject's own data, decrypted and tagged with its category …
    expect(text).toContain('{"$pii":"identity_contact","value":{"name":"Jeanne Martin","email":"jeanne@example.fr","phone":"0612345678"}}');
    expect(text).toContain('{"$pii":"marketing","value":"form v3, box ticked by Jeanne"}');
    // … never another subject's, even inside the same customer events.
    expect(text).not.toMatch(/Paul|paul@example/);
    expect(data.events.filter((e: { type: string }) => e.type === 'CustomerContactAdded')).toHaveLength(1);

    const csv = await request(t.http).get(`/privacy/requests/${requestId}/export?format=csv`).set('X-API-Key', KEYS.support).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('kind,source,reference,type,occurredAt,category,path,value');
    expect(lines).toContainEqual(expect.stringMatching(/^record,subscription\.customer_contacts,,,,identity_contact,email,jeanne@example\.fr$/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^event,customer-${customerId},\\d+,CustomerContactAdded,[^,]+,identity_contact,details\\.name,Jeanne Martin$`)));
    expect(csv.text).not.toContain('Paul');

    await request(t.http).get(`/privacy/requests/${requestId}/export?format=xml`).set('X-API-Key', KEYS.support).expect(400);
    await request(t.http).get(`/privacy/requests/${requestId}/export`).set('X-API-Key', KEYS.auditor).expect(403);
    const missingFormat = await fulfil(requestId).expect(400);
    expect(missingFormat.body).toMatchObject({ errors: [{ field: 'format', rule: 'PRV-04' }] });
    const done = await fulfil(requestId, { format: 'csv' }).expect(200);
    expect(done.body).toMatchObject({ requestId, outcome: { type: 'access', format: 'csv' }, late: false });
    await settle(t);
    const row = await request(t.http).get(`/privacy/requests/${requestId}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(row.body).toMatchObject({ status: 'fulfilled', late: false, overdue: false });
    const again = await fulfil(requestId, { format: 'csv' }).expect(422);
    expect(again.body).toMatchObject({ code: 'request_closed', errors: [{ rule: 'PRV-04' }] });
  });

  it('PRV-04 the one-month deadline is tracked: a due action flags an unanswered request as overdue; a late answer is marked late', async () => {
    await at('2026-01-31T10:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    const { requestId, dueAt } = (await receive({ subjectId, type: 'objection', channel: 'post' }).expect(201)).body;
    expect(dueAt).toBe('2026-02-28T10:00:00.000Z');
    await at('2026-02-28T09:59:00Z');
    await tick();
    expect((await request(t.http).get(`/privacy/requests/${requestId}`).set('X-API-Key', KEYS.support).expect(200)).body.overdue).toBe(false);
    await at('2026-02-28T10:00:01Z');
    await tick();
    const overdue = await request(t.http).get('/privacy/requests?overdue=true&status=open').set('X-API-Key', KEYS.support).expect(200);
    expect(overdue.body.map((r: { requestId: string }) => r.requestId)).toContain(requestId);
    const events = await request(t.http).get(`/audit/streams/dsr-${requestId}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual(['DataSubjectRequestReceived', 'DataSubjectRequestOverdue']);
    expect(events.body.events[1].metadata.actor).toEqual({ id: 'privacy-requests', role: 'system' });
    const answer = await fulfil(requestId).expect(200);
    expect(answer.body).toMatchObject({ outcome: { type: 'objection', scope: 'prospecting' }, late: true });
    // The objection is in force (prospecting refused on every channel).
    for (const channel of ['email', 'sms', 'post', 'phone']) {
      const res = await request(t.http).get(`/privacy/subjects/${subjectId}/can-prospect?channel=${channel}`).set('X-API-Key', KEYS.system).expect(200);
      expect(res.body).toMatchObject({ allowed: false, rule: 'PRV-04' });
    }
  });

  it('PRV-04 a deadline may be extended once by up to two months, before it passes, with a reason', async () => {
    await at('2026-03-02T08:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    const { requestId } = (await receive({ subjectId, type: 'portability', channel: 'email' }).expect(201)).body;
    const tooLong = await request(t.http).post(`/privacy/requests/${requestId}/extend`).set('X-API-Key', KEYS.support).send({ months: 3, reason: 'big' }).expect(400);
    expect(tooLong.body.errors).toContainEqual(expect.objectContaining({ field: 'months', rule: 'PRV-04' }));
    const ok = await request(t.http).post(`/privacy/requests/${requestId}/extend`).set('X-API-Key', KEYS.support).send({ months: 2, reason: 'Five contracts to gather' }).expect(200);
    expect(ok.body.dueAt).toBe('2026-06-02T07:00:00.000Z'); // 09:00 in Paris, summer time
    const twice = await request(t.http).post(`/privacy/requests/${requestId}/extend`).set('X-API-Key', KEYS.support).send({ months: 1, reason: 'again' }).expect(422);
    expect(twice.body).toMatchObject({ code: 'already_extended', errors: [{ field: 'months', rule: 'PRV-04' }] });
    await settle(t);
    const due = await t.runtime.pool.query('SELECT due_at FROM due_actions WHERE key = $1', [`privacy.dsr-overdue:${requestId}`]);
    expect(due.rows[0].due_at).toEqual(new Date('2026-06-02T07:00:00Z'));
  });

  it('PRV-04 erasure: data without a legal duty is erased at once; invoiced data is turned into a restriction with the reason, then erased when the duty ends', async () => {
    await at('2026-04-01T08:00:00Z');
    const { customerId, jeanne, paul } = await registerCustomer();
    const vault = t.app.get(PiiVault);
    const marketing = await vault.protect(jeanne, 'marketing', { segment: 'SME' });
    await fact(jeanne, { kind: 'invoice_issued', reference: 'F-2026-0101' });
    const { requestId } = (await receive({ subjectId: jeanne, type: 'erasure', channel: 'email', categories: ['identity_contact', 'marketing'] }).expect(201)).body;
    const done = await fulfil(requestId).expect(200);
    expect(done.body.outcome).toEqual({
      type: 'erasure',
      erased: ['marketing'],
      restricted: [
        {
          category: 'identity_contact',
          until: '2036-04-01T08:00:00.000Z',
          rule: 'PRV-04',
          reason: expect.stringContaining('Legal retention duty (invoice, PRV-02) until 2036-04-01T08:00:00.000Z'),
        },
      ],
    });
    expect(await vault.reveal(marketing)).toEqual({ $erased: true, category: 'marketing' });
    await settle(t);
    // Restricted, not erased: kept, hidden from daily views, in the archive for authorised readers.
    const customer = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(customer.body.contacts.find((c: { name: string }) => c.name === 'Jeanne Martin')).toBeDefined();
    const view = await request(t.http).get(`/privacy/subjects/${jeanne}/data`).set('X-API-Key', KEYS.support).expect(200);
    expect(view.body.masked).toEqual(expect.arrayContaining(['identity_contact']));
    expect(JSON.stringify(view.body)).not.toContain('Jeanne');
    const retention = await request(t.http).get(`/privacy/subjects/${jeanne}/retention`).set('X-API-Key', KEYS.support).expect(200);
    expect(retention.body.categories.find((c: { category: string }) => c.category === 'identity_contact')).toMatchObject({
      restricted: true,
      purgeAt: '2036-04-01T08:00:00.000Z',
    });
    const lift = await request(t.http).post(`/privacy/subjects/${jeanne}/restrictions/lift`).set('X-API-Key', KEYS.admin).send({ categories: ['identity_contact'], reason: 'oops' }).expect(422);
    expect(lift.body).toMatchObject({ code: 'erasure_deferred', errors: [{ rule: 'PRV-04' }] });
    // The duty ends: the scheduler erases, the customers read model is redacted; Paul is untouched.
    await at('2036-04-01T08:00:01Z');
    await tick();
    const after = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(after.body.contacts.map((c: { name: string | null; erased: boolean }) => [c.name, c.erased]).sort()).toEqual([
      [null, true],
      ['Paul Durand', false],
    ]);
    expect(paul).toBeDefined();
  });

  it('PRV-04 erasure without any legal duty erases every category at once and redacts the read models', async () => {
    await at('2026-05-01T08:00:00Z');
    const { customerId, jeanne } = await registerCustomer();
    const { requestId } = (await receive({ subjectId: jeanne, type: 'erasure', channel: 'post' }).expect(201)).body;
    const done = await fulfil(requestId).expect(200);
    expect(done.body.outcome.erased).toEqual(expect.arrayContaining(['identity_contact', 'marketing', 'communications', 'financial', 'hosted_pbx']));
    expect(done.body.outcome.restricted).toEqual([]);
    const customer = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(customer.body.contacts.find((c: { role: string }) => c.role === 'signatory')).toMatchObject({ name: null, erased: true });
    const purged = await request(t.http).get(`/audit/streams/datasubject-${jeanne}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(purged.body.events[0]).toMatchObject({ type: 'PersonalDataPurged', data: { reason: 'erasure', requestId } });
    await request(t.http).get(`/audit/streams/customer-${customerId}/verify`).set('X-API-Key', KEYS.auditor).expect(200).expect((r) => expect(r.body.valid).toBe(true));
  });

  it('PRV-04 restriction keeps the data but takes it out of use; rectification is recorded encrypted and exported', async () => {
    await at('2026-06-01T08:00:00Z');
    const { jeanne } = await registerCustomer();
    await request(t.http).post(`/privacy/subjects/${jeanne}/consents`).set('X-API-Key', KEYS.system).send({ purpose: 'prospecting_sms', source: 'portal' }).expect(201);
    const restriction = (await receive({ subjectId: jeanne, type: 'restriction', channel: 'email', categories: ['marketing'] }).expect(201)).body.requestId;
    expect((await fulfil(restriction).expect(200)).body.outcome).toEqual({ type: 'restriction', restricted: ['marketing'] });
    const sms = await request(t.http).get(`/privacy/subjects/${jeanne}/can-prospect?channel=sms`).set('X-API-Key', KEYS.system).expect(200);
    expect(sms.body).toMatchObject({ allowed: false, rule: 'PRV-04' });

    const missing = await receive({ subjectId: jeanne, type: 'rectification', channel: 'email' }).expect(400);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'corrections', rule: 'PRV-04' }));
    const rect = (
      await receive({ subjectId: jeanne, type: 'rectification', channel: 'email', corrections: [{ category: 'identity_contact', field: 'email', value: 'jeanne.martin@example.fr' }] }).expect(201)
    ).body.requestId;
    const raw = await t.runtime.pool.query('SELECT data::text FROM es_events WHERE stream_id = $1', [`dsr-${rect}`]);
    expect(raw.rows[0].data).not.toContain('jeanne.martin@example.fr');
    expect((await fulfil(rect).expect(200)).body.outcome).toEqual({ type: 'rectification', rectified: [{ category: 'identity_contact', field: 'email' }] });
    await settle(t);
    const { requestId } = (await receive({ subjectId: jeanne, type: 'access', channel: 'email' }).expect(201)).body;
    await settle(t);
    const exported = await request(t.http).get(`/privacy/requests/${requestId}/export`).set('X-API-Key', KEYS.support).expect(200);
    const rectified = exported.body.data.events.find((e: { type: string }) => e.type === 'PersonalDataRectified');
    expect(rectified.data.corrections[0]).toEqual({ category: 'identity_contact', field: 'email', value: { $pii: 'identity_contact', value: 'jeanne.martin@example.fr' } });
    // The restricted marketing data is part of the access answer, and that archive read is recorded.
    const accessed = await request(t.http).get(`/audit/streams/datasubject-${jeanne}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    const archiveRead = accessed.body.events.find((e: { type: string }) => e.type === 'ArchivedDataAccessed').data;
    expect(archiveRead).toMatchObject({ categories: ['marketing'], requestId, actor: { id: 'dev-support', role: 'support' } });
    // Its reason is free text, recorded sealed for the subject (issue 18 item 7).
    expect(await t.app.get(PiiVault).reveal(archiveRead.reason)).toBe(`data-subject request ${requestId} (PRV-04)`);
  });

  it('PRV-04 requests arrive by e-mail or post; bad input → 400/404/422 naming field and rule, nothing written', async () => {
    await at('2026-07-01T08:00:00Z');
    const before = await eventCount();
    const phone = await receive({ subjectId: 'contact-x1', type: 'access', channel: 'phone' }).expect(400);
    expect(phone.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(phone.body.errors).toEqual([expect.objectContaining({ field: 'channel', rule: 'PRV-04' })]);
    const bad = await receive({ subjectId: 'Nobody', type: 'forget-me', channel: 'email', categories: ['secrets'], extra: 1 }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['subjectId', 'type', 'categories', 'extra']));
    const future = await receive({ subjectId: 'contact-x1', type: 'access', channel: 'email', receivedAt: '2026-08-01T00:00:00Z' }).expect(422);
    expect(future.body).toMatchObject({ code: 'received_in_future', errors: [{ field: 'receivedAt', rule: 'PRV-04' }] });
    const unknown = randomUUID();
    await request(t.http).get(`/privacy/requests/${unknown}`).set('X-API-Key', KEYS.support).expect(404);
    expect((await fulfil(unknown, { format: 'json' }).expect(404)).body.code).toBe('request_not_found');
    await request(t.http).get('/privacy/requests/not-a-uuid').set('X-API-Key', KEYS.support).expect(400);
    expect(await eventCount()).toBe(before);
    // A non-export request has no export.
    const { requestId } = (await receive({ subjectId: 'contact-x1', type: 'erasure', channel: 'email' }).expect(201)).body;
    const notExport = await request(t.http).get(`/privacy/requests/${requestId}/export`).set('X-API-Key', KEYS.support).expect(422);
    expect(notExport.body).toMatchObject({ code: 'not_an_export_request', errors: [{ rule: 'PRV-04' }] });
  });

  it('PRV-04 GraphQL uses the same application layer (receive, query, fulfil)', async () => {
    await at('2026-08-01T08:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    const created = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.system)
      .send({ query: 'mutation($i: PrivacyRequestInput!) { receiveDataSubjectRequest(input: $i) { requestId dueAt } }', variables: { i: { subjectId, type: 'restriction', channel: 'post', categories: ['communications'] } } })
      .expect(200);
    const { requestId, dueAt } = created.body.data.receiveDataSubjectRequest;
    expect(dueAt).toBe('2026-09-01T08:00:00.000Z');
    const done = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.support)
      .send({ query: `mutation { fulfilDataSubjectRequest(requestId: "${requestId}", input: {}) { outcome late } }` })
      .expect(200);
    expect(done.body.data.fulfilDataSubjectRequest).toEqual({ outcome: { type: 'restriction', restricted: ['communications'] }, late: false });
    await settle(t);
    const q = await request(t.http).post('/graphql').set('X-API-Key', KEYS.auditor).send({ query: `{ dataSubjectRequests(subjectId: "${subjectId}") { status requestType } }` }).expect(200);
    expect(q.body.data.dataSubjectRequests).toEqual([{ status: 'fulfilled', requestType: 'restriction' }]);
    // A nullable filter given as null is no filter (it matched nothing: "overdue = NULL").
    const nullFilter = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.auditor)
      .send({ query: `{ dataSubjectRequests(subjectId: "${subjectId}", overdue: null) { status } }` })
      .expect(200);
    expect(nullFilter.body.data.dataSubjectRequests).toEqual([{ status: 'fulfilled' }]);
    const invalid = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.system)
      .send({ query: 'mutation($i: PrivacyRequestInput!) { receiveDataSubjectRequest(input: $i) { requestId } }', variables: { i: { subjectId, type: 'access', channel: 'fax' } } })
      .expect(200);
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'validation_failed', status: 400, errors: [{ field: 'channel', rule: 'PRV-04' }] });
  });
});

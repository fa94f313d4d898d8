import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { WorkerService } from '@oksio/platform';
import { PiiVault } from '../crypto/pii-vault';
import { dumpTables, exportEvents, findSentinels, runCli } from '../testing/cli';
import { travelTo } from '../testing/helpers';
import { KEYS, settle, startTestApp, type TestApp } from '../../../../test/support/app';

/**
 * The must-show of crypto-shredding: an erasure request fulfilled through the API leaves the event
 * history intact (the hash chain still verifies) while the subject's data can no longer be read
 * anywhere — audit replay, the events export, the data-subject export, every read model.
 */
describe('Crypto-shredding end to end (PRV-04, PRV-01)', () => {
  let t: TestApp;
  const tag = randomUUID().slice(0, 8);
  // Recognisable values: any of them found anywhere after the erasure is a leak.
  const JEANNE = { name: `Jeanne Shredwell ${tag}`, email: `jeanne.shredwell.${tag}@erasure.example`, phone: '0611223344' };
  const EVIDENCE = `paper form 4711 signed by Jeanne Shredwell ${tag}`;
  const jeanneSentinels = { name: JEANNE.name, email: JEANNE.email, phone: JEANNE.phone, evidence: EVIDENCE };
  // The other contact of the same customer must stay readable.
  const PAUL = { name: `Paul Keepsake ${tag}`, email: `paul.keepsake.${tag}@erasure.example`, phone: '0655667788' };

  beforeAll(async () => {
    t = await startTestApp();
    await travelTo(t, '2026-05-04T08:00:00Z');
  });
  afterAll(async () => t?.close());

  it('PRV-04 PRV-01 an erasure request shreds the subject: audit replay, events export and every read model show it erased, and audit verify still passes', async () => {
    const vault = t.app.get(PiiVault);
    const jeanneId = randomUUID();
    const paulId = randomUUID();
    const jeanne = `contact-${jeanneId}`;
    const paul = `contact-${paulId}`;

    // ---- a customer with two contacts, and personal data of Jeanne in the privacy context ----
    const created = await request(t.http)
      .post('/customers')
      .set('X-API-Key', KEYS.system)
      .send({
        companyName: `Menuiserie Shredwell ${tag}`,
        siret: '73282932000074',
        billingAddress: { line1: '8 rue des Tanneurs', postalCode: '69001', city: 'Lyon', country: 'FR' },
        contacts: [
          { contactId: jeanneId, role: 'signatory', authorisedForSupport: true, ...JEANNE },
          { contactId: paulId, role: 'technical', authorisedForSupport: true, ...PAUL },
        ],
      })
      .expect(201);
    const customerId: string = created.body.customerId;
    const customerStream = `customer-${customerId}`;
    await request(t.http)
      .post(`/privacy/subjects/${jeanne}/consents`)
      .set('X-API-Key', KEYS.system)
      .send({ purpose: 'prospecting_email', source: 'web_form', evidence: EVIDENCE })
      .expect(201);
    await settle(t);

    // Before: the data is readable where it should be (so the checks below are not vacuous).
    const before = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(before.body.contacts.map((c: { name: string }) => c.name).sort()).toEqual([JEANNE.name, PAUL.name].sort());
    const tablesBefore = await dumpTables(t);
    expect(findSentinels(tablesBefore, jeanneSentinels).map((f) => f.where)).toContain('public.customer_contacts');
    const auditBefore = await request(t.http).get(`/audit/streams/${customerStream}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(JSON.stringify(await vault.revealDeep(auditBefore.body.events))).toContain(JEANNE.name);

    // ---- the erasure request, received and fulfilled through the API ----
    const received = await request(t.http).post('/privacy/requests').set('X-API-Key', KEYS.system).send({ subjectId: jeanne, type: 'erasure', channel: 'email' }).expect(201);
    const requestId: string = received.body.requestId;
    const fulfilled = await request(t.http).post(`/privacy/requests/${requestId}/fulfil`).set('X-API-Key', KEYS.support).send({}).expect(200);
    expect(fulfilled.body.outcome).toMatchObject({ type: 'erasure', restricted: [] });
    expect(fulfilled.body.outcome.erased).toEqual(expect.arrayContaining(['identity_contact', 'marketing']));
    await settle(t);

    // The history is untouched: the events are all there, with the same hashes.
    const auditAfter = await request(t.http).get(`/audit/streams/${customerStream}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(auditAfter.body.events.map((e: { hash: string }) => e.hash)).toEqual(auditBefore.body.events.map((e: { hash: string }) => e.hash));

    // (a) Audit: the customer stream's events, and the aggregate replayed by the audit service,
    // decrypt to an erasure marker for Jeanne; Paul is still readable.
    const contactAdded = (events: Array<{ type: string; data: { contactId: string; details: unknown } }>, contactId: string) =>
      events.find((e) => e.type === 'CustomerContactAdded' && e.data.contactId === contactId)!;
    const revealedEvents = await vault.revealDeep(auditAfter.body.events);
    expect(contactAdded(revealedEvents, jeanneId).data.details).toEqual({ $erased: true, category: 'identity_contact' });
    expect(contactAdded(revealedEvents, paulId).data.details).toEqual(PAUL);
    // The audit service's replay: the customer keeps both contacts (the structure of the history),
    // the data-subject file replays to both categories purged at the erasure.
    const replay = await request(t.http).get(`/audit/streams/${customerStream}/state?asOf=2026-05-04T09:00:00Z`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(Object.keys(replay.body.state.contacts).sort()).toEqual([jeanneId, paulId].sort());
    const replayed = JSON.stringify(await vault.revealDeep(replay.body.state));
    const subjectReplay = await request(t.http).get(`/audit/streams/datasubject-${jeanne}/state?asOf=2026-05-04T09:00:00Z`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(subjectReplay.body.state.purgedAt).toMatchObject({ identity_contact: '2026-05-04T08:00:00.000Z', marketing: '2026-05-04T08:00:00.000Z' });
    expect(findSentinels(new Map([['audit events', JSON.stringify(revealedEvents)], ['audit replay', replayed]]), jeanneSentinels)).toEqual([]);
    // The consent's proof, in the consents stream, is erased too.
    const consentEvents = await request(t.http).get(`/audit/streams/consents-${jeanne}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(JSON.stringify(await vault.revealDeep(consentEvents.body.events))).toContain('{"$erased":true,"category":"marketing"}');
    // Jeanne's data keys are destroyed (the row stays as a record, without key material).
    const keys = await t.runtime.pool.query('SELECT category, wrapped, shredded_at FROM pii_keys WHERE subject_id = $1 ORDER BY category', [jeanne]);
    expect(keys.rows.map((k) => k.category)).toEqual(['identity_contact', 'marketing']);
    expect(keys.rows.every((k) => k.wrapped === null && k.shredded_at instanceof Date)).toBe(true);
    const paulKeys = await t.runtime.pool.query('SELECT count(*)::int AS n FROM pii_keys WHERE subject_id = $1 AND wrapped IS NOT NULL', [paul]);
    expect(paulKeys.rows[0].n).toBe(1);
    // The shredding itself is on record, in the subject's file.
    const file = await request(t.http).get(`/audit/streams/datasubject-${jeanne}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(file.body.events.find((e: { type: string }) => e.type === 'PersonalDataPurged')).toMatchObject({ data: { reason: 'erasure', requestId } });

    // (b) Exports. The operator's `events export` (CLI, spawned): every event is still exported,
    // Jeanne's fields cannot be decrypted any more.
    const exported = await exportEvents(t);
    expect(exported.result.code).toBe(0);
    const exportedCustomer = exported.events.filter((e) => e.streamId === customerStream);
    expect(exportedCustomer.map((e) => e.eventId)).toEqual(auditAfter.body.events.map((e: { eventId: string }) => e.eventId));
    const revealedExport = await vault.revealDeep(exported.events);
    expect(contactAdded(revealedExport as never, jeanneId).data.details).toEqual({ $erased: true, category: 'identity_contact' });
    expect(findSentinels(new Map([['events export (raw)', exported.text], ['events export (decrypted)', JSON.stringify(revealedExport)]]), jeanneSentinels)).toEqual([]);
    // The data-subject export (access request after the erasure) shows the erasure, in JSON and CSV.
    const access = (await request(t.http).post('/privacy/requests').set('X-API-Key', KEYS.system).send({ subjectId: jeanne, type: 'access', channel: 'email' }).expect(201)).body.requestId;
    await settle(t);
    const dsrJson = await request(t.http).get(`/privacy/requests/${access}/export?format=json`).set('X-API-Key', KEYS.support).expect(200);
    expect(dsrJson.body.data.records).toContainEqual(
      expect.objectContaining({ source: 'subscription.customer_contacts', data: expect.objectContaining({ name: null, email: null, phone: null, erased: true }) }),
    );
    expect(contactAdded(dsrJson.body.data.events, jeanneId).data.details).toEqual({ $erased: true, category: 'identity_contact' });
    const dsrCsv = await request(t.http).get(`/privacy/requests/${access}/export?format=csv`).set('X-API-Key', KEYS.support).expect(200);
    expect(dsrCsv.text).toContain('"{""$erased"":true,""category"":""identity_contact""}"');
    expect(findSentinels(new Map([['dsr export json', JSON.stringify(dsrJson.body)], ['dsr export csv', dsrCsv.text]]), jeanneSentinels)).toEqual([]);

    // (c) Read models: the customer directory (REST and GraphQL), the privacy views …
    const after = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(after.body.contacts.find((c: { contactId: string }) => c.contactId === jeanneId)).toMatchObject({ name: null, email: null, phone: null, erased: true });
    expect(after.body.contacts.find((c: { contactId: string }) => c.contactId === paulId)).toMatchObject({ ...PAUL, erased: false });
    const view = await request(t.http).get(`/privacy/subjects/${jeanne}/data`).set('X-API-Key', KEYS.support).expect(200);
    expect(JSON.stringify(view.body)).toContain('"$erased":true');
    const retention = await request(t.http).get(`/privacy/subjects/${jeanne}/retention`).set('X-API-Key', KEYS.support).expect(200);
    const consents = await request(t.http).get(`/privacy/subjects/${jeanne}/consents`).set('X-API-Key', KEYS.support).expect(200);
    const requests = await request(t.http).get(`/privacy/requests?subjectId=${jeanne}`).set('X-API-Key', KEYS.support).expect(200);
    const views = new Map([
      ['GET /customers/{id}', JSON.stringify(after.body)],
      ['GET /privacy/subjects/{id}/data', JSON.stringify(view.body)],
      ['GET /privacy/subjects/{id}/retention', JSON.stringify(retention.body)],
      ['GET /privacy/subjects/{id}/consents', JSON.stringify(consents.body)],
      ['GET /privacy/requests', JSON.stringify(requests.body)],
    ]);
    expect(findSentinels(views, jeanneSentinels)).toEqual([]);
    // … and every table of the database (read models and technical tables of every context).
    expect(findSentinels(await dumpTables(t), jeanneSentinels)).toEqual([]);
    // A read model rebuilt from the history after the erasure stays erased (the events are only ciphertext).
    await t.app.get(WorkerService).runner.reset('customers');
    await settle(t);
    const rebuilt = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(rebuilt.body.contacts.find((c: { contactId: string }) => c.contactId === jeanneId)).toMatchObject({ name: null, erased: true });
    expect(rebuilt.body.contacts.find((c: { contactId: string }) => c.contactId === paulId)).toMatchObject({ name: PAUL.name });
    expect(findSentinels(await dumpTables(t), jeanneSentinels)).toEqual([]);

    // (d) `audit verify` (CLI, spawned) still passes over the whole history.
    const verified = await runCli(t, ['audit', 'verify']);
    expect(verified.stdout).toMatch(/^OK: \d+ streams, \d+ events verified$/m);
    expect(verified.code).toBe(0);
    // Only Jeanne was erased: Paul's own view still shows his data.
    const paulView = await request(t.http).get(`/privacy/subjects/${paul}/data`).set('X-API-Key', KEYS.support).expect(200);
    expect(JSON.stringify(paulView.body)).toContain(PAUL.email);
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { runDueActions, travelTo } from '../testing/helpers';
import { acceptInvitation, activeAccount, portal, usePasswordCost, type ActiveAccount } from '../testing/portal';
import { KEYS, settle, startTestApp, type TestApp } from '../../../../test/support/app';

describe('Hosted PBX access and data (ACC-09, PRV-08, PRV-03)', () => {
  let t: TestApp;
  let client: ActiveAccount;
  const ids: Record<string, { userId: string; session: string }> = {};
  const email = (who: string) => `${who}.${randomUUID().slice(0, 6)}@example.fr`;

  beforeAll(async () => {
    t = await startTestApp();
    await usePasswordCost(t, 4);
    await travelTo(t, '2026-03-02T09:00:00Z');
    client = await activeAccount(t, { services: ['HOSTED_PBX', 'DATA'] });
  });
  afterAll(async () => t?.close());

  it('ACC-09 the client designates an administrator who receives the first credentials and grants internal and external users; OKSIO knows their number and type', async () => {
    const holder = portal(t, client.session);
    const adminEmail = email('admin');
    const designated = await holder.post('/portal/me/pbx/administrator', { name: 'Admin PBX', email: adminEmail }).expect(201);
    ids.admin = { userId: designated.body.userId, session: await acceptInvitation(t, designated.body.userId, adminEmail) };
    const admin = portal(t, ids.admin.session);
    // The client itself does not grant PBX users; the administrator does.
    const byHolder = await holder.post('/portal/me/pbx/users', { name: 'X', email: email('x'), access: 'internal' }).expect(422);
    expect(byHolder.body).toMatchObject({ code: 'not_allowed', errors: [{ rule: 'ACC-09' }] });
    // An external user is limited to its files, by function and duration.
    const noScope = await admin.post('/portal/me/pbx/users', { name: 'Client Z', email: email('z'), access: 'external' }).expect(400);
    expect(noScope.body.errors.map((e: { field: string; rule?: string }) => [e.field, e.rule])).toEqual(
      expect.arrayContaining([
        ['files', 'ACC-09'],
        ['function', 'ACC-09'],
        ['expiresAt', 'ACC-09'],
      ]),
    );
    const internalWithFiles = await admin.post('/portal/me/pbx/users', { name: 'Y', email: email('y'), access: 'internal', files: ['f1'] }).expect(422);
    expect(internalWithFiles.body).toMatchObject({ code: 'internal_scope_is_total', errors: [{ field: 'files', rule: 'ACC-09' }] });

    const internalEmail = email('standardiste');
    const internal = await admin.post('/portal/me/pbx/users', { name: 'Standardiste', email: internalEmail, access: 'internal' }).expect(201);
    ids.internal = { userId: internal.body.userId, session: await acceptInvitation(t, internal.body.userId, internalEmail) };
    const externalEmail = email('expert');
    const external = await admin
      .post('/portal/me/pbx/users', { name: 'Expert-comptable', email: externalEmail, access: 'external', files: ['ext-42'], function: 'accountant', expiresAt: '2026-03-02T09:10:00Z' })
      .expect(201);
    ids.external = { userId: external.body.userId, session: await acceptInvitation(t, external.body.userId, externalEmail) };
    const spareEmail = email('spare');
    const spare = await admin.post('/portal/me/pbx/users', { name: 'Temp', email: spareEmail, access: 'internal' }).expect(201);
    await settle(t);
    const counts = await request(t.http).get(`/portal/accounts/${client.accountId}/pbx-authorisations`).set('X-API-Key', KEYS.support).expect(200);
    expect(counts.body).toMatchObject({ administrators: 1, internal: 2, external: 1 });
    await admin.delete(`/portal/me/pbx/users/${spare.body.userId}`).expect(200);
    await settle(t);
    expect((await request(t.http).get(`/portal/accounts/${client.accountId}/pbx-authorisations`).set('X-API-Key', KEYS.auditor).expect(200)).body).toMatchObject({ internal: 1, external: 1 });
    // PBX users use the PBX only, not the client's account.
    const notAccount = await portal(t, ids.internal.session).put('/portal/me/e-correspondence', { optIn: true }).expect(403);
    expect(notAccount.body).toMatchObject({ code: 'not_allowed', errors: [{ rule: 'ACC-09' }] });
    // A client without hosted PBX has no administrator to designate.
    const dataOnly = await activeAccount(t, { services: ['DATA'] });
    const none = await portal(t, dataOnly.session).post('/portal/me/pbx/administrator', { name: 'A', email: email('a') }).expect(422);
    expect(none.body).toMatchObject({ code: 'no_hosted_pbx', errors: [{ rule: 'ACC-09' }] });
  });

  it('ACC-09 an external user works only on its own files and only until its access ends', async () => {
    const external = portal(t, ids.external.session);
    await external.put('/portal/me/pbx/files/ext-42', { content: { forwardTo: '0612345678' } }).expect(200);
    const other = await external.put('/portal/me/pbx/files/reception', { content: { greeting: 'hacked' } }).expect(422);
    expect(other.body).toMatchObject({ code: 'file_not_authorised', errors: [{ field: 'fileId', rule: 'ACC-09' }] });
    await external.get('/portal/me/pbx/files/reception').expect(403);
    await travelTo(t, '2026-03-02T09:10:01Z');
    const ended = await external.get('/portal/me/pbx/files/ext-42').expect(403);
    expect(ended.body).toMatchObject({ code: 'access_expired', errors: [{ rule: 'ACC-09' }] });
    await settle(t);
    expect((await request(t.http).get(`/portal/accounts/${client.accountId}/pbx-authorisations`).set('X-API-Key', KEYS.auditor).expect(200)).body).toMatchObject({ external: 0 });
  });

  it('PRV-08 the last update of modifiable PBX data is traceable: who and when', async () => {
    await travelTo(t, '2026-03-02T09:31:00Z');
    const internal = portal(t, (await request(t.http).post('/portal/sessions').set('X-API-Key', KEYS.system).send({ login: await loginOf(ids.internal.userId), password: 'Correct horse 42!' }).expect(201)).body.sessionToken);
    const updated = await internal.put('/portal/me/pbx/files/reception', { content: { greeting: 'Bonjour, Garage Dupont', extension: '200' } }).expect(200);
    expect(updated.body).toEqual({ fileId: 'reception', lastUpdatedBy: ids.internal.userId, lastUpdatedAt: '2026-03-02T09:31:00.000Z', updates: 1 });
    await travelTo(t, '2026-03-02T09:35:00Z');
    const admin = portal(t, (await request(t.http).post('/portal/sessions').set('X-API-Key', KEYS.system).send({ login: await loginOf(ids.admin.userId), password: 'Correct horse 42!' }).expect(201)).body.sessionToken);
    await admin.put('/portal/me/pbx/files/reception', { content: { greeting: 'Bonjour', extension: '201' } }).expect(200);
    await settle(t);
    const file = await internal.get('/portal/me/pbx/files/reception').expect(200);
    expect(file.body).toEqual({
      fileId: 'reception',
      accountId: client.accountId,
      content: { greeting: 'Bonjour', extension: '201' },
      erased: false,
      lastUpdate: { by: ids.admin.userId, role: 'pbx_admin', at: '2026-03-02T09:35:00.000Z' },
      updates: 2,
    });
    const history = await request(t.http).get(`/audit/streams/pbxfiles-${client.accountId}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(history.body.events.filter((e: { data: { fileId: string } }) => e.data.fileId === 'reception').map((e: { data: { updatedBy: string; updatedAt: string } }) => [e.data.updatedBy, e.data.updatedAt])).toEqual([
      [ids.internal.userId, '2026-03-02T09:31:00.000Z'],
      [ids.admin.userId, '2026-03-02T09:35:00.000Z'],
    ]);
    expect(JSON.stringify(history.body)).not.toContain('Bonjour');
    await admin.put('/portal/me/pbx/files/reception', { content: 'not an object' }).expect(400);
  });

  it('PRV-03 PBX data files are exported on request (txt, csv, XML) and destroyed 12 months after the contract ends', async () => {
    const holder = portal(t, (await request(t.http).post('/portal/sessions').set('X-API-Key', KEYS.system).send({ login: client.email, password: 'Correct horse 42!' }).expect(201)).body.sessionToken);
    const csv = await holder.get('/portal/me/pbx/export?format=csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain('reception,greeting,Bonjour,');
    const xml = await request(t.http).get(`/portal/accounts/${client.accountId}/pbx-export?format=xml`).set('X-API-Key', KEYS.support).expect(200);
    expect(xml.headers['content-type']).toMatch(/application\/xml/);
    expect(xml.text).toContain('<field name="greeting">Bonjour</field>');
    const txt = await request(t.http).get(`/portal/accounts/${client.accountId}/pbx-export?format=txt`).set('X-API-Key', KEYS.support).expect(200);
    expect(txt.text.split('\n')[0]).toBe('file\tfield\tvalue\tlast_updated_by\tlast_updated_at');
    const pdf = await request(t.http).get(`/portal/accounts/${client.accountId}/pbx-export?format=pdf`).set('X-API-Key', KEYS.support).expect(400);
    expect(pdf.body.errors).toEqual([expect.objectContaining({ field: 'format', rule: 'PRV-03' })]);

    const subject = `customer-${client.customerId}`;
    const fact = (body: Record<string, unknown>) => request(t.http).post(`/privacy/subjects/${subject}/facts`).set('X-API-Key', KEYS.system).send(body).expect(201);
    await fact({ kind: 'contract_started', contractId: 'PBX-7', service: 'HOSTED_PBX', occurredAt: '2026-01-01T00:00:00Z' });
    await fact({ kind: 'contract_ended', contractId: 'PBX-7' });
    await travelTo(t, '2027-03-02T09:34:00Z');
    await runDueActions(t);
    expect((await request(t.http).get(`/portal/accounts/${client.accountId}/pbx-export?format=csv`).set('X-API-Key', KEYS.support).expect(200)).text).toContain('Bonjour');
    await travelTo(t, '2027-03-02T09:36:00Z');
    await runDueActions(t);
    const after = await request(t.http).get(`/portal/accounts/${client.accountId}/pbx-export?format=csv`).set('X-API-Key', KEYS.support).expect(200);
    expect(after.text).not.toContain('Bonjour');
    expect(after.text).toContain('reception,,(erased)');
    const purged = await request(t.http).get(`/audit/streams/datasubject-${subject}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    const pbxPurge = purged.body.events.find((e: { type: string; data: { categories: string[] } }) => e.type === 'PersonalDataPurged' && e.data.categories.includes('hosted_pbx'));
    expect(pbxPurge.data).toMatchObject({ categories: ['hosted_pbx'], basis: [{ rule: 'PRV-03' }], purgedAt: '2027-03-02T09:36:00.000Z' });
  });

  async function loginOf(userId: string): Promise<string> {
    return (await t.runtime.pool.query('SELECT login FROM portal_credentials WHERE user_id = $1', [userId])).rows[0].login;
  }
});

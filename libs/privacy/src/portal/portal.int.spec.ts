import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { runDueActions, travelTo } from '../testing/helpers';
import { PASSWORD, acceptInvitation, activeAccount, lastMessage, linkToken, login, portal, registration, smsCode, usePasswordCost } from '../testing/portal';
import { PortalConsumptionRegistry } from './consumption.registry';
import { KEYS, settle, startTestApp, type TestApp } from '../../../../test/support/app';

describe('Customer portal accounts (ACC-01…08, ACC-10, PRV-07)', () => {
  let t: TestApp;
  const eventCount = async () => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);
  const register = (body: Record<string, unknown>) => request(t.http).post('/portal/registrations').set('X-API-Key', KEYS.system).send(body);
  const confirmSms = (accountId: string, code: string) => request(t.http).post(`/portal/registrations/${accountId}/confirm-sms`).set('X-API-Key', KEYS.system).send({ code });
  const confirmLink = (token: string) => request(t.http).post('/portal/activation-links/confirm').set('X-API-Key', KEYS.system).send({ token });
  const accountEvents = async (accountId: string) =>
    (await request(t.http).get(`/audit/streams/portalaccount-${accountId}/events`).set('X-API-Key', KEYS.auditor).expect(200)).body.events as Array<{ type: string; data: Record<string, unknown> }>;

  let seededPasswordCost: string;
  const accountStatus = async (accountId: string) => {
    await settle(t);
    return (await request(t.http).get(`/portal/accounts/${accountId}`).set('X-API-Key', KEYS.support).expect(200)).body.status;
  };

  beforeAll(async () => {
    t = await startTestApp();
    seededPasswordCost = await usePasswordCost(t, 4);
    await travelTo(t, '2026-03-02T09:00:00Z');
  });
  afterAll(async () => t?.close());

  it('ACC-01 the account is active only after both the SMS code and the e-mail link are confirmed; codes are random and stored hashed', async () => {
    const body = registration();
    const res = await register(body).expect(201);
    expect(res.body).toMatchObject({ status: 'pending', activation: { sms: 'sent', email: 'sent' } });
    const { accountId } = res.body;
    const sms = await lastMessage(t, { accountId, channel: 'sms' });
    expect(sms.recipient).toBe('0612345678');
    const code = smsCode(sms);
    const stored = await t.runtime.pool.query('SELECT secret_hmac FROM portal_challenges WHERE account_id = $1', [accountId]);
    expect(JSON.stringify(stored.rows)).not.toContain(code);
    const raw = await t.runtime.pool.query('SELECT data::text FROM es_events WHERE stream_id = $1', [`portalaccount-${accountId}`]);
    expect(raw.rows[0].data).not.toMatch(new RegExp(`${code}|Jeanne|${body.email}`));

    await login(t, body.email as string).expect(422).expect((r) => expect(r.body).toMatchObject({ code: 'account_not_active', errors: [{ rule: 'ACC-01' }] }));
    const wrong = await confirmSms(accountId, code === '000000' ? '000001' : '000000').expect(422);
    expect(wrong.body).toMatchObject({ code: 'invalid_code', errors: [{ field: 'code', rule: 'ACC-01' }] });
    expect(wrong.body.detail).toMatch(/4 attempt/);
    expect((await confirmSms(accountId, code).expect(200)).body).toMatchObject({ status: 'pending', smsConfirmed: true, emailConfirmed: false });
    await login(t, body.email as string).expect(422);
    const token = linkToken(await lastMessage(t, { accountId, channel: 'email' }));
    expect((await confirmLink(token).expect(200)).body).toMatchObject({ status: 'active', smsConfirmed: true, emailConfirmed: true });
    await confirmLink(token).expect(422).expect((r) => expect(r.body).toMatchObject({ code: 'invalid_link', errors: [{ rule: 'ACC-01' }] }));
    await login(t, body.email as string).expect(201);
    expect((await accountEvents(accountId)).map((e) => e.type).slice(0, 4)).toEqual([
      'PortalAccountRegistered',
      'PortalActivationConfirmed',
      'PortalActivationConfirmed',
      'PortalAccountActivated',
    ]);
  });

  it('ACC-01 an account confirmed by the SMS code only, or by the e-mail link only, stays inactive', async () => {
    const codeOnly = registration();
    const a = (await register(codeOnly).expect(201)).body.accountId;
    await confirmSms(a, smsCode(await lastMessage(t, { accountId: a, channel: 'sms' }))).expect(200);
    expect(await accountStatus(a)).toBe('pending');
    await login(t, codeOnly.email as string).expect(422).expect((r) => expect(r.body).toMatchObject({ code: 'account_not_active', errors: [{ rule: 'ACC-01' }] }));

    const linkOnly = registration();
    const b = (await register(linkOnly).expect(201)).body.accountId;
    const linked = await confirmLink(linkToken(await lastMessage(t, { accountId: b, channel: 'email' }))).expect(200);
    expect(linked.body).toMatchObject({ status: 'pending', smsConfirmed: false, emailConfirmed: true });
    expect(await accountStatus(b)).toBe('pending');
    await login(t, linkOnly.email as string).expect(422).expect((r) => expect(r.body).toMatchObject({ code: 'account_not_active', errors: [{ rule: 'ACC-01' }] }));
    for (const id of [a, b]) expect((await accountEvents(id)).map((e) => e.type)).not.toContain('PortalAccountActivated');
  });

  it('ACC-01 an expired activation code is refused; a new code voids the old one', async () => {
    const late = (await register(registration()).expect(201)).body.accountId;
    const oldCode = smsCode(await lastMessage(t, { accountId: late, channel: 'sms' }));
    await travelTo(t, '2026-03-02T09:16:00Z');
    await confirmSms(late, oldCode).expect(422).expect((r) => expect(r.body).toMatchObject({ code: 'code_expired', errors: [{ field: 'code', rule: 'ACC-01' }] }));
    await request(t.http).post(`/portal/registrations/${late}/resend`).set('X-API-Key', KEYS.system).send({ channel: 'sms' }).expect(200);
    const newCode = smsCode(await lastMessage(t, { accountId: late, channel: 'sms' }));
    if (newCode !== oldCode) await confirmSms(late, oldCode).expect(422); // the old code is void
    expect((await confirmSms(late, newCode).expect(200)).body).toMatchObject({ smsConfirmed: true });
    await travelTo(t, '2026-03-02T09:00:00Z');
  });

  it('ACC-01 five wrong codes lock the code: even the right code is then refused, and the account stays inactive', async () => {
    const guessed = (await register(registration()).expect(201)).body.accountId;
    const right = smsCode(await lastMessage(t, { accountId: guessed, channel: 'sms' }));
    const guesses = ['111111', '222222', '333333', '444444', '555555', '666666'].filter((g) => g !== right).slice(0, 5);
    for (const [i, g] of guesses.entries()) {
      const res = await confirmSms(guessed, g).expect(422);
      expect(res.body).toMatchObject({ code: 'invalid_code', errors: [{ field: 'code', rule: 'ACC-01' }] });
      expect(res.body.detail).toMatch(i < 4 ? `${4 - i} attempt` : /now void/);
    }
    const locked = await confirmSms(guessed, right).expect(422);
    expect(locked.body).toMatchObject({ code: 'no_open_code', errors: [{ field: 'code', rule: 'ACC-01' }] });
    const { rows } = await t.runtime.pool.query('SELECT attempts, voided_at FROM portal_challenges WHERE account_id = $1 AND purpose = $2', [guessed, 'activation_sms']);
    expect(rows).toEqual([{ attempts: 5, voided_at: expect.any(Date) }]);
    expect(await accountStatus(guessed)).toBe('pending');
  });

  it('ACC-01 bad registrations → 400/409/422 naming the field, nothing written', async () => {
    const before = await eventCount();
    const bad = await register({ ...registration(), email: 'nope', phone: '12', password: 'short', services: ['TV'], extra: true }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['email', 'phone', 'services', 'extra']));
    const weak = await register(registration({ password: 'alllowercaseletters' })).expect(400);
    expect(weak.body).toMatchObject({ code: 'weak_password', errors: [{ field: 'password' }] });
    const oldTerms = await register(registration({ acceptedTermsVersion: '2020-01-01' })).expect(422);
    expect(oldTerms.body).toMatchObject({ code: 'terms_not_accepted', errors: [{ field: 'acceptedTermsVersion', rule: 'ACC-06' }] });
    await request(t.http).post('/portal/registrations').set('X-API-Key', KEYS.support).send(registration()).expect(403);
    await confirmSms(randomUUID(), '123456').expect(404);
    expect(await eventCount()).toBe(before);
    const taken = registration();
    await register(taken).expect(201);
    const again = await register({ ...registration(), email: (taken.email as string).toUpperCase() }).expect(409);
    expect(again.body).toMatchObject({ code: 'login_taken', errors: [{ field: 'email' }] });
  });

  it('ACC-02 whoever logs in with valid credentials may do everything the account may do; anything else is refused', async () => {
    const a = await activeAccount(t);
    await login(t, a.email, 'Wrong password 42!').expect(401).expect((r) => expect(r.body).toMatchObject({ code: 'invalid_credentials', errors: [{ rule: 'ACC-02' }] }));
    await login(t, 'nobody@example.fr').expect(401);
    await request(t.http).get('/portal/me').set('X-API-Key', KEYS.system).expect(401).expect((r) => expect(r.body.code).toBe('portal_session_required'));
    await request(t.http).get('/portal/me').set('X-API-Key', KEYS.system).set('X-Portal-Session', 'forged').expect(401);
    await request(t.http).get('/portal/me').set('X-API-Key', KEYS.support).set('X-Portal-Session', a.session).expect(403);
    const p = portal(t, a.session);
    expect((await p.get('/portal/me').expect(200)).body).toMatchObject({ accountId: a.accountId, role: 'holder', status: 'active', termsAcceptanceRequired: false });
    await p.put('/portal/me/e-correspondence', { optIn: true }).expect(200);
    await p.post('/portal/me/address-changes', { kind: 'email', email: 'new@example.fr', effectiveOn: '2026-03-20' }).expect(201);
    await p.get('/portal/me/consumption').expect(200);
    await p.post('/portal/me/delegations', { name: 'Cabinet Leroy', email: `leroy.${randomUUID().slice(0, 6)}@example.fr` }).expect(201);
    await p.delete('/portal/sessions/current').expect(204);
    await p.get('/portal/me').expect(401);
  });

  it('ACC-03 a delegate acts as the client; the client updates and revokes the delegation', async () => {
    const a = await activeAccount(t);
    const holder = portal(t, a.session);
    const delegateEmail = `compta.${randomUUID().slice(0, 6)}@leroy.example`;
    const { userId } = (await holder.post('/portal/me/delegations', { name: 'Cabinet Leroy', email: delegateEmail, expiresAt: '2026-12-31T23:00:00Z' }).expect(201)).body;
    const session = await acceptInvitation(t, userId, delegateEmail);
    const delegate = portal(t, session);
    expect((await delegate.get('/portal/me').expect(200)).body).toMatchObject({ accountId: a.accountId, role: 'delegate' });
    expect((await delegate.put('/portal/me/e-correspondence', { optIn: true }).expect(200)).body).toMatchObject({ eCorrespondence: true, changedBy: userId });
    const notAllowed = await delegate.post('/portal/me/delegations', { name: 'X', email: 'x@example.fr' }).expect(422);
    expect(notAllowed.body).toMatchObject({ code: 'not_allowed', errors: [{ rule: 'ACC-03' }] });
    await delegate.patch(`/portal/me/delegations/${userId}`, { expiresAt: null }).expect(422);
    // The client shortens it: past the end the delegate is out.
    await holder.patch(`/portal/me/delegations/${userId}`, { expiresAt: '2026-03-02T09:10:00Z' }).expect(200);
    await settle(t);
    expect((await holder.get('/portal/me/delegations').expect(200)).body).toEqual([expect.objectContaining({ userId, status: 'active', expiresAt: '2026-03-02T09:10:00.000Z' })]);
    await travelTo(t, '2026-03-02T09:10:01Z');
    const expired = await delegate.get('/portal/me').expect(403);
    expect(expired.body).toMatchObject({ code: 'access_expired', errors: [{ rule: 'ACC-03' }] });
    await login(t, delegateEmail).expect(422).expect((r) => expect(r.body).toMatchObject({ code: 'access_expired', errors: [{ rule: 'ACC-03' }] }));
    // … extends it again, then revokes it.
    await holder.patch(`/portal/me/delegations/${userId}`, { expiresAt: '2027-01-01T00:00:00Z' }).expect(200);
    const back = portal(t, (await login(t, delegateEmail).expect(201)).body.sessionToken);
    await back.get('/portal/me').expect(200);
    await holder.delete(`/portal/me/delegations/${userId}`).expect(200);
    await back.get('/portal/me').expect(401);
    await login(t, delegateEmail).expect(401);
    const events = await accountEvents(a.accountId);
    expect(events.filter((e) => e.type.startsWith('PortalDelegation')).map((e) => e.type)).toEqual([
      'PortalDelegationGranted',
      'PortalDelegationUpdated',
      'PortalDelegationUpdated',
      'PortalDelegationRevoked',
    ]);
    await travelTo(t, '2026-03-02T09:00:00Z');
  });

  it('ACC-03 a delegate revoked mid-session loses access at once: the open session and new logins are refused', async () => {
    const a = await activeAccount(t);
    const holder = portal(t, a.session);
    const email = `revoked.${randomUUID().slice(0, 6)}@example.fr`;
    const { userId } = (await holder.post('/portal/me/delegations', { name: 'Comptable', email }).expect(201)).body;
    const delegate = portal(t, await acceptInvitation(t, userId, email));
    await delegate.get('/portal/me').expect(200);
    await delegate.put('/portal/me/e-correspondence', { optIn: true }).expect(200); // mid-session, in use
    await holder.delete(`/portal/me/delegations/${userId}`).expect(200);
    const refused = await delegate.put('/portal/me/e-correspondence', { optIn: false }).expect(401);
    expect(refused.body.errors[0]).toMatchObject({ field: 'X-Portal-Session' });
    await delegate.get('/portal/me').expect(401);
    await login(t, email).expect(401);
    const { rows } = await t.runtime.pool.query('SELECT count(*)::int AS n FROM portal_credentials WHERE user_id = $1', [userId]);
    expect(rows[0].n).toBe(0);
    expect((await holder.get('/portal/me').expect(200)).body.role).toBe('holder');
  });

  it('ACC-02 passwords are bcrypt hashes whose cost is a setting (12 by default); a login re-hashes an older cost; over 72 bytes is refused', async () => {
    expect(seededPasswordCost).toBe('12');
    const a = await activeAccount(t);
    const hashOf = async () => (await t.runtime.pool.query('SELECT password_hash FROM portal_credentials WHERE user_id = $1', [a.userId])).rows[0].password_hash as string;
    const first = await hashOf();
    expect(first).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    for (const value of ['3', '16', 'twelve']) {
      const bad = await request(t.http).put('/portal/settings/portal.password_cost').set('X-API-Key', KEYS.admin).send({ value }).expect(422);
      expect(bad.body).toMatchObject({ code: 'invalid_setting', errors: [{ field: 'value', rule: 'ACC-02' }] });
    }
    await request(t.http).put('/portal/settings/portal.password_cost').set('X-API-Key', KEYS.admin).send({ value: '5' }).expect(200);
    await login(t, a.email, 'Wrong password 42!').expect(401);
    expect(await hashOf()).toBe(first); // a failed login changes nothing
    await login(t, a.email).expect(201);
    const rehashed = await hashOf();
    expect(rehashed).toMatch(/^\$2b\$05\$/);
    await login(t, a.email).expect(201);
    expect(await hashOf()).toBe(rehashed);
    await request(t.http).put('/portal/settings/portal.password_cost').set('X-API-Key', KEYS.admin).send({ value: '4' }).expect(200);

    // 72 bytes is bcrypt's limit: a longer password is refused, naming the field, nothing written.
    const before = await eventCount();
    const tooLong = await register(registration({ password: `Aa1!${'é'.repeat(35)}` })).expect(400);
    expect(tooLong.body).toMatchObject({ code: 'password_too_long', errors: [{ field: 'password', rule: 'ACC-02' }] });
    expect(await eventCount()).toBe(before);
    // Unknown logins get the same answer (checked against a dummy hash of the same cost).
    const unknown = await login(t, `nobody.${randomUUID().slice(0, 6)}@example.fr`).expect(401);
    expect(unknown.body).toMatchObject({ code: 'invalid_credentials', errors: [{ rule: 'ACC-02' }] });
    expect(await eventCount()).toBe(before);
  });

  it('ACC-04 an inactive session expires after the configured inactivity (PT15M, configurable)', async () => {
    const a = await activeAccount(t);
    const p = portal(t, a.session);
    await travelTo(t, '2026-03-02T09:14:00Z');
    await p.get('/portal/me').expect(200); // activity restarts the clock
    await travelTo(t, '2026-03-02T09:29:00Z');
    await p.get('/portal/me').expect(200);
    await travelTo(t, '2026-03-02T09:44:01Z');
    const expired = await p.get('/portal/me').expect(401);
    expect(expired.body).toMatchObject({ code: 'portal_session_expired', errors: [{ field: 'X-Portal-Session', rule: 'ACC-04' }] });
    await p.get('/portal/me').expect(401);
    // Configurable: 30 minutes.
    const invalid = await request(t.http).put('/portal/settings/portal.session_inactivity').set('X-API-Key', KEYS.admin).send({ value: 'soon' }).expect(422);
    expect(invalid.body).toMatchObject({ code: 'invalid_setting', errors: [{ field: 'value', rule: 'ACC-04' }] });
    await request(t.http).put('/portal/settings/portal.session_inactivity').set('X-API-Key', KEYS.support).send({ value: 'PT30M' }).expect(403);
    await request(t.http).put('/portal/settings/portal.session_inactivity').set('X-API-Key', KEYS.admin).send({ value: 'PT30M' }).expect(200);
    const session = (await login(t, a.email).expect(201)).body;
    expect(session.inactivityTimeout).toBe('PT30M');
    await travelTo(t, '2026-03-02T10:10:00Z');
    await portal(t, session.sessionToken).get('/portal/me').expect(200);
    await request(t.http).put('/portal/settings/portal.session_inactivity').set('X-API-Key', KEYS.admin).send({ value: 'PT15M' }).expect(200);
    await travelTo(t, '2026-03-02T09:00:00Z');
  });

  it('ACC-05 the operator blocks access on a security risk or at the client\'s written request, and deletes it on written request', async () => {
    const a = await activeAccount(t);
    const admin = (path: string, body: unknown = {}) => request(t.http).post(`/portal/accounts/${a.accountId}/${path}`).set('X-API-Key', KEYS.support).send(body as object);
    await admin('block', { reason: 'security_risk', until: '2026-03-02T10:00:00Z', note: 'credentials seen on a paste site' }).expect(200);
    await portal(t, a.session).get('/portal/me').expect(401); // open sessions are closed
    const refused = await login(t, a.email).expect(422);
    expect(refused.body).toMatchObject({ code: 'account_blocked', errors: [{ rule: 'ACC-05' }] });
    await travelTo(t, '2026-03-02T10:00:01Z');
    await login(t, a.email).expect(201); // a temporary block ends by itself

    const noLetter = await admin('block', { reason: 'client_request' }).expect(422);
    expect(noLetter.body).toMatchObject({ code: 'written_request_required', errors: [{ field: 'writtenRequestReference', rule: 'ACC-05' }] });
    await admin('block', { reason: 'client_request', writtenRequestReference: 'Lettre du 01/03/2026' }).expect(200);
    await login(t, a.email).expect(422);
    await admin('unblock').expect(200);
    await login(t, a.email).expect(201);
    await request(t.http).post(`/portal/accounts/${a.accountId}/block`).set('X-API-Key', KEYS.auditor).send({ reason: 'security_risk' }).expect(403);

    const noRef = await admin('close', {}).expect(400);
    expect(noRef.body.errors).toContainEqual(expect.objectContaining({ field: 'writtenRequestReference', rule: 'ACC-05' }));
    await admin('close', { writtenRequestReference: 'LRAR 1A 234 567' }).expect(200);
    await login(t, a.email).expect(401);
    await settle(t);
    const row = await request(t.http).get(`/portal/accounts/${a.accountId}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(row.body).toMatchObject({ status: 'closed' });
    await travelTo(t, '2026-03-02T09:00:00Z');
  });

  it('ACC-07 electronic correspondence is an opt-in, recorded with its time', async () => {
    const a = await activeAccount(t);
    const p = portal(t, a.session);
    await settle(t);
    expect((await request(t.http).get(`/portal/accounts/${a.accountId}`).set('X-API-Key', KEYS.support).expect(200)).body.eCorrespondence).toBe(false);
    expect((await p.put('/portal/me/e-correspondence', { optIn: true }).expect(200)).body.eCorrespondence).toBe(true);
    await settle(t);
    const row = (await request(t.http).get(`/portal/accounts/${a.accountId}`).set('X-API-Key', KEYS.support).expect(200)).body;
    expect(row).toMatchObject({ eCorrespondence: true, eCorrespondenceChangedAt: '2026-03-02T09:00:00.000Z' });
    expect((await p.put('/portal/me/e-correspondence', { optIn: false }).expect(200)).body.eCorrespondence).toBe(false);
    await p.put('/portal/me/e-correspondence', { optIn: 'yes' }).expect(400);
    expect((await accountEvents(a.accountId)).filter((e) => e.type === 'PortalECorrespondenceChanged').map((e) => e.data.optedIn)).toEqual([true, false]);
  });

  it('ACC-08 address changes are declared by the client; with MOBILE lines at least 7 days before they take effect', async () => {
    const mobile = await activeAccount(t, { services: ['MOBILE'] });
    const p = portal(t, mobile.session);
    const postalAddress = { line1: '3 rue du Port', postalCode: '13002', city: 'Marseille', country: 'FR' };
    const tooLate = await p.post('/portal/me/address-changes', { kind: 'postal', postalAddress, effectiveOn: '2026-03-08' }).expect(422);
    expect(tooLate.body).toMatchObject({ code: 'address_change_too_late', errors: [{ field: 'effectiveOn', rule: 'ACC-08' }] });
    expect((await p.post('/portal/me/address-changes', { kind: 'postal', postalAddress, effectiveOn: '2026-03-09' }).expect(201)).body).toMatchObject({ late: false });
    const raw = await t.runtime.pool.query('SELECT data::text FROM es_events WHERE stream_id = $1', [`portalaccount-${mobile.accountId}`]);
    expect(raw.rows.map((r) => r.data).join('')).not.toContain('rue du Port');
    const bad = await p.post('/portal/me/address-changes', { kind: 'postal', effectiveOn: '09/03/2026' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['postalAddress', 'effectiveOn']));
    const data = await activeAccount(t, { services: ['DATA'] });
    expect((await portal(t, data.session).post('/portal/me/address-changes', { kind: 'email', email: 'late@example.fr', effectiveOn: '2026-02-20' }).expect(201)).body).toMatchObject({ late: true });
  });

  it('ACC-10 consumption figures shown in the portal are indicative; invoiced figures prevail', async () => {
    const a = await activeAccount(t);
    t.app.get(PortalConsumptionRegistry).register('test-metering', async (customerId) =>
      customerId === a.customerId ? [{ service: 'FIXED_SIP', line: '0145678901', metric: 'outgoing minutes', quantity: '132', unit: 'min', periodStart: '2026-03-01', periodEnd: '2026-03-02' }] : [],
    );
    const res = await portal(t, a.session).get('/portal/me/consumption').expect(200);
    expect(res.body).toMatchObject({ indicative: true, notice: expect.stringMatching(/indicative.*invoiced figures prevail/) });
    expect(res.body.figures).toEqual([expect.objectContaining({ service: 'FIXED_SIP', quantity: '132', indicative: true })]);
  });

  it('PRV-07 every login attempt is kept with its connection data (encrypted), and repeated failures block access', async () => {
    const a = await activeAccount(t);
    await login(t, a.email, PASSWORD, { clientIp: '198.51.100.7', userAgent: 'Firefox/140' }).expect(201);
    for (let i = 0; i < 5; i++) await login(t, a.email, 'Wrong password 42!', { clientIp: '203.0.113.66', userAgent: 'curl/8' }).expect(401);
    const blocked = await login(t, a.email, PASSWORD, { clientIp: '198.51.100.7', userAgent: 'Firefox/140' }).expect(422);
    expect(blocked.body).toMatchObject({ code: 'account_blocked', errors: [{ rule: 'ACC-05' }] });
    const log = await request(t.http).get(`/portal/accounts/${a.accountId}/connections`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(log.body.connections).toHaveLength(7);
    expect(log.body.connections[1]).toMatchObject({ success: true, ip: '198.51.100.7', userAgent: 'Firefox/140' });
    expect(log.body.connections.slice(2).every((c: { success: boolean; ip: string }) => !c.success && c.ip === '203.0.113.66')).toBe(true);
    const events = await accountEvents(a.accountId);
    expect(events.find((e) => e.type === 'PortalAccessBlocked')!.data).toMatchObject({ reason: 'security_risk', automatic: true, until: '2026-03-02T09:15:00.000Z' });
    const raw = await t.runtime.pool.query('SELECT data::text FROM es_events WHERE stream_id = $1', [`portalaccount-${a.accountId}`]);
    expect(raw.rows.map((r) => r.data).join('')).not.toMatch(/203\.0\.113\.66|198\.51\.100\.7|curl/);
    // Connection data has its retention clock (1 year from the last collection).
    const retention = await request(t.http).get(`/privacy/subjects/portaluser-${a.userId}/retention`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(retention.body.categories.find((c: { category: string }) => c.category === 'connection')).toMatchObject({ phase: 'active', purgeAt: '2027-03-02T09:00:00.000Z' });
    await runDueActions(t);
  });

  it('ACC-06 a new terms version blocks the portal until the user accepts it', async () => {
    const a = await activeAccount(t);
    const p = portal(t, a.session);
    await request(t.http).post('/portal/terms').set('X-API-Key', KEYS.support).send({ version: '2026-09-01', title: 'Édition du 01.09.2026' }).expect(403);
    await request(t.http).post('/portal/terms').set('X-API-Key', KEYS.admin).send({ version: '2026-09-01', title: 'Édition du 01.09.2026', publishedAt: '2026-03-02T09:00:00Z' }).expect(201);
    await settle(t);
    const dup = await request(t.http).post('/portal/terms').set('X-API-Key', KEYS.admin).send({ version: '2026-09-01', title: 'again' }).expect(422);
    expect(dup.body).toMatchObject({ code: 'terms_version_exists', errors: [{ rule: 'ACC-06' }] });
    const stopped = await p.put('/portal/me/e-correspondence', { optIn: true }).expect(422);
    expect(stopped.body).toMatchObject({ code: 'terms_not_accepted', errors: [{ field: 'termsVersion', rule: 'ACC-06' }] });
    expect((await p.get('/portal/me').expect(200)).body).toMatchObject({ termsAcceptanceRequired: true, latestTermsVersion: '2026-09-01', acceptedTermsVersion: '2026-02-10' });
    const relogin = await login(t, a.email).expect(201);
    expect(relogin.body).toMatchObject({ termsAcceptanceRequired: true, latestTermsVersion: '2026-09-01' });
    await p.post('/portal/me/terms', { version: '2026-02-10' }).expect(422).expect((r) => expect(r.body).toMatchObject({ code: 'not_latest_terms', errors: [{ rule: 'ACC-06' }] }));
    expect((await p.post('/portal/me/terms', { version: '2026-09-01' }).expect(200)).body).toMatchObject({ acceptedTermsVersion: '2026-09-01' });
    await p.put('/portal/me/e-correspondence', { optIn: true }).expect(200);
    await register(registration()).expect(422);
    await register(registration({ acceptedTermsVersion: '2026-09-01' })).expect(201);
    const gql = await request(t.http).post('/graphql').set('X-API-Key', KEYS.auditor).send({ query: '{ portalTerms { version } }' }).expect(200);
    expect(gql.body.data.portalTerms.map((v: { version: string }) => v.version)).toEqual(['2026-09-01', '2026-02-10']);
  });
});

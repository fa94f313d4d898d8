import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { travelTo } from '../testing/helpers';
import { KEYS, startTestApp, type TestApp, requestEventCount } from '../../../../test/support/app';

describe('Consents, directory listing and the prospecting check (PRV-01, PRV-05, PRV-06)', () => {
  let t: TestApp;
  const eventCount = () => requestEventCount(t);
  const canProspect = async (subjectId: string, channel: string) =>
    (await request(t.http).get(`/privacy/subjects/${subjectId}/can-prospect?channel=${channel}`).set('X-API-Key', KEYS.system).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('PRV-01 e-mail and SMS prospecting need consent; post and phone rest on legitimate interest', async () => {
    const subjectId = `contact-${randomUUID()}`;
    expect(await canProspect(subjectId, 'email')).toMatchObject({ allowed: false, rule: 'PRV-05' });
    expect(await canProspect(subjectId, 'sms')).toMatchObject({ allowed: false, rule: 'PRV-05' });
    expect(await canProspect(subjectId, 'post')).toMatchObject({ allowed: true, rule: 'PRV-01' });
    expect(await canProspect(subjectId, 'phone')).toMatchObject({ allowed: true, rule: 'PRV-01' });
    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.system)
      .send({ query: `{ canProspect(subjectId: "${subjectId}", channel: "email") { allowed rule reason } }` })
      .expect(200);
    expect(gql.body.data.canProspect).toMatchObject({ allowed: false, rule: 'PRV-05' });
    const bad = await request(t.http).get(`/privacy/subjects/${subjectId}/can-prospect?channel=pigeon`).set('X-API-Key', KEYS.system).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'channel' })]);
  });

  it('PRV-05 consent is explicit, recorded with time and source (proof encrypted), and can be withdrawn at any time', async () => {
    await travelTo(t, '2026-03-10T10:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    const given = await request(t.http)
      .post(`/privacy/subjects/${subjectId}/consents`)
      .set('X-API-Key', KEYS.system)
      .send({ purpose: 'prospecting_email', source: 'web_form', evidence: 'box "offers by e-mail" ticked, form v3, 192.0.2.10' })
      .expect(201);
    expect(given.body.consents).toEqual([{ purpose: 'prospecting_email', granted: true, source: 'web_form', at: '2026-03-10T10:00:00.000Z' }]);
    expect(await canProspect(subjectId, 'email')).toMatchObject({ allowed: true, reason: 'consent given on 2026-03-10T10:00:00.000Z (web_form)' });
    expect(await canProspect(subjectId, 'sms')).toMatchObject({ allowed: false });
    const raw = await t.runtime.pool.query('SELECT data::text FROM es_events WHERE stream_id = $1', [`consents-${subjectId}`]);
    expect(raw.rows[0].data).not.toContain('192.0.2.10');

    await travelTo(t, '2026-09-01T08:00:00Z');
    const withdrawn = await request(t.http).post(`/privacy/subjects/${subjectId}/consents/prospecting_email/withdraw`).set('X-API-Key', KEYS.support).send({ source: 'email' }).expect(200);
    expect(withdrawn.body.consents).toEqual([{ purpose: 'prospecting_email', granted: false, source: 'email', at: '2026-09-01T08:00:00.000Z' }]);
    expect(await canProspect(subjectId, 'email')).toMatchObject({ allowed: false, rule: 'PRV-05' });
    const history = await request(t.http).get(`/audit/streams/consents-${subjectId}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['ConsentGiven', 'ConsentWithdrawn']);

    const before = await eventCount();
    const again = await request(t.http).post(`/privacy/subjects/${subjectId}/consents/prospecting_email/withdraw`).set('X-API-Key', KEYS.support).send({ source: 'email' }).expect(422);
    expect(again.body).toMatchObject({ code: 'consent_not_given', errors: [{ field: 'purpose', rule: 'PRV-05' }] });
    const unknown = await request(t.http).post(`/privacy/subjects/${subjectId}/consents/telepathy/withdraw`).set('X-API-Key', KEYS.support).send({ source: 'email' }).expect(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'purpose', rule: 'PRV-05' })]);
    const invalid = await request(t.http).post(`/privacy/subjects/${subjectId}/consents`).set('X-API-Key', KEYS.system).send({ purpose: 'spam', source: 'rumour' }).expect(400);
    expect(invalid.body.errors.map((e: { field: string; rule: string }) => [e.field, e.rule])).toEqual([
      ['purpose', 'PRV-05'],
      ['source', 'PRV-05'],
    ]);
    await request(t.http).post(`/privacy/subjects/${subjectId}/consents`).set('X-API-Key', KEYS.auditor).send({ purpose: 'newsletter', source: 'portal' }).expect(403);
    expect(await eventCount()).toBe(before);

    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.system)
      .send({ query: `mutation { giveConsent(subjectId: "${subjectId}", input: { purpose: "prospecting_sms", source: "portal" }) { consents { purpose granted source } } }` })
      .expect(200);
    expect(gql.body.data.giveConsent.consents).toContainEqual({ purpose: 'prospecting_sms', granted: true, source: 'portal' });
  });

  it('PRV-06 directory listing: unlisted, address hidden or no direct marketing, free of charge, and respected', async () => {
    await travelTo(t, '2026-04-01T08:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    await request(t.http).post(`/privacy/subjects/${subjectId}/consents`).set('X-API-Key', KEYS.system).send({ purpose: 'prospecting_sms', source: 'portal' }).expect(201);
    const res = await request(t.http)
      .put(`/privacy/subjects/${subjectId}/directory`)
      .set('X-API-Key', KEYS.support)
      .send({ listed: true, hideFullAddress: true, noMarketingUse: true, source: 'phone' })
      .expect(200);
    expect(res.body.directory).toEqual({ listed: true, hideFullAddress: true, noMarketingUse: true, source: 'phone', at: '2026-04-01T08:00:00.000Z' });
    const events = await request(t.http).get(`/audit/streams/consents-${subjectId}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(events.body.events[1]).toMatchObject({ type: 'DirectoryPreferencesChanged', data: { charge: '0.00' } });
    // "No direct marketing" overrides even a consent.
    expect(await canProspect(subjectId, 'sms')).toMatchObject({ allowed: false, rule: 'PRV-06' });
    expect(await canProspect(subjectId, 'post')).toMatchObject({ allowed: false, rule: 'PRV-06' });
    // Unlisted ("liste rouge"); an unlisted subject has no address to hide.
    const bad = await request(t.http).put(`/privacy/subjects/${subjectId}/directory`).set('X-API-Key', KEYS.support).send({ listed: false, hideFullAddress: true, noMarketingUse: false, source: 'post' }).expect(422);
    expect(bad.body).toMatchObject({ code: 'not_listed', errors: [{ field: 'hideFullAddress', rule: 'PRV-06' }] });
    await request(t.http).put(`/privacy/subjects/${subjectId}/directory`).set('X-API-Key', KEYS.support).send({ listed: false, hideFullAddress: false, noMarketingUse: false, source: 'post' }).expect(200);
    const view = await request(t.http).get(`/privacy/subjects/${subjectId}/consents`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(view.body.directory).toMatchObject({ listed: false, noMarketingUse: false, source: 'post' });
    expect(await canProspect(subjectId, 'sms')).toMatchObject({ allowed: true });
    const missing = await request(t.http).put(`/privacy/subjects/${subjectId}/directory`).set('X-API-Key', KEYS.support).send({ listed: 'no' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['listed', 'hideFullAddress', 'noMarketingUse', 'source']));
  });
});

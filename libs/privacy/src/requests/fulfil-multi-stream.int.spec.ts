import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DomainError } from '@oksio/kernel';
import { PiiVault } from '../crypto/pii-vault';
import { travelTo } from '../testing/helpers';
import { KEYS, startTestApp, type TestApp } from '../../../../test/support/app';
import { requestDecider } from './request.decider';
import { dataSubjectDecider } from '../retention/data-subject.decider';
import { registration, usePasswordCost } from '../testing/portal';

/**
 * Issue 18 item 4 in the Privacy context: fulfilling a data-subject request exercises the right on
 * the subject's stream and answers the request on its own stream — one multi-stream command. A
 * request that cannot be answered (here: closed at the last moment, simulated by the request
 * decider refusing) leaves the subject's data as it was: no erasure event, no key destroyed. The
 * same for a portal registration and its holder's contract fact.
 */
describe('issue 18 item 4 — privacy commands over several streams write all or nothing', () => {
  let t: TestApp;
  const totals = async (streams: string[]) =>
    (await t.runtime.pool.query('SELECT count(*)::int AS n FROM es_events WHERE stream_id = ANY($1)', [streams])).rows[0].n as number;

  beforeAll(async () => {
    t = await startTestApp();
    await usePasswordCost(t, 4);
    await travelTo(t, '2026-02-02T09:00:00Z');
  });
  afterAll(async () => t?.close());

  it('an erasure whose answer is refused writes nothing and destroys no key; fulfilled afterwards, both land', async () => {
    const subjectId = `contact-${randomUUID()}`;
    await request(t.http).post(`/privacy/subjects/${subjectId}/facts`).set('X-API-Key', KEYS.system).send({ kind: 'data_collected', category: 'marketing', source: 'web-form' }).expect(201);
    const vault = t.app.get(PiiVault);
    const sealed = await vault.protect(subjectId, 'marketing', { segment: 'SME' });
    const { requestId } = (await request(t.http).post('/privacy/requests').set('X-API-Key', KEYS.system).send({ subjectId, type: 'erasure', channel: 'email', categories: ['marketing'] }).expect(201)).body;
    const streams = [`datasubject-${subjectId}`, `dsr-${requestId}`];
    const before = await totals(streams);
    const commandsBefore = (await t.runtime.pool.query('SELECT count(*)::int AS n FROM es_commands')).rows[0].n;

    const decide = requestDecider.decide;
    const closedMeanwhile = jest.spyOn(requestDecider, 'decide').mockImplementation((command, state, now) => {
      if (command.type === 'FulfilRequest') throw new DomainError('request_closed', 'The request was answered meanwhile', 'PRV-04', 'requestId');
      return decide(command, state, now);
    });
    try {
      await request(t.http).post(`/privacy/requests/${requestId}/fulfil`).set('X-API-Key', KEYS.support).send({}).expect(422);
    } finally {
      closedMeanwhile.mockRestore();
    }
    expect(await totals(streams)).toBe(before);
    expect((await t.runtime.pool.query('SELECT count(*)::int AS n FROM es_commands')).rows[0].n).toBe(commandsBefore);
    expect(await vault.reveal(sealed)).toEqual({ segment: 'SME' });

    const done = await request(t.http).post(`/privacy/requests/${requestId}/fulfil`).set('X-API-Key', KEYS.support).send({}).expect(200);
    expect(done.body.outcome).toMatchObject({ type: 'erasure', erased: ['marketing'] });
    const types = (await t.runtime.pool.query('SELECT stream_id, type FROM es_events WHERE stream_id = ANY($1) ORDER BY global_position', [streams])).rows.map(
      (r: { stream_id: string; type: string }) => `${r.stream_id.split('-')[0]}:${r.type}`,
    );
    expect(types).toEqual(expect.arrayContaining(['datasubject:PersonalDataPurged', 'dsr:DataSubjectRequestFulfilled']));
    expect(await vault.reveal(sealed)).toEqual({ $erased: true, category: 'marketing' });
  });

  it('a portal registration whose holder contract fact is refused opens no account and keeps no login', async () => {
    await travelTo(t, '2026-03-02T09:00:00Z'); // the terms of use of 2026-02-10 are in force
    const body = registration();
    const before = (await t.runtime.pool.query('SELECT count(*)::int AS n FROM es_events')).rows[0].n;
    const decide = dataSubjectDecider.decide;
    const refused = jest.spyOn(dataSubjectDecider, 'decide').mockImplementation((command, state, now) => {
      if (command.type === 'RecordFact') throw new DomainError('fact_refused', 'refused for the test', 'PRV-02', 'fact');
      return decide(command, state, now);
    });
    try {
      await request(t.http).post('/portal/registrations').set('X-API-Key', KEYS.system).send(body).expect(422);
    } finally {
      refused.mockRestore();
    }
    expect((await t.runtime.pool.query('SELECT count(*)::int AS n FROM es_events')).rows[0].n).toBe(before);
    expect((await t.runtime.pool.query('SELECT count(*)::int AS n FROM portal_credentials WHERE lower(login) = lower($1)', [body.email])).rows[0].n).toBe(0);
    // Unrefused, the account and its holder's contract fact land together, the fact caused by the registration.
    const { accountId, userId } = (await request(t.http).post('/portal/registrations').set('X-API-Key', KEYS.system).send(body).expect(201)).body;
    const account = (await t.runtime.pool.query('SELECT metadata FROM es_events WHERE stream_id = $1', [`portalaccount-${accountId}`])).rows[0].metadata;
    const fact = (await t.runtime.pool.query(`SELECT metadata FROM es_events WHERE stream_id LIKE 'datasubject-%' AND stream_id LIKE $1`, [`%${userId}`])).rows;
    expect(fact).toHaveLength(1);
    expect(fact[0].metadata.causationId).toBe(account.commandId);
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { travelTo } from '../../libs/privacy/src/testing/helpers';
import { KEYS, startTestApp, type TestApp } from '../support/app';
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
  runFreeTextScenario,
} from '../support/erasure-scenario';

/**
 * Hostile side of issue 18 item 7: a client tries to put personal data where the vault cannot
 * shred it — in X-Correlation-Id (kept in clear by design), or in a free-text field shaped like an
 * already sealed value (which the sealer would keep as it is) — and the erasure grep runs on a
 * person whose name is not plain ASCII (percent-encoded in X-Reason, compared case-insensitively).
 */
describe('hostile input: personal data outside the vault (issue 18 item 7, erasure grep)', () => {
  let t: TestApp;
  const logger = new CapturedLogger();
  let output: ReturnType<typeof captureProcessOutput>;
  const count = async () => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);

  beforeAll(async () => {
    output = captureProcessOutput();
    t = await startTestApp({}, { logger });
    await travelTo(t, '2026-05-04T08:00:00Z');
  });
  afterAll(async () => {
    output?.stop();
    await t?.close();
  });

  it('personal data smuggled into X-Correlation-Id is refused (400 naming the header), on every shape, and writes nothing', async () => {
    const body = {
      companyName: 'Smuggling Attempts SA',
      siret: '73282932000074',
      billingAddress: { line1: '1 rue du Port', postalCode: '13002', city: 'Marseille', country: 'FR' },
      contacts: [{ contactId: randomUUID(), role: 'signatory', authorisedForSupport: true, name: 'Contact', email: 'contact@example.com', phone: '0600000000' }],
    };
    const smuggled = ['zoe@example.org', 'zoe%40example.org', 'Zo%C3%AB%20%C3%98rsted', 'mailto:zoe@example.org', 'Zoe Orsted', '../../etc', 'x'.repeat(200), '%', '{"$pii":1}'];
    const before = await count();
    for (const value of smuggled) {
      const res = await request(t.http).post('/customers').set('X-API-Key', KEYS.system).set('X-Correlation-Id', value).send(body);
      expect({ value, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({ value, status: 400, field: 'X-Correlation-Id' });
    }
    expect(await count()).toBe(before);
  });

  it('a free-text field shaped like a sealed value is refused: the client cannot bypass the sealing', async () => {
    const fake = { $pii: 1, subject: 'customer-x', category: 'communications', keyId: randomUUID(), iv: 'AAAA', ct: 'AAAA', tag: 'AAAA' };
    const before = await count();
    const res = await request(t.http)
      .post(`/tickets/${randomUUID()}/reopen`)
      .set('X-API-Key', KEYS.support)
      .send({ requestedByContactId: randomUUID(), reason: fake });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
    expect(await count()).toBe(before);
  });

  it('erasure grep: a person with a non-ASCII name, in every free-text place and X-Reason, is found nowhere after the erasure', async () => {
    const tag = randomUUID().slice(0, 6);
    const s = personSentinels(tag, { name: `Zoë Ørsted-Łukasiewicz ${tag}` });
    const ids = await runFreeTextScenario(t, s);
    await eraseSubjects(t, ids, s);
    expect(leaks(await everyTableAsText(t), s)).toEqual([]);
    expect(leaks(await everyTableOpened(t), s)).toEqual([]);
    expect(leaks(await apiViews(t, ids), s)).toEqual([]);
    expect(leaks((await eventsExport(t)).haystacks, s)).toEqual([]);
    expect(leaks(new Map([['nest logger', logger.lines.join('\n')], ['process output', output.text()]]), s)).toEqual([]);
  });
});

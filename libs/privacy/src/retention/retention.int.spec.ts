import { randomUUID } from 'node:crypto';
import { PiiVault } from '../crypto/pii-vault';
import { isEncryptedPii } from '../crypto/pii';
import { RetentionService } from './retention.service';
import request from 'supertest';
import { runDueActions, travelTo } from '../testing/helpers';
import { KEYS, settle, startTestApp, type TestApp, requestEventCount } from '../../../../test/support/app';

describe('Retention: policies as data, scheduled purges, restricted archive (PRV-01, PRV-02, PRV-03)', () => {
  let t: TestApp;
  const eventCount = () => requestEventCount(t);
  const at = (instant: string) => travelTo(t, instant);
  const tick = () => runDueActions(t);
  const fact = (subjectId: string, body: Record<string, unknown>, key: string = KEYS.system) =>
    request(t.http).post(`/privacy/subjects/${subjectId}/facts`).set('X-API-Key', key).send(body);
  const subjectEvents = async (subjectId: string) =>
    (await request(t.http).get(`/audit/streams/datasubject-${subjectId}/events`).set('X-API-Key', KEYS.auditor).expect(200)).body.events as Array<{
      type: string;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }>;
  const retention = async (subjectId: string) => {
    const res = await request(t.http).get(`/privacy/subjects/${subjectId}/retention`).set('X-API-Key', KEYS.support).expect(200);
    return Object.fromEntries(res.body.categories.map((c: { category: string }) => [c.category, c])) as Record<string, Record<string, unknown>>;
  };
  const registerCustomer = async () => {
    const contactId = randomUUID();
    const res = await request(t.http)
      .post('/customers')
      .set('X-API-Key', KEYS.system)
      .send({
        companyName: 'Boulangerie Martin SARL',
        siret: '73282932000074',
        billingAddress: { line1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
        contacts: [{ contactId, role: 'signatory', authorisedForSupport: true, name: 'Jeanne Martin', email: 'jeanne@example.fr', phone: '0612345678' }],
      })
      .expect(201);
    return { customerId: res.body.customerId as string, contactId, subjectId: `contact-${contactId}` };
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('PRV-01 every personal-data category has a legal basis and a configurable retention policy', async () => {
    const res = await request(t.http).get('/privacy/retention-policies').set('X-API-Key', KEYS.auditor).expect(200);
    expect(res.body.map((p: { category: string }) => p.category)).toEqual([
      'identity_contact', 'contract', 'communications', 'connection', 'financial', 'bank_details', 'satisfaction', 'marketing', 'hosted_pbx',
    ]);
    for (const p of res.body) expect(p.legalBasis.length).toBeGreaterThan(0);
    expect(res.body.find((p: { category: string }) => p.category === 'identity_contact')).toMatchObject({ anchor: 'relationship_end', activePeriod: 'P5Y', rule: 'PRV-02' });
    const holds = await request(t.http).get('/privacy/legal-holds').set('X-API-Key', KEYS.auditor).expect(200);
    expect(holds.body).toEqual([expect.objectContaining({ kind: 'invoice', period: 'P10Y' })]);
  });

  it('PRV-02 identity data is purged 5 years after the relationship ends: keys shredded, read model redacted, hash chain intact', async () => {
    await at('2026-01-05T09:00:00Z');
    const { customerId, subjectId } = await registerCustomer();
    await fact(subjectId, { kind: 'contract_started', contractId: 'K-1', service: 'DATA', occurredAt: '2026-01-05T09:00:00Z' }).expect(201);
    await at('2026-06-30T16:00:00Z');
    await fact(subjectId, { kind: 'contract_ended', contractId: 'K-1' }).expect(201);
    await settle(t);
    const due = await t.runtime.pool.query(`SELECT due_at, status FROM due_actions WHERE key = $1`, [`privacy.purge:${subjectId}:identity_contact`]);
    expect(due.rows[0]).toMatchObject({ status: 'pending', due_at: new Date('2031-06-30T16:00:00Z') });

    await at('2031-06-30T15:59:00Z');
    await tick();
    expect((await retention(subjectId)).identity_contact).toMatchObject({ phase: 'active', purgeAt: '2031-06-30T16:00:00.000Z' });
    const contact = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(contact.body.contacts[0]).toMatchObject({ name: 'Jeanne Martin', erased: false });

    await at('2031-06-30T16:01:00Z');
    await tick();
    const purged = (await subjectEvents(subjectId)).filter((e) => e.type === 'PersonalDataPurged');
    const identity = purged.find((e) => (e.data.categories as string[]).includes('identity_contact'))!;
    expect(identity.data).toMatchObject({ subjectId, categories: ['identity_contact'], reason: 'retention', requestId: null });
    expect(identity.metadata).toMatchObject({ actor: { id: 'privacy-retention', role: 'system' } });
    expect(JSON.stringify(purged)).not.toMatch(/Jeanne|jeanne@example|0612345678/);
    expect((await retention(subjectId)).identity_contact).toMatchObject({ phase: 'purged' });
    // Read model redacted, events unchanged (still ciphertext) and unreadable, chain verifies.
    const after = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(after.body.contacts[0]).toMatchObject({ name: null, email: null, phone: null, erased: true });
    const stream = await request(t.http).get(`/audit/streams/customer-${customerId}/events`).set('X-API-Key', KEYS.auditor).expect(200);
    const details = stream.body.events.find((e: { type: string }) => e.type === 'CustomerContactAdded').data.details;
    expect(isEncryptedPii(details)).toBe(true);
    expect(await t.app.get(PiiVault).reveal(details)).toEqual({ $erased: true, category: 'identity_contact' });
    await request(t.http).get(`/audit/streams/customer-${customerId}/verify`).set('X-API-Key', KEYS.auditor).expect(200).expect((r) => expect(r.body.valid).toBe(true));
    // A rebuild of the customers projection replays the events: the contact stays erased.
    await request(t.http).post('/admin/projections/customers/rebuild').set('X-API-Key', KEYS.admin).expect((r) => expect(r.status).toBeLessThan(300));
    await settle(t);
    const rebuilt = await request(t.http).get(`/customers/${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(rebuilt.body.contacts[0]).toMatchObject({ name: null, erased: true });
    // Export view: the erased datum shows as erased.
    const view = await request(t.http).get(`/privacy/subjects/${subjectId}/data`).set('X-API-Key', KEYS.support).expect(200);
    expect(view.body.data.records[0].data).toMatchObject({ name: null, erased: true });
    expect(JSON.stringify(view.body.data.events)).toContain('"$erased":true');
    expect(JSON.stringify(view.body)).not.toContain('Jeanne');
  });

  it('PRV-02 a rerun of a purge with the same command id writes nothing twice', async () => {
    await at('2026-02-01T00:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    await fact(subjectId, { kind: 'data_collected', category: 'satisfaction', source: 'survey' }).expect(201);
    await settle(t);
    await at('2029-02-01T00:00:01Z');
    const row = (await t.runtime.pool.query(`SELECT * FROM due_actions WHERE key = $1`, [`privacy.purge:${subjectId}:satisfaction`])).rows[0];
    const action = { key: row.key, kind: row.kind, aggregateId: row.aggregate_id, dueAt: row.due_at, payload: row.payload, commandId: row.command_id, attempts: 0 };
    await t.app.get(RetentionService).purgeDue(action);
    const before = await eventCount();
    await t.app.get(RetentionService).purgeDue(action);
    await tick();
    expect(await eventCount()).toBe(before);
    expect((await subjectEvents(subjectId)).filter((e) => e.type === 'PersonalDataPurged')).toHaveLength(1);
  });

  it('PRV-02 marketing-relationship data is kept until the contract ends, then purged', async () => {
    await at('2026-03-01T00:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    const vault = t.app.get(PiiVault);
    const interests = await vault.protect(subjectId, 'marketing', { interests: ['fibre'] });
    await fact(subjectId, { kind: 'contract_started', contractId: 'M-1', service: 'MOBILE' }).expect(201);
    await tick();
    expect(await vault.reveal(interests)).toEqual({ interests: ['fibre'] });
    await at('2027-03-01T00:00:00Z');
    await fact(subjectId, { kind: 'contract_ended', contractId: 'M-1' }).expect(201);
    await tick();
    expect(await vault.reveal(interests)).toEqual({ $erased: true, category: 'marketing' });
    const r = await retention(subjectId);
    expect(r.marketing.phase).toBe('purged');
    expect(r.identity_contact).toMatchObject({ phase: 'active', purgeAt: '2032-03-01T00:00:00.000Z' });
  });

  it('PRV-02 communications are purged 3 years after they were made; legitimate-interest data 3 years from collection', async () => {
    await at('2026-04-01T00:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    const vault = t.app.get(PiiVault);
    const complaint = await vault.protect(subjectId, 'communications', 'My line is down');
    await fact(subjectId, { kind: 'data_collected', category: 'communications', source: 'support-ticket' }).expect(201);
    await fact(subjectId, { kind: 'data_collected', category: 'satisfaction', source: 'survey', occurredAt: '2026-03-15T00:00:00Z' }).expect(201);
    await at('2029-03-20T00:00:00Z');
    await tick();
    const r = await retention(subjectId);
    expect(r.satisfaction.phase).toBe('purged');
    expect(r.communications).toMatchObject({ phase: 'active', purgeAt: '2029-04-01T00:00:00.000Z' });
    expect(await vault.reveal(complaint)).toBe('My line is down');
    await at('2029-04-01T00:00:01Z');
    await tick();
    expect(await vault.reveal(complaint)).toEqual({ $erased: true, category: 'communications' });
  });

  it('PRV-02 payment data (not the IBAN) is purged 3 years after receipt, later while an unpaid debt is handled', async () => {
    await at('2026-01-10T09:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    const vault = t.app.get(PiiVault);
    const payment = await vault.protect(subjectId, 'financial', { amount: '120.00', paidOn: '2026-01-10' });
    const iban = await vault.protect(subjectId, 'bank_details', 'FR7630006000011234567890189');
    await fact(subjectId, { kind: 'contract_started', contractId: 'D-1', service: 'DATA' }).expect(201);
    await fact(subjectId, { kind: 'data_collected', category: 'financial', source: 'sepa-debit' }).expect(201);
    await at('2028-06-01T00:00:00Z');
    await fact(subjectId, { kind: 'unpaid_debt_opened', debtId: 'DEBT-7' }).expect(201);
    await at('2029-02-01T00:00:00Z');
    await tick();
    expect((await retention(subjectId)).financial).toMatchObject({ phase: 'archived', debtOpen: true, purgeAt: null });
    expect(await vault.reveal(payment)).toEqual({ amount: '120.00', paidOn: '2026-01-10' });
    await at('2029-03-01T00:00:00Z');
    await fact(subjectId, { kind: 'unpaid_debt_settled', debtId: 'DEBT-7' }).expect(201);
    await tick();
    expect(await vault.reveal(payment)).toEqual({ $erased: true, category: 'financial' });
    // The IBAN follows its own rule (until the relationship ends): still there.
    expect(await vault.reveal(iban)).toBe('FR7630006000011234567890189');
    expect((await retention(subjectId)).bank_details.phase).toBe('active');
  });

  it('PRV-02 invoices (10 years) keep identity data in the restricted archive: admin/auditor only, with a reason, each read recorded', async () => {
    await at('2026-01-01T00:00:00Z');
    const { subjectId } = await registerCustomer();
    await fact(subjectId, { kind: 'contract_started', contractId: 'K-9', service: 'FIXED_SIP' }).expect(201);
    await at('2026-06-30T00:00:00Z');
    await fact(subjectId, { kind: 'contract_ended', contractId: 'K-9' }).expect(201);
    await at('2026-07-05T00:00:00Z');
    await fact(subjectId, { kind: 'invoice_issued', reference: 'F-2026-0042' }).expect(201);
    await at('2032-01-01T00:00:00Z');
    await tick();
    expect((await retention(subjectId)).identity_contact).toMatchObject({ phase: 'archived', holdUntil: '2036-07-05T00:00:00.000Z', purgeAt: '2036-07-05T00:00:00.000Z' });
    // Daily views mask archived data.
    const view = await request(t.http).get(`/privacy/subjects/${subjectId}/data`).set('X-API-Key', KEYS.support).expect(200);
    expect(view.body.masked).toContain('identity_contact');
    expect(JSON.stringify(view.body)).not.toContain('Jeanne');
    // The archive: support is refused, a reason is required, nothing is written when refused.
    const before = await eventCount();
    await request(t.http).get(`/privacy/subjects/${subjectId}/archive`).set('X-API-Key', KEYS.support).set('X-Reason', 'curious').expect(403);
    const noReason = await request(t.http).get(`/privacy/subjects/${subjectId}/archive`).set('X-API-Key', KEYS.auditor).expect(400);
    expect(noReason.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(noReason.body).toMatchObject({ code: 'reason_required', errors: [{ field: 'X-Reason', rule: 'PRV-02' }] });
    const notArchived = await request(t.http)
      .get(`/privacy/subjects/${subjectId}/archive?categories=communications`)
      .set('X-API-Key', KEYS.auditor)
      .set('X-Reason', 'dispute')
      .expect(422);
    expect(notArchived.body).toMatchObject({ code: 'not_archived', errors: [{ field: 'categories', rule: 'PRV-02' }] });
    expect(await eventCount()).toBe(before);
    const read = await request(t.http)
      .get(`/privacy/subjects/${subjectId}/archive?categories=identity_contact`)
      .set('X-API-Key', KEYS.auditor)
      .set('X-Reason', 'Invoice dispute F-2026-0042')
      .expect(200);
    expect(read.body.data.records[0].data).toMatchObject({ name: 'Jeanne Martin', email: 'jeanne@example.fr' });
    const accessed = (await subjectEvents(subjectId)).find((e) => e.type === 'ArchivedDataAccessed')!;
    expect(accessed.data).toMatchObject({ subjectId, categories: ['identity_contact'], actor: { id: 'dev-auditor', role: 'auditor' } });
    // The reason is free text (issue 18 item 7): recorded sealed for the subject.
    expect(accessed.data.reason).toMatchObject({ $pii: 1, subject: subjectId, category: 'communications' });
    expect(await t.app.get(PiiVault).reveal(accessed.data.reason as never)).toBe('Invoice dispute F-2026-0042');
    // The hold ends: purged.
    await at('2036-07-05T00:00:01Z');
    await tick();
    expect((await retention(subjectId)).identity_contact.phase).toBe('purged');
    await request(t.http).get(`/privacy/subjects/${subjectId}/archive?categories=identity_contact`).set('X-API-Key', KEYS.admin).set('X-Reason', 'again').expect(422);
  });

  it('PRV-03 hosted PBX customer data is destroyed 12 months after the PBX contract ends, whatever other contracts do', async () => {
    await at('2026-01-01T00:00:00Z');
    const subjectId = `customer-${randomUUID()}`;
    const vault = t.app.get(PiiVault);
    const file = await vault.protect(subjectId, 'hosted_pbx', { extension: '201', voicemail: 'Bonjour…' });
    await fact(subjectId, { kind: 'contract_started', contractId: 'PBX-1', service: 'HOSTED_PBX' }).expect(201);
    await fact(subjectId, { kind: 'contract_started', contractId: 'DATA-1', service: 'DATA' }).expect(201);
    await at('2027-01-31T00:00:00Z');
    await fact(subjectId, { kind: 'contract_ended', contractId: 'PBX-1' }).expect(201);
    await at('2028-01-30T00:00:00Z');
    await tick();
    expect(await vault.reveal(file)).toMatchObject({ extension: '201' });
    await at('2028-01-31T00:00:01Z');
    await tick();
    expect(await vault.reveal(file)).toEqual({ $erased: true, category: 'hosted_pbx' });
    const purged = (await subjectEvents(subjectId)).find((e) => e.type === 'PersonalDataPurged')!;
    expect(purged.data).toMatchObject({ categories: ['hosted_pbx'], basis: [{ category: 'hosted_pbx', rule: 'PRV-03' }] });
  });

  it('PRV-02 periods are configurable per category: a changed policy is an audited event and reschedules every purge', async () => {
    await at('2026-05-01T00:00:00Z');
    const subjectId = `contact-${randomUUID()}`;
    await fact(subjectId, { kind: 'data_collected', category: 'communications', source: 'email' }).expect(201);
    await settle(t);
    const dueOf = async () => (await t.runtime.pool.query(`SELECT due_at FROM due_actions WHERE key = $1`, [`privacy.purge:${subjectId}:communications`])).rows[0].due_at;
    expect(await dueOf()).toEqual(new Date('2029-05-01T00:00:00Z'));
    const body = { legalBasis: ['contract', 'legitimate_interest'], anchor: 'last_collection', activePeriod: 'P2Y', extendWhileUnpaidDebt: false, description: 'Communications: 2 years' };
    await request(t.http).put('/privacy/retention-policies/communications').set('X-API-Key', KEYS.support).send(body).expect(403);
    const bad = await request(t.http).put('/privacy/retention-policies/communications').set('X-API-Key', KEYS.admin).send({ ...body, activePeriod: '2 years', anchor: 'whenever' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['activePeriod', 'anchor']));
    const noService = await request(t.http).put('/privacy/retention-policies/communications').set('X-API-Key', KEYS.admin).send({ ...body, anchor: 'service_contract_end' }).expect(422);
    expect(noService.body).toMatchObject({ code: 'service_required', errors: [{ field: 'service', rule: 'PRV-02' }] });
    await request(t.http).put('/privacy/retention-policies/unknown').set('X-API-Key', KEYS.admin).send(body).expect(404);
    await request(t.http).put('/privacy/retention-policies/communications').set('X-API-Key', KEYS.admin).send(body).expect(200);
    await settle(t);
    expect(await dueOf()).toEqual(new Date('2028-05-01T00:00:00Z'));
    const audit = await request(t.http).get('/audit/streams/retentionpolicy-communications/events').set('X-API-Key', KEYS.auditor).expect(200);
    expect(audit.body.events[0]).toMatchObject({ type: 'RetentionPolicyChanged', data: { activePeriod: 'P2Y' }, metadata: { actor: { role: 'admin' } } });
    // GraphQL reads the same policies.
    const gql = await request(t.http).post('/graphql').set('X-API-Key', KEYS.auditor).send({ query: '{ retentionPolicies { category activePeriod } }' }).expect(200);
    expect(gql.body.data.retentionPolicies).toContainEqual({ category: 'communications', activePeriod: 'P2Y' });
    await request(t.http).put('/privacy/retention-policies/communications').set('X-API-Key', KEYS.admin).send({ ...body, activePeriod: 'P3Y', description: 'Requests, complaints, answers, account messages: 3 years after they were made' }).expect(200);
  });

  it('the privacy and portal endpoints are documented in the OpenAPI document', async () => {
    const doc = await request(t.http).get('/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/privacy/subjects/{subjectId}/facts',
        '/privacy/subjects/{subjectId}/archive',
        '/privacy/retention-policies/{category}',
        '/privacy/requests/{requestId}/export',
        '/privacy/subjects/{subjectId}/can-prospect',
        '/portal/registrations',
        '/portal/me/pbx/files/{fileId}',
      ]),
    );
  });

  it('bad facts → 400/404/422 problem+json naming the field and rule, nothing written', async () => {
    await at('2026-01-01T00:00:00Z');
    const before = await eventCount();
    const subjectId = `contact-${randomUUID()}`;
    const invalid = await fact(subjectId, { kind: 'born', colour: 'red' }).expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['kind', 'colour']));
    const missing = await fact(subjectId, { kind: 'contract_started', contractId: 'K-1', service: 'TV' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['service']);
    await request(t.http).post('/privacy/subjects/Not A Subject/facts').set('X-API-Key', KEYS.system).send({ kind: 'invoice_issued', reference: 'F-1' }).expect(400);
    const future = await fact(subjectId, { kind: 'data_collected', category: 'communications', source: 'x', occurredAt: '2027-01-01T00:00:00Z' }).expect(422);
    expect(future.body).toMatchObject({ code: 'fact_in_future', errors: [{ field: 'occurredAt', rule: 'PRV-02' }] });
    const unknown = await fact(subjectId, { kind: 'contract_ended', contractId: 'nope' }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_contract', errors: [{ field: 'contractId' }] });
    await fact(subjectId, { kind: 'invoice_issued', reference: 'F-1' }, KEYS.auditor).expect(403);
    await request(t.http).get(`/privacy/subjects/${subjectId}/retention`).set('X-API-Key', KEYS.support).expect(404);
    expect(await eventCount()).toBe(before);
    // GraphQL: same validation.
    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.system)
      .send({ query: `mutation { recordSubjectFact(subjectId: "${subjectId}", input: { kind: "invoice_issued" }) { recorded } }` })
      .expect(200);
    expect(gql.body.errors[0].extensions).toMatchObject({ code: 'validation_failed', status: 400, errors: [{ field: 'reference' }] });
  });

  it('PRV-02 PRV-03 purges due across every subject, oldest first: none left once the scheduler has run, upcoming ones with a future bound, by category; bad filters → 400', async () => {
    await at('2026-01-05T09:00:00Z');
    const first = await registerCustomer();
    const second = await registerCustomer();
    for (const s of [first, second]) await fact(s.subjectId, { kind: 'contract_started', contractId: 'K-9', service: 'DATA', occurredAt: '2026-01-05T09:00:00Z' }).expect(201);
    await at('2026-03-31T10:00:00Z');
    await fact(second.subjectId, { kind: 'contract_ended', contractId: 'K-9' }).expect(201);
    await at('2026-04-30T10:00:00Z');
    await fact(first.subjectId, { kind: 'contract_ended', contractId: 'K-9' }).expect(201);
    await settle(t);
    const purges = async (query: string, key: string = KEYS.auditor) => (await request(t.http).get(`/privacy/purges${query}`).set('X-API-Key', key).expect(200)).body;
    const mine = (body: { purges: Array<{ subjectId: string; category: string; purgeAt: string; overdue: boolean }> }) =>
      body.purges.filter((p) => p.subjectId === first.subjectId || p.subjectId === second.subjectId);

    // Data kept "until the contract ends" fell due at once and was purged by the scheduler.
    await tick();
    expect(mine(await purges(''))).toEqual([]);
    // By mid-2031 both identity purges are due, the earlier contract end first.
    const coming = await purges('?until=2031-06-01T00:00:00Z&category=identity_contact&limit=200');
    expect(coming).toMatchObject({ asOf: '2026-04-30T10:00:00.000Z', until: '2031-06-01T00:00:00.000Z' });
    expect(mine(coming).map((p) => [p.subjectId, p.purgeAt, p.overdue])).toEqual([
      [second.subjectId, '2031-03-31T10:00:00.000Z', false],
      [first.subjectId, '2031-04-30T10:00:00.000Z', false],
    ]);
    expect(coming.purges.every((p: { category: string }) => p.category === 'identity_contact')).toBe(true);
    expect(coming.total).toBeGreaterThanOrEqual(2);
    // Past the first date (the scheduler has run): that purge is done and no longer listed; the second is still coming.
    await at('2031-04-01T00:00:00Z');
    expect(mine(await purges('?category=identity_contact&limit=200'))).toEqual([]);
    expect(mine(await purges('?until=2031-06-01T00:00:00Z&category=identity_contact')).map((p) => p.subjectId)).toEqual([first.subjectId]);
    // GraphQL answers from the same service.
    const gql = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.support)
      .send({ query: '{ purgesDue(until: "2031-06-01T00:00:00Z", category: "identity_contact", limit: 200) { total purges { subjectId purgeAt overdue } } }' })
      .expect(200);
    expect(gql.body.data.purgesDue.purges.filter((p: { subjectId: string }) => p.subjectId === first.subjectId)).toEqual([
      { subjectId: first.subjectId, purgeAt: '2031-04-30T10:00:00.000Z', overdue: false },
    ]);
    // Bad filters name the field.
    const badUntil = await request(t.http).get('/privacy/purges?until=next-year').set('X-API-Key', KEYS.auditor).expect(400);
    expect(badUntil.body).toMatchObject({ code: 'invalid_date', errors: [{ field: 'until', rule: 'PRV-02' }] });
    const badCategory = await request(t.http).get('/privacy/purges?category=shoe_size').set('X-API-Key', KEYS.auditor).expect(400);
    expect(badCategory.body.errors[0]).toMatchObject({ field: 'category', rule: 'PRV-01' });
    for (const limit of ['0', '201', 'ten']) await request(t.http).get(`/privacy/purges?limit=${limit}`).set('X-API-Key', KEYS.auditor).expect(400);
  });
});

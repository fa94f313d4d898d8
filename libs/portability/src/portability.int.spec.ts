import request from 'supertest';
import { newId } from '@oksio/kernel';
import type { CommandContext } from '@oksio/platform';
import { subscriptionDecider, subscriptionStream, type SubscriptionCommand } from '@oksio/subscription';
import { KEYS, settle, startTestApp, type TestApp, requestEventCount } from '../../../test/support/app';
import { issueRio, numberStream } from './domain';

/** A valid ICCID (89…, Luhn) from a 18-digit body. */
function iccid(body18: string): string {
  const digits = `89${body18}`.slice(0, 18);
  for (let check = 0; check <= 9; check++) {
    const s = digits + check;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let d = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

const donorRio = (national: string) => issueRio('02', `donor-contract-${national}`, national);
const SIGNED = '2026-03-02';
const SUB_IN = newId();
const SUB_OUT = newId();
const CUST = newId();
const at = (date: string, time = '10:00:00') => new Date(`${date}T${time}Z`);

describe('Portability API (REST + GraphQL, number registry, scheduler)', () => {
  let t: TestApp;
  const eventCount = () => requestEventCount(t);
  const streamTypes = async (streamId: string) =>
    (await t.runtime.pool.query('SELECT type FROM es_events WHERE stream_id = $1 ORDER BY revision', [streamId])).rows.map((r: { type: string }) => r.type);
  const streamData = async (streamId: string, type: string) =>
    (await t.runtime.pool.query('SELECT data FROM es_events WHERE stream_id = $1 AND type = $2 ORDER BY revision', [streamId, type])).rows.map((r: { data: any }) => r.data);
  const setClock = (instant: string) => request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant }).expect(200);
  const api = () => request(t.http);
  const ctx = (): CommandContext => ({ actor: { id: 'test-setup', role: 'system' }, correlationId: newId(), causationId: null, commandId: newId(), reason: null });

  /** A MOBILE subscription set up with the Subscription domain's own commands (its REST API is built elsewhere). */
  async function mobileSubscription(subscriptionId: string, customerId: string, lines: string[], activatedOn?: string) {
    const run = (command: SubscriptionCommand, now: Date) => t.runtime.repository.execute(subscriptionDecider, subscriptionStream(subscriptionId), command, ctx(), now);
    await run({ type: 'PlaceOrder', subscriptionId, customerId, service: 'MOBILE', items: lines.map((l) => ({ itemId: l, label: l })), quoteDate: '2026-02-20', orderAmount: '100.00' }, at('2026-02-20'));
    await run({ type: 'RecordFeasibilityResult', feasible: true, studyReference: 'EF-1' }, at('2026-02-25'));
    await run({ type: 'SignSubscription', signedOn: SIGNED }, at(SIGNED));
    if (activatedOn) for (const lineId of lines) await run({ type: 'ActivateMobileLine', lineId, simActivatedOn: activatedOn }, at(activatedOn));
  }

  const inbound = (subscriptionId: string, lineId: string, msisdn: string, over: Record<string, unknown> = {}) => ({
    customerId: CUST,
    subscriptionId,
    lineId,
    msisdn,
    rio: donorRio(msisdn.replace(/\s/g, '')),
    holder: { kind: 'customer' },
    simNumber: iccid(`33150319${lineId.replace(/\D/g, '').padStart(10, '0')}`),
    ...over,
  });
  const post = (path: string, body: unknown, key: string = KEYS.support) => api().post(path).set('X-API-Key', key).send(body as object);
  const documents = async (portingId: string, kinds: string[], receivedOn?: string) => {
    for (const kind of kinds) await post(`/porting/${portingId}/documents`, { kind, documentId: `${kind}-${portingId}`, ...(receivedOn ? { receivedOn } : {}) }).expect(200);
  };
  const ALL_PLAIN = ['previous_contracts', 'last_three_invoices', 'signed_termination_letters', 'subscription_documents'];
  async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    t = await startTestApp();
    await setClock(`${SIGNED}T09:00:00Z`);
    await mobileSubscription(SUB_IN, CUST, ['line-1', 'line-2', 'line-3', 'line-4', 'line-5', 'line-6', 'line-7', 'line-8']);
  });
  afterAll(async () => t?.close());

  it('POR-07 a RIO with a wrong key, a wrong length, in lowercase or for a landline → 422 naming POR-07; nothing appended', async () => {
    const before = await eventCount();
    const good = donorRio('0612345601');
    const wrongKey = good.slice(0, 9) + (good[9] === 'A' ? 'B' : 'A') + good.slice(10);
    const cases: Array<[Record<string, string>, string]> = [
      [{ rio: wrongKey, msisdn: '0612345601' }, 'key_mismatch'],
      [{ rio: good.slice(0, 11), msisdn: '0612345601' }, 'invalid_length'],
      [{ rio: good.toLowerCase(), msisdn: '0612345601' }, 'lowercase'],
      [{ rio: good, msisdn: '0145678901' }, 'invalid_mobile_number'],
    ];
    for (const [body, reason] of cases) {
      const res = await post('/rio/check', body).expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'invalid_rio', errors: [{ rule: 'POR-07' }] });
      expect(res.body.errors[0].message).toContain(reason);
    }
    await post('/rio/check', { rio: good, msisdn: '06 12 34 56 01' }).expect(200);
    // The same checks at the door of a porting request: nothing is written.
    const wrong = await post('/porting', inbound(SUB_IN, 'line-1', '0612345601', { rio: wrongKey })).expect(422);
    expect(wrong.body).toMatchObject({ code: 'invalid_rio', errors: [{ field: 'rio', rule: 'POR-07' }] });
    const landline = await post('/porting', { ...inbound(SUB_IN, 'line-1', '0612345601'), msisdn: '0145678901', rio: good }).expect(422);
    expect(landline.body).toMatchObject({ code: 'invalid_mobile_number', errors: [{ field: 'msisdn', rule: 'POR-07' }] });
    const lower = await post('/porting', inbound(SUB_IN, 'line-1', '0612345601', { rio: good.toLowerCase() })).expect(422);
    expect(lower.body.errors[0]).toMatchObject({ rule: 'POR-07' });
    expect(await eventCount()).toBe(before);
  });

  it('POR-03 two concurrent porting requests for one number → exactly one accepted, the other refused 422 naming POR-03', async () => {
    const msisdn = '0612345602';
    const [a, b] = await Promise.all([post('/porting', inbound(SUB_IN, 'line-1', msisdn)), post('/porting', inbound(SUB_IN, 'line-2', msisdn))]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    const refused = a.status === 422 ? a : b;
    expect(refused.body).toMatchObject({ code: 'porting_request_already_pending', errors: [{ field: 'msisdn', rule: 'POR-03' }] });
    const accepted = a.status === 201 ? a : b;
    const requested = await t.runtime.pool.query(`SELECT count(*) FROM es_events WHERE type = 'InboundPortingRequested' AND data->>'msisdn' = '+33612345602'`);
    expect(Number(requested.rows[0].count)).toBe(1);
    expect(await streamTypes(numberStream('+33612345602'))).toEqual(['NumberReservedForPorting']);
    // A third one later is refused the same way, and nothing is appended.
    const before = await eventCount();
    const third = await post('/porting', inbound(SUB_IN, 'line-3', msisdn)).expect(422);
    expect(third.body.errors[0].rule).toBe('POR-03');
    expect(await eventCount()).toBe(before);
    await settle(t);
    const number = await api().get(`/numbers/${msisdn}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(number.body).toMatchObject({ status: 'reserved', pendingPortingId: accepted.body.portingId, pendingDirection: 'inbound' });
  });

  it('POR-01 documents complete on day 30 after signature keep the porting; a document on day 31 ends it with a new number', async () => {
    await setClock(`${SIGNED}T09:00:00Z`);
    const onTime = (await post('/porting', inbound(SUB_IN, 'line-3', '0612345603')).expect(201)).body.portingId;
    const late = (await post('/porting', inbound(SUB_IN, 'line-4', '0612345604')).expect(201)).body.portingId;
    await setClock('2026-04-01T15:00:00Z'); // day 30: 2 March + 30 days
    await documents(onTime, ALL_PLAIN);
    const done = await post(`/porting/${onTime}/porting-form`, { documentId: 'form-1', portingDate: '2026-05-15' }).expect(200);
    expect(done.body).toMatchObject({ status: 'file_complete', recorded: ['PortingFormReceived', 'PortingFileCompleted'] });
    await documents(late, ALL_PLAIN.slice(0, 3));
    await post(`/porting/${late}/porting-form`, { documentId: 'form-2', portingDate: '2026-05-15' }).expect(200);
    await setClock('2026-04-02T08:00:00Z'); // day 31
    const res = await post(`/porting/${late}/documents`, { kind: 'subscription_documents', documentId: 'sd-late' }).expect(200);
    expect(res.body.status).toBe('replaced_by_new_number');
    expect(res.body.reasons[0]).toMatchObject({ code: 'documents_missing', rule: 'POR-01' });
    await settle(t);
    const view = await api().get(`/porting/${late}`).set('X-API-Key', KEYS.support).expect(200);
    expect(view.body).toMatchObject({ queue: 'new_number', fallbackCause: 'documents_missing', fallbackRule: 'POR-01', documentsDueOn: '2026-04-01' });
    const ready = await api().get(`/porting/${onTime}`).set('X-API-Key', KEYS.support).expect(200);
    expect(ready.body).toMatchObject({ queue: 'ready', completeOn: '2026-04-01', portingDate: '2026-05-15', missingDocuments: [] });
    // The reservation ends with the fallback: the number may be requested again (POR-03).
    expect((await api().get('/numbers/0612345604').set('X-API-Key', KEYS.support).expect(200)).body).toMatchObject({ pendingPortingId: null });
  });

  it('POR-05 porting date 29 days after the complete file → new number; 30 days → accepted; a form 29 days ahead is refused at the door', async () => {
    await setClock('2026-03-05T09:00:00Z');
    const p30 = (await post('/porting', inbound(SUB_IN, 'line-5', '0612345605')).expect(201)).body.portingId;
    const p29 = (await post('/porting', inbound(SUB_IN, 'line-6', '0612345606')).expect(201)).body.portingId;
    const before = await eventCount();
    const early = await post(`/porting/${p30}/porting-form`, { documentId: 'f', portingDate: '2026-04-03' }).expect(422);
    expect(early.body).toMatchObject({ code: 'porting_date_too_early', errors: [{ field: 'portingDate', rule: 'POR-05' }] });
    expect(await eventCount()).toBe(before);
    for (const id of [p30, p29]) {
      await post(`/porting/${id}/porting-form`, { documentId: `form-${id}`, portingDate: '2026-04-20' }).expect(200);
      await documents(id, ALL_PLAIN.slice(0, 3));
    }
    await setClock('2026-03-22T09:00:00Z');
    await documents(p30, ['subscription_documents'], '2026-03-21'); // 30 days before 20 April
    const late = await post(`/porting/${p29}/documents`, { kind: 'subscription_documents', documentId: 'sd-29' }).expect(200); // 29 days before
    expect(late.body.status).toBe('replaced_by_new_number');
    expect(late.body.reasons[0]).toMatchObject({ code: 'file_late_for_porting_date', rule: 'POR-05' });
    const completed = await streamData(`porting-${p30}`, 'PortingFileCompleted');
    expect(completed[0]).toMatchObject({ completeOn: '2026-03-21', portingDate: '2026-04-20', daysBeforePortingDate: 30 });
  });

  it('POR-04 POR-02 SUB-15 inbound port through to ported with the test clock: ~4 h window, donor contract ended that day, number owned by the line', async () => {
    await setClock(`${SIGNED}T12:00:00Z`);
    const msisdn = '0612345607';
    const created = await post('/porting', inbound(SUB_IN, 'line-7', msisdn, { holder: { kind: 'third_party', name: 'Jeanne Martin', mandateDocumentId: 'mandate-7' } })).expect(201);
    const id = created.body.portingId;
    // Holder identity is personal data: not in clear in the events.
    const raw = await t.runtime.pool.query('SELECT data::text FROM es_events WHERE stream_id = $1', [`porting-${id}`]);
    expect(raw.rows.map((r: { data: string }) => r.data).join('')).not.toContain('Jeanne');
    await settle(t);
    expect((await api().get(`/porting/${id}`).set('X-API-Key', KEYS.support).expect(200)).body).toMatchObject({ holderName: 'Jeanne Martin', queue: 'documents_missing' });
    // SUB-15: nothing collected by the end of day 15 → the due action records it (the porting goes on).
    await setClock('2026-03-18T09:00:00Z');
    await waitFor(() => streamTypes(`porting-${id}`), (types) => types.includes('PortingDeadlinePassed'));
    expect((await streamData(`porting-${id}`, 'PortingDeadlinePassed'))[0]).toMatchObject({ rule: 'SUB-15', outstanding: ['previous_contract_end_date'] });
    await post(`/porting/${id}/previous-contract-end`, { endsOn: '2026-06-30' }).expect(200);
    await documents(id, ALL_PLAIN);
    await post(`/porting/${id}/porting-form`, { documentId: 'form-7', portingDate: '2026-04-20' }).expect(200);
    const eligible = await post(`/porting/${id}/eligibility`, { numberStatusOnPortingDay: 'suspended' }).expect(200);
    expect(eligible.body.status).toBe('eligible');
    await settle(t);
    expect((await api().get(`/porting/${id}`).set('X-API-Key', KEYS.support).expect(200)).body).toMatchObject({
      queue: 'scheduled',
      nextDeadlineOn: '2026-04-20',
      nextDeadlineKind: 'portability.execute',
    });
    // The porting date comes: the scheduler ports the number at the start of the day (Paris).
    await setClock('2026-04-19T22:30:00Z');
    await waitFor(() => streamTypes(`porting-${id}`), (types) => types.includes('NumberPortedIn'), 20_000);
    const [ported] = await streamData(`porting-${id}`, 'NumberPortedIn');
    expect(ported).toMatchObject({ portedOn: '2026-04-20', plannedOn: '2026-04-20', interruption: { expectedMinutes: 240 } });
    expect(Date.parse(ported.interruption.expectedEndAt) - Date.parse(ported.interruption.startedAt)).toBe(4 * 3600_000);
    expect((await streamData(`porting-${id}`, 'DonorContractTerminated'))[0]).toMatchObject({ effectiveOn: '2026-04-20', underClientMandate: true });
    await waitFor(() => streamTypes(numberStream('+33612345607')), (types) => types.includes('NumberAssigned'));
    await settle(t);
    const number = await api().get(`/numbers/${msisdn}`).set('X-API-Key', KEYS.support).expect(200);
    expect(number.body).toMatchObject({ status: 'active', subscriptionId: SUB_IN, lineId: 'line-7', source: 'ported_in', pendingPortingId: null });
    expect((await api().get(`/porting/${id}`).set('X-API-Key', KEYS.support).expect(200)).body).toMatchObject({ queue: 'ported', portedOn: '2026-04-20', donorContractTerminatedOn: '2026-04-20' });
    // SUB-15: the RIO and end date reached the subscription's line too.
    expect((await streamData(subscriptionStream(SUB_IN), 'LineInfoCollected'))[0]).toMatchObject({ lineId: 'line-7', previousContractEndsOn: '2026-06-30' });
    await post(`/porting/${id}/service-restored`, { restoredAt: '2026-04-20T03:30:00Z' }).expect(200);
  });

  it('POR-03 POR-09 fallback to a new number with the reason: ineligible, donor refusal (reasoned only), then the new number is assigned', async () => {
    await setClock('2026-03-10T09:00:00Z');
    const id = (await post('/porting', inbound(SUB_IN, 'line-8', '0612345608')).expect(201)).body.portingId;
    await documents(id, ALL_PLAIN);
    await post(`/porting/${id}/porting-form`, { documentId: 'form-8', portingDate: '2026-04-20' }).expect(200);
    await post(`/porting/${id}/eligibility`, { numberStatusOnPortingDay: 'active' }).expect(200);
    const before = await eventCount();
    const unreasoned = await post(`/porting/${id}/donor-refusal`, { reasonCode: 'other', reason: ' ' }).expect(422);
    expect(unreasoned.body).toMatchObject({ code: 'donor_refusal_unreasoned', errors: [{ field: 'reason', rule: 'POR-03' }] });
    expect(await eventCount()).toBe(before);
    const refused = await post(`/porting/${id}/donor-refusal`, { reasonCode: 'number_inactive_on_porting_day', reason: 'Ligne résiliée chez le donneur' }).expect(200);
    expect(refused.body.status).toBe('replaced_by_new_number');
    expect(refused.body.reasons.map((r: { code: string }) => r.code)).toEqual(['donor_refusal', 'number_inactive_on_porting_day']);
    const [fallback] = await streamData(`porting-${id}`, 'PortingReplacedByNewNumber');
    expect(fallback).toMatchObject({ rule: 'POR-03', newNumberToBeAssigned: true, terminationAtOksioFault: false, oksioLiable: false, liabilityExclusion: 'ineligibility' });
    const assigned = await post(`/porting/${id}/new-number`, { msisdn: '0760000008', simNumber: iccid('3315031900000008') }).expect(201);
    expect(assigned.body).toEqual({ portingId: id, msisdn: '+33760000008' });
    await settle(t);
    const view = await api().get(`/porting/${id}`).set('X-API-Key', KEYS.support).expect(200);
    expect(view.body).toMatchObject({ queue: 'new_number', newNumber: '+33760000008', donorRefusal: 'number_inactive_on_porting_day: Ligne résiliée chez le donneur' });
    expect(view.body.fallbackReasons[0]).toMatchObject({ code: 'donor_refusal', rule: 'POR-03' });
    // Ineligibility by OKSIO's own check lists every POR-03 ground.
    await setClock('2026-03-11T09:00:00Z');
    const id2 = (await post('/porting', inbound(SUB_IN, 'line-8', '0612345618', { holder: { kind: 'third_party', name: 'Paul Durand' } })).expect(201)).body.portingId;
    await documents(id2, ALL_PLAIN);
    await post(`/porting/${id2}/porting-form`, { documentId: 'form-18', portingDate: '2026-04-20' }).expect(200);
    const ineligible = await post(`/porting/${id2}/eligibility`, { numberStatusOnPortingDay: 'inactive' }).expect(200);
    expect(ineligible.body.reasons.map((r: { code: string }) => r.code)).toEqual(['requester_not_holder_nor_mandated', 'number_inactive_on_porting_day']);
  });

  it('POR-06 port-out: RIO issued free and stable, the port ends the line in the Subscription context and hands Billing the early-termination case inside the commitment', async () => {
    await setClock('2026-05-04T09:00:00Z');
    const customer = await post('/customers', {
      companyName: 'Porteur SAS',
      siret: '73282932000074',
      billingAddress: { line1: '1 rue A', postalCode: '75002', city: 'Paris', country: 'FR' },
      contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Jean Porteur', email: 'jean@example.fr', phone: '0612345678' }],
    }).expect(201);
    const customerId = customer.body.customerId;
    await mobileSubscription(SUB_OUT, customerId, ['line-a', 'line-b'], '2026-03-15');
    const sim = iccid('3315031900000077');
    await post('/numbers', { msisdn: '0612345677', subscriptionId: SUB_OUT, lineId: 'line-a', simNumber: sim }).expect(201);
    await settle(t);
    const rio = await post('/rio', { msisdn: '06 12 34 56 77', simNumber: sim, siret: '73282932000074' }).expect(201);
    expect(rio.body).toMatchObject({ msisdn: '+33612345677', fee: '0.00' });
    const again = await post('/rio', { msisdn: '0612345677', simNumber: sim, siret: '73282932000074' }).expect(201);
    expect(again.body.rio).toBe(rio.body.rio); // POR-07 one RIO per number and contract
    const before = await eventCount();
    const wrongSiret = await post('/rio', { msisdn: '0612345677', simNumber: sim, siret: '73282932000082' }).expect(422);
    expect(wrongSiret.body.errors[0].rule).toBe('POR-06');
    expect(await eventCount()).toBe(before);

    const out = await post('/porting/port-out', { msisdn: '0612345677', rio: rio.body.rio, recipientOperatorCode: '02', plannedPortingDate: '2026-05-07' }).expect(201);
    expect(out.body.status).toBe('port_out_requested');
    await setClock('2026-05-07T09:00:00Z');
    const confirmed = await post(`/porting/${out.body.portingId}/port-out/confirm`, { portedOn: '2026-05-07' }).expect(200);
    expect(confirmed.body.recorded).toEqual(['NumberPortedOut', 'LineContractTerminatedByPortOut', 'PortOutEarlyTerminationFeeDue']);
    const [termination] = await streamData(`porting-${out.body.portingId}`, 'LineContractTerminatedByPortOut');
    expect(termination).toMatchObject({ effectiveOn: '2026-05-07', insideCommitment: true, lineId: 'line-a' });
    expect((await streamData(`porting-${out.body.portingId}`, 'PortOutEarlyTerminationFeeDue'))[0]).toMatchObject({ feeRule: 'SUB-07', customerId, subscriptionId: SUB_OUT });
    // The Subscription context: the line ended that day, with the SUB-07 basis; the other line runs on.
    const [ended] = await streamData(subscriptionStream(SUB_OUT), 'ItemTerminated');
    expect(ended).toMatchObject({ itemId: 'line-a', endsOn: '2026-05-07', rule: 'POR-06', feeBasis: 'early_termination_average' });
    expect(ended.monthsRemaining).toBeGreaterThan(0);
    expect(await streamTypes(subscriptionStream(SUB_OUT))).not.toContain('SubscriptionTerminated');
    await settle(t);
    expect((await api().get('/numbers/0612345677').set('X-API-Key', KEYS.support).expect(200)).body).toMatchObject({ status: 'ported_out', lineStatus: 'terminated' });
    // Retrying the confirmation has no further effect.
    const count = await eventCount();
    await post(`/porting/${out.body.portingId}/port-out/confirm`, { portedOn: '2026-05-07' }).expect(200);
    expect(await eventCount()).toBe(count);
  });

  it('SUB-17 POR-08 fixed-line resale: excluded accesses refused with reasons; the OBL accepts; an existing line keeps its number; the NDI change applies on its date', async () => {
    await setClock('2026-03-10T09:00:00Z');
    const facts = { orangeInternalPost: false, groupHeadLine: false, pendingOperation: 'none', temporaryAccess: false, cabinOrPayphone: false, siteNumerisOffers: [] };
    const base = { customerId: CUST, subscriptionId: newId(), lineId: 'l1', service: 'FIXED_VGA', localLoopOperator: 'Orange', accessKind: 'existing_line', ndi: '0145678901', holderKind: 'customer', mandateDocumentId: 'mandat-1', signedOn: '2026-03-09' };
    const refused = await post('/fixed-line-mandates', { ...base, accessFacts: { ...facts, cabinOrPayphone: true, siteNumerisOffers: ['NUMERIS_DUO'] } }).expect(201);
    expect(refused.body.status).toBe('refused');
    expect(refused.body.reasons.map((r: { code: string; rule: string }) => `${r.rule}:${r.code}`)).toEqual(['SUB-17:cabin_or_payphone', 'SUB-17:site_with_numeris_duo']);
    const granted = await post('/fixed-line-mandates', { ...base, accessFacts: facts }).expect(201);
    const id = granted.body.mandateId;
    await post(`/fixed-line-mandates/${id}/submit`, {}).expect(200);
    const keeps = await post(`/fixed-line-mandates/${id}/obl-acceptance`, { number: '0145678902' }).expect(422);
    expect(keeps.body).toMatchObject({ code: 'existing_line_keeps_its_number', errors: [{ rule: 'POR-08' }] });
    expect((await post(`/fixed-line-mandates/${id}/obl-acceptance`, {}).expect(200)).body.status).toBe('active');
    const notice = await post(`/fixed-line-mandates/${id}/ndi-change-notices`, { noticeId: 'n1', newNdi: '0145678999', notifiedOn: '2026-03-10', effectiveOn: '2026-09-10' }).expect(200);
    expect(notice.body.recorded).toEqual(['NdiChangeNotified']);
    expect((await streamData(`fixed-line-mandate-${id}`, 'NdiChangeNotified'))[0]).toMatchObject({ minimumEffectiveOn: '2026-09-10', noticeCompliant: true });
    await setClock('2026-09-10T06:00:00Z');
    await waitFor(() => streamTypes(`fixed-line-mandate-${id}`), (types) => types.includes('NdiChanged'), 20_000);
    await settle(t);
    expect((await api().get(`/fixed-line-mandates/${id}`).set('X-API-Key', KEYS.auditor).expect(200)).body).toMatchObject({ status: 'active', number: '+33145678999' });
  });

  it('GraphQL round trip: the porting queue with missing documents and deadlines, a mutation, validation and role errors', async () => {
    await setClock('2026-03-12T09:00:00Z');
    const mutation = `mutation($input: InboundPortingInput!) { requestInboundPorting(input: $input) { portingId status recorded } }`;
    const created = await post('/graphql', { query: mutation, variables: { input: inbound(SUB_IN, 'line-2', '0612345699') } }, KEYS.system).expect(200);
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.requestInboundPorting.portingId;
    expect(created.body.data.requestInboundPorting).toMatchObject({ status: 'collecting', recorded: ['InboundPortingRequested', 'PortingRioReceived'] });
    await settle(t);
    const q = await post('/graphql', { query: `{ portingQueue(queue: "documents_missing") { portingId msisdn missingDocuments documentsDueOn nextDeadlineOn nextDeadlineRule } }` }).expect(200);
    const row = q.body.data.portingQueue.find((r: { portingId: string }) => r.portingId === id);
    expect(row).toMatchObject({
      msisdn: '+33612345699',
      missingDocuments: ['previous_contracts', 'last_three_invoices', 'signed_termination_letters', 'subscription_documents', 'porting_form'],
      documentsDueOn: '2026-04-01',
    });
    expect(row.nextDeadlineOn <= '2026-04-01').toBe(true);
    const invalid = await post('/graphql', { query: mutation, variables: { input: inbound(SUB_IN, 'line-2', '0612345698', { contractSignedOn: 'yesterday' }) } }, KEYS.system).expect(200);
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'validation_failed', status: 400, errors: [{ field: 'contractSignedOn' }] });
    const rule = await post('/graphql', { query: mutation, variables: { input: inbound(SUB_IN, 'line-3', '0612345699') } }, KEYS.system).expect(200);
    expect(rule.body.errors[0].extensions).toMatchObject({ code: 'porting_request_already_pending', status: 422 });
    const denied = await post('/graphql', { query: mutation, variables: { input: inbound(SUB_IN, 'line-2', '0612345697') } }, KEYS.auditor).expect(200);
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'forbidden', status: 403 });
  });
});

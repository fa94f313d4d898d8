import request from 'supertest';
import { newId } from '@oksio/kernel';
import type { CommandContext } from '@oksio/platform';
import { subscriptionDecider, subscriptionStream, type SubscriptionCommand } from '@oksio/subscription';
import { KEYS, startTestApp, type TestApp } from '../../../test/support/app';
import { issueRio, numberStream, portingRequestDecider, portingStream } from './domain';
import { PortingService } from './application/porting.service';

/** A valid ICCID (89…, Luhn) from a digit body. */
function iccid(body: string): string {
  const digits = `89${body}`.slice(0, 18);
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

const SIGNED = '2026-03-02';
const CUST = newId();
const SUB = newId();
const at = (date: string, time = '10:00:00') => new Date(`${date}T${time}Z`);

/**
 * Issue 18 item 4: a porting command and what it implies on the number registry and the
 * Subscription context are one multi-stream command — decided in full, then appended together.
 * The worker is off (RUN_WORKER=false): no scheduler or projection writes anything meanwhile, so
 * every event counted here comes from the commands under test.
 */
describe('issue 18 item 4 — a refused command must write nothing (porting execution wrote half)', () => {
  let t: TestApp;
  const api = () => request(t.http);
  const post = (path: string, body: object, key: string = KEYS.support) => api().post(path).set('X-API-Key', key).send(body);
  const setClock = (instant: string) => api().post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant }).expect(200);
  /** Every event and every command claim, in every stream. */
  const totals = async () =>
    (await t.runtime.pool.query('SELECT (SELECT count(*) FROM es_events)::int AS events, (SELECT count(*) FROM es_commands)::int AS commands')).rows[0] as {
      events: number;
      commands: number;
    };
  const types = async (streamId: string) =>
    (await t.runtime.pool.query('SELECT type FROM es_events WHERE stream_id = $1 ORDER BY revision', [streamId])).rows.map((r: { type: string }) => r.type);
  const ctx = (): CommandContext => ({ actor: { id: 'test-setup', role: 'system' }, correlationId: newId(), causationId: null, commandId: newId(), reason: null });

  async function mobileSubscription(subscriptionId: string, customerId: string, lines: string[], activatedOn?: string) {
    const run = (command: SubscriptionCommand, now: Date) => t.runtime.repository.execute(subscriptionDecider, subscriptionStream(subscriptionId), command, ctx(), now);
    await run({ type: 'PlaceOrder', subscriptionId, customerId, service: 'MOBILE', items: lines.map((l) => ({ itemId: l, label: l })), quoteDate: '2026-02-20', orderAmount: '100.00' }, at('2026-02-20'));
    await run({ type: 'RecordFeasibilityResult', feasible: true, studyReference: 'EF-1' }, at('2026-02-25'));
    await run({ type: 'SignSubscription', signedOn: SIGNED }, at(SIGNED));
    if (activatedOn) for (const lineId of lines) await run({ type: 'ActivateMobileLine', lineId, simActivatedOn: activatedOn }, at(activatedOn));
  }

  /** An inbound porting requested WITHOUT a SIM, its file complete and eligible for 2026-04-20. */
  async function eligibleWithoutSim(lineId: string, national: string): Promise<string> {
    const rio = issueRio('02', `donor-contract-${national}`, national);
    const created = await post('/porting', { customerId: CUST, subscriptionId: SUB, lineId, msisdn: national, rio, holder: { kind: 'customer' } }).expect(201);
    const id = created.body.portingId as string;
    await post(`/porting/${id}/previous-contract-end`, { endsOn: '2026-06-30' }).expect(200);
    for (const kind of ['previous_contracts', 'last_three_invoices', 'signed_termination_letters', 'subscription_documents']) {
      await post(`/porting/${id}/documents`, { kind, documentId: `${kind}-${id}` }).expect(200);
    }
    await post(`/porting/${id}/porting-form`, { documentId: `form-${id}`, portingDate: '2026-04-20' }).expect(200);
    expect((await post(`/porting/${id}/eligibility`, { numberStatusOnPortingDay: 'active' }).expect(200)).body.status).toBe('eligible');
    return id;
  }

  // The test clock never goes back (it may not move before a recorded event): the cases are
  // prepared on the signature day, the tests then move it forward.
  let caseA: string;
  let caseB: string;
  let caseC: string;
  beforeAll(async () => {
    t = await startTestApp({ RUN_WORKER: 'false' });
    await mobileSubscription(SUB, CUST, ['line-1', 'line-2', 'line-3', 'line-4']);
    await setClock(`${SIGNED}T12:00:00Z`);
    caseA = await eligibleWithoutSim('line-1', '0612340001');
    caseB = await eligibleWithoutSim('line-2', '0612340002');
    caseC = await eligibleWithoutSim('line-4', '0612340004');
  });
  afterAll(async () => t?.close());

  it('an inbound request whose number reservation is refused (POR-03: another request pending) opens no case', async () => {
    const national = '0612340003';
    const rio = issueRio('02', `donor-contract-${national}`, national);
    const body = { customerId: CUST, subscriptionId: SUB, lineId: 'line-3', msisdn: national, rio, holder: { kind: 'customer' } };
    await post('/porting', body).expect(201);
    const before = await totals();
    const portingId = newId();
    const refused = await post('/porting', { ...body, portingId, lineId: 'line-2' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'porting_request_already_pending' });
    expect(await totals()).toEqual(before);
    expect(await types(portingStream(portingId))).toEqual([]);
  });

  it('execute without a SIM → 422 naming simNumber and nothing written in any stream; execute with the SIM completes; the same key replays the first answer', async () => {
    await setClock('2026-04-20T08:00:00Z');
    const id = caseA;
    const number = numberStream('+33612340001');
    const before = await totals();
    const refused = await post(`/porting/${id}/execute`, {}, KEYS.admin).set('Idempotency-Key', `exec-nosim-${id}`).expect(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.errors[0]).toMatchObject({ field: 'simNumber', rule: 'POR-06' });
    expect(await totals()).toEqual(before);
    expect(await types(portingStream(id))).not.toContain('NumberPortedIn');
    expect(await types(number)).toEqual(['NumberReservedForPorting']);

    // The execute DTO takes the SIM: the port and the number's assignment land together.
    const sim = iccid('33150319000000011');
    const key = `exec-sim-${id}`;
    const done = await post(`/porting/${id}/execute`, { simNumber: sim }, KEYS.admin).set('Idempotency-Key', key).expect(200);
    expect(done.body).toMatchObject({ status: 'ported_in', recorded: ['NumberPortedIn', 'DonorContractTerminated'] });
    expect(await types(number)).toEqual(['NumberReservedForPorting', 'NumberAssigned']);
    const [assigned] = (await t.runtime.pool.query(`SELECT data FROM es_events WHERE stream_id = $1 AND type = 'NumberAssigned'`, [number])).rows;
    expect(assigned.data).toMatchObject({ simNumber: sim, lineId: 'line-1', source: 'ported_in', portingId: id });

    // A retry with the same key answers the first outcome and writes nothing.
    const afterDone = await totals();
    const replay = await post(`/porting/${id}/execute`, { simNumber: sim }, KEYS.admin).set('Idempotency-Key', key).expect(200);
    expect(replay.body).toEqual(done.body);
    expect(await totals()).toEqual(afterDone);
  });

  it('a case ported in by the old code without its number assignment is completed by execute with the SIM, appending only what is missing', async () => {
    const id = caseB;
    const number = numberStream('+33612340002');
    // What the old code left: the porting decider's events appended alone, the number still reserved.
    const state = (await t.runtime.repository.load(portingRequestDecider, portingStream(id))).state;
    await t.runtime.repository.execute(portingRequestDecider, portingStream(id), { type: 'ExecutePorting', portingDate: state.portingDate! }, ctx(), at('2026-04-20', '08:00:00'));
    expect(await types(portingStream(id))).toContain('NumberPortedIn');
    const portingEvents = (await types(portingStream(id))).length;

    // Without a SIM the completion is refused, and writes nothing (the old code answered 200, recording nothing).
    const before = await totals();
    const refused = await post(`/porting/${id}/execute`, {}, KEYS.admin).expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'simNumber' });
    expect(await totals()).toEqual(before);

    const sim = iccid('33150319000000022');
    const done = await post(`/porting/${id}/execute`, { simNumber: sim }, KEYS.admin).expect(200);
    expect(done.body).toMatchObject({ status: 'ported_in', recorded: [] });
    expect(await types(number)).toEqual(['NumberReservedForPorting', 'NumberAssigned']);
    expect((await types(portingStream(id))).length).toBe(portingEvents);
    expect(await totals()).toEqual({ events: before.events + 1, commands: before.commands + 1 });

    // Nothing is owed any more: a further execute records nothing.
    const settled = await totals();
    await post(`/porting/${id}/execute`, { simNumber: sim }, KEYS.admin).expect(200);
    expect(await totals()).toEqual(settled);
  });

  it('the same command id run again (no HTTP idempotency layer in between) answers the first outcome and claims nothing more', async () => {
    const porting = t.app.get(PortingService);
    const command = ctx();
    const sim = iccid('33150319000000044');
    const first = await porting.executePorting(caseC, { simNumber: sim }, command);
    expect(first).toMatchObject({ status: 'ported_in', recorded: ['NumberPortedIn', 'DonorContractTerminated'] });
    const after = await totals();
    expect(await porting.executePorting(caseC, { simNumber: sim }, command)).toEqual(first);
    expect(await totals()).toEqual(after);
    expect(await types(numberStream('+33612340004'))).toEqual(['NumberReservedForPorting', 'NumberAssigned']);
  });

  it('port-out confirmation refused by the Subscription context (ported before the line started) writes nothing in the porting, number or subscription stream', async () => {
    await setClock('2026-05-04T09:00:00Z');
    const subOut = newId();
    await mobileSubscription(subOut, CUST, ['line-a'], '2026-04-20');
    const sim = iccid('33150319000000077');
    await post('/numbers', { msisdn: '0612340077', subscriptionId: subOut, lineId: 'line-a', simNumber: sim }).expect(201);
    // No RIO issued yet: any valid OKSIO RIO of the number (qualifier E, code 38) is the recipient's.
    const rio = issueRio('38', `${subOut}/line-a`, '0612340077');
    const out = (await post('/porting/port-out', { msisdn: '0612340077', rio, recipientOperatorCode: '02', plannedPortingDate: '2026-05-07' }).expect(201)).body;
    expect(out.status).toBe('port_out_requested');
    expect(await types(numberStream('+33612340077'))).toEqual(['NumberAssigned', 'NumberReservedForPorting']);

    const before = await totals();
    const refused = await post(`/porting/${out.portingId}/port-out/confirm`, { portedOn: '2026-04-10' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'ported_before_service_start' });
    expect(await totals()).toEqual(before);

    const confirmed = await post(`/porting/${out.portingId}/port-out/confirm`, { portedOn: '2026-05-04' }).expect(200);
    expect(confirmed.body.recorded).toEqual(expect.arrayContaining(['NumberPortedOut', 'LineContractTerminatedByPortOut']));
    expect(await types(numberStream('+33612340077'))).toEqual(['NumberAssigned', 'NumberReservedForPorting', 'NumberPortedOutOfOksio']);
    expect(await types(subscriptionStream(subOut))).toContain('ItemTerminated');
  });
});

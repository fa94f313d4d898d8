import { given } from '@oksio/kernel/testing/decider-spec';
import { dueDates } from './index';
import type { PlainDocument, PortingCommand } from './porting-request.commands';
import { portingRequestDecider as decider } from './porting-request.decider';
import { portingDueDates } from './porting-request.due-dates';
import { rioControlKey } from './rio';
import type { PortingEvent, PortingEventOf } from './porting-request.events';
import { at, play, stateOf } from './testing/fixtures';

/*
 * Inbound porting of 06 12 34 56 78 from SFR (02) with the RIO 02E123456TZE (hand-checked in
 * rio.spec.ts). Contract signed Monday 2 March 2026: POR-01 documents due by 1 April (signature +
 * 30 days), SUB-15 line information by 17 March (signature + 15 days).
 */
const SIGNED = '2026-03-02';
const RIO = '02E123456TZE';
const E164 = '+33612345678';
const PLAIN: PlainDocument[] = ['previous_contracts', 'last_three_invoices', 'signed_termination_letters', 'subscription_documents'];

type Step = [PortingCommand, Date];

const request = (over: Partial<PortingCommand & { type: 'RequestInboundPorting' }> = {}): Step => [
  {
    type: 'RequestInboundPorting',
    portingId: 'P1',
    customerId: 'C1',
    subscriptionId: 'S1',
    lineId: 'L1',
    msisdn: '06 12 34 56 78',
    holder: { kind: 'customer' },
    contractSignedOn: SIGNED,
    rio: RIO,
    ...over,
  },
  at(SIGNED),
];
const doc = (kind: PlainDocument, receivedOn: string): Step => [{ type: 'ReceiveDocument', kind, documentId: `${kind}-doc`, receivedOn }, at(receivedOn)];
const form = (portingDate: string, receivedOn: string): Step => [{ type: 'ReceivePortingForm', documentId: 'form-doc', portingDate, receivedOn }, at(receivedOn)];
const allDocs = (receivedOn: string, kinds: PlainDocument[] = PLAIN): Step[] => kinds.map((k) => doc(k, receivedOn));

/** Requested, form for 9 April received on 5 March, every document on 10 March: complete, 30 days ahead. */
const completeFile = (requestOver = {}): PortingEvent[] => play(decider, [request(requestOver), form('2026-04-09', '2026-03-05'), ...allDocs('2026-03-10')]);
const eligibleFile = (): PortingEvent[] =>
  play(decider, [[{ type: 'CheckEligibility', otherPendingRequestForNumber: false, numberStatusOnPortingDay: 'active' }, at('2026-03-11')]], completeFile());

const ofType = <T extends PortingEvent['type']>(events: PortingEvent[], type: T) => events.filter((e): e is PortingEventOf<T> => e.type === type);

const fallbackFields = {
  portingId: 'P1',
  customerId: 'C1',
  subscriptionId: 'S1',
  lineId: 'L1',
  msisdn: E164,
  newNumberToBeAssigned: true,
  terminationAtOksioFault: false,
  oksioLiable: false,
  donorContractTerminatedByOksio: false,
} as const;

describe('inbound porting request', () => {
  it('POR-02 a request to keep the number records the mandate to port it and end the donor contract; the RIO counts as received', () => {
    given(decider)
      .when(request()[0], at(SIGNED, '10:00'))
      .then([
        {
          type: 'InboundPortingRequested',
          data: {
            portingId: 'P1',
            customerId: 'C1',
            subscriptionId: 'S1',
            lineId: 'L1',
            msisdn: E164,
            holder: { kind: 'customer' },
            contractSignedOn: SIGNED,
            documentsDueOn: '2026-04-01',
            lineInfoDueOn: '2026-03-17',
            mandateToPortAndTerminate: true,
            requestedAt: '2026-03-02T09:00:00.000Z',
          },
        },
        { type: 'PortingRioReceived', data: { portingId: 'P1', rio: RIO, rioQualifier: 'E', donorOperatorCode: '02', receivedOn: SIGNED, late: false } },
      ]);
  });

  it('POR-07 the number must be a metropolitan mobile number; the request is refused otherwise', () => {
    given(decider).when({ ...request()[0], msisdn: '01 45 67 89 01' } as PortingCommand, at(SIGNED)).thenRejects('invalid_mobile_number', 'POR-07');
    given(decider).when({ ...request()[0], msisdn: '0692123456' } as PortingCommand, at(SIGNED)).thenRejects('invalid_mobile_number', 'POR-07');
  });

  it('POR-07 a RIO that does not match the number is recorded as rejected, with its reason, and does not count', () => {
    const events = given(decider).when({ ...request()[0], rio: '02E123456TZF' } as PortingCommand, at(SIGNED)).events();
    expect(events.map((e) => e.type)).toEqual(['InboundPortingRequested', 'PortingRioRejected']);
    expect(events[1].data).toMatchObject({ submitted: '02E123456TZF', reason: 'key_mismatch', receivedOn: SIGNED });
    expect(stateOf(decider, events).rio).toBeNull();
  });

  it('POR-07 one RIO per number: a second, different RIO is refused; the same one again is a no-op', () => {
    const history = play(decider, [request()]);
    given(decider, history).when({ type: 'ProvideRio', rio: RIO }, at('2026-03-03')).then([]);
    // 01E… with a key valid for the same number: a RIO of another donor contract.
    const other = '01EABCDEF' + rioControlKey('01EABCDEF', '0612345678');
    given(decider, history).when({ type: 'ProvideRio', rio: other }, at('2026-03-03')).thenRejects('rio_already_received', 'POR-07');
  });

  it("POR-07 a consumer ('P') RIO is accepted and recorded as such (not a POR-03 ground)", () => {
    const consumer = '03P00A1B2' + rioControlKey('03P00A1B2', '0612345678');
    const events = play(decider, [request({ rio: consumer })]);
    expect(ofType(events, 'PortingRioReceived')[0].data).toMatchObject({ rio: consumer, rioQualifier: 'P', donorOperatorCode: '03' });
  });
});

describe('POR-01 documents within 30 days of signature', () => {
  const history = play(decider, [request(), form('2026-06-01', '2026-03-05'), ...allDocs('2026-03-10', ['previous_contracts', 'signed_termination_letters', 'subscription_documents'])]);

  it('POR-01 the last document received exactly 30 days after signature is in time and completes the file', () => {
    given(decider, history)
      .when(doc('last_three_invoices', '2026-04-01')[0], at('2026-04-01'))
      .then([
        { type: 'PortingDocumentReceived', data: { portingId: 'P1', kind: 'last_three_invoices', documentId: 'last_three_invoices-doc', receivedOn: '2026-04-01', late: false } },
        { type: 'PortingFileCompleted', data: { portingId: 'P1', completeOn: '2026-04-01', portingDate: '2026-06-01', daysBeforePortingDate: 61 } },
      ]);
  });

  it('POR-01 a document received on day 31 is late: a new number is created instead, with the reason', () => {
    given(decider, history)
      .when(doc('last_three_invoices', '2026-04-02')[0], at('2026-04-02'))
      .then([
        { type: 'PortingDocumentReceived', data: { portingId: 'P1', kind: 'last_three_invoices', documentId: 'last_three_invoices-doc', receivedOn: '2026-04-02', late: true } },
        {
          type: 'PortingReplacedByNewNumber',
          data: {
            ...fallbackFields,
            cause: 'documents_missing',
            rule: 'POR-01',
            reasons: [{ code: 'documents_missing', rule: 'POR-01', message: 'Not received within 30 days of the contract signature (by 2026-04-01): last_three_invoices' }],
            decidedOn: '2026-04-02',
            liabilityExclusion: 'late_or_incomplete_file',
          },
        },
      ]);
  });

  it('POR-01 the scheduler finds the deadline passed at the end of day 30, not before', () => {
    const [deadline] = portingDueDates(stateOf(decider, history)).filter((d) => d.kind === 'portability.documents_deadline');
    expect(deadline).toMatchObject({ key: 'portability.documents_deadline:P1:2026-04-01', rule: 'POR-01', dueOn: '2026-04-01', streamId: 'porting-P1' });
    expect(deadline.dueAt.toISOString()).toBe('2026-04-01T22:00:00.000Z'); // midnight in Paris (CEST)
    given(decider, history).when(deadline.command, at('2026-04-01', '23:59')).thenRejects('deadline_not_reached', 'POR-01');
    const events = given(decider, history).when(deadline.command, at('2026-04-02', '00:00')).events();
    expect(events.map((e) => e.type)).toEqual(['PortingDeadlinePassed', 'PortingReplacedByNewNumber']);
    expect(events[0].data).toMatchObject({ outstanding: ['last_three_invoices'], rule: 'POR-01' });
    expect(events[1].data).toMatchObject({ cause: 'documents_missing', rule: 'POR-01', newNumberToBeAssigned: true });
    // Replayed by a retrying scheduler: nothing more.
    given(decider, [...history, ...events]).when(deadline.command, at('2026-04-02', '00:05')).then([]);
  });

  it('POR-01 decision: without a porting form by day 30 the case does not stay open — a new number, with the reason', () => {
    const noForm = play(decider, [request(), ...allDocs('2026-03-10')]);
    const state = stateOf(decider, noForm);
    expect(state.status).toBe('collecting');
    const [deadline] = portingDueDates(state);
    expect(deadline.kind).toBe('portability.documents_deadline');
    const [passed, replaced] = given(decider, noForm).when(deadline.command, at('2026-04-02')).events();
    expect(passed.data).toMatchObject({ outstanding: ['porting_form'] });
    expect(replaced.data).toMatchObject({ cause: 'documents_missing', reasons: [{ code: 'documents_missing', message: expect.stringMatching(/: porting_form$/) }] });
    // Once complete, a new form (after day 30) may still move the date: the file is complete again, from the new form.
    const moved = given(decider, completeFile()).when(form('2026-06-15', '2026-04-03')[0], at('2026-04-03')).events();
    expect(moved[1]).toEqual({ type: 'PortingFileCompleted', data: { portingId: 'P1', completeOn: '2026-04-03', portingDate: '2026-06-15', daysBeforePortingDate: 73 } });
    given(decider, eligibleFile()).when(form('2026-06-15', '2026-04-03')[0], at('2026-04-03')).thenRejects('porting_state_conflict', 'POR-05');
  });

  it('POR-01 with a wrong RIO given and no right one, the client is told the request was wrong (POR-03 ground)', () => {
    const wrong = play(decider, [request({ rio: '02E123456AAA' }), form('2026-06-01', '2026-03-05'), ...allDocs('2026-03-10')]);
    const [deadline] = portingDueDates(stateOf(decider, wrong)).filter((d) => d.kind === 'portability.documents_deadline');
    const [, replaced] = given(decider, wrong).when(deadline.command, at('2026-04-02')).events();
    expect(replaced.data).toMatchObject({
      cause: 'documents_missing',
      reasons: [
        { code: 'documents_missing', rule: 'POR-01', message: expect.stringContaining('rio') },
        { code: 'incomplete_or_wrong_request', rule: 'POR-03' },
      ],
    });
  });
});

describe('POR-05 file complete at least 30 days before the porting date', () => {
  it('POR-05 a porting form must state a date at least 30 days after its receipt (exactly 30 accepted, 29 refused)', () => {
    const history = play(decider, [request()]);
    given(decider, history)
      .when(form('2026-04-09', '2026-03-10')[0], at('2026-03-10'))
      .then([{ type: 'PortingFormReceived', data: { portingId: 'P1', documentId: 'form-doc', portingDate: '2026-04-09', receivedOn: '2026-03-10', previousPortingDate: null } }]);
    given(decider, history).when(form('2026-04-08', '2026-03-10')[0], at('2026-03-10')).thenRejects('porting_date_too_early', 'POR-05');
  });

  it('POR-05 the file complete exactly 30 days before the porting date is accepted', () => {
    const history = play(decider, [request(), form('2026-04-09', '2026-03-05'), ...allDocs('2026-03-01', ['previous_contracts', 'last_three_invoices', 'signed_termination_letters'])]);
    given(decider, history)
      .when(doc('subscription_documents', '2026-03-10')[0], at('2026-03-10'))
      .then([
        { type: 'PortingDocumentReceived', data: { portingId: 'P1', kind: 'subscription_documents', documentId: 'subscription_documents-doc', receivedOn: '2026-03-10', late: false } },
        { type: 'PortingFileCompleted', data: { portingId: 'P1', completeOn: '2026-03-10', portingDate: '2026-04-09', daysBeforePortingDate: 30 } },
      ]);
  });

  it('POR-05 the file complete 29 days before the porting date: the line gets a different number', () => {
    const history = play(decider, [request(), form('2026-04-09', '2026-03-05'), ...allDocs('2026-03-01', ['previous_contracts', 'last_three_invoices', 'signed_termination_letters'])]);
    const events = given(decider, history).when(doc('subscription_documents', '2026-03-11')[0], at('2026-03-11')).events();
    expect(events.map((e) => e.type)).toEqual(['PortingDocumentReceived', 'PortingReplacedByNewNumber']);
    expect(events[1].data).toEqual({
      ...fallbackFields,
      cause: 'file_late_for_porting_date',
      rule: 'POR-05',
      reasons: [
        {
          code: 'file_late_for_porting_date',
          rule: 'POR-05',
          message: 'The file was complete on 2026-03-11, 29 days before the porting date 2026-04-09; at least 30 are required (by 2026-03-10)',
        },
      ],
      decidedOn: '2026-03-11',
      liabilityExclusion: 'late_or_incomplete_file',
    });
  });

  it('POR-05 a later porting form moves the date, and the file deadline with it', () => {
    const history = play(decider, [request(), form('2026-04-09', '2026-03-05')]);
    expect(portingDueDates(stateOf(decider, history)).find((d) => d.kind === 'portability.file_deadline')).toMatchObject({
      key: 'portability.file_deadline:P1:2026-03-10',
      dueOn: '2026-03-10',
    });
    const moved = play(decider, [form('2026-05-04', '2026-03-09')], history);
    expect(ofType(moved, 'PortingFormReceived')[1].data.previousPortingDate).toBe('2026-04-09');
    const deadline = portingDueDates(stateOf(decider, moved)).find((d) => d.kind === 'portability.file_deadline');
    expect(deadline).toMatchObject({ key: 'portability.file_deadline:P1:2026-04-04', dueOn: '2026-04-04' });
    // The old key is no longer listed: a stale scheduler run does nothing.
    given(decider, moved).when({ type: 'RecordDeadlinePassed', key: 'portability.file_deadline:P1:2026-03-10' }, at('2026-03-11')).then([]);
  });

  it('POR-05 the scheduler replaces the porting when the file is still incomplete 30 days before the date', () => {
    const history = play(decider, [request(), form('2026-04-09', '2026-03-05'), doc('previous_contracts', '2026-03-06')]);
    const events = given(decider, history).when({ type: 'RecordDeadlinePassed', key: 'portability.file_deadline:P1:2026-03-10' }, at('2026-03-11', '00:00')).events();
    expect(events[0].data).toMatchObject({ kind: 'portability.file_deadline', rule: 'POR-05', outstanding: ['last_three_invoices', 'signed_termination_letters', 'subscription_documents'] });
    expect(events[1].data).toMatchObject({ cause: 'file_late_for_porting_date', rule: 'POR-05', liabilityExclusion: 'late_or_incomplete_file' });
  });
});

describe('POR-03 eligibility', () => {
  const check = (otherPendingRequestForNumber: boolean, numberStatusOnPortingDay: 'active' | 'suspended' | 'inactive'): PortingCommand => ({
    type: 'CheckEligibility',
    otherPendingRequestForNumber,
    numberStatusOnPortingDay,
  });

  it('POR-03 eligibility is checked only on a complete file', () => {
    given(decider, play(decider, [request()])).when(check(false, 'active'), at('2026-03-03')).thenRejects('porting_state_conflict', 'POR-03');
  });

  it('POR-03 an active number, holder requesting, no other request pending: eligible', () => {
    given(decider, completeFile())
      .when(check(false, 'active'), at('2026-03-11'))
      .then([{ type: 'PortingEligibilityConfirmed', data: { portingId: 'P1', checkedOn: '2026-03-11', numberStatusOnPortingDay: 'active' } }]);
  });

  it('POR-03 a temporarily suspended number counts as active', () => {
    given(decider, completeFile())
      .when(check(false, 'suspended'), at('2026-03-11'))
      .then([{ type: 'PortingEligibilityConfirmed', data: { portingId: 'P1', checkedOn: '2026-03-11', numberStatusOnPortingDay: 'suspended' } }]);
  });

  it('POR-03 a number not active on the porting day is ineligible: new number, client told why, not OKSIO’s fault', () => {
    const reason = {
      code: 'number_inactive_on_porting_day',
      rule: 'POR-03',
      message: 'The number is not active on the porting day 2026-04-09 (a temporarily suspended number would count as active)',
    };
    given(decider, completeFile())
      .when(check(false, 'inactive'), at('2026-03-11'))
      .then([
        { type: 'PortingDeclaredIneligible', data: { portingId: 'P1', reasons: [reason], decidedOn: '2026-03-11' } },
        {
          type: 'PortingReplacedByNewNumber',
          data: { ...fallbackFields, cause: 'ineligible', rule: 'POR-03', reasons: [reason], decidedOn: '2026-03-11', liabilityExclusion: 'ineligibility' },
        },
      ]);
  });

  it('POR-03 another porting request pending for the number (from the registry) makes it ineligible', () => {
    const [ineligible] = given(decider, completeFile()).when(check(true, 'active'), at('2026-03-11')).events();
    expect(ineligible).toMatchObject({ type: 'PortingDeclaredIneligible', data: { reasons: [{ code: 'porting_request_already_pending', rule: 'POR-03' }] } });
  });

  it('POR-03 a requester neither holder nor mandated is ineligible; with the holder’s mandate it is eligible', () => {
    const thirdParty = completeFile({ holder: { kind: 'third_party', holderReference: 'holder-doc-7', mandateDocumentId: null } });
    const [ineligible] = given(decider, thirdParty).when(check(false, 'active'), at('2026-03-11')).events();
    expect(ineligible.data).toMatchObject({ reasons: [{ code: 'requester_not_holder_nor_mandated', rule: 'POR-03' }] });

    const mandated = play(decider, [[{ type: 'RecordHolderMandate', mandateDocumentId: 'mandate-1' }, at('2026-03-11')]], thirdParty);
    expect(ofType(mandated, 'PortingHolderMandateRecorded')).toHaveLength(1);
    expect(given(decider, mandated).when(check(false, 'active'), at('2026-03-11')).events().map((e) => e.type)).toEqual(['PortingEligibilityConfirmed']);
  });

  it('POR-03 every ground found is given to the client, in the order of the CP', () => {
    const thirdParty = completeFile({ holder: { kind: 'third_party', holderReference: 'h', mandateDocumentId: null } });
    const [, replaced] = given(decider, thirdParty).when(check(true, 'inactive'), at('2026-03-11')).events();
    expect(replaced.data).toMatchObject({ cause: 'ineligible', terminationAtOksioFault: false, newNumberToBeAssigned: true });
    expect((replaced as PortingEventOf<'PortingReplacedByNewNumber'>).data.reasons.map((r) => r.code)).toEqual([
      'requester_not_holder_nor_mandated',
      'number_inactive_on_porting_day',
      'porting_request_already_pending',
    ]);
  });

  it('POR-03 a reasoned donor refusal ends in a new number; an unreasoned one is not accepted', () => {
    given(decider, eligibleFile())
      .when({ type: 'RecordDonorRefusal', reasonCode: 'incomplete_or_wrong_request', reason: 'RIO does not match the contract', answeredOn: '2026-03-12' }, at('2026-03-12'))
      .then([
        { type: 'DonorRefusedPorting', data: { portingId: 'P1', reasonCode: 'incomplete_or_wrong_request', reason: 'RIO does not match the contract', answeredOn: '2026-03-12' } },
        {
          type: 'PortingReplacedByNewNumber',
          data: {
            ...fallbackFields,
            cause: 'donor_refusal',
            rule: 'POR-03',
            reasons: [
              { code: 'donor_refusal', rule: 'POR-03', message: 'The donor operator refused the porting: RIO does not match the contract' },
              { code: 'incomplete_or_wrong_request', rule: 'POR-03', message: 'Ground given by the donor: incomplete_or_wrong_request' },
            ],
            decidedOn: '2026-03-12',
            liabilityExclusion: 'ineligibility',
          },
        },
      ]);
    given(decider, eligibleFile()).when({ type: 'RecordDonorRefusal', reasonCode: 'other', reason: '  ' }, at('2026-03-12')).thenRejects('donor_refusal_unreasoned', 'POR-03');
  });
});

describe('POR-04 / POR-02 execution on the porting date', () => {
  const accepted = () => play(decider, [[{ type: 'RecordDonorAcceptance' }, at('2026-03-12')]], eligibleFile());

  it('POR-04 the port runs on the porting date with a ~4 h interruption window recorded', () => {
    const events = given(decider, accepted())
      .when({ type: 'ExecutePorting', portingDate: '2026-04-09', interruptionStartedAt: '2026-04-09T08:00:00+02:00' }, at('2026-04-09', '08:00'))
      .events();
    expect(events[0]).toEqual({
      type: 'NumberPortedIn',
      data: {
        portingId: 'P1',
        msisdn: E164,
        subscriptionId: 'S1',
        lineId: 'L1',
        portedOn: '2026-04-09',
        plannedOn: '2026-04-09',
        interruption: { startedAt: '2026-04-09T06:00:00.000Z', expectedEndAt: '2026-04-09T10:00:00.000Z', expectedMinutes: 240 },
      },
    });
  });

  it('POR-04 not before the porting date; the interruption end is compared with the 4 hours expected', () => {
    given(decider, accepted()).when({ type: 'ExecutePorting', portingDate: '2026-04-09' }, at('2026-04-08', '23:59')).thenRejects('porting_date_not_reached', 'POR-04');
    const ported = play(decider, [[{ type: 'ExecutePorting', portingDate: '2026-04-09' }, at('2026-04-09', '00:00')]], accepted());
    expect(ofType(ported, 'NumberPortedIn')[0].data.interruption.startedAt).toBe('2026-04-08T22:00:00.000Z');
    given(decider, ported)
      .when({ type: 'RecordServiceRestored', restoredAt: '2026-04-09T01:45:00Z' }, at('2026-04-09', '04:00'))
      .then([{ type: 'PortingInterruptionEnded', data: { portingId: 'P1', restoredAt: '2026-04-09T01:45:00.000Z', durationMinutes: 225, longerThanExpected: false } }]);
    expect(given(decider, ported).when({ type: 'RecordServiceRestored', restoredAt: '2026-04-09T03:30:00Z' }, at('2026-04-09', '06:00')).events()[0].data).toMatchObject({
      durationMinutes: 330,
      longerThanExpected: true,
    });
    // A repeated scheduler run after the port does nothing.
    given(decider, ported).when({ type: 'ExecutePorting', portingDate: '2026-04-09' }, at('2026-04-09', '00:10')).then([]);
  });

  it('POR-02 the donor contract is terminated under the client’s mandate, effective on the porting date', () => {
    const events = given(decider, eligibleFile()).when({ type: 'ExecutePorting', portingDate: '2026-04-09' }, at('2026-04-09', '00:00')).events();
    expect(events[1]).toEqual({
      type: 'DonorContractTerminated',
      data: { portingId: 'P1', msisdn: E164, donorOperatorCode: '02', effectiveOn: '2026-04-09', underClientMandate: true },
    });
    // No port, no termination by OKSIO: the fallback says so.
    const [, replaced] = given(decider, completeFile()).when({ type: 'CheckEligibility', otherPendingRequestForNumber: true, numberStatusOnPortingDay: 'active' }, at('2026-03-11')).events();
    expect(replaced.data).toMatchObject({ donorContractTerminatedByOksio: false });
  });
});

describe('POR-09 liability exclusions', () => {
  it('POR-09 a number that loses eligibility before the porting day, or a failure by another operator, is not OKSIO’s liability', () => {
    const [, lost] = given(decider, eligibleFile()).when({ type: 'CheckEligibility', otherPendingRequestForNumber: false, numberStatusOnPortingDay: 'inactive' }, at('2026-04-01')).events();
    expect(lost.data).toMatchObject({ cause: 'ineligible', oksioLiable: false, liabilityExclusion: 'loss_of_eligibility' });

    given(decider, eligibleFile())
      .when({ type: 'RecordPortingFailure', cause: 'other_operator', detail: 'Donor did not deactivate the number' }, at('2026-04-09'))
      .then([
        {
          type: 'PortingReplacedByNewNumber',
          data: {
            ...fallbackFields,
            cause: 'porting_failed',
            rule: 'POR-09',
            reasons: [{ code: 'other_operator', rule: 'POR-09', message: 'Donor did not deactivate the number' }],
            decidedOn: '2026-04-09',
            liabilityExclusion: 'other_operator',
          },
        },
      ]);
  });

  it('POR-09 a late or incomplete file is the client’s, not OKSIO’s, liability', () => {
    const late = play(decider, [request(), form('2026-06-01', '2026-03-05'), doc('previous_contracts', '2026-04-02')]);
    expect(ofType(late, 'PortingReplacedByNewNumber')[0].data).toMatchObject({ oksioLiable: false, liabilityExclusion: 'late_or_incomplete_file' });
  });
});

describe('SUB-15 RIO and end-of-contract date within 15 days', () => {
  const history = play(decider, [request()]);

  it('SUB-15 the end date collected on day 15 is within the window, on day 16 it is late; once collected it is final', () => {
    given(decider, history)
      .when({ type: 'RecordPreviousContractEnd', endsOn: '2026-09-30', collectedOn: '2026-03-17' }, at('2026-03-17'))
      .then([{ type: 'PreviousContractEndRecorded', data: { portingId: 'P1', endsOn: '2026-09-30', collectedOn: '2026-03-17', withinCollectionWindow: true } }]);
    expect(given(decider, history).when({ type: 'RecordPreviousContractEnd', endsOn: '2026-09-30' }, at('2026-03-18')).events()[0].data).toMatchObject({
      withinCollectionWindow: false,
    });
    const recorded = play(decider, [[{ type: 'RecordPreviousContractEnd', endsOn: '2026-09-30' }, at('2026-03-10')]], history);
    given(decider, recorded).when({ type: 'RecordPreviousContractEnd', endsOn: '2026-10-31' }, at('2026-03-11')).thenRejects('previous_contract_end_is_final', 'SUB-15');
    given(decider, recorded).when({ type: 'RecordPreviousContractEnd', endsOn: '2026-09-30' }, at('2026-03-11')).then([]);
  });

  it('SUB-15 a due action at the end of day 15 records what is still outstanding, once', () => {
    const noRio = play(decider, [request({ rio: null })]);
    const sub15 = portingDueDates(stateOf(decider, noRio)).find((d) => d.kind === 'portability.sub15_deadline')!;
    expect(sub15).toMatchObject({ key: 'portability.sub15_deadline:P1:2026-03-17', rule: 'SUB-15', dueOn: '2026-03-17' });
    expect(sub15.dueAt.toISOString()).toBe('2026-03-17T23:00:00.000Z');
    given(decider, noRio).when(sub15.command, at('2026-03-17', '23:00')).thenRejects('deadline_not_reached', 'SUB-15');
    const passed = play(decider, [[sub15.command, at('2026-03-18', '00:00')]], noRio);
    expect(passed.at(-1)).toEqual({
      type: 'PortingDeadlinePassed',
      data: { portingId: 'P1', key: sub15.key, kind: 'portability.sub15_deadline', rule: 'SUB-15', dueOn: '2026-03-17', outstanding: ['rio', 'previous_contract_end_date'] },
    });
    // Not a POR-01 fallback: the porting goes on, and the due action is gone.
    expect(stateOf(decider, passed).status).toBe('collecting');
    expect(portingDueDates(stateOf(decider, passed)).map((d) => d.kind)).toEqual(['portability.documents_deadline']);
    // Collected: nothing outstanding, nothing listed.
    const collected = play(decider, [[{ type: 'RecordPreviousContractEnd', endsOn: '2026-09-30' }, at('2026-03-05')]], history);
    expect(portingDueDates(stateOf(decider, collected)).map((d) => d.kind)).toEqual(['portability.documents_deadline']);
  });
});

describe('due dates of a porting case', () => {
  it('POR-01 POR-05 SUB-15 POR-04 listed with stable keys as the case moves on', () => {
    const requested = play(decider, [request()]);
    expect(dueDates(stateOf(decider, requested)).map((d) => [d.kind, d.key, d.dueAt.toISOString()])).toEqual([
      ['portability.documents_deadline', 'portability.documents_deadline:P1:2026-04-01', '2026-04-01T22:00:00.000Z'],
      ['portability.sub15_deadline', 'portability.sub15_deadline:P1:2026-03-17', '2026-03-17T23:00:00.000Z'],
    ]);
    const withForm = play(decider, [form('2026-04-09', '2026-03-05')], requested);
    expect(dueDates(stateOf(decider, withForm)).map((d) => d.kind)).toEqual([
      'portability.documents_deadline',
      'portability.file_deadline',
      'portability.sub15_deadline',
    ]);
    const eligible = eligibleFile();
    const execute = dueDates(stateOf(decider, eligible)).find((d) => d.kind === 'portability.execute')!;
    expect(execute).toMatchObject({ key: 'portability.execute:P1:2026-04-09', rule: 'POR-04', command: { type: 'ExecutePorting', portingDate: '2026-04-09' } });
    expect(execute.dueAt.toISOString()).toBe('2026-04-08T22:00:00.000Z');
    const ported = play(decider, [[execute.command, execute.dueAt]], eligible);
    expect(dueDates(stateOf(decider, ported))).toEqual([]);
  });
});

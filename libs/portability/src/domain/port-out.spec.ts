import { given } from '@oksio/kernel/testing/decider-spec';
import type { PortingCommand } from './porting-request.commands';
import { portingRequestDecider as decider } from './porting-request.decider';
import { portingDueDates } from './porting-request.due-dates';
import { issueRio, rioControlKey } from './rio';
import { at, play, stateOf } from './testing/fixtures';

/* OKSIO's operator code in these tests is 77; the line is contract S9 / L3 for 07 56 12 34 56. */
const OKSIO = '77';
const OWN_RIO = issueRio(OKSIO, 'S9/L3', '0756123456');

const notify = (over: Partial<PortingCommand & { type: 'NotifyPortOut' }> = {}): PortingCommand => ({
  type: 'NotifyPortOut',
  portingId: 'OUT1',
  customerId: 'C9',
  subscriptionId: 'S9',
  lineId: 'L3',
  msisdn: '+33756123456',
  rio: OWN_RIO,
  oksioOperatorCode: OKSIO,
  issuedRio: OWN_RIO,
  recipientOperatorCode: '01',
  plannedPortingDate: '2026-05-05',
  ...over,
});

describe('outbound porting', () => {
  const requested = play(decider, [[notify(), at('2026-05-04', '09:00')]]);

  it('POR-06 a port-out request is the termination of the OKSIO contract for that number', () => {
    given(decider)
      .when(notify({ rio: ` ${OWN_RIO.slice(0, 3)} ${OWN_RIO.slice(3)} ` }), at('2026-05-04', '09:00'))
      .then([
        {
          type: 'PortOutRequested',
          data: {
            portingId: 'OUT1',
            customerId: 'C9',
            subscriptionId: 'S9',
            lineId: 'L3',
            msisdn: '+33756123456',
            rio: OWN_RIO,
            recipientOperatorCode: '01',
            plannedPortingDate: '2026-05-05',
            terminationRequested: true,
            requestedAt: '2026-05-04T07:00:00.000Z',
          },
        },
      ]);
    // Nothing is time-driven on OKSIO's side: the PNM confirms the actual date.
    expect(portingDueDates(stateOf(decider, requested))).toEqual([]);
  });

  it('POR-06 inside a commitment period the contract ends on the actual porting date and Billing gets the early-termination case', () => {
    given(decider, requested)
      .when({ type: 'ConfirmPortOut', portedOn: '2026-05-06', commitmentPeriodLastDay: '2031-03-31' }, at('2026-05-06', '10:00'))
      .then([
        { type: 'NumberPortedOut', data: { portingId: 'OUT1', msisdn: '+33756123456', portedOn: '2026-05-06' } },
        {
          type: 'LineContractTerminatedByPortOut',
          data: {
            portingId: 'OUT1',
            subscriptionId: 'S9',
            lineId: 'L3',
            msisdn: '+33756123456',
            effectiveOn: '2026-05-06',
            insideCommitment: true,
            commitmentPeriodLastDay: '2031-03-31',
          },
        },
        {
          type: 'PortOutEarlyTerminationFeeDue',
          data: { portingId: 'OUT1', customerId: 'C9', subscriptionId: 'S9', lineId: 'L3', terminationEffectiveOn: '2026-05-06', commitmentPeriodLastDay: '2031-03-31', feeRule: 'SUB-07' },
        },
      ]);
  });

  it('POR-06 outside a commitment period no fee is due (the porting day after the period’s last day, or no commitment)', () => {
    const after = given(decider, requested).when({ type: 'ConfirmPortOut', portedOn: '2026-05-06', commitmentPeriodLastDay: '2026-05-05' }, at('2026-05-06')).events();
    expect(after.map((e) => e.type)).toEqual(['NumberPortedOut', 'LineContractTerminatedByPortOut']);
    expect(after[1].data).toMatchObject({ insideCommitment: false, effectiveOn: '2026-05-06' });
    // On the last day of the period the commitment is not over yet.
    const lastDay = given(decider, requested).when({ type: 'ConfirmPortOut', portedOn: '2026-05-06', commitmentPeriodLastDay: '2026-05-06' }, at('2026-05-06')).events();
    expect(lastDay.map((e) => e.type)).toContain('PortOutEarlyTerminationFeeDue');
    const none = given(decider, requested).when({ type: 'ConfirmPortOut', portedOn: '2026-05-06', commitmentPeriodLastDay: null }, at('2026-05-06')).events();
    expect(none.map((e) => e.type)).toEqual(['NumberPortedOut', 'LineContractTerminatedByPortOut']);
  });

  it('POR-06 the porting date is a fact: not in the future; a repeated confirmation is a no-op', () => {
    given(decider, requested).when({ type: 'ConfirmPortOut', portedOn: '2026-05-07', commitmentPeriodLastDay: null }, at('2026-05-06')).thenRejects('date_in_future', 'POR-06');
    const ported = play(decider, [[{ type: 'ConfirmPortOut', portedOn: '2026-05-06', commitmentPeriodLastDay: null }, at('2026-05-06')]], requested);
    given(decider, ported).when({ type: 'ConfirmPortOut', portedOn: '2026-05-06', commitmentPeriodLastDay: null }, at('2026-05-07')).then([]);
  });

  it('POR-06 a cancelled port-out leaves the contract running', () => {
    given(decider, requested)
      .when({ type: 'CancelPortOut', reason: 'Recipient withdrew the request' }, at('2026-05-04', '15:00'))
      .then([{ type: 'PortOutCancelled', data: { portingId: 'OUT1', reason: 'Recipient withdrew the request', cancelledOn: '2026-05-04' } }]);
    const cancelled = play(decider, [[{ type: 'CancelPortOut', reason: 'x' }, at('2026-05-04')]], requested);
    given(decider, cancelled).when({ type: 'ConfirmPortOut', portedOn: '2026-05-05', commitmentPeriodLastDay: null }, at('2026-05-05')).thenRejects('porting_state_conflict', 'POR-06');
  });

  it('POR-07 OKSIO as donor refuses, with its reason, a RIO that is not its RIO for the number', () => {
    const refusal = (rio: string, issuedRio: string | null = OWN_RIO) =>
      given(decider).when(notify({ rio, issuedRio }), at('2026-05-04')).events()[1];
    expect(refusal(OWN_RIO.slice(0, 9) + 'AAA')).toMatchObject({ type: 'PortOutRefused', data: { code: 'incomplete_or_wrong_request', reason: expect.stringContaining('key_mismatch') } });
    // Another operator's code, or a consumer qualifier: not an OKSIO RIO.
    const foreign = `02E${OWN_RIO.slice(3, 9)}`;
    expect(refusal(foreign + rioControlKey(foreign, '0756123456'), null).data).toMatchObject({ reason: expect.stringContaining('operator_code_mismatch') });
    const consumer = `77P${OWN_RIO.slice(3, 9)}`;
    expect(refusal(consumer + rioControlKey(consumer, '0756123456'), null).data).toMatchObject({ reason: expect.stringContaining('qualifier_not_allowed') });
    // Key-valid but not the RIO issued by OKSIO for the line.
    const forged = '77EZZZZZZ';
    expect(refusal(forged + rioControlKey(forged, '0756123456')).data).toMatchObject({ reason: expect.stringContaining('is not the RIO OKSIO issued') });
    expect(stateOf(decider, given(decider).when(notify({ rio: 'bad' }), at('2026-05-04')).events()).status).toBe('port_out_refused');
  });
});

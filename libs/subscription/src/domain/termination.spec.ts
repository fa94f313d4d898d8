import { given } from '@oksio/kernel/testing/decider-spec';
import type { SubscriptionCommand } from './commands';
import type { EventOf, SubscriptionEvent } from './events';
import { subscriptionDecider } from './subscription.decider';
import { active, continueWith, on, SUB } from './testing/fixtures';

const d = subscriptionDecider;

const notice = (lrarReceivedOn: string, extra: Partial<Extract<SubscriptionCommand, { type: 'ReceiveTerminationNotice' }>> = {}): SubscriptionCommand => ({
  type: 'ReceiveTerminationNotice',
  noticeId: 'n1',
  from: 'client',
  channel: 'registered_letter_with_ack',
  lrarReceivedOn,
  ...extra,
});

function dataOf<T extends SubscriptionEvent['type']>(events: SubscriptionEvent[], type: T): EventOf<T>['data'] {
  const found = events.find((e) => e.type === type);
  if (!found) throw new Error(`no ${type} event`);
  // TypeScript cannot index a still-generic Extract<…>; call sites get the precise type.
  return found.data as EventOf<T>['data'];
}

describe('termination', () => {
  // DATA and PBX: SUB-04. Initial period 2026-04-01 … 2031-03-31.
  const data = active('DATA');
  // MOBILE: CG, SUB-05. Same calendar.
  const mobile = active('MOBILE');

  it('SUB-04 a letter received exactly 3 months before the period end terminates at that end, with no fee', () => {
    given(d, data)
      .when(notice('2030-12-31'), on('2031-01-05'))
      .then([
        {
          type: 'TerminationNoticeReceived',
          data: {
            subscriptionId: SUB,
            noticeId: 'n1',
            from: 'client',
            channel: 'registered_letter_with_ack',
            lrarReceivedOn: '2030-12-31',
            requestedEndOn: null,
            rule: 'SUB-04',
            endsOn: '2031-03-31',
            endWithoutFee: '2031-03-31',
            noticeDeadlineForCurrentPeriod: '2030-12-31',
            early: false,
            monthBilledInFull: '2031-03',
            monthsRemaining: 0,
            commitmentPeriodLastDay: null,
            feeBasis: 'none',
            earlyTerminationFeeDue: false,
          },
        },
      ]);
  });

  it('SUB-04 a letter received one day late takes effect at the end of the NEXT period', () => {
    const events = given(d, data).when(notice('2031-01-01'), on('2031-01-05')).events();
    expect(dataOf(events, 'TerminationNoticeReceived')).toMatchObject({ endsOn: '2032-03-31', noticeDeadlineForCurrentPeriod: '2030-12-31', early: false });
  });

  it('SUB-04 only a registered letter with acknowledgement is admissible, and one notice at a time', () => {
    given(d, data).when(notice('2030-06-01', { channel: 'email' }), on('2030-06-02')).thenRejects('registered_letter_required', 'SUB-04');
    given(d, mobile).when(notice('2030-06-01', { channel: 'letter' }), on('2030-06-02')).thenRejects('registered_letter_required', 'SUB-05');
    const noticed = continueWith(data, [[notice('2030-06-01'), on('2030-06-02')]]);
    given(d, noticed).when(notice('2030-06-03', { noticeId: 'n2' }), on('2030-06-03')).thenRejects('termination_already_pending', 'SUB-04');
  });

  it('SUB-04 HOSTED_PBX: 12-month period ending 29 February 2028 (leap year): deadline 30 November', () => {
    const pbx = active('HOSTED_PBX', { activatedOn: '2027-02-10', signedOn: '2027-02-01', quoteDate: '2027-01-15' });
    expect(dataOf(given(d, pbx).when(notice('2027-11-30'), on('2027-12-01')).events(), 'TerminationNoticeReceived')).toMatchObject({ endsOn: '2028-02-29' });
    expect(dataOf(given(d, pbx).when(notice('2027-12-01'), on('2027-12-01')).events(), 'TerminationNoticeReceived')).toMatchObject({ endsOn: '2029-02-28' });
  });

  it('SUB-05 CG services: 3 months from receipt after the initial period, no fee', () => {
    const events = given(d, mobile).when(notice('2031-02-15'), on('2031-02-16')).events();
    expect(dataOf(events, 'TerminationNoticeReceived')).toMatchObject({
      rule: 'SUB-05',
      endsOn: '2031-05-15',
      noticeDeadlineForCurrentPeriod: null,
      early: false,
      monthsRemaining: 0,
      monthBilledInFull: '2031-05',
      earlyTerminationFeeDue: false,
    });
    // Month-end clamping: 30 November + 3 months = 29 February in a leap year.
    expect(dataOf(given(d, mobile).when(notice('2031-11-30'), on('2031-12-01')).events(), 'TerminationNoticeReceived').endsOn).toBe('2032-02-29');
  });

  it('SUB-05 a letter received during the initial period takes effect at its end at the earliest (decision: "after the initial period")', () => {
    expect(dataOf(given(d, mobile).when(notice('2030-06-15'), on('2030-06-16')).events(), 'TerminationNoticeReceived')).toMatchObject({ endsOn: '2031-03-31', early: false });
    const fixed = active('FIXED_VGA');
    expect(dataOf(given(d, fixed).when(notice('2031-01-10', { from: 'oksio' }), on('2031-01-11')).events(), 'TerminationNoticeReceived')).toMatchObject({
      from: 'oksio',
      endsOn: '2031-04-10',
    });
  });

  it('SUB-05 after the initial period the 3 months cannot be shortened, by either party', () => {
    given(d, mobile).when(notice('2031-06-01', { requestedEndOn: '2031-07-31' }), on('2031-06-02')).thenRejects('notice_period_not_respected', 'SUB-05');
    given(d, mobile).when(notice('2030-06-01', { from: 'oksio', requestedEndOn: '2030-07-31' }), on('2030-06-02')).thenRejects('notice_period_not_respected', 'SUB-05');
  });

  it('SUB-07 early termination in the initial period: months after the month it takes effect, to the period end', () => {
    const events = given(d, data).when(notice('2030-10-01', { requestedEndOn: '2030-10-15' }), on('2030-10-02')).events();
    expect(dataOf(events, 'TerminationNoticeReceived')).toMatchObject({
      endsOn: '2030-10-15',
      endWithoutFee: '2031-03-31',
      early: true,
      monthBilledInFull: '2030-10',
      monthsRemaining: 5,
      commitmentPeriodLastDay: '2031-03-31',
      feeBasis: 'early_termination_average',
      earlyTerminationFeeDue: true,
    });
    const m = dataOf(given(d, mobile).when(notice('2028-10-02', { requestedEndOn: '2028-10-15' }), on('2028-10-02')).events(), 'TerminationNoticeReceived');
    expect(m).toMatchObject({ rule: 'SUB-05', monthsRemaining: 29, commitmentPeriodLastDay: '2031-03-31' });
    // Within a DATA renewal period too (every SUB-04 period commits).
    const r = dataOf(given(d, data).when(notice('2031-05-02', { requestedEndOn: '2031-05-31' }), on('2031-05-02')).events(), 'TerminationNoticeReceived');
    expect(r).toMatchObject({ monthsRemaining: 10, commitmentPeriodLastDay: '2032-03-31' });
    given(d, data).when(notice('2030-10-01', { requestedEndOn: '2030-09-30' }), on('2030-10-02')).thenRejects('end_before_notice', 'SUB-04');
    given(d, data).when(notice('2030-10-01', { requestedEndOn: '2031-06-30' }), on('2030-10-02')).thenRejects('not_a_period_end', 'SUB-04');
  });

  it('SUB-06 the scheduled termination bills the month of the last day in full and records what survives', () => {
    const noticed = continueWith(data, [[notice('2030-10-01', { requestedEndOn: '2030-10-15' }), on('2030-10-02')]]);
    given(d, noticed).when({ type: 'ApplyTermination', endsOn: '2030-10-15' }, new Date('2030-10-15T21:00:00Z')).thenRejects('termination_not_due');
    given(d, noticed)
      .when({ type: 'ApplyTermination', endsOn: '2030-10-15' }, new Date('2030-10-15T22:00:00Z'))
      .then([
        {
          type: 'SubscriptionTerminated',
          data: {
            subscriptionId: SUB,
            endsOn: '2030-10-15',
            cause: 'early_termination',
            rule: 'SUB-04',
            monthBilledInFull: '2030-10',
            monthsRemaining: 5,
            commitmentPeriodLastDay: '2031-03-31',
            feeBasis: 'early_termination_average',
            earlyTerminationFeeDue: true,
            noIndemnityToClient: false,
            sumsDueRemain: true,
            survivingObligations: ['payment_of_sums_due'],
            acceptedOrdersInProgress: [],
          },
        },
      ]);
    const ended = continueWith(noticed, [[{ type: 'ApplyTermination', endsOn: '2030-10-15' }, on('2030-10-16')]]);
    given(d, ended).when({ type: 'ApplyTermination', endsOn: '2030-10-15' }, on('2030-10-17')).then([]);
    given(d, noticed).when({ type: 'ApplyTermination', endsOn: '2030-10-31' }, on('2030-11-01')).thenRejects('termination_not_scheduled');
    // The whole-month rule is part of the terms profile: a contract may waive it.
    const prorated = active('DATA', { overrides: { billFullMonthAtTermination: false } });
    expect(dataOf(given(d, prorated).when(notice('2030-12-31'), on('2031-01-02')).events(), 'TerminationNoticeReceived').monthBilledInFull).toBeNull();
  });

  it('SUB-08 immediate termination by OKSIO: no indemnity, sums due remain, the early-termination basis is emitted', () => {
    const [event] = given(d, data).when({ type: 'TerminateImmediately', reason: 'false_declaration', details: 'SIRET usurpé' }, on('2028-06-10')).events();
    expect(event).toEqual({
      type: 'SubscriptionTerminated',
      data: {
        subscriptionId: SUB,
        endsOn: '2028-06-10',
        cause: 'false_declaration',
        rule: 'SUB-08',
        monthBilledInFull: '2028-06',
        monthsRemaining: 33,
        commitmentPeriodLastDay: '2031-03-31',
        feeBasis: 'early_termination_average',
        earlyTerminationFeeDue: true,
        noIndemnityToClient: true,
        sumsDueRemain: true,
        survivingObligations: ['payment_of_sums_due'],
        acceptedOrdersInProgress: [],
      },
    });
    for (const reason of ['client_breach', 'payment_incident'] as const) {
      expect(given(d, data).when({ type: 'TerminateImmediately', reason, details: 'x' }, on('2028-06-10')).events()[0].data).toMatchObject({ cause: reason, rule: 'SUB-08' });
    }
    given(d, data).when({ type: 'TerminateImmediately', reason: 'client_breach', details: '' }, on('2028-06-10')).thenRejects('required', 'SUB-08');
    // Force majeure goes through SUS-05: it must have lasted more than a month.
    given(d, data).when({ type: 'TerminateImmediately', reason: 'force_majeure', details: 'tempête' }, on('2028-06-10')).thenRejects('no_force_majeure', 'SUS-05');
  });

  it('SUS-03 SIM fraud or duplication: MOBILE termination without notice', () => {
    const [event] = given(d, mobile).when({ type: 'TerminateImmediately', reason: 'fraud_or_sim_duplication', details: 'SIM dupliquée' }, on('2027-01-12')).events();
    expect(event.data).toMatchObject({ cause: 'fraud_or_sim_duplication', rule: 'SUS-03', noIndemnityToClient: true, endsOn: '2027-01-12' });
    given(d, data).when({ type: 'TerminateImmediately', reason: 'fraud_or_sim_duplication', details: 'x' }, on('2027-01-12')).thenRejects('not_applicable_to_service', 'SUS-03');
  });

  it('SUB-16 the end of the local-loop subscription ends that fixed line automatically, early-termination fee due', () => {
    const sip = active('FIXED_SIP'); // two lines
    given(d, sip)
      .when({ type: 'RecordLocalLoopSubscriptionEnded', lineId: 'line-1', endedOn: '2029-02-10', change: 'cancelled' }, on('2029-02-11'))
      .then([
        {
          type: 'ItemTerminated',
          data: {
            subscriptionId: SUB,
            itemId: 'line-1',
            endsOn: '2029-02-10',
            cause: 'local_loop_subscription_ended',
            rule: 'SUB-16',
            localLoopChange: 'cancelled',
            monthBilledInFull: '2029-02',
            monthsRemaining: 25,
            commitmentPeriodLastDay: '2031-03-31',
            feeBasis: 'early_termination_average',
          },
        },
      ]);
    // The last line ending ends the contract (its fee was counted on the line).
    const oneLeft = continueWith(sip, [[{ type: 'RecordLocalLoopSubscriptionEnded', lineId: 'line-1', endedOn: '2029-02-10', change: 'temporary' }, on('2029-02-11')]]);
    const events = given(d, oneLeft).when({ type: 'RecordLocalLoopSubscriptionEnded', lineId: 'line-2', endedOn: '2029-03-01', change: 'selective_access' }, on('2029-03-02')).events();
    expect(events.map((e) => e.type)).toEqual(['ItemTerminated', 'SubscriptionTerminated']);
    expect(events[1].data).toMatchObject({ cause: 'all_items_terminated', rule: 'SUB-16', earlyTerminationFeeDue: false, endsOn: '2029-03-01' });
    given(d, oneLeft).when({ type: 'RecordLocalLoopSubscriptionEnded', lineId: 'line-1', endedOn: '2029-02-10', change: 'cancelled' }, on('2029-03-02')).thenRejects('line_not_active', 'SUB-16');
    given(d, data).when({ type: 'RecordLocalLoopSubscriptionEnded', lineId: 'link-1', endedOn: '2029-02-10', change: 'cancelled' }, on('2029-03-02')).thenRejects('not_applicable_to_service', 'SUB-16');
  });

  it('SUB-19 HOSTED_PBX software withdrawn: at least 18 months\' notice, fee stops at the end of the month the service ends', () => {
    const pbx = active('HOSTED_PBX');
    given(d, pbx)
      .when({ type: 'AnnounceSoftwareWithdrawal' }, on('2027-05-10'))
      .then([{ type: 'SoftwareWithdrawalAnnounced', data: { subscriptionId: SUB, noticeOn: '2027-05-10', serviceEndsOn: '2028-11-10', feeStopsAfter: '2028-11-30', monthBilledInFull: '2028-11' } }]);
    given(d, pbx).when({ type: 'AnnounceSoftwareWithdrawal', serviceEndsOn: '2028-11-09' }, on('2027-05-10')).thenRejects('withdrawal_notice_too_short', 'SUB-19');
    const announced = continueWith(pbx, [[{ type: 'AnnounceSoftwareWithdrawal', serviceEndsOn: '2028-12-15' }, on('2027-05-10')]]);
    const [ended] = given(d, announced).when({ type: 'ApplyTermination', endsOn: '2028-12-15' }, on('2028-12-16')).events();
    expect(ended.data).toMatchObject({ cause: 'software_withdrawn', rule: 'SUB-19', monthBilledInFull: '2028-12', earlyTerminationFeeDue: false, feeBasis: 'none' });
    given(d, data).when({ type: 'AnnounceSoftwareWithdrawal' }, on('2027-05-10')).thenRejects('not_applicable_to_service', 'SUB-19');
  });

  it('SUB-20 payment obligations and accepted orders in progress survive the termination (PBX: also CP 10.4 art. 9.4)', () => {
    const withOrder = continueWith(data, [
      [{ type: 'RequestDataChange', changeId: 'c1', itemId: 'link-1', kind: 'range', channel: 'electronic', details: 'passage gamme Pro' }, on('2028-01-10')],
      [{ type: 'RecordDataChangeFeasibility', changeId: 'c1', feasible: true }, on('2028-01-12')],
    ]);
    const [ended] = given(d, withOrder).when({ type: 'TerminateImmediately', reason: 'client_breach', details: 'x' }, on('2028-01-20')).events();
    expect(ended.data).toMatchObject({ survivingObligations: ['payment_of_sums_due', 'accepted_orders_in_progress'], acceptedOrdersInProgress: ['data-change:c1'] });
    const pbx = active('HOSTED_PBX');
    const [pbxEnded] = given(d, pbx).when({ type: 'TerminateImmediately', reason: 'client_breach', details: 'x' }, on('2026-08-20')).events();
    expect(pbxEnded.data).toMatchObject({ survivingObligations: ['payment_of_sums_due', 'respect_of_oksio_rights'] });
  });

  it('SUS-02 termination for non-payment takes effect 2 days after the LRAR is received; sums due remain', () => {
    given(d, data)
      .when({ type: 'NotifyTerminationForNonPayment', invoiceRef: 'F-1', invoiceDueOn: '2027-05-10', lrarReceivedOn: '2027-06-01' }, on('2027-06-01'))
      .then([
        {
          type: 'NonPaymentTerminationNotified',
          data: {
            subscriptionId: SUB,
            invoiceRef: 'F-1',
            invoiceDueOn: '2027-05-10',
            lrarReceivedOn: '2027-06-01',
            endsOn: '2027-06-03',
            monthBilledInFull: '2027-06',
            monthsRemaining: 45,
            commitmentPeriodLastDay: '2031-03-31',
            feeBasis: 'early_termination_average',
            earlyTerminationFeeDue: true,
          },
        },
      ]);
    const notified = continueWith(data, [[{ type: 'NotifyTerminationForNonPayment', invoiceRef: 'F-1', invoiceDueOn: '2027-05-10', lrarReceivedOn: '2027-06-01' }, on('2027-06-01')]]);
    given(d, notified).when({ type: 'ApplyTermination', endsOn: '2027-06-03' }, new Date('2027-06-03T12:00:00Z')).thenRejects('termination_not_due', 'SUS-02');
    const [ended] = given(d, notified).when({ type: 'ApplyTermination', endsOn: '2027-06-03' }, on('2027-06-04')).events();
    expect(ended.data).toMatchObject({ cause: 'non_payment', rule: 'SUS-02', sumsDueRemain: true, noIndemnityToClient: true });
    given(d, data)
      .when({ type: 'NotifyTerminationForNonPayment', invoiceRef: 'F-1', invoiceDueOn: '2027-06-01', lrarReceivedOn: '2027-06-01' }, on('2027-06-01'))
      .thenRejects('invoice_not_overdue', 'SUS-02');
  });
});

import { given } from '@oksio/kernel/testing/decider-spec';
import { commandForDueAction, dueDates, terminationNoticeDeadline } from './due-dates';
import type { SubscriptionEvent } from './events';
import { subscriptionDecider } from './subscription.decider';
import { active, continueWith, on, signed, stateOf } from './testing/fixtures';

const d = subscriptionDecider;
const kinds = (history: SubscriptionEvent[]) => dueDates(stateOf(history)).map((a) => a.kind).sort();

/** What the scheduler does: send every due command (earliest first) until nothing more is due at `now`. */
function runScheduler(history: SubscriptionEvent[], now: Date): SubscriptionEvent[] {
  let current = history;
  for (let i = 0; i < 100; i++) {
    const due = dueDates(stateOf(current))
      .filter((a) => a.dueAt <= now)
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    if (due.length === 0) return current;
    current = continueWith(current, [[commandForDueAction(due[0].kind, due[0].payload), now]]);
  }
  throw new Error('scheduler did not settle');
}

describe('due dates (scheduler feed)', () => {
  const data = active('DATA'); // initial period 2026-04-01 … 2031-03-31

  it('SUB-03 lists the renewal at the end of the current period, and SUB-04 the notice deadline, with stable keys and commands', () => {
    expect(dueDates(stateOf(data))).toEqual([
      {
        kind: 'subscription.renewal',
        key: 'subscription.renewal:s1:2031-03-31',
        rule: 'SUB-03',
        dueAt: new Date('2031-03-31T22:00:00Z'), // Paris midnight, summer time
        payload: { subscriptionId: 's1', command: { type: 'ApplyRenewal', periodLastDay: '2031-03-31' } },
      },
      {
        kind: 'subscription.termination_notice_deadline',
        key: 'subscription.termination_notice_deadline:s1:2031-03-31',
        rule: 'SUB-04',
        dueAt: new Date('2030-12-31T23:00:00Z'), // Paris midnight, winter time
        payload: { subscriptionId: 's1', command: { type: 'RecordDeadlinePassed', key: 'subscription.termination_notice_deadline:s1:2031-03-31' } },
      },
    ]);
    // CG services have no period-end deadline (SUB-05); MOBILE still awaits its lines' info (SUB-15).
    expect(kinds(active('MOBILE'))).toEqual(['subscription.line_info_collection_deadline', 'subscription.renewal']);
    expect(kinds(active('FIXED_VGA'))).toEqual(['subscription.renewal']);
  });

  it('SUB-04 a termination at the period end replaces the renewal by the termination effective date', () => {
    const noticed = continueWith(data, [
      [{ type: 'ReceiveTerminationNotice', noticeId: 'n', from: 'client', channel: 'registered_letter_with_ack', lrarReceivedOn: '2030-11-02' }, on('2030-11-02')],
    ]);
    expect(dueDates(stateOf(noticed))).toEqual([
      {
        kind: 'subscription.termination_effective',
        key: 'subscription.termination_effective:s1:2031-03-31',
        rule: 'SUB-04',
        dueAt: new Date('2031-03-31T22:00:00Z'),
        payload: { subscriptionId: 's1', command: { type: 'ApplyTermination', endsOn: '2031-03-31' } },
      },
    ]);
    // A late letter ends the contract a period later: the renewal of this period stays.
    const late = continueWith(data, [
      [{ type: 'ReceiveTerminationNotice', noticeId: 'n', from: 'client', channel: 'registered_letter_with_ack', lrarReceivedOn: '2031-01-02' }, on('2031-01-02')],
    ]);
    expect(kinds(late)).toEqual(['subscription.renewal', 'subscription.termination_effective']);
    const ended = runScheduler(late, on('2032-04-02'));
    expect(stateOf(ended)).toMatchObject({ phase: 'terminated', endedOn: '2032-03-31' });
    expect(dueDates(stateOf(ended))).toEqual([]);
  });

  it('SUB-03 a test-clock jump of years renews period after period, each exactly once', () => {
    const later = runScheduler(data, on('2034-06-01'));
    const renewals = later.filter((e) => e.type === 'SubscriptionRenewed').map((e) => (e.data as { endedPeriodLastDay: string }).endedPeriodLastDay);
    expect(renewals).toEqual(['2031-03-31', '2032-03-31', '2033-03-31', '2034-03-31']);
    expect(stateOf(later).startedPeriodIndex).toBe(4);
    expect(later.filter((e) => e.type === 'DeadlinePassed')).toHaveLength(4);
    // Running again at the same instant does nothing.
    expect(runScheduler(later, on('2034-06-01'))).toHaveLength(later.length);
  });

  it('SUB-15 the line-info deadline is listed until every line is collected; recording it is idempotent', () => {
    const mobile = signed('MOBILE', { signedOn: '2026-03-20' });
    const [action] = dueDates(stateOf(mobile));
    expect(action).toMatchObject({ kind: 'subscription.line_info_collection_deadline', key: 'subscription.line_info_collection_deadline:s1:2026-04-04', dueAt: new Date('2026-04-04T22:00:00Z') });
    given(d, mobile).when(action.payload.command, new Date('2026-04-04T21:59:00Z')).thenRejects('deadline_not_reached', 'SUB-15');
    given(d, mobile)
      .when(action.payload.command, new Date('2026-04-04T22:00:00Z'))
      .then([{ type: 'DeadlinePassed', data: { subscriptionId: 's1', key: action.key, kind: action.kind, rule: 'SUB-15', dueAt: '2026-04-04T22:00:00.000Z' } }]);
    const passed = continueWith(mobile, [[action.payload.command, on('2026-04-05')]]);
    given(d, passed).when(action.payload.command, on('2026-04-06')).then([]);
    expect(dueDates(stateOf(passed))).toEqual([]);
    const collected = continueWith(mobile, [
      [{ type: 'RecordLineInfo', lineId: 'line-1', rio: 'a', previousContractEndsOn: null }, on('2026-03-25')],
      [{ type: 'RecordLineInfo', lineId: 'line-2', rio: 'b', previousContractEndsOn: null }, on('2026-03-26')],
    ]);
    expect(dueDates(stateOf(collected))).toEqual([]);
    // The obligation was met: a stale scheduler row records nothing.
    given(d, collected).when(action.payload.command, on('2026-04-05')).then([]);
  });

  it('SUB-12 / SUB-11 / SUB-10 answer and notice deadlines of DATA requests are listed until met', () => {
    const busy = continueWith(data, [
      [{ type: 'RequestPlanMigration', migrationId: 'm1', itemId: 'link-1', targetPlan: 'SDSL-8M', targetRange: 'DATA', requestedOn: '2027-03-01' }, on('2027-03-01')],
      [{ type: 'RequestEquipmentModification', requestId: 'e1', channel: 'electronic', description: 'x' }, on('2027-03-01')],
      [{ type: 'RecordSaturation', saturationId: 's1', triggeredOn: '2027-03-01' }, on('2027-03-01')],
    ]);
    const byKind = Object.fromEntries(dueDates(stateOf(busy)).map((a) => [a.kind, a.dueAt.toISOString()]));
    // Requested on 1 March: answers due by the end of 16 March (15 days) and 8 March (7 days);
    // the 12 weeks end with 24 May (summer time by then).
    expect(byKind).toMatchObject({
      'subscription.plan_migration_answer_deadline': '2027-03-16T23:00:00.000Z',
      'subscription.plan_migration_cancellation_right': '2027-05-24T22:00:00.000Z',
      'subscription.equipment_answer_deadline': '2027-03-08T23:00:00.000Z',
      'subscription.saturation_notice_deadline': '2027-03-16T23:00:00.000Z',
    });
    const answered = continueWith(busy, [
      [{ type: 'AnswerPlanMigration', migrationId: 'm1', outcome: 'accepted' }, on('2027-03-05')],
      [{ type: 'AnswerEquipmentModification', requestId: 'e1', approved: true }, on('2027-03-05')],
      [{ type: 'NotifySaturationDelay', saturationId: 's1' }, on('2027-03-05')],
    ]);
    expect(kinds(answered)).toEqual(['subscription.plan_migration_cancellation_right', 'subscription.renewal', 'subscription.termination_notice_deadline']);
  });

  it('SUS-04 / SUS-05 the lost-SIM confirmation deadline and the force-majeure termination right are listed', () => {
    const mobile = continueWith(active('MOBILE'), [
      [{ type: 'ReportLostOrStolenSim', suspensionId: 'ls1', lineId: 'line-1', kind: 'lost', factsOn: '2026-04-30' }, on('2026-04-30')],
      [{ type: 'SuspendService', suspensionId: 'fm', reason: 'force_majeure', scope: 'full', forceMajeureStartedOn: '2026-06-10' }, on('2026-06-10')],
    ]);
    const byKind = Object.fromEntries(dueDates(stateOf(mobile)).map((a) => [a.kind, a]));
    expect(byKind['subscription.lost_sim_confirmation_deadline']).toMatchObject({ key: 'subscription.lost_sim_confirmation_deadline:s1:ls1', dueAt: new Date('2026-05-05T22:00:00Z'), rule: 'SUS-04' });
    expect(byKind['subscription.force_majeure_termination_right']).toMatchObject({ key: 'subscription.force_majeure_termination_right:s1:fm', dueAt: new Date('2026-07-10T22:00:00Z'), rule: 'SUS-05' });
    const confirmed = continueWith(mobile, [[{ type: 'ConfirmLostOrStolenSim', suspensionId: 'ls1', lrarReceivedOn: '2026-05-04', policeReportEnclosed: false }, on('2026-06-11')]]);
    expect(kinds(confirmed)).not.toContain('subscription.lost_sim_confirmation_deadline');
  });

  it('commandForDueAction refuses kinds of other contexts', () => {
    expect(() => commandForDueAction('incident.sla_breach', {})).toThrow(expect.objectContaining({ code: 'unknown_due_action' }));
  });
});

describe('issue 18 item 9 — SUB-04 notice deadlines exist for DATA and HOSTED_PBX only', () => {
  it('SUB-04 DATA and HOSTED_PBX: the latest receipt date for the current period end (the due action and the read model share it)', () => {
    expect(terminationNoticeDeadline(stateOf(active('DATA')))).toBe('2030-12-31');
    expect(terminationNoticeDeadline(stateOf(active('HOSTED_PBX')))).toBe('2026-12-31');
  });

  it.each(['MOBILE', 'FIXED_SIP', 'FIXED_VGA'] as const)('SUB-05 %s: notice runs from receipt, so there is no deadline (null) and no deadline due action', (service) => {
    const state = stateOf(active(service));
    expect(state.phase).toBe('active');
    expect(terminationNoticeDeadline(state)).toBeNull();
    expect(dueDates(state).map((a) => a.kind)).not.toContain('subscription.termination_notice_deadline');
  });

  it('SUB-04 no deadline before activation nor once an end is pending', () => {
    expect(terminationNoticeDeadline(stateOf(signed('DATA')))).toBeNull();
    const noticed = continueWith(active('DATA'), [
      [{ type: 'ReceiveTerminationNotice', noticeId: 'n', from: 'client', channel: 'registered_letter_with_ack', lrarReceivedOn: '2030-11-02' }, on('2030-11-02')],
    ]);
    expect(terminationNoticeDeadline(stateOf(noticed))).toBeNull();
  });
});

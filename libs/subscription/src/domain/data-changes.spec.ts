import { given } from '@oksio/kernel/testing/decider-spec';
import { subscriptionDecider } from './subscription.decider';
import { active, continueWith, on, stateOf, SUB } from './testing/fixtures';

const d = subscriptionDecider;

describe('DATA changes', () => {
  const data = active('DATA'); // link-1 on SDSL-4M; initial period 2026-04-01 … 2031-03-31
  const requested = continueWith(data, [
    [{ type: 'RequestPlanMigration', migrationId: 'm1', itemId: 'link-1', targetPlan: 'SDSL-8M', targetRange: 'DATA', requestedOn: '2027-03-01' }, on('2027-03-01')],
  ]);

  it('SUB-12 a plan migration stays within the Data range; OKSIO answers within 15 days; the current plan stays meanwhile', () => {
    given(d, data)
      .when({ type: 'RequestPlanMigration', migrationId: 'm1', itemId: 'link-1', targetPlan: 'SDSL-8M', targetRange: 'DATA', requestedOn: '2027-03-01' }, on('2027-03-01'))
      .then([
        {
          type: 'PlanMigrationRequested',
          data: { subscriptionId: SUB, migrationId: 'm1', itemId: 'link-1', currentPlan: 'SDSL-4M', targetPlan: 'SDSL-8M', requestedOn: '2027-03-01', answerDueOn: '2027-03-16', twelveWeeksEndOn: '2027-05-24' },
        },
      ]);
    given(d, data)
      .when({ type: 'RequestPlanMigration', migrationId: 'm1', itemId: 'link-1', targetPlan: 'FIBRE-1G', targetRange: 'FIBRE', requestedOn: '2027-03-01' }, on('2027-03-01'))
      .thenRejects('migration_outside_data_range', 'SUB-12');
    expect(stateOf(requested).items['link-1'].plan).toBe('SDSL-4M');

    const [onTime] = given(d, requested).when({ type: 'AnswerPlanMigration', migrationId: 'm1', outcome: 'accepted', plannedOn: '2027-04-01' }, on('2027-03-16')).events();
    expect(onTime.data).toMatchObject({ withinDeadline: true, delayExceedsTwelveWeeks: false, currentPlanKept: true });
    const [late] = given(d, requested).when({ type: 'AnswerPlanMigration', migrationId: 'm1', outcome: 'refused' }, on('2027-03-17')).events();
    expect(late.data).toMatchObject({ withinDeadline: false, outcome: 'refused', plannedOn: null });
    const refused = continueWith(requested, [[{ type: 'AnswerPlanMigration', migrationId: 'm1', outcome: 'refused' }, on('2027-03-10')]]);
    expect(stateOf(refused).items['link-1'].plan).toBe('SDSL-4M');
    given(d, refused).when({ type: 'CompletePlanMigration', migrationId: 'm1', migratedOn: '2027-04-01', speedChanged: false }, on('2027-04-01')).thenRejects('migration_not_accepted', 'SUB-12');
    given(d, requested).when({ type: 'AnswerPlanMigration', migrationId: 'm1', outcome: 'postponed' }, on('2027-03-10')).thenRejects('required', 'SUB-12');
  });

  it('SUB-12 the client may cancel the request only once the delay exceeds 12 weeks', () => {
    given(d, requested).when({ type: 'CancelPlanMigration', migrationId: 'm1' }, on('2027-05-24')).thenRejects('migration_cancellation_too_early', 'SUB-12');
    given(d, requested)
      .when({ type: 'CancelPlanMigration', migrationId: 'm1' }, on('2027-05-25'))
      .then([{ type: 'PlanMigrationCancelled', data: { subscriptionId: SUB, migrationId: 'm1', cancelledOn: '2027-05-25' } }]);
    // Announced beyond 12 weeks: cancellable at once.
    const postponed = continueWith(requested, [[{ type: 'AnswerPlanMigration', migrationId: 'm1', outcome: 'postponed', plannedOn: '2027-06-15' }, on('2027-03-10')]]);
    expect(postponed.at(-1)?.data).toMatchObject({ delayExceedsTwelveWeeks: true });
    expect(given(d, postponed).when({ type: 'CancelPlanMigration', migrationId: 'm1' }, on('2027-03-11')).events()[0].type).toBe('PlanMigrationCancelled');
  });

  it('SUB-12 a completed migration changes the plan (and re-commits when the speed changes, SUB-13)', () => {
    const accepted = continueWith(requested, [[{ type: 'AnswerPlanMigration', migrationId: 'm1', outcome: 'accepted' }, on('2027-03-05')]]);
    const events = given(d, accepted).when({ type: 'CompletePlanMigration', migrationId: 'm1', migratedOn: '2027-04-12', speedChanged: true }, on('2027-04-12')).events();
    expect(events.map((e) => e.type)).toEqual(['PlanMigrated', 'CommitmentRestarted']);
    expect(stateOf([...accepted, ...events]).items['link-1'].plan).toBe('SDSL-8M');
  });

  it('SUB-13 a speed change re-commits for the initial period\'s length from the change date', () => {
    given(d, data)
      .when({ type: 'ChangeDataLinkCapacity', itemId: 'link-1', change: 'speed', from: '4M', to: '8M', changedOn: '2028-01-31' }, on('2028-02-01'))
      .then([
        { type: 'DataLinkCapacityChanged', data: { subscriptionId: SUB, itemId: 'link-1', change: 'speed', from: '4M', to: '8M', changedOn: '2028-01-31' } },
        {
          type: 'CommitmentRestarted',
          data: {
            subscriptionId: SUB,
            changedOn: '2028-01-31',
            period: { index: 0, kind: 'initial', firstDay: '2028-01-31', lastDay: '2033-01-30' },
            termMonths: 60,
            renewalPeriodMonths: 12,
            replacedPeriodLastDay: '2031-03-31',
          },
        },
      ]);
  });

  it('SUB-13 an SDSL pair change re-commits too; the new calendar drives notices and renewals', () => {
    const changed = continueWith(data, [[{ type: 'ChangeDataLinkCapacity', itemId: 'link-1', change: 'sdsl_pairs', from: '1', to: '2', changedOn: '2028-05-15' }, on('2028-05-15')]]);
    const state = stateOf(changed);
    expect(state.schedule).toEqual({ firstDay: '2028-05-15', initialTermMonths: 60, renewalPeriodMonths: 12 });
    // Old end 2031-03-31 no longer applies: a notice now ends the contract on 2033-05-14.
    const [noticed] = given(d, changed)
      .when({ type: 'ReceiveTerminationNotice', noticeId: 'n', from: 'client', channel: 'registered_letter_with_ack', lrarReceivedOn: '2030-12-31' }, on('2031-01-02'))
      .events();
    expect(noticed.data).toMatchObject({ endsOn: '2033-05-14', noticeDeadlineForCurrentPeriod: '2033-02-14' });
    // A re-commitment while leaving would cancel the notice silently: refused.
    const leaving = continueWith(data, [[{ type: 'ReceiveTerminationNotice', noticeId: 'n', from: 'client', channel: 'registered_letter_with_ack', lrarReceivedOn: '2028-01-02' }, on('2028-01-02')]]);
    given(d, leaving).when({ type: 'ChangeDataLinkCapacity', itemId: 'link-1', change: 'speed', from: '4M', to: '8M', changedOn: '2028-02-01' }, on('2028-02-01')).thenRejects('termination_pending', 'SUB-13');
    // Not a DATA contract: not applicable.
    given(d, active('MOBILE')).when({ type: 'ChangeDataLinkCapacity', itemId: 'line-1', change: 'speed', from: 'a', to: 'b', changedOn: '2028-02-01' }, on('2028-02-01')).thenRejects('not_applicable_to_service', 'SUB-13');
  });

  it('SUB-14 an address change needs a positive feasibility study, terminates the link and leaves the remaining monthly fees due', () => {
    const asked = continueWith(data, [[{ type: 'RequestDataChange', changeId: 'c1', itemId: 'link-1', kind: 'address', channel: 'letter', details: 'déménagement Lyon' }, on('2029-06-01')]]);
    given(d, asked).when({ type: 'CompleteDataChange', changeId: 'c1', changedOn: '2029-07-10' }, on('2029-07-10')).thenRejects('feasibility_study_required', 'SUB-14');
    const ok = continueWith(asked, [[{ type: 'RecordDataChangeFeasibility', changeId: 'c1', feasible: true }, on('2029-06-10')]]);
    given(d, ok)
      .when({ type: 'CompleteDataChange', changeId: 'c1', changedOn: '2029-07-10' }, on('2029-07-10'))
      .then([
        {
          type: 'ItemTerminated',
          data: {
            subscriptionId: SUB,
            itemId: 'link-1',
            endsOn: '2029-07-10',
            cause: 'address_change',
            rule: 'SUB-14',
            localLoopChange: null,
            monthBilledInFull: '2029-07',
            monthsRemaining: 20,
            commitmentPeriodLastDay: '2031-03-31',
            feeBasis: 'remaining_monthly_fees',
          },
        },
        { type: 'DataChangeCompleted', data: { subscriptionId: SUB, changeId: 'c1', itemId: 'link-1', kind: 'address', changedOn: '2029-07-10', billedAs: 'access_fees', linkTerminated: true } },
        {
          type: 'SubscriptionTerminated',
          data: {
            subscriptionId: SUB,
            endsOn: '2029-07-10',
            cause: 'all_items_terminated',
            rule: 'SUB-14',
            monthBilledInFull: '2029-07',
            monthsRemaining: 0,
            commitmentPeriodLastDay: null,
            feeBasis: 'none',
            earlyTerminationFeeDue: false,
            noIndemnityToClient: false,
            sumsDueRemain: true,
            survivingObligations: ['payment_of_sums_due'],
            acceptedOrdersInProgress: [],
          },
        },
      ]);
  });

  it('SUB-14 in a renewal period the remaining fees run to the end of the current 1-year period; endpoint changes are electronic; range changes keep the link', () => {
    const twoLinks = active('DATA', {
      items: [
        { itemId: 'link-1', label: 'Paris', plan: 'SDSL-4M' },
        { itemId: 'link-2', label: 'Lyon', plan: 'SDSL-4M' },
      ],
    });
    const asked = continueWith(twoLinks, [
      [{ type: 'RequestDataChange', changeId: 'c1', itemId: 'link-1', kind: 'endpoint', channel: 'electronic', details: 'nouveau site' }, on('2031-09-01')],
      [{ type: 'RecordDataChangeFeasibility', changeId: 'c1', feasible: true }, on('2031-09-05')],
    ]);
    const events = given(d, asked).when({ type: 'CompleteDataChange', changeId: 'c1', changedOn: '2031-10-01' }, on('2031-10-01')).events();
    expect(events.map((e) => e.type)).toEqual(['ItemTerminated', 'DataChangeCompleted']);
    expect(events[0].data).toMatchObject({ cause: 'endpoint_change', monthsRemaining: 5, commitmentPeriodLastDay: '2032-03-31', feeBasis: 'remaining_monthly_fees' });
    given(d, twoLinks)
      .when({ type: 'RequestDataChange', changeId: 'c2', itemId: 'link-1', kind: 'endpoint', channel: 'phone', details: 'x' }, on('2031-09-01'))
      .thenRejects('electronic_request_required', 'SUB-14');
    const range = continueWith(twoLinks, [
      [{ type: 'RequestDataChange', changeId: 'r1', itemId: 'link-2', kind: 'range', channel: 'electronic', details: 'gamme Pro' }, on('2031-09-01')],
      [{ type: 'RecordDataChangeFeasibility', changeId: 'r1', feasible: true }, on('2031-09-05')],
    ]);
    const [completed] = given(d, range).when({ type: 'CompleteDataChange', changeId: 'r1', changedOn: '2031-09-20' }, on('2031-09-20')).events();
    expect(completed.data).toMatchObject({ billedAs: 'access_fees', linkTerminated: false });
    const refused = continueWith(twoLinks, [[{ type: 'RequestDataChange', changeId: 'r2', itemId: 'link-2', kind: 'range', channel: 'electronic', details: 'x' }, on('2031-09-01')]]);
    given(d, refused).when({ type: 'RecordDataChangeFeasibility', changeId: 'r2', feasible: false }, on('2031-09-02')).thenRejects('required', 'SUB-14');
  });

  it('SUB-20 an accepted order in progress can still be executed after the contract ended', () => {
    const accepted = continueWith(data, [
      [{ type: 'RequestDataChange', changeId: 'c1', itemId: 'link-1', kind: 'range', channel: 'electronic', details: 'gamme Pro' }, on('2028-01-10')],
      [{ type: 'RecordDataChangeFeasibility', changeId: 'c1', feasible: true }, on('2028-01-12')],
      [{ type: 'TerminateImmediately', reason: 'client_breach', details: 'x' }, on('2028-01-20')],
    ]);
    expect(stateOf(accepted).survivingOrders).toEqual(['data-change:c1']);
    const [completed] = given(d, accepted).when({ type: 'CompleteDataChange', changeId: 'c1', changedOn: '2028-02-01' }, on('2028-02-01')).events();
    expect(completed).toMatchObject({ type: 'DataChangeCompleted', data: { linkTerminated: false } });
    // Anything else on the ended contract is refused.
    given(d, accepted).when({ type: 'RequestDataChange', changeId: 'c2', itemId: 'link-1', kind: 'range', channel: 'electronic', details: 'x' }, on('2028-02-01')).thenRejects('subscription_terminated', 'SUB-14');
  });

  it('SUB-11 an equipment modification is requested electronically beforehand; OKSIO answers within 7 days', () => {
    given(d, data)
      .when({ type: 'RequestEquipmentModification', requestId: 'e1', itemId: 'link-1', channel: 'electronic', description: 'déplacer le routeur' }, on('2027-09-01'))
      .then([
        {
          type: 'EquipmentModificationRequested',
          data: { subscriptionId: SUB, requestId: 'e1', itemId: 'link-1', description: 'déplacer le routeur', requestedOn: '2027-09-01', answerDueOn: '2027-09-08' },
        },
      ]);
    given(d, data).when({ type: 'RequestEquipmentModification', requestId: 'e1', channel: 'phone', description: 'x' }, on('2027-09-01')).thenRejects('electronic_request_required', 'SUB-11');
    const asked = continueWith(data, [[{ type: 'RequestEquipmentModification', requestId: 'e1', channel: 'electronic', description: 'x' }, on('2027-09-01')]]);
    expect(given(d, asked).when({ type: 'AnswerEquipmentModification', requestId: 'e1', approved: true }, on('2027-09-08')).events()[0].data).toMatchObject({ withinDeadline: true });
    expect(given(d, asked).when({ type: 'AnswerEquipmentModification', requestId: 'e1', approved: false }, on('2027-09-09')).events()[0].data).toMatchObject({ withinDeadline: false });
  });

  it('SUB-10 a saturation delay is notified within 15 days of the triggering fact; de-saturation costs are the client\'s', () => {
    const signedData = continueWith(active('DATA'), []);
    given(d, signedData)
      .when({ type: 'RecordSaturation', saturationId: 'sat1', itemId: 'link-1', triggeredOn: '2026-03-20' }, on('2026-03-21'))
      .then([
        {
          type: 'SaturationDetected',
          data: { subscriptionId: SUB, saturationId: 'sat1', itemId: 'link-1', triggeredOn: '2026-03-20', noticeDueOn: '2026-04-04', desaturationCostsBorneByClient: true },
        },
      ]);
    const detected = continueWith(signedData, [[{ type: 'RecordSaturation', saturationId: 'sat1', triggeredOn: '2026-03-20' }, on('2026-03-21')]]);
    expect(given(d, detected).when({ type: 'NotifySaturationDelay', saturationId: 'sat1' }, on('2026-04-04')).events()[0].data).toMatchObject({ withinDeadline: true });
    expect(given(d, detected).when({ type: 'NotifySaturationDelay', saturationId: 'sat1' }, on('2026-04-05')).events()[0].data).toMatchObject({ withinDeadline: false });
    given(d, active('MOBILE')).when({ type: 'RecordSaturation', saturationId: 's', triggeredOn: '2026-03-20' }, on('2026-03-21')).thenRejects('not_applicable_to_service', 'SUB-10');
  });
});

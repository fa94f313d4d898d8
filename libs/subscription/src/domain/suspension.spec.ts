import { BusinessCalendar } from '@oksio/kernel';
import { given } from '@oksio/kernel/testing/decider-spec';
import type { SubscriptionCommand } from './commands';
import { createSubscriptionDecider, subscriptionDecider } from './subscription.decider';
import { active, continueWith, on, stateOf, SUB } from './testing/fixtures';

const d = subscriptionDecider;

const suspend = (extra: Partial<Extract<SubscriptionCommand, { type: 'SuspendService' }>>): SubscriptionCommand => ({
  type: 'SuspendService',
  suspensionId: 'sp1',
  reason: 'legal_obligation',
  scope: 'full',
  ...extra,
});

describe('suspensions', () => {
  const mobile = active('MOBILE'); // line-1, line-2 active since 2026-03-15
  const data = active('DATA');

  it('SUS-01 a full suspension for a legal obligation or illegal use comes after informing the client', () => {
    given(d, data).when(suspend({}), on('2026-06-10')).thenRejects('client_not_informed', 'SUS-01');
    given(d, data).when(suspend({ reason: 'illegal_use' }), on('2026-06-10')).thenRejects('client_not_informed', 'SUS-01');
    given(d, data)
      .when(suspend({ clientInformedOn: '2026-06-09', details: 'réquisition judiciaire' }), new Date('2026-06-10T08:00:00Z'))
      .then([
        {
          type: 'ServiceSuspended',
          data: {
            subscriptionId: SUB,
            suspensionId: 'sp1',
            reason: 'legal_obligation',
            scope: 'full',
            itemIds: [],
            suspendedAt: '2026-06-10T08:00:00.000Z',
            rule: 'SUS-01',
            conservatory: false,
            clientInformedOn: '2026-06-09',
            unpaidInvoice: null,
            misuseKind: null,
            lostOrStolen: null,
            forceMajeure: null,
            subscriptionFeesContinue: true,
          },
        },
      ]);
  });

  it('SUS-01 conservatory measures (e.g. barring international calls) are a suspension scope allowed at once', () => {
    const [event] = given(d, mobile).when(suspend({ reason: 'illegal_use', scope: 'international_calls', itemIds: ['line-2'] }), on('2026-06-10')).events();
    expect(event.data).toMatchObject({ scope: 'international_calls', conservatory: true, itemIds: ['line-2'], clientInformedOn: null });
    given(d, mobile).when(suspend({ scope: 'international_calls', itemIds: ['line-9'] }), on('2026-06-10')).thenRejects('unknown_item', 'SUS-01');
  });

  it('SUS-01 reconnection costs are billable when the suspension was the client\'s fault, not for a legal obligation', () => {
    const legal = continueWith(data, [[suspend({ clientInformedOn: '2026-06-09' }), on('2026-06-10')]]);
    expect(given(d, legal).when({ type: 'LiftSuspension', suspensionId: 'sp1' }, on('2026-06-20')).events()[0].data).toMatchObject({
      reason: 'legal_obligation',
      reconnectionCostsBillable: false,
    });
    const misuse = continueWith(mobile, [[suspend({ reason: 'misuse', misuseKind: 'sim_box' }), on('2026-06-10')]]);
    expect(given(d, misuse).when({ type: 'LiftSuspension', suspensionId: 'sp1' }, on('2026-06-20')).events()[0].data).toMatchObject({ reconnectionCostsBillable: true });
    expect(stateOf(continueWith(misuse, [[{ type: 'LiftSuspension', suspensionId: 'sp1' }, on('2026-06-20')]])).suspensions).toEqual({});
  });

  it('SUS-02 suspension for non-payment is allowed no earlier than 7 days after the due date', () => {
    const unpaid = suspend({ reason: 'unpaid', unpaidInvoice: { invoiceRef: 'F-12', dueOn: '2026-06-01' } });
    given(d, data).when(unpaid, on('2026-06-07')).thenRejects('suspension_too_early', 'SUS-02');
    const [event] = given(d, data).when(unpaid, on('2026-06-08')).events();
    expect(event.data).toMatchObject({ reason: 'unpaid', rule: 'SUS-02', unpaidInvoice: { invoiceRef: 'F-12', dueOn: '2026-06-01' }, subscriptionFeesContinue: true });
    // Also for a conservatory measure (decision).
    given(d, data).when({ ...unpaid, scope: 'outgoing_calls' } as SubscriptionCommand, on('2026-06-05')).thenRejects('suspension_too_early', 'SUS-02');
    given(d, data).when(suspend({ reason: 'unpaid' }), on('2026-06-08')).thenRejects('required', 'SUS-02');
  });

  it('SUS-03 misuse (SIM box, GSM gateway, mass generation, spam) is suspended without notice', () => {
    const [event] = given(d, mobile).when(suspend({ reason: 'misuse', misuseKind: 'gsm_gateway', itemIds: ['line-1'] }), on('2026-06-10')).events();
    expect(event.data).toMatchObject({ reason: 'misuse', rule: 'SUS-03', misuseKind: 'gsm_gateway', clientInformedOn: null, conservatory: false });
    given(d, mobile).when(suspend({ reason: 'misuse' }), on('2026-06-10')).thenRejects('required', 'SUS-03');
  });

  it('SUS-04 a lost/stolen SIM is put out of service at once; the LRAR is due within 2 business days (holiday and weekend skipped)', () => {
    // Thursday 30 April 2026; Friday 1 May is a public holiday → Monday 4 (1st), Tuesday 5 (2nd).
    given(d, mobile)
      .when({ type: 'ReportLostOrStolenSim', suspensionId: 'ls1', lineId: 'line-1', kind: 'stolen', factsOn: '2026-04-30' }, new Date('2026-04-30T14:00:00Z'))
      .then([
        {
          type: 'ServiceSuspended',
          data: {
            subscriptionId: SUB,
            suspensionId: 'ls1',
            reason: 'lost_or_stolen_sim',
            scope: 'full',
            itemIds: ['line-1'],
            suspendedAt: '2026-04-30T14:00:00.000Z',
            rule: 'SUS-04',
            conservatory: false,
            clientInformedOn: null,
            unpaidInvoice: null,
            misuseKind: null,
            lostOrStolen: { kind: 'stolen', factsOn: '2026-04-30', confirmationDueOn: '2026-05-05' },
            forceMajeure: null,
            subscriptionFeesContinue: true,
          },
        },
      ]);
    // Alsace-Moselle is a calendar setting injected into the decider. Facts on Thursday 2 April 2026:
    // Good Friday (3 April) is a holiday only there; Easter Monday (6 April) everywhere.
    const report: SubscriptionCommand = { type: 'ReportLostOrStolenSim', suspensionId: 'ls1', lineId: 'line-1', kind: 'lost', factsOn: '2026-04-02' };
    const [national] = d.decide(report, stateOf(mobile), on('2026-04-02'));
    expect(national.data).toMatchObject({ lostOrStolen: { confirmationDueOn: '2026-04-07' } });
    const [alsace] = createSubscriptionDecider({ calendar: new BusinessCalendar({ alsaceMoselle: true }) }).decide(report, stateOf(mobile), on('2026-04-02'));
    expect(alsace.data).toMatchObject({ lostOrStolen: { confirmationDueOn: '2026-04-08' } });
    given(d, data).when({ type: 'ReportLostOrStolenSim', suspensionId: 'ls1', lineId: 'link-1', kind: 'lost', factsOn: '2026-04-30' }, on('2026-04-30')).thenRejects('not_applicable_to_service', 'SUS-04');
  });

  it('SUS-04 the confirming letter: police report for theft; receipt date presumed out-of-service date if disputed', () => {
    const reported = continueWith(mobile, [[{ type: 'ReportLostOrStolenSim', suspensionId: 'ls1', lineId: 'line-1', kind: 'stolen', factsOn: '2026-04-30' }, on('2026-04-30')]]);
    given(d, reported).when({ type: 'ConfirmLostOrStolenSim', suspensionId: 'ls1', lrarReceivedOn: '2026-05-05', policeReportEnclosed: false }, on('2026-05-05')).thenRejects('police_report_required', 'SUS-04');
    given(d, reported)
      .when({ type: 'ConfirmLostOrStolenSim', suspensionId: 'ls1', lrarReceivedOn: '2026-05-06', lrarSentOn: '2026-05-05', policeReportEnclosed: true }, on('2026-05-06'))
      .then([
        {
          type: 'LostOrStolenSimConfirmed',
          data: { subscriptionId: SUB, suspensionId: 'ls1', lrarReceivedOn: '2026-05-06', lrarSentOn: '2026-05-05', policeReportEnclosed: true, withinDeadline: true, outOfServiceDateIfDisputed: '2026-05-06' },
        },
      ]);
    const [late] = given(d, reported).when({ type: 'ConfirmLostOrStolenSim', suspensionId: 'ls1', lrarReceivedOn: '2026-05-07', policeReportEnclosed: true }, on('2026-05-07')).events();
    expect(late.data).toMatchObject({ withinDeadline: false });
  });

  it('SUS-04 reactivation on written request only; new SIM billed; the number may change; fees ran meanwhile', () => {
    const reported = continueWith(mobile, [[{ type: 'ReportLostOrStolenSim', suspensionId: 'ls1', lineId: 'line-1', kind: 'lost', factsOn: '2026-04-30' }, on('2026-04-30')]]);
    expect(reported.at(-1)?.data).toMatchObject({ subscriptionFeesContinue: true });
    given(d, reported).when({ type: 'LiftSuspension', suspensionId: 'ls1' }, on('2026-05-10')).thenRejects('written_request_required', 'SUS-04');
    given(d, reported)
      .when({ type: 'LiftSuspension', suspensionId: 'ls1', writtenRequestFromClient: true, newNumber: '0611111111' }, new Date('2026-05-10T09:30:00Z'))
      .then([
        {
          type: 'SuspensionLifted',
          data: {
            subscriptionId: SUB,
            suspensionId: 'ls1',
            reason: 'lost_or_stolen_sim',
            liftedAt: '2026-05-10T09:30:00.000Z',
            reconnectionCostsBillable: true,
            newSimBilled: true,
            newNumber: '0611111111',
            resumptionNoticeToClient: false,
          },
        },
      ]);
  });

  it('SUS-05 force majeure suspends both parties (no fees, no penalties); beyond 1 month either party may terminate without indemnity', () => {
    const fm = continueWith(data, [[suspend({ reason: 'force_majeure', forceMajeureStartedOn: '2026-06-10' }), on('2026-06-11')]]);
    expect(fm.at(-1)?.data).toMatchObject({ rule: 'SUS-05', subscriptionFeesContinue: false, forceMajeure: { startedOn: '2026-06-10', terminationRightFrom: '2026-07-11' } });
    given(d, fm).when({ type: 'TerminateForForceMajeure', by: 'client' }, on('2026-07-10')).thenRejects('force_majeure_not_prolonged', 'SUS-05');
    given(d, fm).when({ type: 'TerminateImmediately', reason: 'force_majeure', details: 'inondation' }, on('2026-07-10')).thenRejects('force_majeure_not_prolonged', 'SUS-05');
    const [ended] = given(d, fm).when({ type: 'TerminateForForceMajeure', by: 'client' }, on('2026-07-11')).events();
    expect(ended.data).toMatchObject({ cause: 'force_majeure', rule: 'SUS-05', earlyTerminationFeeDue: false, monthsRemaining: 0, noIndemnityToClient: true, endsOn: '2026-07-11' });
    // Otherwise the client is told of the resumption.
    expect(given(d, fm).when({ type: 'LiftSuspension', suspensionId: 'sp1' }, on('2026-06-30')).events()[0].data).toMatchObject({ resumptionNoticeToClient: true, reconnectionCostsBillable: false });
    // End of month: started 31 January 2027 → one month is 28 February → right from 1 March.
    const jan = continueWith(data, [[suspend({ reason: 'force_majeure', forceMajeureStartedOn: '2027-01-31' }), on('2027-01-31')]]);
    expect(jan.at(-1)?.data).toMatchObject({ forceMajeure: { terminationRightFrom: '2027-03-01' } });
  });

  it('SUS-06 deliveries may be suspended once an invoice is unpaid more than 8 business days after its due date', () => {
    // Due Thursday 7 May 2026; 8 May and 14 May (Ascension) are holidays: 8th business day after is Thu 21, 9th is Fri 22.
    const cmd: SubscriptionCommand = { type: 'SuspendDeliveries', invoiceRef: 'F-7', invoiceDueOn: '2026-05-07' };
    given(d, mobile).when(cmd, on('2026-05-21')).thenRejects('deliveries_suspension_too_early', 'SUS-06');
    given(d, mobile)
      .when(cmd, on('2026-05-22'))
      .then([{ type: 'DeliveriesSuspended', data: { subscriptionId: SUB, invoiceRef: 'F-7', invoiceDueOn: '2026-05-07', suspendedOn: '2026-05-22', businessDaysOverdue: 9 } }]);
    const suspended = continueWith(mobile, [[cmd, on('2026-05-22')]]);
    given(d, suspended).when(cmd, on('2026-05-23')).thenRejects('deliveries_already_suspended', 'SUS-06');
    given(d, suspended).when({ type: 'ResumeDeliveries' }, on('2026-05-25')).then([{ type: 'DeliveriesResumed', data: { subscriptionId: SUB, resumedOn: '2026-05-25' } }]);
    given(d, data).when(cmd, on('2026-06-22')).thenRejects('not_applicable_to_service', 'SUS-06');
  });
});

import { given } from '@oksio/kernel/testing/decider-spec';
import type { SubscriptionEvent } from './events';
import { resolveTerms } from './terms';
import { subscriptionDecider } from './subscription.decider';
import { active, continueWith, on, placeOrder, play, signed, stateOf, SUB } from './testing/fixtures';

const d = subscriptionDecider;

describe('subscription decider: order → signature → activation → renewal', () => {
  const ordered = play([[placeOrder('DATA'), on('2026-02-20')]]);
  const accepted = continueWith(ordered, [[{ type: 'RecordFeasibilityResult', feasible: true }, on('2026-02-25')]]);

  it('places an order with its items, overrides and amount', () => {
    given(d)
      .when(placeOrder('DATA', { overrides: { noticeMonths: 4 } }), new Date('2026-02-20T09:00:00Z'))
      .then([
        {
          type: 'OrderPlaced',
          data: {
            subscriptionId: SUB,
            customerId: 'k1',
            service: 'DATA',
            items: [{ itemId: 'link-1', label: 'SDSL Paris', plan: 'SDSL-4M' }],
            contractOverrides: { noticeMonths: 4 },
            quoteDate: '2026-02-20',
            orderAmount: '1200.00',
            placedAt: '2026-02-20T09:00:00.000Z',
          },
        },
      ]);
    given(d, ordered).when(placeOrder('DATA'), on('2026-02-21')).thenRejects('subscription_exists');
    given(d).when({ ...placeOrder('DATA'), orderAmount: '12,5' }, on('2026-02-21')).thenRejects('invalid_amount', 'SUB-09');
    given(d).when(placeOrder('DATA', { overrides: { initialTermMonths: -1 } }), on('2026-02-21')).thenRejects('invalid_terms_override', 'CON-01');
    given(d).when(placeOrder('DATA', { quoteDate: '2026-02-30' }), on('2026-03-21')).thenRejects('invalid_date');
  });

  it('SUB-17 an order for an ineligible fixed line is refused with the reasons', () => {
    given(d)
      .when(placeOrder('FIXED_VGA', { items: [{ itemId: 'l1', label: 'x', fixedLineFacts: { cabinOrPayphone: true } }] }), on('2026-02-20'))
      .thenRejects('line_not_eligible', 'SUB-17');
  });

  it('SUB-18 an order for a DATA site outside DSL coverage is refused', () => {
    given(d)
      .when(placeOrder('DATA', { items: [{ itemId: 'l1', label: 'x', dataLineFacts: { inDslCoverage: false } }] }), on('2026-02-20'))
      .thenRejects('line_not_eligible', 'SUB-18');
    given(d)
      .when(placeOrder('DATA', { items: [{ itemId: 'l1', label: 'x', dataLineFacts: { inDslCoverage: true } }] }), on('2026-02-20'))
      .events();
  });

  it('SUB-09 a feasibility study may refuse the order (reason required); a refused order is final', () => {
    given(d, ordered)
      .when({ type: 'RecordFeasibilityResult', feasible: false, reason: 'désaturation nécessaire', studyReference: 'EF-9' }, on('2026-02-25'))
      .then([{ type: 'OrderRefused', data: { subscriptionId: SUB, refusedOn: '2026-02-25', reason: 'désaturation nécessaire', studyReference: 'EF-9' } }]);
    given(d, ordered).when({ type: 'RecordFeasibilityResult', feasible: false }, on('2026-02-25')).thenRejects('required', 'SUB-09');
    const refused = continueWith(ordered, [[{ type: 'RecordFeasibilityResult', feasible: false, reason: 'x' }, on('2026-02-25')]]);
    given(d, refused).when({ type: 'SignSubscription', signedOn: '2026-02-26' }, on('2026-02-26')).thenRejects('order_refused', 'SUB-01');
  });

  it('SUB-09 an insolvency risk allows demanding a guarantee; refused, the order is cancelled; pending, nothing is delivered', () => {
    const requested = continueWith(accepted, [
      [{ type: 'SignSubscription', signedOn: '2026-03-02' }, on('2026-03-02')],
      [{ type: 'RequestGuarantee', insolvencyRiskReason: 'retards de paiement signalés', amount: '3000.00' }, on('2026-03-03')],
    ]);
    expect(requested.at(-1)).toEqual({
      type: 'GuaranteeRequested',
      data: { subscriptionId: SUB, requestedOn: '2026-03-03', insolvencyRiskReason: 'retards de paiement signalés', amount: '3000.00' },
    });
    given(d, requested).when({ type: 'ActivateService', activatedOn: '2026-03-10' }, on('2026-03-10')).thenRejects('guarantee_pending', 'SUB-09');
    given(d, requested).when({ type: 'CancelOrderForRefusedGuarantee' }, on('2026-03-10')).thenRejects('guarantee_not_refused', 'SUB-09');
    const refused = continueWith(requested, [[{ type: 'RecordGuaranteeAnswer', provided: false }, on('2026-03-05')]]);
    given(d, refused)
      .when({ type: 'CancelOrderForRefusedGuarantee' }, on('2026-03-06'))
      .then([{ type: 'OrderCancelledByOksio', data: { subscriptionId: SUB, cancelledOn: '2026-03-06', reason: 'guarantee_refused' } }]);
    const provided = continueWith(requested, [[{ type: 'RecordGuaranteeAnswer', provided: true }, on('2026-03-05')]]);
    expect(given(d, provided).when({ type: 'ActivateService', activatedOn: '2026-03-10' }, on('2026-03-10')).events()[0].type).toBe('ServiceActivated');
  });

  it('SUB-09 a client cancelling an accepted order without OKSIO\'s written agreement still owes the order amount', () => {
    given(d, accepted)
      .when({ type: 'CancelOrderByClient', withOksioWrittenAgreement: false }, on('2026-02-27'))
      .then([
        {
          type: 'OrderCancelledByClient',
          data: {
            subscriptionId: SUB,
            cancelledOn: '2026-02-27',
            orderWasAccepted: true,
            withOksioWrittenAgreement: false,
            agreementReference: null,
            amountStillDue: '1200.00',
            amountDueBasis: 'order_amount',
          },
        },
      ]);
  });

  it('SUB-09 with the written agreement (or before acceptance) only the costs incurred are due', () => {
    const [event] = given(d, accepted)
      .when({ type: 'CancelOrderByClient', withOksioWrittenAgreement: true, agreementReference: 'ACC-42', costsIncurred: '180.50' }, on('2026-02-27'))
      .events();
    expect(event.data).toMatchObject({ amountStillDue: '180.50', amountDueBasis: 'costs_incurred', agreementReference: 'ACC-42' });
    given(d, accepted).when({ type: 'CancelOrderByClient', withOksioWrittenAgreement: true }, on('2026-02-27')).thenRejects('required', 'SUB-09');
    const [early] = given(d, ordered).when({ type: 'CancelOrderByClient', withOksioWrittenAgreement: false }, on('2026-02-21')).events();
    expect(early.data).toMatchObject({ orderWasAccepted: false, amountStillDue: '0.00', amountDueBasis: 'none' });
  });

  it('SUB-01 the agreement takes effect on the signature date, with the resolved terms snapshot (CON-01)', () => {
    given(d, accepted)
      .when({ type: 'SignSubscription', signedOn: '2026-03-02' }, on('2026-03-04'))
      .then([
        {
          type: 'SubscriptionSigned',
          data: {
            subscriptionId: SUB,
            customerId: 'k1',
            service: 'DATA',
            signedOn: '2026-03-02',
            agreementEffectiveOn: '2026-03-02',
            terms: resolveTerms('DATA', {}, { asOf: '2026-03-02' }),
            lineInfoDueOn: null,
          },
        },
      ]);
    given(d, accepted).when({ type: 'SignSubscription', signedOn: '2026-03-05' }, on('2026-03-04')).thenRejects('date_in_future', 'SUB-01');
    given(d, accepted).when({ type: 'SignSubscription', signedOn: '2026-02-19' }, on('2026-03-04')).thenRejects('signature_before_quote', 'SUB-01');
    const history = signed('DATA');
    given(d, history).when({ type: 'ActivateService', activatedOn: '2026-03-01' }, on('2026-03-04')).thenRejects('activation_before_signature', 'SUB-01');
  });

  it('CON-01 the terms stored at signature are the contract\'s: overrides win, and later catalogue changes cannot touch them', () => {
    const history = signed('HOSTED_PBX', { overrides: { initialTermMonths: 24 } });
    const signing = history.find((e) => e.type === 'SubscriptionSigned') as Extract<SubscriptionEvent, { type: 'SubscriptionSigned' }>;
    expect(signing.data.terms).toMatchObject({ initialTermMonths: 24, noticeRule: 'before_period_end', cgVersion: 'CG-2026.1', cpVersion: 'CP-PBX-2026.1' });
    expect(signing.data.terms.origin.initialTermMonths).toBe('contract');
    // The state is folded from the event, never re-resolved.
    expect(stateOf(history).terms).toEqual(signing.data.terms);
  });

  it('SUB-02 activation on 15 March starts the commitment on 1 April (60 months)', () => {
    given(d, signed('DATA'))
      .when({ type: 'ActivateService', activatedOn: '2026-03-15' }, on('2026-03-16'))
      .then([
        { type: 'ServiceActivated', data: { subscriptionId: SUB, activatedOn: '2026-03-15', itemIds: ['link-1'] } },
        {
          type: 'CommitmentStarted',
          data: { subscriptionId: SUB, activatedOn: '2026-03-15', period: { index: 0, kind: 'initial', firstDay: '2026-04-01', lastDay: '2031-03-31' }, termMonths: 60, renewalPeriodMonths: 12 },
        },
      ]);
  });

  it('SUB-02 activation on the 1st still starts on the 1st of the next month; HOSTED_PBX commits 12 months', () => {
    const [, started] = given(d, signed('HOSTED_PBX', { signedOn: '2026-03-01', quoteDate: '2026-02-01' }))
      .when({ type: 'ActivateService', activatedOn: '2026-04-01' }, on('2026-04-01'))
      .events();
    expect(started.data).toMatchObject({ period: { firstDay: '2026-05-01', lastDay: '2027-04-30' }, termMonths: 12 });
  });

  it('SUB-15 a MOBILE line starts on its SIM activation; the line info is due 15 calendar days after signature', () => {
    const history = signed('MOBILE', { signedOn: '2026-03-20' });
    expect(history.at(-1)?.data).toMatchObject({ signedOn: '2026-03-20', lineInfoDueOn: '2026-04-04' });
    given(d, history).when({ type: 'ActivateService', activatedOn: '2026-03-25' }, on('2026-03-25')).thenRejects('use_line_activation', 'SUB-15');
    given(d, history)
      .when({ type: 'ActivateMobileLine', lineId: 'line-1', simActivatedOn: '2026-03-25' }, on('2026-03-26'))
      .then([
        { type: 'MobileLineActivated', data: { subscriptionId: SUB, lineId: 'line-1', simActivatedOn: '2026-03-25', serviceStartOn: '2026-03-25' } },
        {
          type: 'CommitmentStarted',
          data: { subscriptionId: SUB, activatedOn: '2026-03-25', period: { index: 0, kind: 'initial', firstDay: '2026-04-01', lastDay: '2031-03-31' }, termMonths: 60, renewalPeriodMonths: 12 },
        },
      ]);
    // A second line joins the running commitment with its own service start.
    const one = continueWith(history, [[{ type: 'ActivateMobileLine', lineId: 'line-1', simActivatedOn: '2026-03-25' }, on('2026-03-26')]]);
    given(d, one)
      .when({ type: 'ActivateMobileLine', lineId: 'line-2', simActivatedOn: '2026-04-10' }, on('2026-04-10'))
      .then([{ type: 'MobileLineActivated', data: { subscriptionId: SUB, lineId: 'line-2', simActivatedOn: '2026-04-10', serviceStartOn: '2026-04-10' } }]);
    given(d, one).when({ type: 'ActivateMobileLine', lineId: 'line-1', simActivatedOn: '2026-03-25' }, on('2026-04-10')).thenRejects('line_already_active', 'SUB-15');
  });

  it('SUB-15 each line\'s RIO and end-of-contract date are collected once, flagged late after 15 days', () => {
    const history = signed('MOBILE', { signedOn: '2026-03-20' });
    given(d, history)
      .when({ type: 'RecordLineInfo', lineId: 'line-1', rio: '01P123456ABC', previousContractEndsOn: '2026-09-30' }, on('2026-04-04'))
      .then([
        { type: 'LineInfoCollected', data: { subscriptionId: SUB, lineId: 'line-1', rio: '01P123456ABC', previousContractEndsOn: '2026-09-30', collectedOn: '2026-04-04', withinDeadline: true } },
      ]);
    const [late] = given(d, history).when({ type: 'RecordLineInfo', lineId: 'line-2', rio: '01P999', previousContractEndsOn: null }, on('2026-04-05')).events();
    expect(late.data).toMatchObject({ withinDeadline: false });
    const collected = continueWith(history, [[{ type: 'RecordLineInfo', lineId: 'line-1', rio: '01P1', previousContractEndsOn: null }, on('2026-03-21')]]);
    given(d, collected).when({ type: 'RecordLineInfo', lineId: 'line-1', rio: '01P2', previousContractEndsOn: null }, on('2026-03-22')).thenRejects('line_info_already_collected', 'SUB-15');
  });

  describe('renewals', () => {
    const data = active('DATA'); // initial period 2026-04-01 … 2031-03-31

    it('SUB-03 renews tacitly for 12 months once the period\'s last day is over (Paris midnight)', () => {
      given(d, data)
        .when({ type: 'ApplyRenewal', periodLastDay: '2031-03-31' }, new Date('2031-03-31T22:00:00Z'))
        .then([
          { type: 'SubscriptionRenewed', data: { subscriptionId: SUB, endedPeriodLastDay: '2031-03-31', period: { index: 1, kind: 'renewal', firstDay: '2031-04-01', lastDay: '2032-03-31' } } },
        ]);
      // 23:59 in Paris on the last day: not yet.
      given(d, data).when({ type: 'ApplyRenewal', periodLastDay: '2031-03-31' }, new Date('2031-03-31T21:59:00Z')).thenRejects('renewal_not_due', 'SUB-03');
    });

    it('SUB-03 applying an already-applied renewal is a no-op; one not yet due or not at a period end is refused', () => {
      const renewed = continueWith(data, [[{ type: 'ApplyRenewal', periodLastDay: '2031-03-31' }, on('2031-04-01')]]);
      given(d, renewed).when({ type: 'ApplyRenewal', periodLastDay: '2031-03-31' }, on('2031-04-02')).then([]);
      given(d, renewed).when({ type: 'ApplyRenewal', periodLastDay: '2032-03-31' }, on('2031-04-02')).thenRejects('renewal_not_due', 'SUB-03');
      given(d, renewed).when({ type: 'ApplyRenewal', periodLastDay: '2031-12-31' }, on('2031-04-02')).thenRejects('not_a_period_end', 'SUB-03');
      given(d, renewed)
        .when({ type: 'ApplyRenewal', periodLastDay: '2032-03-31' }, on('2032-04-01'))
        .then([
          { type: 'SubscriptionRenewed', data: { subscriptionId: SUB, endedPeriodLastDay: '2032-03-31', period: { index: 2, kind: 'renewal', firstDay: '2032-04-01', lastDay: '2033-03-31' } } },
        ]);
    });

    it('SUB-04 no renewal when a termination ends the contract at that period end', () => {
      const noticed = continueWith(data, [
        [{ type: 'ReceiveTerminationNotice', noticeId: 'n1', from: 'client', channel: 'registered_letter_with_ack', lrarReceivedOn: '2030-12-31' }, on('2031-01-02')],
      ]);
      given(d, noticed).when({ type: 'ApplyRenewal', periodLastDay: '2031-03-31' }, on('2031-04-01')).thenRejects('termination_pending', 'SUB-04');
    });
  });

  it('the folded state survives a JSON round trip (the projection stores it as JSON)', () => {
    const history = continueWith(active('MOBILE'), [
      [{ type: 'ReportLostOrStolenSim', suspensionId: 'x', lineId: 'line-1', kind: 'lost', factsOn: '2026-05-04' }, on('2026-05-04')],
    ]);
    const state = stateOf(history);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    for (const e of history) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('refuses unknown commands and commands on a missing subscription', () => {
    given(d).when({ type: 'Nope' } as never, on('2026-01-01')).thenRejects('unknown_command');
    given(d).when({ type: 'SignSubscription', signedOn: '2026-01-01' }, on('2026-01-01')).thenRejects('subscription_not_found');
  });
});

import { given } from '@oksio/kernel/testing/decider-spec';
import type { SubscriptionCommand } from '../domain/commands';
import { active, continueWith, on, stateOf } from '../domain/testing/fixtures';
import {
  caseStatus,
  DEFAULT_NON_PAYMENT_POLICY,
  evolveNonPaymentCase,
  initialNonPaymentCase,
  NON_PAYMENT_ACTION_KINDS as K,
  nonPaymentPolicyDecider,
  policyFromEnv,
  settledFromInvoiceEvents,
  stepsFor,
  wantedActions,
  type NonPaymentActionPayload,
  type NonPaymentCase,
} from './non-payment.process';

const base = { invoiceId: 'inv-1', invoiceNumber: 'FA2026-000001', customerId: 'k1' };
const allowed = { type: 'NonPaymentSuspensionAllowed', data: { ...base, invoiceRef: 'FA2026-000001', dueOn: '2026-05-01', allowedFrom: '2026-05-08', outstanding: '722.60', subscriptionIds: ['s-data', 's1'], rule: 'SUS-02' } };
const deliveries = {
  type: 'DeliveriesSuspensionAllowed',
  data: { ...base, invoiceRef: 'FA2026-000001', dueOn: '2026-05-01', allowedFrom: '2026-05-18', businessDaysAfterDue: 9, outstanding: '722.60', subscriptionIds: ['s1'], rule: 'SUS-06' },
};
const settled = (settledOn: string) => ({ type: 'InvoiceSettled', data: { ...base, settledOn, subscriptionIds: ['s-data', 's1'] } });
const rejected = (rejectedOn: string) => ({ type: 'PaymentRejected', data: { ...base, paymentId: 'pay-1', amount: '722.60', rejectedOn, reason: 'AM04', outstandingAfter: '722.60' } });
const fold = (...events: Array<{ type: string; data: Record<string, unknown> }>): NonPaymentCase => events.reduce(evolveNonPaymentCase, initialNonPaymentCase);
const paris = (date: string) => new Date(`${date}T00:00:00+02:00`);

const payload = (over: Partial<NonPaymentActionPayload> = {}): NonPaymentActionPayload => ({
  invoiceId: 'inv-1',
  invoiceRef: 'FA2026-000001',
  dueOn: '2026-05-01',
  subscriptionId: 's1',
  round: 0,
  rule: 'SUS-02',
  ...over,
});

describe('non-payment process manager (Billing → Subscription)', () => {
  it('SUS-02 an invoice paid on time gives no case and no action', () => {
    const c = fold(settled('2026-04-20'));
    expect(caseStatus(c)).toBe('none');
    expect(wantedActions(c)).toEqual([]);
  });

  it('SUS-02 suspension allowed: one suspension per contract on the invoice, due on due date + 7 days (Paris midnight)', () => {
    const actions = wantedActions(fold(allowed));
    expect(actions).toEqual([
      { kind: K.suspend, key: 'subscription.nonpayment:inv-1:s-data:suspend:0', dueAt: paris('2026-05-08'), payload: payload({ subscriptionId: 's-data' }) },
      { kind: K.suspend, key: 'subscription.nonpayment:inv-1:s1:suspend:0', dueAt: paris('2026-05-08'), payload: payload() },
    ]);
    // Replaying the same history gives the same keys and dates: the same deterministic command ids.
    expect(wantedActions(fold(allowed))).toEqual(actions);
  });

  it('SUS-06 deliveries suspension allowed for the MOBILE contracts only, from the 9th business day after the due date', () => {
    const actions = wantedActions(fold(allowed, deliveries));
    expect(actions.filter((a) => a.kind === K.suspendDeliveries)).toEqual([
      { kind: K.suspendDeliveries, key: 'subscription.nonpayment:inv-1:s1:suspend-deliveries:0', dueAt: paris('2026-05-18'), payload: payload({ rule: 'SUS-06' }) },
    ]);
  });

  it('SUS-02 SUS-06 settled: the suspensions give way to a lift and a resumption, due on the settlement date', () => {
    const c = fold(allowed, deliveries, settled('2026-05-20'));
    expect(caseStatus(c)).toBe('settled');
    expect(wantedActions(c).map((a) => [a.kind, a.key, a.dueAt.toISOString()])).toEqual([
      [K.lift, 'subscription.nonpayment:inv-1:s-data:lift:0', paris('2026-05-20').toISOString()],
      [K.lift, 'subscription.nonpayment:inv-1:s1:lift:0', paris('2026-05-20').toISOString()],
      [K.resumeDeliveries, 'subscription.nonpayment:inv-1:s1:resume-deliveries:0', paris('2026-05-20').toISOString()],
    ]);
  });

  it('SUS-02 a rejected payment reopens a settled invoice: a new round suspends again from the rejection', () => {
    const c = fold(allowed, settled('2026-05-20'), rejected('2026-05-25'));
    expect(c).toMatchObject({ settledOn: null, round: 1, reopenedOn: '2026-05-25' });
    expect(wantedActions(c).map((a) => [a.key, a.dueAt.toISOString()])).toEqual([
      ['subscription.nonpayment:inv-1:s-data:suspend:1', paris('2026-05-25').toISOString()],
      ['subscription.nonpayment:inv-1:s1:suspend:1', paris('2026-05-25').toISOString()],
    ]);
    // A rejection on an invoice never settled changes nothing (Billing signals again if needed).
    expect(fold(allowed, rejected('2026-05-09'))).toEqual(fold(allowed));
    expect(settledFromInvoiceEvents([settled('2026-05-20'), rejected('2026-05-25')])).toBe(false);
    expect(settledFromInvoiceEvents([settled('2026-05-20'), rejected('2026-05-25'), settled('2026-05-30')])).toBe(true);
  });

  describe('steps on the contract', () => {
    const mobile = active('MOBILE');
    const auto = DEFAULT_NON_PAYMENT_POLICY;
    const manual = { serviceSuspension: 'manual', deliveriesSuspension: 'manual' } as const;

    it('SUS-02 automatic: a full suspension for the unpaid invoice, which the domain accepts from due date + 7 days', () => {
      const [step] = stepsFor(K.suspend, payload(), stateOf(mobile), auto, false);
      expect(step).toMatchObject({ send: { type: 'SuspendService', suspensionId: 'unpaid:FA2026-000001', reason: 'unpaid', scope: 'full', unpaidInvoice: { invoiceRef: 'FA2026-000001', dueOn: '2026-05-01' } } });
      const command = (step as { send: SubscriptionCommand }).send;
      const suspended = continueWith(mobile, [[command, on('2026-05-08')]]);
      expect(suspended.at(-1)).toMatchObject({ type: 'ServiceSuspended', data: { reason: 'unpaid', rule: 'SUS-02', unpaidInvoice: { invoiceRef: 'FA2026-000001', dueOn: '2026-05-01' } } });
      expect(() => continueWith(mobile, [[command, on('2026-05-07')]])).toThrow(/suspension allowed from 2026-05-08/);
      // Sent again (a replayed action), nothing more to do.
      expect(stepsFor(K.suspend, payload(), stateOf(suspended), auto, false)).toEqual([{ skip: 'already suspended for FA2026-000001' }]);
    });

    it('SUS-02 manual policy, a settled invoice or an ended contract: nothing is sent', () => {
      expect(stepsFor(K.suspend, payload(), stateOf(mobile), manual, false)).toEqual([{ skip: 'policy: non-payment suspension is manual' }]);
      expect(stepsFor(K.suspend, payload(), stateOf(mobile), auto, true)).toEqual([{ skip: 'invoice FA2026-000001 is settled' }]);
      const ended = continueWith(mobile, [[{ type: 'TerminateImmediately', reason: 'payment_incident', details: 'impayés' }, on('2026-05-08')]]);
      expect(stepsFor(K.suspend, payload(), stateOf(ended), auto, false)).toEqual([{ skip: 'contract is terminated' }]);
    });

    it('SUS-02 settled: every suspension for that invoice is lifted (the automatic one and one an operator made), not those for another invoice', () => {
      const suspended = continueWith(mobile, [
        [{ type: 'SuspendService', suspensionId: 'unpaid:FA2026-000001', reason: 'unpaid', scope: 'full', unpaidInvoice: { invoiceRef: 'FA2026-000001', dueOn: '2026-05-01' } }, on('2026-05-08')],
        [{ type: 'SuspendService', suspensionId: 'by-hand', reason: 'unpaid', scope: 'international_calls', unpaidInvoice: { invoiceRef: 'FA2026-000001', dueOn: '2026-05-01' } }, on('2026-05-09')],
        [{ type: 'SuspendService', suspensionId: 'other', reason: 'unpaid', scope: 'full', unpaidInvoice: { invoiceRef: 'FA2026-000002', dueOn: '2026-06-01' } }, on('2026-06-08')],
      ]);
      const steps = stepsFor(K.lift, payload(), stateOf(suspended), manual, true);
      expect(steps).toEqual([
        { send: { type: 'LiftSuspension', suspensionId: 'unpaid:FA2026-000001' }, why: 'SUS-02 invoice FA2026-000001 settled' },
        { send: { type: 'LiftSuspension', suspensionId: 'by-hand' }, why: 'SUS-02 invoice FA2026-000001 settled' },
      ]);
      const lifted = continueWith(suspended, steps.map((s) => [(s as { send: SubscriptionCommand }).send, on('2026-06-10')]));
      expect(Object.keys(stateOf(lifted).suspensions)).toEqual(['other']);
      expect(stepsFor(K.lift, payload(), stateOf(lifted), auto, true)).toEqual([{ skip: 'no suspension for FA2026-000001 in force' }]);
    });

    it('SUS-06 deliveries: suspended once for a MOBILE contract, resumed only for the invoice they were suspended for', () => {
      const p = payload({ rule: 'SUS-06' });
      const [step] = stepsFor(K.suspendDeliveries, p, stateOf(mobile), auto, false);
      expect(step).toMatchObject({ send: { type: 'SuspendDeliveries', invoiceRef: 'FA2026-000001', invoiceDueOn: '2026-05-01' } });
      const suspended = continueWith(mobile, [[(step as { send: SubscriptionCommand }).send, on('2026-05-18')]]);
      expect(suspended.at(-1)).toMatchObject({ type: 'DeliveriesSuspended', data: { invoiceRef: 'FA2026-000001', businessDaysOverdue: 9 } });
      expect(stepsFor(K.suspendDeliveries, p, stateOf(suspended), auto, false)).toEqual([{ skip: 'deliveries already suspended for FA2026-000001' }]);
      expect(stepsFor(K.suspendDeliveries, p, stateOf(mobile), manual, false)).toEqual([{ skip: 'policy: deliveries suspension is manual' }]);
      expect(stepsFor(K.suspendDeliveries, p, stateOf(active('DATA')), auto, false)).toEqual([{ skip: 'not a live MOBILE contract' }]);
      expect(stepsFor(K.resumeDeliveries, payload({ invoiceRef: 'FA2026-000002' }), stateOf(suspended), auto, true)).toEqual([{ skip: 'deliveries not suspended for FA2026-000002' }]);
      expect(stepsFor(K.resumeDeliveries, p, stateOf(suspended), auto, true)).toEqual([{ send: { type: 'ResumeDeliveries' }, why: 'SUS-06 invoice FA2026-000001 settled' }]);
    });
  });

  it('SUS-02 the policy: automatic by default (env may say manual), set by an operator with a reason, the same again records nothing', () => {
    expect(policyFromEnv({})).toEqual({ serviceSuspension: 'automatic', deliveriesSuspension: 'automatic' });
    expect(policyFromEnv({ SUBSCRIPTION_NONPAYMENT_SUSPENSION: 'manual' })).toEqual({ serviceSuspension: 'manual', deliveriesSuspension: 'manual' });
    expect(() => policyFromEnv({ SUBSCRIPTION_NONPAYMENT_SUSPENSION: 'sometimes' })).toThrow(/automatic or manual/);
    const now = new Date('2026-05-01T10:00:00Z');
    const set = { type: 'SetNonPaymentPolicy', serviceSuspension: 'manual', deliveriesSuspension: 'automatic', reason: 'relances manuelles' } as const;
    given(nonPaymentPolicyDecider, [])
      .when(set, now)
      .then([{ type: 'NonPaymentPolicySet', data: { serviceSuspension: 'manual', deliveriesSuspension: 'automatic', reason: 'relances manuelles', setAt: now.toISOString() } }]);
    const history = nonPaymentPolicyDecider.decide(set, nonPaymentPolicyDecider.initialState, now);
    given(nonPaymentPolicyDecider, history).when(set, now).then([]);
    given(nonPaymentPolicyDecider, []).when({ ...set, serviceSuspension: 'never' as never }, now).thenRejects('invalid_policy', 'SUS-02');
    given(nonPaymentPolicyDecider, []).when({ ...set, reason: ' ' }, now).thenRejects('required', 'SUS-02');
  });
});

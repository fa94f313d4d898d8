import { DomainError, type Decider, type DomainEvent, type PersonalText } from '@oksio/kernel';
import type { SubscriptionCommand, UnpaidInvoice } from '../domain/commands';
import { isAfter, startOfLocalDay, type LocalDate } from '../domain/local-date';
import type { SubscriptionState } from '../domain/state';

/**
 * Non-payment process manager (SUS-02, SUS-06), pure part.
 *
 * Billing tells, on each invoice's stream `invoice-<invoiceId>`, when the contract allows acting on
 * an unpaid invoice; the Subscription context decides what to do about it:
 *   NonPaymentSuspensionAllowed (due date + 7 days, SUS-02) → SuspendService { reason: 'unpaid' }
 *   DeliveriesSuspensionAllowed (9th business day after the due date, MOBILE, SUS-06) → SuspendDeliveries
 *   InvoiceSettled → LiftSuspension of the suspensions for that invoice, ResumeDeliveries
 *   PaymentRejected after the settlement → the invoice is unpaid again: suspended again.
 * The events are Billing's published language, read here by name and shape only (no import of
 * the Billing context). One case per invoice is folded from them; the due actions wanted for a case
 * are a function of the case (`wantedActions`), each with a stable key, so the same history always
 * schedules the same actions with the same command ids (idempotent on replay and rebuild).
 * The contract says OKSIO *may* suspend: whether the suspension commands are sent is the
 * operator's policy (`NonPaymentPolicy`), read when the action runs.
 */

// ---- what Subscription reads of Billing's events (stream `invoice-<invoiceId>`) ----------------------

type BillingBase = { invoiceId: string; invoiceNumber: string; customerId: string };
type BE<T extends string, D extends object> = DomainEvent<T, D & BillingBase>;

export type BillingNonPaymentEvent =
  | BE<'NonPaymentSuspensionAllowed', { invoiceRef: string; dueOn: LocalDate; allowedFrom: LocalDate; outstanding: string; subscriptionIds: string[]; rule?: string }>
  | BE<
      'DeliveriesSuspensionAllowed',
      { invoiceRef: string; dueOn: LocalDate; allowedFrom: LocalDate; businessDaysAfterDue: number; outstanding: string; subscriptionIds: string[]; rule?: string }
    >
  | BE<'InvoiceSettled', { settledOn: LocalDate; subscriptionIds: string[] }>
  | BE<'PaymentRejected', { paymentId: string; rejectedOn: LocalDate; outstandingAfter: string }>;

export const BILLING_NON_PAYMENT_EVENT_TYPES: readonly BillingNonPaymentEvent['type'][] = [
  'NonPaymentSuspensionAllowed',
  'DeliveriesSuspensionAllowed',
  'InvoiceSettled',
  'PaymentRejected',
];

/** Billing's invoice stream category. */
export const INVOICE_STREAM_CATEGORY = 'invoice';

// ---- one case per invoice ----------------------------------------------------------------------------

export interface NonPaymentCase {
  invoiceId: string | null;
  invoiceRef: string | null;
  customerId: string | null;
  dueOn: LocalDate | null;
  /** SUS-02: suspension allowed from that date, for these contracts (every contract on the invoice). */
  suspension: { allowedFrom: LocalDate; subscriptionIds: string[] } | null;
  /** SUS-06: deliveries may be suspended from that date, for these (MOBILE) contracts. */
  deliveries: { allowedFrom: LocalDate; subscriptionIds: string[]; businessDaysAfterDue: number } | null;
  settledOn: LocalDate | null;
  /** 0, then +1 each time a rejected payment makes a settled invoice unpaid again. */
  round: number;
  /** The rejection that reopened the invoice (the new round's suspension is due from then). */
  reopenedOn: LocalDate | null;
}

export const initialNonPaymentCase: NonPaymentCase = {
  invoiceId: null,
  invoiceRef: null,
  customerId: null,
  dueOn: null,
  suspension: null,
  deliveries: null,
  settledOn: null,
  round: 0,
  reopenedOn: null,
};

export function evolveNonPaymentCase(state: NonPaymentCase, event: { type: string; data: Record<string, unknown> }): NonPaymentCase {
  const e = event as BillingNonPaymentEvent;
  const ids = { invoiceId: e.data.invoiceId, customerId: e.data.customerId, invoiceRef: state.invoiceRef ?? e.data.invoiceNumber };
  switch (e.type) {
    case 'NonPaymentSuspensionAllowed':
      return { ...state, ...ids, invoiceRef: e.data.invoiceRef, dueOn: e.data.dueOn, suspension: { allowedFrom: e.data.allowedFrom, subscriptionIds: [...e.data.subscriptionIds] } };
    case 'DeliveriesSuspensionAllowed':
      return {
        ...state,
        ...ids,
        invoiceRef: e.data.invoiceRef,
        dueOn: e.data.dueOn,
        deliveries: { allowedFrom: e.data.allowedFrom, subscriptionIds: [...e.data.subscriptionIds], businessDaysAfterDue: e.data.businessDaysAfterDue },
      };
    case 'InvoiceSettled':
      return { ...state, ...ids, settledOn: e.data.settledOn };
    case 'PaymentRejected':
      // Only a settled invoice is reopened; an unsettled one keeps its course (Billing signals again if needed).
      if (state.settledOn === null) return { ...state, ...ids };
      return { ...state, ...ids, settledOn: null, round: state.round + 1, reopenedOn: e.data.rejectedOn };
    default:
      return state;
  }
}

/** The case as a decider shape for `aggregateStateProjection` (fold only: nothing is decided on it). */
export const nonPaymentCaseFold: Pick<Decider<never, DomainEvent, NonPaymentCase>, 'initialState' | 'evolve'> = {
  initialState: initialNonPaymentCase,
  evolve: (state, event) => evolveNonPaymentCase(state, event as { type: string; data: Record<string, unknown> }),
};

/** Open (unpaid with an allowed measure), settled, or nothing to act on yet. */
export function caseStatus(c: NonPaymentCase): 'none' | 'unpaid' | 'settled' {
  if (!c.suspension && !c.deliveries) return 'none';
  return c.settledOn === null ? 'unpaid' : 'settled';
}

// ---- due actions -------------------------------------------------------------------------------------

export const NON_PAYMENT_ACTION_KINDS = {
  suspend: 'subscription.nonpayment_suspension',
  lift: 'subscription.nonpayment_lift',
  suspendDeliveries: 'subscription.nonpayment_deliveries_suspension',
  resumeDeliveries: 'subscription.nonpayment_deliveries_resumption',
} as const;
export type NonPaymentActionKind = (typeof NON_PAYMENT_ACTION_KINDS)[keyof typeof NON_PAYMENT_ACTION_KINDS];
export const NON_PAYMENT_ACTION_KIND_LIST: readonly NonPaymentActionKind[] = Object.values(NON_PAYMENT_ACTION_KINDS);

export interface NonPaymentActionPayload {
  [key: string]: unknown;
  invoiceId: string;
  invoiceRef: string;
  dueOn: LocalDate;
  subscriptionId: string;
  round: number;
  rule: 'SUS-02' | 'SUS-06';
}

export interface NonPaymentAction {
  kind: NonPaymentActionKind;
  /** `subscription.nonpayment:<invoiceId>:<subscriptionId>:<what>:<round>`: one occurrence, one key. */
  key: string;
  dueAt: Date;
  payload: NonPaymentActionPayload;
}

const later = (a: LocalDate, b: LocalDate | null): LocalDate => (b !== null && isAfter(b, a) ? b : a);

/**
 * The due actions a case wants now. Unpaid: suspend (SUS-02) and suspend deliveries (SUS-06) from the
 * dates Billing gave (or from the rejection that reopened the invoice). Settled: lift and resume,
 * due on the settlement date. Keys carry the round, so a second suspension after a rejected payment
 * is a new occurrence while a replayed history gives back the same keys and dates.
 */
export function wantedActions(c: NonPaymentCase): NonPaymentAction[] {
  if (!c.invoiceId || !c.invoiceRef || !c.dueOn) return [];
  const base = { invoiceId: c.invoiceId, invoiceRef: c.invoiceRef, dueOn: c.dueOn, round: c.round };
  const key = (subscriptionId: string, what: string) => `subscription.nonpayment:${c.invoiceId}:${subscriptionId}:${what}:${c.round}`;
  const actions: NonPaymentAction[] = [];
  if (c.settledOn === null) {
    for (const subscriptionId of c.suspension?.subscriptionIds ?? []) {
      actions.push({
        kind: NON_PAYMENT_ACTION_KINDS.suspend,
        key: key(subscriptionId, 'suspend'),
        dueAt: startOfLocalDay(later(c.suspension!.allowedFrom, c.reopenedOn)),
        payload: { ...base, subscriptionId, rule: 'SUS-02' },
      });
    }
    for (const subscriptionId of c.deliveries?.subscriptionIds ?? []) {
      actions.push({
        kind: NON_PAYMENT_ACTION_KINDS.suspendDeliveries,
        key: key(subscriptionId, 'suspend-deliveries'),
        dueAt: startOfLocalDay(later(c.deliveries!.allowedFrom, c.reopenedOn)),
        payload: { ...base, subscriptionId, rule: 'SUS-06' },
      });
    }
  } else {
    const on = startOfLocalDay(c.settledOn);
    for (const subscriptionId of c.suspension?.subscriptionIds ?? []) {
      actions.push({ kind: NON_PAYMENT_ACTION_KINDS.lift, key: key(subscriptionId, 'lift'), dueAt: on, payload: { ...base, subscriptionId, rule: 'SUS-02' } });
    }
    for (const subscriptionId of c.deliveries?.subscriptionIds ?? []) {
      actions.push({ kind: NON_PAYMENT_ACTION_KINDS.resumeDeliveries, key: key(subscriptionId, 'resume-deliveries'), dueAt: on, payload: { ...base, subscriptionId, rule: 'SUS-06' } });
    }
  }
  return actions;
}

// ---- the operator's policy ---------------------------------------------------------------------------

export type Automation = 'automatic' | 'manual';

/**
 * CG 6.1 / CP Mobile 14.4 say OKSIO *may* suspend: whether the process manager suspends by itself
 * or leaves it to an operator is a setting. Lifting a suspension once its invoice is settled is
 * always automatic (the ground is gone).
 */
// A type alias, not an interface: event data must stay assignable to Record<string, unknown>.
export type NonPaymentPolicy = {
  /** SUS-02: suspend the service once Billing allows it. */
  serviceSuspension: Automation;
  /** SUS-06: suspend MOBILE deliveries once Billing allows it. */
  deliveriesSuspension: Automation;
};

export const DEFAULT_NON_PAYMENT_POLICY: NonPaymentPolicy = { serviceSuspension: 'automatic', deliveriesSuspension: 'automatic' };

const AUTOMATIONS: readonly Automation[] = ['automatic', 'manual'];

/** The default policy of this installation: env `SUBSCRIPTION_NONPAYMENT_SUSPENSION` = automatic | manual (both measures). */
export function policyFromEnv(env: Record<string, string | undefined>): NonPaymentPolicy {
  const raw = env.SUBSCRIPTION_NONPAYMENT_SUSPENSION;
  if (raw === undefined || raw === '') return DEFAULT_NON_PAYMENT_POLICY;
  if (!AUTOMATIONS.includes(raw as Automation)) throw new Error(`SUBSCRIPTION_NONPAYMENT_SUSPENSION must be automatic or manual (got "${raw}")`);
  return { serviceSuspension: raw as Automation, deliveriesSuspension: raw as Automation };
}

export type NonPaymentPolicyCommand = { type: 'SetNonPaymentPolicy'; serviceSuspension: Automation; deliveriesSuspension: Automation; reason: string };
export type NonPaymentPolicyEvent = DomainEvent<'NonPaymentPolicySet', NonPaymentPolicy & { reason: PersonalText; setAt: string }>;
export interface NonPaymentPolicyState {
  /** null until an operator sets it: the installation default applies. */
  policy: NonPaymentPolicy | null;
  setAt: string | null;
}

export const NON_PAYMENT_POLICY_STREAM = 'subscriptionpolicy-nonpayment';

/** The operator's policy, one stream (`subscriptionpolicy-nonpayment`); setting the same policy again records nothing. */
export const nonPaymentPolicyDecider: Decider<NonPaymentPolicyCommand, NonPaymentPolicyEvent, NonPaymentPolicyState> = {
  initialState: { policy: null, setAt: null },
  decide(c, state, now) {
    if (!AUTOMATIONS.includes(c.serviceSuspension)) invalid('serviceSuspension', 'SUS-02');
    if (!AUTOMATIONS.includes(c.deliveriesSuspension)) invalid('deliveriesSuspension', 'SUS-06');
    if (typeof c.reason !== 'string' || c.reason.trim() === '') throw new DomainError('required', 'A policy change states its reason', 'SUS-02', 'reason');
    if (state.policy && state.policy.serviceSuspension === c.serviceSuspension && state.policy.deliveriesSuspension === c.deliveriesSuspension) return [];
    return [{ type: 'NonPaymentPolicySet', data: { serviceSuspension: c.serviceSuspension, deliveriesSuspension: c.deliveriesSuspension, reason: c.reason.trim(), setAt: now.toISOString() } }];
  },
  evolve(_state, e) {
    return { policy: { serviceSuspension: e.data.serviceSuspension, deliveriesSuspension: e.data.deliveriesSuspension }, setAt: e.data.setAt };
  },
};

function invalid(field: string, rule: string): never {
  throw new DomainError('invalid_policy', `${field} is automatic or manual`, rule, field);
}

// ---- what to send to the subscription, decided on its current state ------------------------------------

export type NonPaymentStep =
  | { send: SubscriptionCommand; why: string }
  | { skip: string };

const unpaidFor = (state: SubscriptionState, invoiceRef: string) =>
  Object.entries(state.suspensions).filter(([, s]) => s.reason === 'unpaid' && s.unpaidInvoice?.invoiceRef === invoiceRef);

/** The suspension id the process manager gives: readable in the read model, one per invoice and round. */
export const unpaidSuspensionId = (p: Pick<NonPaymentActionPayload, 'invoiceRef' | 'round'>): string => (p.round === 0 ? `unpaid:${p.invoiceRef}` : `unpaid:${p.invoiceRef}:${p.round}`);

/**
 * The subscription command(s) a due action stands for, on the contract's current state, the
 * policy in force and whether the invoice is still unpaid (read from Billing's stream when the
 * action runs). Nothing is sent when there is nothing left to do, so a replayed action is a no-op.
 */
export function stepsFor(kind: NonPaymentActionKind, p: NonPaymentActionPayload, state: SubscriptionState, policy: NonPaymentPolicy, invoiceSettled: boolean): NonPaymentStep[] {
  const unpaidInvoice: UnpaidInvoice = { invoiceRef: p.invoiceRef, dueOn: p.dueOn };
  switch (kind) {
    case NON_PAYMENT_ACTION_KINDS.suspend: {
      if (policy.serviceSuspension !== 'automatic') return [{ skip: 'policy: non-payment suspension is manual' }];
      if (invoiceSettled) return [{ skip: `invoice ${p.invoiceRef} is settled` }];
      if (state.phase !== 'active') return [{ skip: `contract is ${state.phase}` }];
      if (unpaidFor(state, p.invoiceRef).length > 0) return [{ skip: `already suspended for ${p.invoiceRef}` }];
      return [
        {
          send: {
            type: 'SuspendService',
            suspensionId: unpaidSuspensionId(p),
            reason: 'unpaid',
            scope: 'full',
            unpaidInvoice,
            details: `Facture ${p.invoiceRef} échue le ${p.dueOn} impayée (suspension automatique, SUS-02)`,
          },
          why: `SUS-02 invoice ${p.invoiceRef} unpaid 7 days after its due date`,
        },
      ];
    }
    case NON_PAYMENT_ACTION_KINDS.lift: {
      const lifts = unpaidFor(state, p.invoiceRef);
      if (state.phase !== 'active' || lifts.length === 0) return [{ skip: `no suspension for ${p.invoiceRef} in force` }];
      return lifts.map(([suspensionId]) => ({ send: { type: 'LiftSuspension', suspensionId }, why: `SUS-02 invoice ${p.invoiceRef} settled` }));
    }
    case NON_PAYMENT_ACTION_KINDS.suspendDeliveries: {
      if (policy.deliveriesSuspension !== 'automatic') return [{ skip: 'policy: deliveries suspension is manual' }];
      if (invoiceSettled) return [{ skip: `invoice ${p.invoiceRef} is settled` }];
      if (state.service !== 'MOBILE' || (state.phase !== 'active' && state.phase !== 'signed')) return [{ skip: `not a live MOBILE contract` }];
      if (state.deliveriesSuspended) return [{ skip: `deliveries already suspended for ${state.deliveriesSuspended.invoiceRef}` }];
      return [{ send: { type: 'SuspendDeliveries', invoiceRef: p.invoiceRef, invoiceDueOn: p.dueOn }, why: `SUS-06 invoice ${p.invoiceRef} unpaid more than 8 business days` }];
    }
    case NON_PAYMENT_ACTION_KINDS.resumeDeliveries: {
      if (state.deliveriesSuspended?.invoiceRef !== p.invoiceRef) return [{ skip: `deliveries not suspended for ${p.invoiceRef}` }];
      return [{ send: { type: 'ResumeDeliveries' }, why: `SUS-06 invoice ${p.invoiceRef} settled` }];
    }
    default:
      return [{ skip: `unknown kind ${String(kind)}` }];
  }
}

/** Whether Billing's invoice stream says the invoice is settled now (the last settlement is not undone by a rejection). */
export function settledFromInvoiceEvents(events: Array<{ type: string }>): boolean {
  let settled = false;
  for (const e of events) {
    if (e.type === 'InvoiceSettled') settled = true;
    else if (e.type === 'PaymentRejected') settled = false;
  }
  return settled;
}

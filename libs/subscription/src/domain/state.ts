import type { LostOrStolenKind, SuspensionReason, SuspensionScope, UnpaidInvoice } from './commands';
import { recommitmentSchedule, type CommitmentSchedule } from './commitment';
import type { EndBilling, SubscriptionEvent, TerminationCause } from './events';
import type { LocalDate } from './local-date';
import type { ResolvedTerms, ServiceKind, TermsOverrides } from './terms';

/**
 * The folded state of one contract. Plain JSON on purpose: the aggregate-state projection stores
 * it as JSON and folds the next event onto the parsed copy (no Date, no Money, no class).
 */

export type Phase = 'none' | 'ordered' | 'refused' | 'cancelled' | 'signed' | 'active' | 'terminated';

export interface ItemState {
  itemId: string;
  label: string;
  plan: string | null;
  status: 'ordered' | 'active' | 'terminated';
  /** SUB-15: for a MOBILE line, its SIM activation date. */
  serviceStartOn: LocalDate | null;
  endsOn: LocalDate | null;
  /** SUB-15: the line's RIO and previous end-of-contract date, once collected (firm and final). */
  lineInfo: { rio: string; previousContractEndsOn: LocalDate | null; collectedOn: LocalDate } | null;
}

export interface PendingTermination extends EndBilling {
  endsOn: LocalDate;
  cause: TerminationCause;
  rule: string;
  earlyTerminationFeeDue: boolean;
  noIndemnityToClient: boolean;
}

export interface MigrationState {
  itemId: string;
  fromPlan: string | null;
  targetPlan: string;
  requestedOn: LocalDate;
  answerDueOn: LocalDate;
  twelveWeeksEndOn: LocalDate;
  status: 'requested' | 'accepted' | 'postponed' | 'refused' | 'cancelled' | 'completed';
  plannedOn: LocalDate | null;
}

export interface DataChangeState {
  itemId: string;
  kind: 'range' | 'endpoint' | 'address';
  requestedOn: LocalDate;
  status: 'feasibility_pending' | 'accepted' | 'refused' | 'completed';
}

export interface SuspensionState {
  reason: SuspensionReason;
  scope: SuspensionScope;
  itemIds: string[];
  suspendedAt: string;
  lostOrStolen: { kind: LostOrStolenKind; factsOn: LocalDate; confirmationDueOn: LocalDate; confirmedOn: LocalDate | null } | null;
  forceMajeure: { startedOn: LocalDate; terminationRightFrom: LocalDate } | null;
  /** SUS-02: the invoice whose non-payment grounds the suspension (absent in states folded before it was kept). */
  unpaidInvoice?: UnpaidInvoice | null;
}

export interface SubscriptionState {
  subscriptionId: string | null;
  customerId: string | null;
  service: ServiceKind | null;
  phase: Phase;
  order: { quoteDate: LocalDate; orderAmount: string; contractOverrides: TermsOverrides; acceptance: 'pending' | 'accepted' | 'refused' } | null;
  guarantee: 'none' | 'requested' | 'provided' | 'refused';
  signedOn: LocalDate | null;
  terms: ResolvedTerms | null;
  lineInfoDueOn: LocalDate | null;
  items: Record<string, ItemState>;
  activatedOn: LocalDate | null;
  schedule: CommitmentSchedule | null;
  /** Index of the latest commitment period that has begun (0 = initial); reset by SUB-13. */
  startedPeriodIndex: number;
  pendingTermination: PendingTermination | null;
  endedOn: LocalDate | null;
  /** SUB-20: accepted orders still to execute when the contract ended. */
  survivingOrders: string[];
  migrations: Record<string, MigrationState>;
  dataChanges: Record<string, DataChangeState>;
  equipmentRequests: Record<string, { requestedOn: LocalDate; answerDueOn: LocalDate; answeredOn: LocalDate | null }>;
  saturations: Record<string, { triggeredOn: LocalDate; noticeDueOn: LocalDate; notifiedOn: LocalDate | null }>;
  /** Suspensions in force (a lifted one is removed). */
  suspensions: Record<string, SuspensionState>;
  deliveriesSuspended: { invoiceRef: string; since: LocalDate } | null;
  /** Keys of dueDates() entries recorded as passed, so they are not listed again. */
  passedDeadlines: string[];
}

export const initialSubscriptionState: SubscriptionState = {
  subscriptionId: null,
  customerId: null,
  service: null,
  phase: 'none',
  order: null,
  guarantee: 'none',
  signedOn: null,
  terms: null,
  lineInfoDueOn: null,
  items: {},
  activatedOn: null,
  schedule: null,
  startedPeriodIndex: 0,
  pendingTermination: null,
  endedOn: null,
  survivingOrders: [],
  migrations: {},
  dataChanges: {},
  equipmentRequests: {},
  saturations: {},
  suspensions: {},
  deliveriesSuspended: null,
  passedDeadlines: [],
};

function patchItem(state: SubscriptionState, itemId: string, patch: Partial<ItemState>): SubscriptionState {
  const item = state.items[itemId];
  if (!item) return state;
  return { ...state, items: { ...state.items, [itemId]: { ...item, ...patch } } };
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

/** Accepted orders not yet executed (SUB-20): they survive a termination. */
export function acceptedOrdersInProgress(state: SubscriptionState): string[] {
  return [
    ...Object.entries(state.migrations)
      .filter(([, m]) => m.status === 'accepted' || m.status === 'postponed')
      .map(([id]) => `migration:${id}`),
    ...Object.entries(state.dataChanges)
      .filter(([, c]) => c.status === 'accepted')
      .map(([id]) => `data-change:${id}`),
  ];
}

export function evolve(state: SubscriptionState, event: SubscriptionEvent): SubscriptionState {
  switch (event.type) {
    case 'OrderPlaced': {
      const d = event.data;
      const items = Object.fromEntries(
        d.items.map((i): [string, ItemState] => [
          i.itemId,
          { itemId: i.itemId, label: i.label, plan: i.plan, status: 'ordered', serviceStartOn: null, endsOn: null, lineInfo: null },
        ]),
      );
      return {
        ...state,
        subscriptionId: d.subscriptionId,
        customerId: d.customerId,
        service: d.service,
        phase: 'ordered',
        order: { quoteDate: d.quoteDate, orderAmount: d.orderAmount, contractOverrides: d.contractOverrides, acceptance: 'pending' },
        items,
      };
    }
    case 'OrderAccepted':
      return state.order ? { ...state, order: { ...state.order, acceptance: 'accepted' } } : state;
    case 'OrderRefused':
      return { ...state, phase: 'refused', order: state.order ? { ...state.order, acceptance: 'refused' } : null };
    case 'GuaranteeRequested':
      return { ...state, guarantee: 'requested' };
    case 'GuaranteeProvided':
      return { ...state, guarantee: 'provided' };
    case 'GuaranteeRefused':
      return { ...state, guarantee: 'refused' };
    case 'OrderCancelledByOksio':
    case 'OrderCancelledByClient':
      return { ...state, phase: 'cancelled' };
    case 'SubscriptionSigned':
      return { ...state, phase: 'signed', signedOn: event.data.signedOn, terms: event.data.terms, lineInfoDueOn: event.data.lineInfoDueOn };
    case 'ServiceActivated': {
      let next: SubscriptionState = { ...state, phase: 'active', activatedOn: state.activatedOn ?? event.data.activatedOn };
      for (const id of event.data.itemIds) next = patchItem(next, id, { status: 'active', serviceStartOn: event.data.activatedOn });
      return next;
    }
    case 'MobileLineActivated':
      return patchItem({ ...state, phase: 'active', activatedOn: state.activatedOn ?? event.data.simActivatedOn }, event.data.lineId, {
        status: 'active',
        serviceStartOn: event.data.serviceStartOn,
      });
    case 'CommitmentStarted':
      return {
        ...state,
        schedule: { firstDay: event.data.period.firstDay, initialTermMonths: event.data.termMonths, renewalPeriodMonths: event.data.renewalPeriodMonths },
        startedPeriodIndex: 0,
      };
    case 'CommitmentRestarted':
      return {
        ...state,
        schedule: recommitmentSchedule(event.data.changedOn, { initialTermMonths: event.data.termMonths, renewalPeriodMonths: event.data.renewalPeriodMonths }),
        startedPeriodIndex: 0,
      };
    case 'LineInfoCollected': {
      const d = event.data;
      return patchItem(state, d.lineId, { lineInfo: { rio: d.rio, previousContractEndsOn: d.previousContractEndsOn, collectedOn: d.collectedOn } });
    }
    case 'SubscriptionRenewed':
      return { ...state, startedPeriodIndex: event.data.period.index };
    case 'TerminationNoticeReceived': {
      const d = event.data;
      return {
        ...state,
        pendingTermination: {
          endsOn: d.endsOn,
          cause: d.early ? 'early_termination' : 'notice',
          rule: d.rule,
          earlyTerminationFeeDue: d.earlyTerminationFeeDue,
          noIndemnityToClient: false,
          monthBilledInFull: d.monthBilledInFull,
          monthsRemaining: d.monthsRemaining,
          commitmentPeriodLastDay: d.commitmentPeriodLastDay,
          feeBasis: d.feeBasis,
        },
      };
    }
    case 'NonPaymentTerminationNotified': {
      // The decider only accepts it when it ends the contract earlier than any pending termination.
      const { invoiceRef: _i, invoiceDueOn: _d, lrarReceivedOn: _r, subscriptionId: _s, ...end } = event.data;
      return { ...state, pendingTermination: { ...end, cause: 'non_payment', rule: 'SUS-02', noIndemnityToClient: true } };
    }
    case 'SoftwareWithdrawalAnnounced': {
      const d = event.data;
      // An earlier pending end (e.g. the client's notice) stays: the withdrawal cannot prolong the contract.
      if (state.pendingTermination && state.pendingTermination.endsOn <= d.serviceEndsOn) return state;
      return {
        ...state,
        pendingTermination: {
          endsOn: d.serviceEndsOn,
          cause: 'software_withdrawn',
          rule: 'SUB-19',
          earlyTerminationFeeDue: false,
          noIndemnityToClient: false,
          monthBilledInFull: d.monthBilledInFull,
          monthsRemaining: 0,
          commitmentPeriodLastDay: null,
          feeBasis: 'none',
        },
      };
    }
    case 'SubscriptionTerminated': {
      const items = Object.fromEntries(
        Object.entries(state.items).map(([id, item]) => [id, item.status === 'terminated' ? item : { ...item, status: 'terminated' as const, endsOn: event.data.endsOn }]),
      );
      return {
        ...state,
        phase: 'terminated',
        endedOn: event.data.endsOn,
        pendingTermination: null,
        items,
        survivingOrders: event.data.acceptedOrdersInProgress,
        suspensions: {},
      };
    }
    case 'ItemTerminated':
      return patchItem(state, event.data.itemId, { status: 'terminated', endsOn: event.data.endsOn });
    case 'PlanMigrationRequested': {
      const d = event.data;
      return {
        ...state,
        migrations: {
          ...state.migrations,
          [d.migrationId]: {
            itemId: d.itemId,
            fromPlan: d.currentPlan,
            targetPlan: d.targetPlan,
            requestedOn: d.requestedOn,
            answerDueOn: d.answerDueOn,
            twelveWeeksEndOn: d.twelveWeeksEndOn,
            status: 'requested',
            plannedOn: null,
          },
        },
      };
    }
    case 'PlanMigrationAnswered': {
      const m = state.migrations[event.data.migrationId];
      if (!m) return state;
      return { ...state, migrations: { ...state.migrations, [event.data.migrationId]: { ...m, status: event.data.outcome, plannedOn: event.data.plannedOn } } };
    }
    case 'PlanMigrationCancelled': {
      const m = state.migrations[event.data.migrationId];
      return m ? { ...state, migrations: { ...state.migrations, [event.data.migrationId]: { ...m, status: 'cancelled' } } } : state;
    }
    case 'PlanMigrated': {
      const m = state.migrations[event.data.migrationId];
      const next = m ? { ...state, migrations: { ...state.migrations, [event.data.migrationId]: { ...m, status: 'completed' as const } } } : state;
      return withoutSurvivingOrder(patchItem(next, event.data.itemId, { plan: event.data.toPlan }), `migration:${event.data.migrationId}`);
    }
    case 'DataLinkCapacityChanged':
      return state;
    case 'DataChangeRequested': {
      const d = event.data;
      return { ...state, dataChanges: { ...state.dataChanges, [d.changeId]: { itemId: d.itemId, kind: d.kind, requestedOn: d.requestedOn, status: 'feasibility_pending' } } };
    }
    case 'DataChangeFeasibilityConcluded': {
      const c = state.dataChanges[event.data.changeId];
      if (!c) return state;
      return { ...state, dataChanges: { ...state.dataChanges, [event.data.changeId]: { ...c, status: event.data.feasible ? 'accepted' : 'refused' } } };
    }
    case 'DataChangeCompleted': {
      const c = state.dataChanges[event.data.changeId];
      const next = c ? { ...state, dataChanges: { ...state.dataChanges, [event.data.changeId]: { ...c, status: 'completed' as const } } } : state;
      return withoutSurvivingOrder(next, `data-change:${event.data.changeId}`);
    }
    case 'EquipmentModificationRequested': {
      const d = event.data;
      return { ...state, equipmentRequests: { ...state.equipmentRequests, [d.requestId]: { requestedOn: d.requestedOn, answerDueOn: d.answerDueOn, answeredOn: null } } };
    }
    case 'EquipmentModificationAnswered': {
      const r = state.equipmentRequests[event.data.requestId];
      return r ? { ...state, equipmentRequests: { ...state.equipmentRequests, [event.data.requestId]: { ...r, answeredOn: event.data.answeredOn } } } : state;
    }
    case 'SaturationDetected': {
      const d = event.data;
      return { ...state, saturations: { ...state.saturations, [d.saturationId]: { triggeredOn: d.triggeredOn, noticeDueOn: d.noticeDueOn, notifiedOn: null } } };
    }
    case 'SaturationDelayNotified': {
      const s = state.saturations[event.data.saturationId];
      return s ? { ...state, saturations: { ...state.saturations, [event.data.saturationId]: { ...s, notifiedOn: event.data.notifiedOn } } } : state;
    }
    case 'ServiceSuspended': {
      const d = event.data;
      return {
        ...state,
        suspensions: {
          ...state.suspensions,
          [d.suspensionId]: {
            reason: d.reason,
            scope: d.scope,
            itemIds: d.itemIds,
            suspendedAt: d.suspendedAt,
            lostOrStolen: d.lostOrStolen ? { ...d.lostOrStolen, confirmedOn: null } : null,
            forceMajeure: d.forceMajeure,
            unpaidInvoice: d.unpaidInvoice,
          },
        },
      };
    }
    case 'LostOrStolenSimConfirmed': {
      const s = state.suspensions[event.data.suspensionId];
      if (!s?.lostOrStolen) return state;
      return {
        ...state,
        suspensions: { ...state.suspensions, [event.data.suspensionId]: { ...s, lostOrStolen: { ...s.lostOrStolen, confirmedOn: event.data.lrarReceivedOn } } },
      };
    }
    case 'SuspensionLifted':
      return { ...state, suspensions: without(state.suspensions, event.data.suspensionId) };
    case 'DeliveriesSuspended':
      return { ...state, deliveriesSuspended: { invoiceRef: event.data.invoiceRef, since: event.data.suspendedOn } };
    case 'DeliveriesResumed':
      return { ...state, deliveriesSuspended: null };
    case 'DeadlinePassed':
      return state.passedDeadlines.includes(event.data.key) ? state : { ...state, passedDeadlines: [...state.passedDeadlines, event.data.key] };
    default:
      return state;
  }
}

function withoutSurvivingOrder(state: SubscriptionState, orderId: string): SubscriptionState {
  return state.survivingOrders.includes(orderId) ? { ...state, survivingOrders: state.survivingOrders.filter((o) => o !== orderId) } : state;
}

import type { RecordedEvent } from '@oksio/event-store';
import { aggregateStateProjection, DueActions, type Projection, type RowBatch } from '@oksio/platform';
import { periodByIndex } from '../domain/commitment';
import { dueDates, terminationNoticeDeadline } from '../domain/due-dates';
import { SUBSCRIPTION_EVENT_TYPES, type EventOf, type SubscriptionEvent } from '../domain/events';
import { isBefore } from '../domain/local-date';
import type { SubscriptionState } from '../domain/state';
import { subscriptionDecider } from '../domain/subscription.decider';
import { readTerms, writeTerms } from './contract-terms.store';
import { ContractCommitmentRow, LineCommitmentRow, SubscriptionRow, SuspensionRow } from './subscription.entities';

export const SUBSCRIPTIONS_PROJECTION = 'subscriptions';

/** The order's status as the back office follows it (SUB-09). */
export function orderStatusOf(state: SubscriptionState): string {
  if (state.phase === 'cancelled') return 'cancelled';
  if (state.order?.acceptance === 'refused') return 'refused';
  if (state.activatedOn) return 'delivered';
  if (state.order?.acceptance === 'accepted') return 'accepted';
  return 'pending_feasibility';
}

/**
 * Read models and due actions of subscription contracts. Each event is folded with the domain's own
 * `evolve` (aggregateStateProjection); rows are rewritten from the folded state, so the read side
 * cannot interpret an event differently from the write side. Due actions are `dueDates(state)`.
 */
export function createSubscriptionsProjection(): Projection {
  return aggregateStateProjection<SubscriptionState>({
    name: SUBSCRIPTIONS_PROJECTION,
    category: 'subscription',
    eventTypes: SUBSCRIPTION_EVENT_TYPES,
    decider: subscriptionDecider,
    // Per event: what the event itself says (placement time, suspension details, lift or end) and
    // the due actions of each intermediate state (what per-event syncs leave in due_actions).
    onState(state, recorded, rows, previous, { fresh }) {
      if (!state.subscriptionId || !state.customerId || !state.service) return;
      const at = new Date(recorded.metadata.occurredAt);
      const event = { type: recorded.type, data: recorded.data } as SubscriptionEvent;
      // The first event of a stream is always OrderPlaced: the row is created with its placement time.
      if (event.type === 'OrderPlaced') rows.upsert(SubscriptionRow, { subscriptionId: state.subscriptionId, placedAt: new Date(event.data.placedAt) });
      writeSuspensions(state, previous, event, at, rows);
      rows.syncDueActions(
        state.subscriptionId,
        SUBSCRIPTIONS_PROJECTION,
        dueDates(state).map((d) => ({ key: d.key, kind: d.kind, dueAt: d.dueAt, payload: d.payload as unknown as Record<string, unknown> })),
        { fresh },
      );
    },
    // Once per batch: the rows that depend on the state alone.
    writeState(state, lastEvent, rows, { fresh }) {
      if (!state.subscriptionId || !state.customerId || !state.service) return;
      const at = new Date(lastEvent.metadata.occurredAt);
      writeSubscription(state, lastEvent, at, rows);
      writeCommitments(state, at, rows, fresh);
    },
    // Folded states refer to their terms by id, like the contract rows (stored once per content).
    storedState: {
      encode: (state, rows) => (state.terms ? { ...state, terms: null, termsId: writeTerms(state.terms, rows) } : state),
      async decode(stored, read) {
        const states = stored as Array<SubscriptionState & { termsId?: string }>;
        const terms = await readTerms(read, states.flatMap((s) => (s.termsId ? [s.termsId] : [])));
        return states.map(({ termsId, ...state }) => (termsId ? { ...state, terms: terms.get(termsId)! } : state));
      },
    },
    async resetRows(tx) {
      await tx.query('DELETE FROM subscription_suspensions');
      await tx.query('DELETE FROM subscription_line_commitments');
      await tx.query('DELETE FROM subscription_contract_commitments');
      await tx.query('DELETE FROM subscriptions');
      await tx.query('DELETE FROM subscription_terms');
      await DueActions.resetSource(tx, SUBSCRIPTIONS_PROJECTION);
    },
  });
}

function writeSubscription(state: SubscriptionState, recorded: RecordedEvent, at: Date, rows: RowBatch) {
  const pending = state.pendingTermination;
  const row: Partial<SubscriptionRow> = {
    subscriptionId: state.subscriptionId!,
    customerId: state.customerId!,
    service: state.service!,
    status: state.phase,
    orderStatus: orderStatusOf(state),
    guarantee: state.guarantee,
    quoteDate: state.order?.quoteDate ?? null,
    orderAmount: state.order?.orderAmount ?? null,
    signedOn: state.signedOn,
    activatedOn: state.activatedOn,
    endedOn: state.endedOn,
    pendingEndOn: pending?.endsOn ?? null,
    pendingEndCause: pending?.cause ?? null,
    pendingEndRule: pending?.rule ?? null,
    deliveriesSuspended: state.deliveriesSuspended !== null,
    activeSuspensions: Object.keys(state.suspensions).length,
    items: Object.values(state.items),
    termsId: state.terms ? writeTerms(state.terms, rows) : null,
    revision: recorded.revision,
    updatedAt: at,
  };
  rows.upsert(SubscriptionRow, row);
}

/**
 * The contract's calendar once, and each MOBILE line's own status and dates (the
 * `subscription_commitments` view gives every line the calendar, as the rows were written before).
 */
function writeCommitments(state: SubscriptionState, at: Date, rows: RowBatch, fresh: boolean) {
  const subscriptionId = state.subscriptionId!;
  if (!state.schedule || !state.terms) {
    rows.replace(ContractCommitmentRow, { subscriptionId }, [], { fresh });
    rows.replace(LineCommitmentRow, { subscriptionId }, [], { fresh });
    return;
  }
  const schedule = state.schedule;
  const period = periodByIndex(schedule, state.startedPeriodIndex);
  const pending = state.pendingTermination;
  const live = state.phase === 'active';
  // Same condition as dueDates (SUB-03 / SUB-04): the period renews unless the contract ends by then.
  const renews = live && (!pending || isBefore(period.lastDay, pending.endsOn));
  const contract: Partial<ContractCommitmentRow> = {
    subscriptionId,
    customerId: state.customerId!,
    service: state.service!,
    status: state.phase === 'terminated' ? 'terminated' : 'active',
    serviceStartOn: state.activatedOn,
    noticeRule: state.terms.noticeRule,
    noticeMonths: state.terms.noticeMonths,
    anchorOn: schedule.firstDay,
    initialTermMonths: schedule.initialTermMonths,
    renewalPeriodMonths: schedule.renewalPeriodMonths,
    initialEndOn: periodByIndex(schedule, 0).lastDay,
    periodIndex: period.index,
    periodKind: period.kind,
    periodStartOn: period.firstDay,
    periodEndOn: period.lastDay,
    noticeDeadlineOn: terminationNoticeDeadline(state),
    renewsAtPeriodEnd: renews,
    pendingEndOn: pending?.endsOn ?? null,
    endedOn: state.endedOn,
    updatedAt: at,
  };
  const lines: Partial<LineCommitmentRow>[] = [];
  if (state.service === 'MOBILE') {
    for (const item of Object.values(state.items)) {
      if (!item.serviceStartOn) continue;
      lines.push({ subscriptionId, lineId: item.itemId, status: item.status === 'terminated' ? 'terminated' : 'active', serviceStartOn: item.serviceStartOn, endedOn: item.endsOn });
    }
  }
  rows.replace(ContractCommitmentRow, { subscriptionId }, [contract], { fresh });
  rows.replace(LineCommitmentRow, { subscriptionId }, lines, { fresh });
}

function writeSuspensions(state: SubscriptionState, previous: SubscriptionState, event: SubscriptionEvent, at: Date, rows: RowBatch) {
  const subscriptionId = state.subscriptionId!;
  for (const [suspensionId, s] of Object.entries(state.suspensions)) {
    const row: Partial<SuspensionRow> = {
      subscriptionId,
      suspensionId,
      customerId: state.customerId!,
      service: state.service!,
      reason: s.reason,
      scope: s.scope,
      itemIds: s.itemIds,
      active: true,
      suspendedAt: new Date(s.suspendedAt),
      lostOrStolen: s.lostOrStolen,
      forceMajeure: s.forceMajeure,
    };
    if (event.type === 'ServiceSuspended' && event.data.suspensionId === suspensionId) {
      const d = event.data;
      Object.assign(row, {
        rule: d.rule,
        conservatory: d.conservatory,
        details: { clientInformedOn: d.clientInformedOn, unpaidInvoice: d.unpaidInvoice, misuseKind: d.misuseKind, subscriptionFeesContinue: d.subscriptionFeesContinue },
      });
    }
    rows.upsert(SuspensionRow, row);
  }
  // Suspensions in force before this event but not after it were lifted, or ended with the contract.
  for (const suspensionId of Object.keys(previous.suspensions)) {
    if (state.suspensions[suspensionId]) continue;
    const lifted = event.type === 'SuspensionLifted' && event.data.suspensionId === suspensionId ? (event as EventOf<'SuspensionLifted'>).data : null;
    rows.update(
      SuspensionRow,
      { subscriptionId, suspensionId },
      {
        active: false,
        endedAt: lifted ? new Date(lifted.liftedAt) : at,
        endedBy: lifted ? 'lifted' : 'termination',
        reconnectionCostsBillable: lifted ? lifted.reconnectionCostsBillable : null,
        newNumber: lifted?.newNumber ?? null,
      },
    );
  }
}

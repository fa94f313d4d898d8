import type { RecordedEvent } from '@oksio/event-store';
import { DueActions, aggregateStateProjection, type AggregateInBatch, type Projection, type RowBatch } from '@oksio/platform';
import {
  TICKET_EVENT_TYPES,
  billingMonthOf,
  dueDates,
  slaApplies,
  slaDeadline,
  ticketDecider,
  type TicketEvent,
  type TicketState,
} from '../domain';
import { LinkRow, PenaltyGrantRow, PenaltyRow, TicketRow } from './ticket.entities';

export const TICKETS_PROJECTION = 'incident-tickets';
export const SLA_BREACH_ACTION = 'incident.sla_breach';
export const AUTO_CLOSE_ACTION = 'incident.auto_close';

/**
 * Ticket board, history per customer/site and penalties per link and month, all derived from the
 * ticket state folded by the decider's own `evolve`; the due actions of `dueDates(state)` are
 * kept in step in the same transaction (INC-10 breach at the deadline, INC-09 automatic closure).
 */
export function ticketsProjection(): Projection {
  return aggregateStateProjection<TicketState>({
    name: TICKETS_PROJECTION,
    category: 'ticket',
    eventTypes: TICKET_EVENT_TYPES,
    decider: ticketDecider,
    onState: writeTicketEvent,
    writeState: writeTicket,
    async resetRows(tx) {
      await tx.query('DELETE FROM incident_tickets');
      await tx.query('DELETE FROM incident_penalties');
      await tx.query('DELETE FROM incident_penalty_grants');
      await DueActions.resetSource(tx, TICKETS_PROJECTION);
    },
  });
}

/** Once per ticket and batch: the board row, from the state alone (the SLA deadline walks the calendar). */
function writeTicket(state: TicketState, lastEvent: RecordedEvent, rows: RowBatch): void {
  if (state.ticketId === null || state.customerId === null) return;
  rows.upsert(TicketRow, {
    ticketId: state.ticketId,
    reference: state.reference,
    status: state.status,
    customerId: state.customerId,
    subscriptionId: state.subscriptionId,
    serviceType: state.serviceType,
    impactedSiteIds: state.impactedSiteIds,
    callerContactId: state.callerContactId,
    declaredByContactId: state.declaredByContactId,
    classification: state.classification,
    slaApplies: slaApplies(state),
    notifiedAt: state.clock ? new Date(state.clock.notifiedAt) : null,
    resolvedAt: state.resolution ? new Date(state.resolution.at) : null,
    resolution: state.resolution?.kind ?? null,
    closedAt: state.closedAt ? new Date(state.closedAt) : null,
    clock: state.clock,
    clockBasis: state.clock?.basis ?? null,
    slaDeadline: state.clock && slaApplies(state) ? slaDeadline(state.clock) : null,
    breachDeadline: state.slaBreach ? new Date(state.slaBreach.deadline) : null,
    exclusionCause: state.exclusion,
    monthlyFee: state.terms?.monthlyFee ?? null,
    penaltyComputed: state.penalty?.computed ?? null,
    penaltyTier: state.penalty?.tierPercentage ?? null,
    penaltyGranted: state.penaltyGranted,
    feesCharged: state.feesCharged,
    expertise: state.expertise,
    revision: lastEvent.revision,
    updatedAt: new Date(lastEvent.metadata.occurredAt),
  });
}

/**
 * Per event: what the event itself says (instants, texts, closure mode, penalty history) and the
 * due actions of each intermediate state (what per-event syncs leave in due_actions).
 */
function writeTicketEvent(state: TicketState, recorded: RecordedEvent, rows: RowBatch, _previous: TicketState, { fresh }: AggregateInBatch): void {
  if (state.ticketId === null || state.customerId === null) return;
  const event = { type: recorded.type, data: recorded.data } as TicketEvent;
  const ticketId = state.ticketId;
  switch (event.type) {
    case 'CallQualified':
      rows.upsert(TicketRow, { ticketId, qualifiedAt: new Date(event.data.qualifiedAt) });
      break;
    case 'TicketOpened':
      rows.upsert(TicketRow, {
        ticketId,
        receivedAt: new Date(event.data.receivedAt),
        openedAt: new Date(event.data.openedAt),
        description: event.data.description,
        location: event.data.location,
        consequences: event.data.consequences,
      });
      break;
    case 'SlaBreached':
      rows.upsert(TicketRow, { ticketId, breachRecordedAt: new Date(event.data.recordedAt) });
      break;
    case 'TicketClosed':
      rows.upsert(TicketRow, { ticketId, closureMode: event.data.mode });
      break;
    case 'TicketReopened':
      rows.upsert(TicketRow, { ticketId, closureMode: null });
      break;
    case 'SlaPenaltyComputed':
      rows.upsert(PenaltyRow, {
        ticketId,
        reference: state.reference as string,
        customerId: state.customerId,
        subscriptionId: event.data.subscriptionId,
        billingMonth: event.data.billingMonth,
        notifiedAt: new Date(state.clock!.notifiedAt),
        interruptionMs: String(event.data.interruptionMs),
        tierPercentage: event.data.tierPercentage,
        monthlyFee: event.data.monthlyFee,
        computedAmount: event.data.amount,
        exclusionCause: state.exclusion,
        grantedAmount: state.penaltyGranted,
      });
      break;
    case 'SlaExclusionRecorded':
      rows.update(PenaltyRow, { ticketId }, { exclusionCause: event.data.cause });
      break;
    case 'SlaPenaltyGranted':
      rows.update(PenaltyRow, { ticketId }, { grantedAmount: state.penaltyGranted });
      rows.insertIfAbsent(PenaltyGrantRow, { ticketId, revision: recorded.revision, subscriptionId: event.data.subscriptionId, billingMonth: event.data.billingMonth, amount: event.data.amount });
      break;
  }
  rows.syncDueActions(
    ticketId,
    TICKETS_PROJECTION,
    dueDates(state).map((d) => ({ key: d.key, kind: d.kind, dueAt: d.dueAt, payload: d.payload })),
    { fresh },
  );
}

/** The months a penalty of this state counts in (INC-12): the Paris month of the notification. */
export function ticketBillingMonth(state: TicketState): string | null {
  return state.clock ? billingMonthOf(state.clock.notifiedAt) : null;
}

export const LINKS_PROJECTION = 'incident-links';

/**
 * The customer's links and their items (sites, lines) as ordered, read from the Subscription
 * context's OrderPlaced facts: INC-02 checks the impacted sites against them and INC-04 the
 * impacted subscription and service type.
 */
export function linksProjection(): Projection {
  return {
    name: LINKS_PROJECTION,
    eventTypes: ['OrderPlaced'],
    async apply(recorded, tx) {
      if (recorded.type !== 'OrderPlaced') return;
      const d = recorded.data as { subscriptionId: string; customerId: string; service: string; items: Array<{ itemId: string }> };
      await tx.upsert(LinkRow, { subscriptionId: d.subscriptionId, customerId: d.customerId, service: d.service, itemIds: d.items.map((i) => i.itemId) }, ['subscriptionId']);
    },
    async reset(tx) {
      await tx.query('DELETE FROM incident_links');
    },
  };
}

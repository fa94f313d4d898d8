import type { RecordedEvent } from '@oksio/event-store';
import { DueActions, aggregateStateProjection, type Projection } from '@oksio/platform';
import { PiiVault, isEncryptedPii, isErased } from '@oksio/privacy';
import { SUBSCRIPTION_EVENT_TYPES, subscriptionDecider, type SubscriptionState } from '@oksio/subscription';
import {
  NUMBER_REGISTRY_EVENT_TYPES,
  fixedLineMandateDecider,
  fixedLineMandateDueDates,
  lastFileDayFor,
  missingFileDocuments,
  numberRegistryDecider,
  outstandingLineInfo,
  portingDueDates,
  portingRequestDecider,
  rioRequestDecider,
  type FixedLineMandateState,
  type NumberRegistryState,
  type PortingEvent,
  type PortingState,
  type RioRequestState,
} from '../domain';
import { FixedLineMandateRow, MobileLineRow, NumberRow, PortingRequestRow, RioRow } from './entities';

export const PORTING_EVENT_TYPES: readonly PortingEvent['type'][] = [
  'InboundPortingRequested',
  'PortingRioReceived',
  'PortingRioRejected',
  'PortingDocumentReceived',
  'PortingFormReceived',
  'PortingHolderMandateRecorded',
  'PreviousContractEndRecorded',
  'PortingFileCompleted',
  'PortingDeadlinePassed',
  'PortingEligibilityConfirmed',
  'PortingDeclaredIneligible',
  'DonorAcceptedPorting',
  'DonorRefusedPorting',
  'PortingReplacedByNewNumber',
  'NumberPortedIn',
  'DonorContractTerminated',
  'PortingInterruptionEnded',
  'PortOutRequested',
  'PortOutRefused',
  'PortOutCancelled',
  'NumberPortedOut',
  'LineContractTerminatedByPortOut',
  'PortOutEarlyTerminationFeeDue',
];

export const PORTING_PROJECTION = 'portability-porting';
export const MANDATES_PROJECTION = 'portability-mandates';

/** The porting queue of the admin client. */
export function queueOf(state: PortingState): string {
  switch (state.status) {
    case 'collecting':
      return 'documents_missing';
    case 'file_complete':
      return 'ready';
    case 'eligible':
    case 'donor_accepted':
      return 'scheduled';
    case 'ported_in':
      return 'ported';
    case 'replaced_by_new_number':
      return 'new_number';
    case 'port_out_requested':
      return 'port_out_pending';
    case 'ported_out':
      return 'ported_out';
    default:
      return 'closed';
  }
}

function nextDeadline(state: PortingState): { on: string | null; kind: string | null; rule: string | null } {
  const due = portingDueDates(state).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  if (due) return { on: due.dueOn, kind: due.kind, rule: due.rule };
  if (state.status === 'file_complete' && state.portingDate) return { on: state.portingDate, kind: 'portability.eligibility_check', rule: 'POR-03' };
  if (state.status === 'port_out_requested' && state.portOut) return { on: state.portOut.plannedPortingDate, kind: 'portability.port_out', rule: 'POR-06' };
  return { on: null, kind: null, rule: null };
}

/**
 * Porting cases by queue and next deadline, and their due actions (POR-01 documents, POR-05 file,
 * SUB-15 line info, POR-04 the port itself), from the porting decider's own `evolve`.
 */
export function portingProjection(vault: PiiVault): Projection {
  return aggregateStateProjection<PortingState>({
    name: PORTING_PROJECTION,
    category: 'porting',
    eventTypes: PORTING_EVENT_TYPES,
    decider: portingRequestDecider as never,
    async onState(state, recorded, rows, _previous, { fresh }) {
      const event = { type: recorded.type, data: recorded.data } as PortingEvent;
      const deadline = nextDeadline(state);
      const row: Partial<PortingRequestRow> = {
        portingId: state.portingId as string,
        direction: state.direction as 'inbound' | 'outbound',
        status: state.status,
        queue: queueOf(state),
        customerId: state.customerId as string,
        subscriptionId: state.subscriptionId as string,
        lineId: state.lineId as string,
        msisdn: state.msisdn as string,
        holderKind: state.holder?.kind ?? null,
        mandateDocumentId: state.holder?.kind === 'third_party' ? state.holder.mandateDocumentId : null,
        contractSignedOn: state.contractSignedOn,
        documentsDueOn: state.documentsDueOn,
        lineInfoDueOn: state.lineInfoDueOn,
        portingDate: state.portingDate ?? state.portOut?.plannedPortingDate ?? null,
        fileDueOn: state.portingDate && state.direction === 'inbound' ? lastFileDayFor(state.portingDate) : null,
        completeOn: state.completeOn,
        documents: state.documents as PortingRequestRow['documents'],
        missingDocuments: state.direction === 'inbound' && state.status === 'collecting' ? missingFileDocuments(state) : [],
        outstandingLineInfo: state.direction === 'inbound' && state.status !== 'replaced_by_new_number' ? outstandingLineInfo(state) : [],
        rio: state.rio ?? state.portOut?.rio ?? null,
        rejectedRios: state.rejectedRios,
        donorOperatorCode: state.donorOperatorCode,
        previousContractEndsOn: state.previousContractEndsOn,
        nextDeadlineOn: deadline.on,
        nextDeadlineKind: deadline.kind,
        nextDeadlineRule: deadline.rule,
        fallbackCause: state.fallback?.cause ?? null,
        fallbackRule: state.fallback?.rule ?? null,
        fallbackDecidedOn: state.fallback?.decidedOn ?? null,
        portedOn: state.portedIn?.portedOn ?? state.portOut?.portedOn ?? null,
        interruptionStartedAt: state.portedIn ? new Date(state.portedIn.interruption.startedAt) : null,
        interruptionExpectedEndAt: state.portedIn ? new Date(state.portedIn.interruption.expectedEndAt) : null,
        serviceRestoredAt: state.portedIn?.restoredAt ? new Date(state.portedIn.restoredAt) : null,
        portOut: state.portOut as Record<string, unknown> | null,
        updatedAt: new Date(recorded.metadata.occurredAt),
      };
      switch (event.type) {
        case 'InboundPortingRequested': {
          const holder = event.data.holder;
          const identity = holder.kind === 'third_party' ? holder.identity : null;
          if (isEncryptedPii(identity)) {
            const clear = await vault.reveal<{ name?: string }>(identity);
            row.holderName = isErased(clear) ? null : (clear.name ?? null);
            row.holderErased = isErased(clear);
          }
          break;
        }
        case 'PortingDeclaredIneligible':
          row.ineligibilityReasons = event.data.reasons;
          break;
        case 'PortingReplacedByNewNumber':
          row.fallbackReasons = event.data.reasons;
          break;
        case 'DonorRefusedPorting':
          row.donorRefusal = `${event.data.reasonCode}: ${event.data.reason}`;
          break;
        case 'DonorContractTerminated':
          row.donorContractTerminatedOn = event.data.effectiveOn;
          break;
        case 'PortOutRefused':
          row.ineligibilityReasons = [{ code: event.data.code, rule: 'POR-03', message: event.data.reason }];
          break;
        default:
          break;
      }
      rows.upsert(PortingRequestRow, row);
      rows.syncDueActions(
        recorded.streamId,
        PORTING_PROJECTION,
        portingDueDates(state).map((d) => ({ key: d.key, kind: d.kind, dueAt: d.dueAt, payload: { streamId: d.streamId, command: d.command, rule: d.rule, dueOn: d.dueOn } })),
        { fresh },
      );
    },
    async resetRows(tx) {
      await tx.query('DELETE FROM portability_porting_requests');
      await DueActions.resetSource(tx, PORTING_PROJECTION);
    },
  });
}

/** Number registry read model: owner line and pending porting of each number. */
export function numbersProjection(): Projection {
  return aggregateStateProjection<NumberRegistryState>({
    name: 'portability-numbers',
    category: 'msisdn',
    eventTypes: NUMBER_REGISTRY_EVENT_TYPES,
    decider: numberRegistryDecider as never,
    onState(state, recorded: RecordedEvent, rows) {
      const row: Partial<NumberRow> = {
        msisdn: state.msisdn as string,
        status: state.status === 'unknown' ? 'free' : state.status,
        pendingPortingId: state.pending?.portingId ?? null,
        pendingDirection: state.pending?.direction ?? null,
        updatedAt: new Date(recorded.metadata.occurredAt),
      };
      if (state.owner) {
        Object.assign(row, {
          customerId: state.owner.customerId,
          subscriptionId: state.owner.subscriptionId,
          lineId: state.owner.lineId,
          simNumber: state.owner.simNumber,
          source: state.owner.source,
          since: state.owner.since,
        });
      } else if (state.pending && state.status === 'reserved') {
        Object.assign(row, { customerId: state.pending.customerId, subscriptionId: state.pending.subscriptionId, lineId: state.pending.lineId });
      }
      if (recorded.type === 'NumberAssigned') row.portingId = (recorded.data as { portingId: string | null }).portingId;
      rows.upsert(NumberRow, row);
    },
    async resetRows(tx) {
      await tx.query('DELETE FROM portability_numbers');
    },
  });
}

/** The MOBILE lines of the Subscription context, folded with its own `evolve`. */
export function linesProjection(): Projection {
  return aggregateStateProjection<SubscriptionState>({
    name: 'portability-lines',
    category: 'subscription',
    eventTypes: SUBSCRIPTION_EVENT_TYPES,
    decider: subscriptionDecider,
    onState(state, _recorded, rows) {
      if (state.service !== 'MOBILE' || !state.subscriptionId) return;
      const fullSuspension = Object.values(state.suspensions).filter((s) => s.scope === 'full');
      for (const item of Object.values(state.items)) {
        const suspended = fullSuspension.some((s) => s.itemIds.length === 0 || s.itemIds.includes(item.itemId));
        rows.upsert(MobileLineRow, {
          subscriptionId: state.subscriptionId as string,
          lineId: item.itemId,
          customerId: state.customerId as string,
          phase: state.phase,
          status: item.status === 'active' && suspended ? 'suspended' : state.phase === 'terminated' ? 'terminated' : item.status,
          serviceStartOn: item.serviceStartOn,
          endsOn: item.endsOn ?? state.endedOn,
        });
      }
    },
    async resetRows(tx) {
      await tx.query('DELETE FROM portability_lines');
    },
  });
}

/** RIO lookups (number → RIO, RIO → number). */
export function riosProjection(): Projection {
  return aggregateStateProjection<RioRequestState>({
    name: 'portability-rios',
    category: 'mobile',
    eventTypes: ['RioIssued'],
    decider: rioRequestDecider as never,
    onState(state, recorded, rows) {
      if (!state.msisdn || !state.rio) return;
      const data = recorded.data as { replacesRio: string | null; issuedAt: string };
      rows.upsert(RioRow, { msisdn: state.msisdn, rio: state.rio, contractRef: state.contractRef as string, replacesRio: data.replacesRio, issuedAt: new Date(data.issuedAt) });
    },
    async resetRows(tx) {
      await tx.query('DELETE FROM portability_rios');
    },
  });
}

/** Fixed-line resale mandates and their NDI-change due actions (POR-08). */
export function mandatesProjection(): Projection {
  return aggregateStateProjection<FixedLineMandateState>({
    name: MANDATES_PROJECTION,
    category: 'fixed',
    eventTypes: [
      'FixedLineResaleRefused',
      'FixedLineMandateGranted',
      'MandateSubmittedToObl',
      'FixedLineResaleAcceptedByObl',
      'FixedLineResaleRejectedByObl',
      'NdiChangeNotified',
      'NdiChanged',
    ],
    decider: fixedLineMandateDecider as never,
    onState(state, recorded, rows, _previous, { fresh }) {
      const data = recorded.data as Record<string, any>;
      const due = fixedLineMandateDueDates(state);
      const row: Partial<FixedLineMandateRow> = {
        mandateId: state.mandateId as string,
        status: state.status,
        accessKind: state.accessKind,
        localLoopOperator: state.localLoopOperator,
        number: state.number,
        ndiChanges: state.ndiChanges,
        nextNdiChangeOn: due.map((d) => d.dueOn).sort()[0] ?? null,
        updatedAt: new Date(recorded.metadata.occurredAt),
      };
      if (recorded.type === 'FixedLineResaleRefused' || recorded.type === 'FixedLineMandateGranted') {
        Object.assign(row, { customerId: data.customerId, subscriptionId: data.subscriptionId, lineId: data.lineId, service: data.service });
      }
      if (recorded.type === 'FixedLineResaleRefused') row.refusalReasons = data.reasons;
      if (recorded.type === 'FixedLineResaleRejectedByObl') row.oblRejection = data.reason;
      rows.upsert(FixedLineMandateRow, row);
      rows.syncDueActions(
        recorded.streamId,
        MANDATES_PROJECTION,
        due.map((d) => ({ key: d.key, kind: d.kind, dueAt: d.dueAt, payload: { streamId: d.streamId, command: d.command, rule: d.rule, dueOn: d.dueOn } })),
        { fresh },
      );
    },
    async resetRows(tx) {
      await tx.query('DELETE FROM portability_fixed_line_mandates');
      await DueActions.resetSource(tx, MANDATES_PROJECTION);
    },
  });
}

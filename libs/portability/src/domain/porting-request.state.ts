import type { FileDocument, HolderDeclaration, NumberStatus } from './porting-request.commands';
import type { FallbackCause, InterruptionWindow, PortingEvent } from './porting-request.events';
import type { LocalDate } from './local-date';
import type { RioQualifier } from './rio';

/**
 * The folded state of one porting case. Plain JSON on purpose (no Date, Map or class): the platform
 * stores it as JSON and folds the next event onto the parsed copy.
 */
export type PortingStatus =
  | 'none'
  // inbound
  | 'collecting'
  | 'file_complete'
  | 'eligible'
  | 'donor_accepted'
  | 'ported_in'
  | 'replaced_by_new_number'
  // outbound
  | 'port_out_requested'
  | 'ported_out'
  | 'port_out_refused'
  | 'port_out_cancelled';

export const OPEN_INBOUND_STATUSES: readonly PortingStatus[] = ['collecting', 'file_complete', 'eligible', 'donor_accepted'];

export interface PortingState {
  aggregate: 'porting';
  portingId: string | null;
  direction: 'inbound' | 'outbound' | null;
  status: PortingStatus;
  customerId: string | null;
  subscriptionId: string | null;
  lineId: string | null;
  /** E.164. */
  msisdn: string | null;
  // ---- inbound ----
  holder: HolderDeclaration | null;
  contractSignedOn: LocalDate | null;
  documentsDueOn: LocalDate | null;
  lineInfoDueOn: LocalDate | null;
  /**
   * Per document: the latest receipt of the porting form (it states the porting date), the first
   * receipt of every other document; `firstReceivedOn` is when the document first reached OKSIO.
   */
  documents: Partial<Record<FileDocument, { documentId: string; receivedOn: LocalDate; firstReceivedOn: LocalDate }>>;
  rio: string | null;
  rioQualifier: RioQualifier | null;
  donorOperatorCode: string | null;
  /** RIOs refused at receipt (POR-07), kept to tell the client why its request is wrong (POR-03). */
  rejectedRios: number;
  portingDate: LocalDate | null;
  previousContractEndsOn: LocalDate | null;
  completeOn: LocalDate | null;
  eligibility: { checkedOn: LocalDate; numberStatusOnPortingDay: NumberStatus } | null;
  portedIn: { portedOn: LocalDate; interruption: InterruptionWindow; restoredAt: string | null } | null;
  fallback: { cause: FallbackCause; rule: string; decidedOn: LocalDate } | null;
  /** Keys of deadlines already recorded as passed (each is recorded once). */
  passedDeadlines: string[];
  // ---- outbound ----
  portOut: {
    rio: string;
    recipientOperatorCode: string;
    plannedPortingDate: LocalDate;
    portedOn: LocalDate | null;
    insideCommitment: boolean | null;
  } | null;
}

export const initialPortingState: PortingState = {
  aggregate: 'porting',
  portingId: null,
  direction: null,
  status: 'none',
  customerId: null,
  subscriptionId: null,
  lineId: null,
  msisdn: null,
  holder: null,
  contractSignedOn: null,
  documentsDueOn: null,
  lineInfoDueOn: null,
  documents: {},
  rio: null,
  rioQualifier: null,
  donorOperatorCode: null,
  rejectedRios: 0,
  portingDate: null,
  previousContractEndsOn: null,
  completeOn: null,
  eligibility: null,
  portedIn: null,
  fallback: null,
  passedDeadlines: [],
  portOut: null,
};

export function evolvePorting(state: PortingState, event: PortingEvent): PortingState {
  switch (event.type) {
    case 'InboundPortingRequested': {
      const d = event.data;
      return {
        ...state,
        portingId: d.portingId,
        direction: 'inbound',
        status: 'collecting',
        customerId: d.customerId,
        subscriptionId: d.subscriptionId,
        lineId: d.lineId,
        msisdn: d.msisdn,
        holder: d.holder,
        contractSignedOn: d.contractSignedOn,
        documentsDueOn: d.documentsDueOn,
        lineInfoDueOn: d.lineInfoDueOn,
      };
    }
    case 'PortingRioReceived':
      return {
        ...state,
        rio: event.data.rio,
        rioQualifier: event.data.rioQualifier,
        donorOperatorCode: event.data.donorOperatorCode,
        documents: { ...state.documents, rio: { documentId: event.data.rio, receivedOn: event.data.receivedOn, firstReceivedOn: event.data.receivedOn } },
      };
    case 'PortingRioRejected':
      return { ...state, rejectedRios: state.rejectedRios + 1 };
    case 'PortingDocumentReceived':
      if (state.documents[event.data.kind]) return state;
      return {
        ...state,
        documents: {
          ...state.documents,
          [event.data.kind]: { documentId: event.data.documentId, receivedOn: event.data.receivedOn, firstReceivedOn: event.data.receivedOn },
        },
      };
    case 'PortingFormReceived':
      return {
        ...state,
        portingDate: event.data.portingDate,
        documents: {
          ...state.documents,
          porting_form: {
            documentId: event.data.documentId,
            receivedOn: event.data.receivedOn,
            firstReceivedOn: state.documents.porting_form?.firstReceivedOn ?? event.data.receivedOn,
          },
        },
      };
    case 'PortingHolderMandateRecorded':
      return state.holder?.kind === 'third_party' ? { ...state, holder: { ...state.holder, mandateDocumentId: event.data.mandateDocumentId } } : state;
    case 'PreviousContractEndRecorded':
      return { ...state, previousContractEndsOn: event.data.endsOn };
    case 'PortingFileCompleted':
      return { ...state, status: 'file_complete', completeOn: event.data.completeOn, portingDate: event.data.portingDate };
    case 'PortingDeadlinePassed':
      return { ...state, passedDeadlines: [...state.passedDeadlines, event.data.key] };
    case 'PortingEligibilityConfirmed':
      return {
        ...state,
        status: state.status === 'donor_accepted' ? 'donor_accepted' : 'eligible',
        eligibility: { checkedOn: event.data.checkedOn, numberStatusOnPortingDay: event.data.numberStatusOnPortingDay },
      };
    case 'DonorAcceptedPorting':
      return { ...state, status: 'donor_accepted' };
    case 'PortingReplacedByNewNumber':
      return { ...state, status: 'replaced_by_new_number', fallback: { cause: event.data.cause, rule: event.data.rule, decidedOn: event.data.decidedOn } };
    case 'NumberPortedIn':
      return { ...state, status: 'ported_in', portedIn: { portedOn: event.data.portedOn, interruption: event.data.interruption, restoredAt: null } };
    case 'PortingInterruptionEnded':
      return state.portedIn ? { ...state, portedIn: { ...state.portedIn, restoredAt: event.data.restoredAt } } : state;
    case 'PortOutRequested': {
      const d = event.data;
      return {
        ...state,
        portingId: d.portingId,
        direction: 'outbound',
        status: 'port_out_requested',
        customerId: d.customerId,
        subscriptionId: d.subscriptionId,
        lineId: d.lineId,
        msisdn: d.msisdn,
        portOut: { rio: d.rio, recipientOperatorCode: d.recipientOperatorCode, plannedPortingDate: d.plannedPortingDate, portedOn: null, insideCommitment: null },
      };
    }
    case 'PortOutRefused':
      return { ...state, status: 'port_out_refused' };
    case 'PortOutCancelled':
      return { ...state, status: 'port_out_cancelled' };
    case 'NumberPortedOut':
      return { ...state, status: 'ported_out', portOut: state.portOut && { ...state.portOut, portedOn: event.data.portedOn } };
    case 'LineContractTerminatedByPortOut':
      return { ...state, portOut: state.portOut && { ...state.portOut, insideCommitment: event.data.insideCommitment } };
    // Facts with no effect on the decisions still to take.
    case 'PortingDeclaredIneligible':
    case 'DonorRefusedPorting':
    case 'DonorContractTerminated':
    case 'PortOutEarlyTerminationFeeDue':
      return state;
    default:
      return state;
  }
}

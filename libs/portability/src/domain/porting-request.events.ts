import type { DomainEvent, PersonalText } from '@oksio/kernel';
import type { DonorRefusalCode, FileDocument, HolderDeclaration, NumberStatus, PlainDocument } from './porting-request.commands';
import type { LocalDate } from './local-date';
import type { RioInvalidReason, RioQualifier } from './rio';

/**
 * Facts of a porting case. JSON only: calendar dates 'YYYY-MM-DD' (Europe/Paris), instants ISO-8601
 * UTC, numbers E.164. Every event carries the porting id so a projection can read it without the
 * envelope.
 */

/** POR-03: the only grounds on which a porting request may be refused (CP Mobile 6.1.3). */
export type IneligibilityCode =
  | 'requester_not_holder_nor_mandated'
  | 'incomplete_or_wrong_request'
  | 'number_inactive_on_porting_day'
  | 'porting_request_already_pending'
  | 'donor_refusal';

/** Why a requested porting ends with a new number instead. */
export type FallbackCause =
  /** POR-01: not all documents within 30 days of signature. */
  | 'documents_missing'
  /** POR-05: the file did not reach OKSIO 30 days before the porting date. */
  | 'file_late_for_porting_date'
  /** POR-03: OKSIO's own eligibility check failed. */
  | 'ineligible'
  /** POR-03: reasoned refusal of the donor operator. */
  | 'donor_refusal'
  /** POR-09: the PNM process failed because of another operator, or eligibility was lost. */
  | 'porting_failed';

/** POR-09 (CP Mobile 6.3): the case in which OKSIO is not liable for the failed port. */
export type LiabilityExclusion = 'late_or_incomplete_file' | 'ineligibility' | 'loss_of_eligibility' | 'other_operator';

export type Reason = { code: string; rule: string; message: string };

export type InterruptionWindow = {
  startedAt: string;
  /** POR-04: "une interruption du service d'une durée d'environ quatre heures". */
  expectedEndAt: string;
  expectedMinutes: number;
};

type E<T extends string, D extends object> = DomainEvent<T, D & { portingId: string }>;

export type PortingEvent =
  // ---- inbound ------------------------------------------------------------------------------------
  | E<
      'InboundPortingRequested',
      {
        customerId: string;
        subscriptionId: string;
        lineId: string;
        msisdn: string;
        holder: HolderDeclaration;
        contractSignedOn: LocalDate;
        /** POR-01: last day for the RIO, previous contracts, last 3 invoices, termination letters. */
        documentsDueOn: LocalDate;
        /** SUB-15: last day to collect the RIO and the previous contract's end date. */
        lineInfoDueOn: LocalDate;
        /** POR-02: asking to keep the number mandates OKSIO to port it and end the donor contract. */
        mandateToPortAndTerminate: true;
        requestedAt: string;
      }
    >
  | E<'PortingRioReceived', { rio: string; rioQualifier: RioQualifier; donorOperatorCode: string; receivedOn: LocalDate; late: boolean }>
  /** POR-07: the RIO given does not fit the syntax or the number; the client is asked again. */
  | E<'PortingRioRejected', { submitted: string; reason: RioInvalidReason; message: string; receivedOn: LocalDate }>
  | E<'PortingDocumentReceived', { kind: PlainDocument; documentId: string; receivedOn: LocalDate; late: boolean }>
  | E<'PortingFormReceived', { documentId: string; portingDate: LocalDate; receivedOn: LocalDate; previousPortingDate: LocalDate | null }>
  | E<'PortingHolderMandateRecorded', { mandateDocumentId: string }>
  /** SUB-15: firm and final. */
  | E<'PreviousContractEndRecorded', { endsOn: LocalDate; collectedOn: LocalDate; withinCollectionWindow: boolean }>
  | E<
      'PortingFileCompleted',
      {
        completeOn: LocalDate;
        portingDate: LocalDate;
        /** POR-05: calendar days from the completion to the porting date (≥ 30). */
        daysBeforePortingDate: number;
      }
    >
  | E<'PortingDeadlinePassed', { key: string; kind: string; rule: string; dueOn: LocalDate; outstanding: string[] }>
  | E<'PortingEligibilityConfirmed', { checkedOn: LocalDate; numberStatusOnPortingDay: NumberStatus }>
  | E<'PortingDeclaredIneligible', { reasons: Reason[]; decidedOn: LocalDate }>
  | E<'DonorAcceptedPorting', { answeredOn: LocalDate }>
  | E<'DonorRefusedPorting', { reasonCode: DonorRefusalCode; reason: string; answeredOn: LocalDate }>
  | E<
      'PortingReplacedByNewNumber',
      {
        customerId: string;
        subscriptionId: string;
        lineId: string;
        msisdn: string;
        cause: FallbackCause;
        rule: string;
        /** Every reason, for the client's information (POR-03: "en précisant le motif"). */
        reasons: Reason[];
        decidedOn: LocalDate;
        /** A new line/number is created instead (POR-01, POR-03, POR-05). */
        newNumberToBeAssigned: true;
        /** POR-03: "ne constituent pas une condition de résiliation du contrat de service aux torts de OKSIO". */
        terminationAtOksioFault: false;
        /** POR-09. */
        oksioLiable: false;
        liabilityExclusion: LiabilityExclusion;
        /** No port, so OKSIO does not terminate the donor contract: that stays the client's business (CP Mobile 10). */
        donorContractTerminatedByOksio: false;
      }
    >
  | E<'NumberPortedIn', { msisdn: string; subscriptionId: string; lineId: string; portedOn: LocalDate; plannedOn: LocalDate; interruption: InterruptionWindow }>
  /** POR-02: OKSIO terminates the donor contract under the client's mandate, effective on the porting date. */
  | E<'DonorContractTerminated', { msisdn: string; donorOperatorCode: string; effectiveOn: LocalDate; underClientMandate: true }>
  | E<'PortingInterruptionEnded', { restoredAt: string; durationMinutes: number; longerThanExpected: boolean }>
  // ---- outbound -----------------------------------------------------------------------------------
  | E<
      'PortOutRequested',
      {
        customerId: string;
        subscriptionId: string;
        lineId: string;
        msisdn: string;
        rio: string;
        recipientOperatorCode: string;
        plannedPortingDate: LocalDate;
        /** POR-06: the port-out request is the termination of the OKSIO contract for this number. */
        terminationRequested: true;
        requestedAt: string;
      }
    >
  /** OKSIO as donor refuses with a reason (POR-03 grounds apply both ways); the contract continues. */
  | E<'PortOutRefused', { code: IneligibilityCode; reason: string; decidedOn: LocalDate }>
  | E<'PortOutCancelled', { reason: PersonalText; cancelledOn: LocalDate }>
  | E<'NumberPortedOut', { msisdn: string; portedOn: LocalDate }>
  | E<
      'LineContractTerminatedByPortOut',
      {
        subscriptionId: string;
        lineId: string;
        msisdn: string;
        /** POR-06: the actual porting date. */
        effectiveOn: LocalDate;
        insideCommitment: boolean;
        commitmentPeriodLastDay: LocalDate | null;
      }
    >
  /** For Billing: POR-06 → SUB-07 early-termination fee, computed there. */
  | E<
      'PortOutEarlyTerminationFeeDue',
      { customerId: string; subscriptionId: string; lineId: string; terminationEffectiveOn: LocalDate; commitmentPeriodLastDay: LocalDate; feeRule: 'SUB-07' }
    >;

export type PortingEventOf<T extends PortingEvent['type']> = Extract<PortingEvent, { type: T }>;

export type DocumentReceipt = { documentId: string; receivedOn: LocalDate };
export type { FileDocument };

import type { LocalDate } from './local-date';

/**
 * Commands of a mobile porting case, stream `porting-<portingId>`: one number, either ported in to
 * OKSIO (CP Mobile 6.1, 10, 11.1) or ported out from OKSIO (CP Mobile 6.2).
 *
 * Facts OKSIO cannot know by itself are passed in by the application, read from the number
 * registry or the PNM exchanges just before deciding (other pending request, number status,
 * commitment end of the OKSIO contract). Business dates a person types in (`receivedOn`, …) are
 * optional and default to the Paris date of `now`; they may never be in the future.
 */

/** POR-01 (CP Mobile 6.1.1): the documents to keep a number, due within 30 days of signature. */
export const POR01_DOCUMENTS = ['rio', 'previous_contracts', 'last_three_invoices', 'signed_termination_letters'] as const;
/**
 * POR-05 (CP Mobile 11.1): "ses documents de souscription accompagnés du bon de portage" must reach
 * OKSIO at least 30 days before the porting date. The file is complete when the POR-01 documents,
 * the subscription documents and the porting form (which states the porting date) are all in.
 */
export const FILE_DOCUMENTS = [...POR01_DOCUMENTS, 'subscription_documents', 'porting_form'] as const;

export type Por01Document = (typeof POR01_DOCUMENTS)[number];
export type FileDocument = (typeof FILE_DOCUMENTS)[number];
/** Documents received through `ReceiveDocument` (the RIO and the porting form have their own commands). */
export type PlainDocument = Exclude<FileDocument, 'rio' | 'porting_form'>;

/**
 * Who holds the donor contract (POR-03, first ground). A third-party holder (an employee's own
 * line, a sister company) needs the holder's mandate; `mandateDocumentId` may be given later with
 * `RecordHolderMandate`.
 */
export type HolderDeclaration =
  | { kind: 'customer' }
  | {
      kind: 'third_party';
      holderReference: string;
      mandateDocumentId: string | null;
      /**
       * The holder's identity (a natural person's name, …) is personal data: the application puts
       * it here encrypted (PiiVault, `$pii` envelope); the domain only carries it. Null when absent.
       */
      identity?: Record<string, unknown> | null;
    };

/**
 * A number's status at the donor for the porting day (POR-03, third ground). A temporarily
 * suspended number ("suspension temporaire du fait de l'opérateur donneur ou à la demande de
 * l'abonné") is still an active number.
 */
export type NumberStatus = 'active' | 'suspended' | 'inactive';

/** What a donor gives as the motive of its refusal, when it names a POR-03 ground. */
export type DonorRefusalCode =
  | 'requester_not_holder_nor_mandated'
  | 'incomplete_or_wrong_request'
  | 'number_inactive_on_porting_day'
  | 'porting_request_already_pending'
  | 'other';

export type PortingCommand =
  // ---- inbound (CP Mobile 6.1, 10, 11.1) ----------------------------------------------------------
  | {
      type: 'RequestInboundPorting';
      portingId: string;
      customerId: string;
      subscriptionId: string;
      lineId: string;
      /** Any form `checkMobileNumber` accepts; stored as E.164. */
      msisdn: string;
      holder: HolderDeclaration;
      /** Signature of the fleet contract or mobile quote: starts the POR-01 and SUB-15 clocks. */
      contractSignedOn: LocalDate;
      /** The RIO when the client gives it with the request (else `ProvideRio` later). */
      rio?: string | null;
    }
  | { type: 'ProvideRio'; rio: string; receivedOn?: LocalDate }
  | { type: 'ReceiveDocument'; kind: PlainDocument; documentId: string; receivedOn?: LocalDate }
  | { type: 'ReceivePortingForm'; documentId: string; portingDate: LocalDate; receivedOn?: LocalDate }
  | { type: 'RecordHolderMandate'; mandateDocumentId: string }
  /** SUB-15: the donor contract's end date for this line, firm and final once recorded. */
  | { type: 'RecordPreviousContractEnd'; endsOn: LocalDate; collectedOn?: LocalDate }
  /**
   * POR-03: OKSIO's eligibility decision once the file is complete (and again later if the donor
   * reports a change before the porting day). Both facts come from the application.
   */
  | { type: 'CheckEligibility'; otherPendingRequestForNumber: boolean; numberStatusOnPortingDay: NumberStatus }
  | { type: 'RecordDonorAcceptance'; answeredOn?: LocalDate }
  | { type: 'RecordDonorRefusal'; reasonCode: DonorRefusalCode; reason: string; answeredOn?: LocalDate }
  /** Sent by the scheduler on the porting date (POR-04, POR-02). */
  | { type: 'ExecutePorting'; portingDate: LocalDate; interruptionStartedAt?: string }
  | { type: 'RecordServiceRestored'; restoredAt: string }
  /** The PNM exchange failed on the way (POR-09): another operator's fault or a lost eligibility. */
  | { type: 'RecordPortingFailure'; cause: 'other_operator' | 'loss_of_eligibility'; detail: string }
  /** Sent by the scheduler for a `RecordDeadlinePassed` due action (documents, file, SUB-15). */
  | { type: 'RecordDeadlinePassed'; key: string }
  // ---- outbound (CP Mobile 6.2) -------------------------------------------------------------------
  | {
      type: 'NotifyPortOut';
      portingId: string;
      customerId: string;
      subscriptionId: string;
      lineId: string;
      msisdn: string;
      /** The RIO the recipient operator presented. */
      rio: string;
      /** OKSIO's 2-digit operator code (configuration): its own RIOs carry it. */
      oksioOperatorCode: string;
      /** The RIO OKSIO issued for this number, when the registry has one. */
      issuedRio: string | null;
      recipientOperatorCode: string;
      plannedPortingDate: LocalDate;
    }
  | { type: 'CancelPortOut'; reason: string }
  /**
   * The PNM confirms the port: the OKSIO contract for the number ends on that date (POR-06). The
   * application passes the last day of the commitment period in force (null when none binds).
   */
  | { type: 'ConfirmPortOut'; portedOn: LocalDate; commitmentPeriodLastDay: LocalDate | null };

export type PortingCommandOf<T extends PortingCommand['type']> = Extract<PortingCommand, { type: T }>;

import type { DataLineFacts, FixedLineFacts } from './eligibility';
import type { LocalDate } from './local-date';
import type { PriceChangeException } from './notices';
import type { ServiceKind, TermsOverrides } from './terms';

/**
 * What can be asked of one subscription contract (stream `subscription-<id>`). Dates written
 * `…On` are Europe/Paris calendar dates 'YYYY-MM-DD' of facts that happened outside the system
 * (a letter's receipt, a SIM activation); an act done by the command itself happens at `now`.
 * Amounts are decimal strings (HT).
 */

export interface OrderItemInput {
  /** A DATA link/site, a MOBILE or fixed line, a PBX licence. */
  itemId: string;
  label: string;
  /** Commercial plan ("formule d'abonnement"), kept for SUB-12 migrations. */
  plan?: string;
  /** SUB-17: facts of a fixed line to resell; checked when given. */
  fixedLineFacts?: FixedLineFacts;
  /** SUB-18: facts of a DATA access line; checked when given. */
  dataLineFacts?: DataLineFacts;
}

/** Only a registered letter with acknowledgement of receipt is admissible for a termination (SUB-04/05). */
export type NoticeChannel = 'registered_letter_with_ack' | 'letter' | 'email' | 'phone';
/** SUB-11 / SUB-14: some requests must be made electronically. */
export type RequestChannel = 'electronic' | 'letter' | 'phone';

/** SUB-08 (CG 8) and SUS-03 (CP Mobile 8.6). */
export type ImmediateTerminationReason = 'client_breach' | 'false_declaration' | 'payment_incident' | 'force_majeure' | 'fraud_or_sim_duplication';

/** SUB-16: what happened to the local-loop subscription at the incumbent. */
export type LocalLoopChange = 'cancelled' | 'temporary' | 'moderated' | 'selective_access' | 'other_limitation';

export type SuspensionReason = 'legal_obligation' | 'illegal_use' | 'unpaid' | 'misuse' | 'force_majeure' | 'lost_or_stolen_sim';
/** 'full' cuts the service; the others are conservatory measures (SUS-01), e.g. barring international calls. */
export type SuspensionScope = 'full' | 'international_calls' | 'premium_rate_numbers' | 'outgoing_calls' | 'mobile_data';
/** SUS-03 (CG 10; CP Mobile 8.5, 8.7, 12). */
export type MisuseKind = 'spam' | 'mass_generation' | 'gsm_gateway' | 'sim_box' | 'rerouting' | 'other_misuse';
export type LostOrStolenKind = 'lost' | 'stolen' | 'misappropriated' | 'unauthorised_use';

export interface UnpaidInvoice {
  invoiceRef: string;
  dueOn: LocalDate;
}

export type SubscriptionCommand =
  // ---- order, signature, activation (SUB-01, SUB-02, SUB-09, SUB-15, SUB-17, SUB-18)
  | {
      type: 'PlaceOrder';
      subscriptionId: string;
      customerId: string;
      service: ServiceKind;
      items: OrderItemInput[];
      contractOverrides?: TermsOverrides;
      quoteDate: LocalDate;
      orderAmount: string;
    }
  | { type: 'RecordFeasibilityResult'; feasible: boolean; reason?: string; studyReference?: string }
  | { type: 'RequestGuarantee'; insolvencyRiskReason: string; amount?: string }
  | { type: 'RecordGuaranteeAnswer'; provided: boolean }
  | { type: 'CancelOrderForRefusedGuarantee' }
  | { type: 'CancelOrderByClient'; withOksioWrittenAgreement: boolean; agreementReference?: string; costsIncurred?: string }
  | { type: 'SignSubscription'; signedOn: LocalDate }
  | { type: 'ActivateService'; activatedOn: LocalDate }
  | { type: 'ActivateMobileLine'; lineId: string; simActivatedOn: LocalDate }
  | { type: 'RecordLineInfo'; lineId: string; rio: string; previousContractEndsOn: LocalDate | null }
  // ---- renewal and termination (SUB-03 … SUB-08, SUB-16, SUB-19, SUB-20, SUS-02, SUS-05)
  /** Sent by the scheduler; `periodLastDay` is the last day (inclusive) of the period that ends. */
  | { type: 'ApplyRenewal'; periodLastDay: LocalDate }
  | {
      type: 'ReceiveTerminationNotice';
      noticeId: string;
      from: 'client' | 'oksio';
      channel: NoticeChannel;
      lrarReceivedOn: LocalDate;
      /** An earlier end than the notice rules give is an early termination (SUB-07 fee). */
      requestedEndOn?: LocalDate;
    }
  /** Sent by the scheduler once the last day of service is over. */
  | { type: 'ApplyTermination'; endsOn: LocalDate }
  | { type: 'TerminateImmediately'; reason: ImmediateTerminationReason; details: string }
  | { type: 'TerminateForForceMajeure'; by: 'client' | 'oksio' }
  | { type: 'RecordLocalLoopSubscriptionEnded'; lineId: string; endedOn: LocalDate; change: LocalLoopChange }
  /**
   * POR-06 (CP Mobile 6.2): a MOBILE number was ported out to another operator; the contract for
   * that line ends on the actual porting date (sent by Portability once the port is confirmed).
   */
  | { type: 'TerminateLineByPortOut'; lineId: string; portingId: string; portedOn: LocalDate }
  | { type: 'AnnounceSoftwareWithdrawal'; serviceEndsOn?: LocalDate }
  | { type: 'NotifyTerminationForNonPayment'; invoiceRef: string; invoiceDueOn: LocalDate; lrarReceivedOn: LocalDate }
  // ---- DATA changes (SUB-10 … SUB-14)
  | { type: 'RequestPlanMigration'; migrationId: string; itemId: string; targetPlan: string; targetRange: string; requestedOn: LocalDate }
  | { type: 'AnswerPlanMigration'; migrationId: string; outcome: 'accepted' | 'refused' | 'postponed'; plannedOn?: LocalDate }
  | { type: 'CancelPlanMigration'; migrationId: string }
  | { type: 'CompletePlanMigration'; migrationId: string; migratedOn: LocalDate; speedChanged: boolean }
  | { type: 'ChangeDataLinkCapacity'; itemId: string; change: 'speed' | 'sdsl_pairs'; from: string; to: string; changedOn: LocalDate }
  | { type: 'RequestDataChange'; changeId: string; itemId: string; kind: 'range' | 'endpoint' | 'address'; channel: RequestChannel; details: string }
  | { type: 'RecordDataChangeFeasibility'; changeId: string; feasible: boolean; reason?: string }
  | { type: 'CompleteDataChange'; changeId: string; changedOn: LocalDate }
  | { type: 'RequestEquipmentModification'; requestId: string; itemId?: string; channel: RequestChannel; description: string }
  | { type: 'AnswerEquipmentModification'; requestId: string; approved: boolean }
  | { type: 'RecordSaturation'; saturationId: string; itemId?: string; triggeredOn: LocalDate }
  | { type: 'NotifySaturationDelay'; saturationId: string }
  // ---- suspensions (SUS-01 … SUS-06)
  | {
      type: 'SuspendService';
      suspensionId: string;
      reason: Exclude<SuspensionReason, 'lost_or_stolen_sim'>;
      scope: SuspensionScope;
      /** Empty or absent: the whole contract. */
      itemIds?: string[];
      /** SUS-01: when the client was told (required for a full suspension on legal/illegal-use grounds). */
      clientInformedOn?: LocalDate;
      unpaidInvoice?: UnpaidInvoice;
      misuseKind?: MisuseKind;
      forceMajeureStartedOn?: LocalDate;
      details?: string;
    }
  | { type: 'ReportLostOrStolenSim'; suspensionId: string; lineId: string; kind: LostOrStolenKind; factsOn: LocalDate }
  | { type: 'ConfirmLostOrStolenSim'; suspensionId: string; lrarReceivedOn: LocalDate; lrarSentOn?: LocalDate; policeReportEnclosed: boolean }
  | { type: 'LiftSuspension'; suspensionId: string; writtenRequestFromClient?: boolean; newNumber?: string }
  | { type: 'SuspendDeliveries'; invoiceRef: string; invoiceDueOn: LocalDate }
  | { type: 'ResumeDeliveries' }
  // ---- notices of changes OKSIO sends to the client (CON-02 … CON-04); signed terms stay unchanged (CON-01)
  | { type: 'NotifyTariffChange'; changeId: string; noticeOn: LocalDate; effectiveOn: LocalDate; exception?: PriceChangeException; description: string }
  | { type: 'NotifyTermsChange'; changeId: string; noticeOn: LocalDate; effectiveOn: LocalDate; termsVersion: string; description: string }
  | { type: 'NotifySipRateChange'; changeId: string; noticeOn: LocalDate; effectiveOn: LocalDate; description: string }
  // ---- scheduler: a deadline listed by dueDates() is over
  | { type: 'RecordDeadlinePassed'; key: string };

export type SubscriptionCommandType = SubscriptionCommand['type'];
export type CommandOf<T extends SubscriptionCommandType> = Extract<SubscriptionCommand, { type: T }>;

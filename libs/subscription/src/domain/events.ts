import type { DomainEvent, PersonalText } from '@oksio/kernel';
import type {
  ImmediateTerminationReason,
  LocalLoopChange,
  LostOrStolenKind,
  MisuseKind,
  NoticeChannel,
  SuspensionReason,
  SuspensionScope,
  UnpaidInvoice,
} from './commands';
import type { CommitmentPeriod } from './commitment';
import type { LocalDate, YearMonth } from './local-date';
import type { ResolvedTerms, ServiceKind, TermsOverrides } from './terms';

/**
 * Facts of a subscription contract. JSON only: calendar dates 'YYYY-MM-DD' (Europe/Paris),
 * instants ISO-8601 UTC, amounts decimal strings. Every event carries the subscription id so a
 * projection can read it without the envelope.
 */

export interface OrderItem {
  itemId: string;
  label: string;
  plan: string | null;
}

/** A commitment period, `lastDay` inclusive (see commitment.ts). */
export type PeriodData = CommitmentPeriod;

export type TerminationCause =
  | 'notice'
  | 'early_termination'
  | Exclude<ImmediateTerminationReason, 'force_majeure'>
  | 'force_majeure'
  | 'non_payment'
  | 'software_withdrawn'
  | 'all_items_terminated';

/** `port_out`: POR-06, the line's number was ported out (the line's contract ends on the porting date). */
export type ItemTerminationCause = 'local_loop_subscription_ended' | 'endpoint_change' | 'address_change' | 'port_out';

/** SUB-20 (CP Data 4; CP PBX 10.4). */
export type SurvivingObligation = 'payment_of_sums_due' | 'accepted_orders_in_progress' | 'respect_of_oksio_rights';

/** What billing needs about the money side of an end (SUB-06, SUB-07, SUB-14). */
// A type alias, not an interface: event data must stay assignable to Record<string, unknown>.
export type EndBilling = {
  /** SUB-06: the month of the last day is billed in full (null when the terms say otherwise). */
  monthBilledInFull: YearMonth | null;
  /** SUB-07 / SUB-14: whole months after that month to the end of the binding commitment period. */
  monthsRemaining: number;
  /** Last day of the commitment period the months are counted to; null when none binds. */
  commitmentPeriodLastDay: LocalDate | null;
  /** Which fee billing applies on `monthsRemaining`. */
  feeBasis: 'early_termination_average' | 'remaining_monthly_fees' | 'none';
};

type E<T extends string, D extends object> = DomainEvent<T, D & { subscriptionId: string }>;

export type SubscriptionEvent =
  | E<'OrderPlaced', { customerId: string; service: ServiceKind; items: OrderItem[]; contractOverrides: TermsOverrides; quoteDate: LocalDate; orderAmount: string; placedAt: string }>
  | E<'OrderAccepted', { acceptedOn: LocalDate; studyReference: string | null }>
  | E<'OrderRefused', { refusedOn: LocalDate; reason: PersonalText; studyReference: string | null }>
  | E<'GuaranteeRequested', { requestedOn: LocalDate; insolvencyRiskReason: PersonalText; amount: string | null }>
  | E<'GuaranteeProvided', { providedOn: LocalDate }>
  | E<'GuaranteeRefused', { refusedOn: LocalDate }>
  | E<'OrderCancelledByOksio', { cancelledOn: LocalDate; reason: 'guarantee_refused' }>
  | E<
      'OrderCancelledByClient',
      {
        cancelledOn: LocalDate;
        orderWasAccepted: boolean;
        withOksioWrittenAgreement: boolean;
        agreementReference: string | null;
        /** SUB-09: the order amount without agreement; otherwise the costs incurred. */
        amountStillDue: string;
        amountDueBasis: 'order_amount' | 'costs_incurred' | 'none';
      }
    >
  | E<
      'SubscriptionSigned',
      {
        customerId: string;
        service: ServiceKind;
        signedOn: LocalDate;
        /** SUB-01: the agreement takes effect on the signature date. */
        agreementEffectiveOn: LocalDate;
        /** CON-01: the resolved terms snapshot, never re-resolved afterwards. */
        terms: ResolvedTerms;
        /** SUB-15 (MOBILE): last day to collect each line's end-of-contract date and RIO. */
        lineInfoDueOn: LocalDate | null;
      }
    >
  | E<'ServiceActivated', { activatedOn: LocalDate; itemIds: string[] }>
  | E<'MobileLineActivated', { lineId: string; simActivatedOn: LocalDate; serviceStartOn: LocalDate }>
  | E<'CommitmentStarted', { activatedOn: LocalDate; period: PeriodData; termMonths: number; renewalPeriodMonths: number }>
  | E<'LineInfoCollected', { lineId: string; rio: string; previousContractEndsOn: LocalDate | null; collectedOn: LocalDate; withinDeadline: boolean }>
  | E<'SubscriptionRenewed', { endedPeriodLastDay: LocalDate; period: PeriodData }>
  | E<
      'TerminationNoticeReceived',
      EndBilling & {
        noticeId: string;
        from: 'client' | 'oksio';
        channel: NoticeChannel;
        lrarReceivedOn: LocalDate;
        requestedEndOn: LocalDate | null;
        rule: 'SUB-04' | 'SUB-05';
        /** Last day of service (inclusive). */
        endsOn: LocalDate;
        /** The end the notice rules give without any fee. */
        endWithoutFee: LocalDate;
        /** SUB-04: latest receipt date to end at the end of the period current at receipt. */
        noticeDeadlineForCurrentPeriod: LocalDate | null;
        early: boolean;
        earlyTerminationFeeDue: boolean;
      }
    >
  | E<
      'SubscriptionTerminated',
      EndBilling & {
        endsOn: LocalDate;
        cause: TerminationCause;
        rule: string;
        earlyTerminationFeeDue: boolean;
        /** SUB-08: OKSIO owes no indemnity (immediate termination, force majeure). */
        noIndemnityToClient: boolean;
        /** SUB-08: termination never cancels sums already due. */
        sumsDueRemain: true;
        survivingObligations: SurvivingObligation[];
        acceptedOrdersInProgress: string[];
      }
    >
  | E<
      'ItemTerminated',
      EndBilling & {
        itemId: string;
        endsOn: LocalDate;
        cause: ItemTerminationCause;
        rule: 'SUB-14' | 'SUB-16' | 'POR-06';
        localLoopChange: LocalLoopChange | null;
        // Added with POR-06 (additive: absent on SUB-14 / SUB-16 ends).
        /** POR-06: the porting case that moved the number away. */
        portingId?: string;
        /** SUB-07: the early-termination fee is due (months remain in the binding commitment period). */
        earlyTerminationFeeDue?: boolean;
      }
    >
  | E<
      'SoftwareWithdrawalAnnounced',
      {
        noticeOn: LocalDate;
        /** SUB-19: last day of service, at least 18 months after the notice. */
        serviceEndsOn: LocalDate;
        /** SUB-19: the monthly fee stops at the end of the month the service ends. */
        feeStopsAfter: LocalDate;
        monthBilledInFull: YearMonth;
      }
    >
  | E<
      'NonPaymentTerminationNotified',
      EndBilling & {
        invoiceRef: string;
        invoiceDueOn: LocalDate;
        lrarReceivedOn: LocalDate;
        /** SUS-02: last day of service, 2 days after the LRAR's receipt. */
        endsOn: LocalDate;
        earlyTerminationFeeDue: boolean;
      }
    >
  | E<
      'PlanMigrationRequested',
      { migrationId: string; itemId: string; currentPlan: string | null; targetPlan: string; requestedOn: LocalDate; answerDueOn: LocalDate; twelveWeeksEndOn: LocalDate }
    >
  | E<
      'PlanMigrationAnswered',
      {
        migrationId: string;
        answeredOn: LocalDate;
        outcome: 'accepted' | 'refused' | 'postponed';
        plannedOn: LocalDate | null;
        withinDeadline: boolean;
        /** SUB-12: the client may cancel when the delay exceeds 12 weeks. */
        delayExceedsTwelveWeeks: boolean;
        /** SUB-12: the current plan stays meanwhile and on refusal. */
        currentPlanKept: true;
      }
    >
  | E<'PlanMigrationCancelled', { migrationId: string; cancelledOn: LocalDate }>
  | E<'PlanMigrated', { migrationId: string; itemId: string; fromPlan: string | null; toPlan: string; migratedOn: LocalDate }>
  | E<'DataLinkCapacityChanged', { itemId: string; change: 'speed' | 'sdsl_pairs'; from: string; to: string; changedOn: LocalDate }>
  | E<'CommitmentRestarted', { changedOn: LocalDate; period: PeriodData; termMonths: number; renewalPeriodMonths: number; replacedPeriodLastDay: LocalDate }>
  | E<'DataChangeRequested', { changeId: string; itemId: string; kind: 'range' | 'endpoint' | 'address'; requestedOn: LocalDate; details: PersonalText }>
  | E<'DataChangeFeasibilityConcluded', { changeId: string; feasible: boolean; reason: PersonalText | null; concludedOn: LocalDate }>
  | E<'DataChangeCompleted', { changeId: string; itemId: string; kind: 'range' | 'endpoint' | 'address'; changedOn: LocalDate; billedAs: 'access_fees'; linkTerminated: boolean }>
  | E<'EquipmentModificationRequested', { requestId: string; itemId: string | null; description: PersonalText; requestedOn: LocalDate; answerDueOn: LocalDate }>
  | E<'EquipmentModificationAnswered', { requestId: string; approved: boolean; answeredOn: LocalDate; withinDeadline: boolean }>
  | E<'SaturationDetected', { saturationId: string; itemId: string | null; triggeredOn: LocalDate; noticeDueOn: LocalDate; desaturationCostsBorneByClient: true }>
  | E<'SaturationDelayNotified', { saturationId: string; notifiedOn: LocalDate; withinDeadline: boolean }>
  | E<
      'ServiceSuspended',
      {
        suspensionId: string;
        reason: SuspensionReason;
        scope: SuspensionScope;
        itemIds: string[];
        suspendedAt: string;
        rule: string;
        /** SUS-01: a partial scope (barring …) is a conservatory measure. */
        conservatory: boolean;
        clientInformedOn: LocalDate | null;
        unpaidInvoice: UnpaidInvoice | null;
        misuseKind: MisuseKind | null;
        lostOrStolen: { kind: LostOrStolenKind; factsOn: LocalDate; confirmationDueOn: LocalDate } | null;
        /** SUS-05: both parties' obligations are suspended; no penalty or damages. */
        forceMajeure: { startedOn: LocalDate; terminationRightFrom: LocalDate } | null;
        /** SUS-04: subscription fees keep being billed during the suspension. */
        subscriptionFeesContinue: boolean;
      }
    >
  | E<
      'LostOrStolenSimConfirmed',
      { suspensionId: string; lrarReceivedOn: LocalDate; lrarSentOn: LocalDate | null; policeReportEnclosed: boolean; withinDeadline: boolean; outOfServiceDateIfDisputed: LocalDate }
    >
  | E<
      'SuspensionLifted',
      {
        suspensionId: string;
        reason: SuspensionReason;
        liftedAt: string;
        /** SUS-01: costs billable when the suspension resulted from the client's fault. */
        reconnectionCostsBillable: boolean;
        /** SUS-04: reactivation and the new SIM are billed; the number may change. */
        newSimBilled: boolean;
        newNumber: string | null;
        /** SUS-05: the client is told the contract resumes. */
        resumptionNoticeToClient: boolean;
      }
    >
  | E<'DeliveriesSuspended', { invoiceRef: string; invoiceDueOn: LocalDate; suspendedOn: LocalDate; businessDaysOverdue: number }>
  | E<'DeliveriesResumed', { resumedOn: LocalDate }>
  | E<'DeadlinePassed', { key: string; kind: string; rule: string; dueAt: string }>
  // Added with the application layer (additive): notices of changes (CON-02 … CON-04).
  | E<
      'TariffChangeNotified',
      { changeId: string; noticeOn: LocalDate; effectiveOn: LocalDate; earliestEffectiveOn: LocalDate; exception: 'force_majeure' | 'supplier_price_surge' | null; description: string; rule: 'CON-02' }
    >
  | E<'TermsChangeNotified', { changeId: string; noticeOn: LocalDate; effectiveOn: LocalDate; earliestEffectiveOn: LocalDate; termsVersion: string; description: string; rule: 'CON-03' }>
  | E<'SipRateChangeNotified', { changeId: string; noticeOn: LocalDate; effectiveOn: LocalDate; earliestEffectiveOn: LocalDate; description: string; rule: 'CON-04' }>;

export type SubscriptionEventType = SubscriptionEvent['type'];
export type EventOf<T extends SubscriptionEventType> = Extract<SubscriptionEvent, { type: T }>;

export const SUBSCRIPTION_EVENT_TYPES: readonly SubscriptionEventType[] = [
  'OrderPlaced',
  'OrderAccepted',
  'OrderRefused',
  'GuaranteeRequested',
  'GuaranteeProvided',
  'GuaranteeRefused',
  'OrderCancelledByOksio',
  'OrderCancelledByClient',
  'SubscriptionSigned',
  'ServiceActivated',
  'MobileLineActivated',
  'CommitmentStarted',
  'LineInfoCollected',
  'SubscriptionRenewed',
  'TerminationNoticeReceived',
  'SubscriptionTerminated',
  'ItemTerminated',
  'SoftwareWithdrawalAnnounced',
  'NonPaymentTerminationNotified',
  'PlanMigrationRequested',
  'PlanMigrationAnswered',
  'PlanMigrationCancelled',
  'PlanMigrated',
  'DataLinkCapacityChanged',
  'CommitmentRestarted',
  'DataChangeRequested',
  'DataChangeFeasibilityConcluded',
  'DataChangeCompleted',
  'EquipmentModificationRequested',
  'EquipmentModificationAnswered',
  'SaturationDetected',
  'SaturationDelayNotified',
  'ServiceSuspended',
  'LostOrStolenSimConfirmed',
  'SuspensionLifted',
  'DeliveriesSuspended',
  'DeliveriesResumed',
  'DeadlinePassed',
  'TariffChangeNotified',
  'TermsChangeNotified',
  'SipRateChangeNotified',
];

export const subscriptionStream = (subscriptionId: string): string => `subscription-${subscriptionId}`;

import { BusinessCalendar, DomainError, type Decider } from '@oksio/kernel';
import type { CommandOf, SubscriptionCommand, SubscriptionCommandType } from './commands';
import {
  answerEquipmentModification,
  answerPlanMigration,
  cancelPlanMigration,
  changeDataLinkCapacity,
  completeDataChange,
  completePlanMigration,
  notifySaturationDelay,
  recordDataChangeFeasibility,
  recordSaturation,
  requestDataChange,
  requestEquipmentModification,
  requestPlanMigration,
} from './data-changes';
import { notifySipRateChange, notifyTariffChange, notifyTermsChange } from './change-notices';
import { recordDeadlinePassed } from './due-dates';
import type { SubscriptionEvent } from './events';
import type { DecideContext } from './guards';
import {
  activateMobileLine,
  activateService,
  applyRenewal,
  cancelOrderByClient,
  cancelOrderForRefusedGuarantee,
  placeOrder,
  recordFeasibilityResult,
  recordGuaranteeAnswer,
  recordLineInfo,
  requestGuarantee,
  signSubscription,
} from './lifecycle';
import { localDateOf } from './local-date';
import { evolve, initialSubscriptionState, type SubscriptionState } from './state';
import { confirmLostOrStolenSim, liftSuspension, reportLostOrStolenSim, resumeDeliveries, suspendDeliveries, suspendService } from './suspension';
import {
  announceSoftwareWithdrawal,
  applyTermination,
  notifyTerminationForNonPayment,
  receiveTerminationNotice,
  recordLocalLoopSubscriptionEnded,
  terminateForForceMajeure,
  terminateImmediately,
  terminateLineByPortOut,
} from './termination';

type Handlers = { [K in SubscriptionCommandType]: (command: CommandOf<K>, state: SubscriptionState, ctx: DecideContext) => SubscriptionEvent[] };

const handlers: Handlers = {
  PlaceOrder: placeOrder,
  RecordFeasibilityResult: recordFeasibilityResult,
  RequestGuarantee: requestGuarantee,
  RecordGuaranteeAnswer: recordGuaranteeAnswer,
  CancelOrderForRefusedGuarantee: cancelOrderForRefusedGuarantee,
  CancelOrderByClient: cancelOrderByClient,
  SignSubscription: signSubscription,
  ActivateService: activateService,
  ActivateMobileLine: activateMobileLine,
  RecordLineInfo: recordLineInfo,
  ApplyRenewal: applyRenewal,
  ReceiveTerminationNotice: receiveTerminationNotice,
  ApplyTermination: applyTermination,
  TerminateImmediately: terminateImmediately,
  TerminateForForceMajeure: terminateForForceMajeure,
  RecordLocalLoopSubscriptionEnded: recordLocalLoopSubscriptionEnded,
  TerminateLineByPortOut: terminateLineByPortOut,
  AnnounceSoftwareWithdrawal: announceSoftwareWithdrawal,
  NotifyTerminationForNonPayment: notifyTerminationForNonPayment,
  RequestPlanMigration: requestPlanMigration,
  AnswerPlanMigration: answerPlanMigration,
  CancelPlanMigration: cancelPlanMigration,
  CompletePlanMigration: completePlanMigration,
  ChangeDataLinkCapacity: changeDataLinkCapacity,
  RequestDataChange: requestDataChange,
  RecordDataChangeFeasibility: recordDataChangeFeasibility,
  CompleteDataChange: completeDataChange,
  RequestEquipmentModification: requestEquipmentModification,
  AnswerEquipmentModification: answerEquipmentModification,
  RecordSaturation: recordSaturation,
  NotifySaturationDelay: notifySaturationDelay,
  SuspendService: suspendService,
  ReportLostOrStolenSim: reportLostOrStolenSim,
  ConfirmLostOrStolenSim: confirmLostOrStolenSim,
  LiftSuspension: liftSuspension,
  SuspendDeliveries: suspendDeliveries,
  ResumeDeliveries: resumeDeliveries,
  NotifyTariffChange: notifyTariffChange,
  NotifyTermsChange: notifyTermsChange,
  NotifySipRateChange: notifySipRateChange,
  RecordDeadlinePassed: recordDeadlinePassed,
};

export type SubscriptionDecider = Decider<SubscriptionCommand, SubscriptionEvent, SubscriptionState>;

export interface SubscriptionDeciderOptions {
  /** Business days for SUS-04 and SUS-06; Europe/Paris with French holidays by default (Alsace-Moselle is a site setting). */
  calendar?: BusinessCalendar;
}

/**
 * One aggregate per contract, stream `subscription-<id>`. Pure: `now` is the only clock, the
 * business calendar is injected data.
 */
export function createSubscriptionDecider(options: SubscriptionDeciderOptions = {}): SubscriptionDecider {
  const calendar = options.calendar ?? new BusinessCalendar();
  return {
    initialState: initialSubscriptionState,
    decide(command, state, now) {
      const handler = handlers[command?.type] as ((c: SubscriptionCommand, s: SubscriptionState, ctx: DecideContext) => SubscriptionEvent[]) | undefined;
      if (!handler) throw new DomainError('unknown_command', `Unknown command ${String(command?.type)}`, undefined, 'type');
      if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError('now must be a valid Date');
      return handler(command, state, { now, today: localDateOf(now), calendar });
    },
    evolve,
  };
}

export const subscriptionDecider: SubscriptionDecider = createSubscriptionDecider();

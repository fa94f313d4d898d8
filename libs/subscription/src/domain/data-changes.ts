import { DomainError } from '@oksio/kernel';
import type { CommandOf } from './commands';
import { currentPeriod, periodByIndex, recommitmentSchedule } from './commitment';
import type { EventOf, SubscriptionEvent } from './events';
import {
  endBilling,
  pastDate,
  requireClause,
  requireId,
  requirePhase,
  requireSchedule,
  requireService,
  requireSubscription,
  requireTerms,
  requireText,
  type DecideContext,
} from './guards';
import { addDays, isAfter, isBefore, requireLocalDate, type LocalDate } from './local-date';
import type { SubscriptionState } from './state';
import { endIfNoItemLeft } from './termination';

/** DATA-only changes of service (CP Data 7.5, 8, 9): SUB-10 … SUB-14. */

function requireActiveItem(state: SubscriptionState, itemId: string, rule: string): void {
  requireId(state.items, itemId, 'itemId', 'item', rule);
  if (state.items[itemId].status !== 'active') throw new DomainError('item_not_active', `Link ${itemId} is not active`, rule, 'itemId');
}

/** SUB-20: an accepted order still executes after the contract ended. */
function requireActiveOrSurviving(state: SubscriptionState, orderId: string, rule: string): void {
  if (state.phase === 'terminated' && state.survivingOrders.includes(orderId)) return;
  requirePhase(state, ['active'], rule);
}

// ---- SUB-12: plan migration ----------------------------------------------------------------------

export function requestPlanMigration(c: CommandOf<'RequestPlanMigration'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['DATA'], 'SUB-12');
  const terms = requireTerms(state);
  const answerDays = requireClause(terms, 'planMigrationAnswerDays', 'SUB-12');
  const weeks = requireClause(terms, 'planMigrationCancellableAfterWeeks', 'SUB-12');
  requirePhase(state, ['active'], 'SUB-12');
  const migrationId = requireText(c.migrationId, 'migrationId', 'SUB-12');
  if (state.migrations[migrationId]) throw new DomainError('migration_exists', `Migration ${migrationId} exists`, 'SUB-12', 'migrationId');
  requireActiveItem(state, c.itemId, 'SUB-12');
  if (c.targetRange !== 'DATA') throw new DomainError('migration_outside_data_range', 'A migration stays within the Data range', 'SUB-12', 'targetRange');
  const targetPlan = requireText(c.targetPlan, 'targetPlan', 'SUB-12');
  const currentPlan = state.items[c.itemId].plan;
  if (targetPlan === currentPlan) throw new DomainError('same_plan', `Link ${c.itemId} is already on ${targetPlan}`, 'SUB-12', 'targetPlan');
  const open = Object.values(state.migrations).some((m) => m.itemId === c.itemId && ['requested', 'accepted', 'postponed'].includes(m.status));
  if (open) throw new DomainError('migration_already_open', `Link ${c.itemId} has a migration in progress`, 'SUB-12', 'itemId');
  const requestedOn = pastDate(c.requestedOn, 'requestedOn', ctx.today, 'SUB-12');
  return [
    {
      type: 'PlanMigrationRequested',
      data: {
        subscriptionId,
        migrationId,
        itemId: c.itemId,
        currentPlan,
        targetPlan,
        requestedOn,
        answerDueOn: addDays(requestedOn, answerDays),
        twelveWeeksEndOn: addDays(requestedOn, weeks * 7),
      },
    },
  ];
}

function requireMigration(state: SubscriptionState, migrationId: string) {
  requireId(state.migrations, migrationId, 'migrationId', 'migration', 'SUB-12');
  return state.migrations[migrationId];
}

/** SUB-12: answered within 15 days of the order; the current plan stays meanwhile and on refusal. */
export function answerPlanMigration(c: CommandOf<'AnswerPlanMigration'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['active'], 'SUB-12');
  const migration = requireMigration(state, c.migrationId);
  if (migration.status !== 'requested') throw new DomainError('migration_already_answered', `Migration ${c.migrationId} is ${migration.status}`, 'SUB-12', 'migrationId');
  if (!['accepted', 'refused', 'postponed'].includes(c.outcome)) throw new DomainError('invalid_outcome', 'outcome is accepted, refused or postponed', 'SUB-12', 'outcome');
  let plannedOn: LocalDate | null = null;
  if (c.outcome !== 'refused' && c.plannedOn !== undefined) plannedOn = requireLocalDate(c.plannedOn, 'plannedOn', 'SUB-12');
  if (c.outcome === 'postponed' && plannedOn === null) throw new DomainError('required', 'A postponed migration states its planned date', 'SUB-12', 'plannedOn');
  return [
    {
      type: 'PlanMigrationAnswered',
      data: {
        subscriptionId,
        migrationId: c.migrationId,
        answeredOn: ctx.today,
        outcome: c.outcome,
        plannedOn,
        withinDeadline: !isAfter(ctx.today, migration.answerDueOn),
        delayExceedsTwelveWeeks: plannedOn !== null && isAfter(plannedOn, migration.twelveWeeksEndOn),
        currentPlanKept: true,
      },
    },
  ];
}

/**
 * SUB-12 decision: the client may cancel once the delay exceeds 12 weeks — either 12 weeks have
 * passed since the order without the migration, or OKSIO announced a date beyond them.
 */
export function cancelPlanMigration(c: CommandOf<'CancelPlanMigration'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['active'], 'SUB-12');
  const migration = requireMigration(state, c.migrationId);
  if (!['requested', 'accepted', 'postponed'].includes(migration.status)) {
    throw new DomainError('migration_closed', `Migration ${c.migrationId} is ${migration.status}`, 'SUB-12', 'migrationId');
  }
  const elapsed = isAfter(ctx.today, migration.twelveWeeksEndOn);
  const announcedLate = migration.plannedOn !== null && isAfter(migration.plannedOn, migration.twelveWeeksEndOn);
  if (!elapsed && !announcedLate) {
    throw new DomainError('migration_cancellation_too_early', `The client may cancel after ${migration.twelveWeeksEndOn} (12 weeks)`, 'SUB-12', 'migrationId');
  }
  return [{ type: 'PlanMigrationCancelled', data: { subscriptionId, migrationId: c.migrationId, cancelledOn: ctx.today } }];
}

export function completePlanMigration(c: CommandOf<'CompletePlanMigration'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  const migration = requireMigration(state, c.migrationId);
  requireActiveOrSurviving(state, `migration:${c.migrationId}`, 'SUB-12');
  if (migration.status !== 'accepted' && migration.status !== 'postponed') {
    throw new DomainError('migration_not_accepted', `Migration ${c.migrationId} is ${migration.status}`, 'SUB-12', 'migrationId');
  }
  const migratedOn = pastDate(c.migratedOn, 'migratedOn', ctx.today, 'SUB-12');
  const events: SubscriptionEvent[] = [
    { type: 'PlanMigrated', data: { subscriptionId, migrationId: c.migrationId, itemId: migration.itemId, fromPlan: migration.fromPlan, toPlan: migration.targetPlan, migratedOn } },
  ];
  // A migration that changes the link's speed re-commits like any speed change (SUB-13).
  if (c.speedChanged && state.phase === 'active') {
    const restarted = recommitment(state, migratedOn);
    if (restarted) events.push(restarted);
  }
  return events;
}

// ---- SUB-13: speed / SDSL pair change ------------------------------------------------------------

function recommitment(state: SubscriptionState, changedOn: LocalDate): EventOf<'CommitmentRestarted'> | null {
  const terms = requireTerms(state);
  if (!terms.recommitOnChange) return null;
  const replaced = currentPeriod(requireSchedule(state), changedOn);
  const schedule = recommitmentSchedule(changedOn, terms);
  return {
    type: 'CommitmentRestarted',
    data: {
      subscriptionId: state.subscriptionId!,
      changedOn,
      period: periodByIndex(schedule, 0),
      termMonths: schedule.initialTermMonths,
      renewalPeriodMonths: schedule.renewalPeriodMonths,
      replacedPeriodLastDay: replaced.lastDay,
    },
  };
}

/** SUB-13: a speed or SDSL pair change re-commits the client for the initial period's length from the change date. */
export function changeDataLinkCapacity(c: CommandOf<'ChangeDataLinkCapacity'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['DATA'], 'SUB-13');
  requirePhase(state, ['active'], 'SUB-13');
  requireActiveItem(state, c.itemId, 'SUB-13');
  if (c.change !== 'speed' && c.change !== 'sdsl_pairs') throw new DomainError('invalid_change', 'change is speed or sdsl_pairs', 'SUB-13', 'change');
  const from = requireText(c.from, 'from', 'SUB-13');
  const to = requireText(c.to, 'to', 'SUB-13');
  const changedOn = pastDate(c.changedOn, 'changedOn', ctx.today, 'SUB-13');
  // Re-committing a client who is leaving would silently cancel its notice: refuse instead.
  if (state.pendingTermination) throw new DomainError('termination_pending', `The contract ends on ${state.pendingTermination.endsOn}`, 'SUB-13', 'changedOn');
  const events: SubscriptionEvent[] = [{ type: 'DataLinkCapacityChanged', data: { subscriptionId, itemId: c.itemId, change: c.change, from, to, changedOn } }];
  const restarted = recommitment(state, changedOn);
  if (restarted) events.push(restarted);
  return events;
}

// ---- SUB-14: range, endpoint, address change -----------------------------------------------------

export function requestDataChange(c: CommandOf<'RequestDataChange'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['DATA'], 'SUB-14');
  requirePhase(state, ['active'], 'SUB-14');
  const changeId = requireText(c.changeId, 'changeId', 'SUB-14');
  if (state.dataChanges[changeId]) throw new DomainError('change_exists', `Change ${changeId} exists`, 'SUB-14', 'changeId');
  requireActiveItem(state, c.itemId, 'SUB-14');
  if (!['range', 'endpoint', 'address'].includes(c.kind)) throw new DomainError('invalid_change', 'kind is range, endpoint or address', 'SUB-14', 'kind');
  // CP Data 9.3: "Le Client doit transmettre sa demande de changement d'extrémité … par voie électronique".
  if (c.kind === 'endpoint' && c.channel !== 'electronic') throw new DomainError('electronic_request_required', 'An endpoint change is requested electronically', 'SUB-14', 'channel');
  const details = requireText(c.details, 'details', 'SUB-14');
  return [{ type: 'DataChangeRequested', data: { subscriptionId, changeId, itemId: c.itemId, kind: c.kind, requestedOn: ctx.today, details } }];
}

export function recordDataChangeFeasibility(c: CommandOf<'RecordDataChangeFeasibility'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requirePhase(state, ['active'], 'SUB-14');
  requireId(state.dataChanges, c.changeId, 'changeId', 'change', 'SUB-14');
  if (state.dataChanges[c.changeId].status !== 'feasibility_pending') throw new DomainError('feasibility_already_recorded', 'The study is concluded', 'SUB-14', 'changeId');
  const reason = c.feasible ? null : requireText(c.reason, 'reason', 'SUB-14');
  return [{ type: 'DataChangeFeasibilityConcluded', data: { subscriptionId, changeId: c.changeId, feasible: c.feasible, reason, concludedOn: ctx.today } }];
}

/**
 * SUB-14: billed as access fees. An endpoint or address change terminates the current link; the
 * client owes every remaining monthly fee to the end of the binding period (decision: the initial
 * term, or the current 1-year renewal period — DATA renewals are commitments under SUB-04).
 */
export function completeDataChange(c: CommandOf<'CompleteDataChange'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireId(state.dataChanges, c.changeId, 'changeId', 'change', 'SUB-14');
  const change = state.dataChanges[c.changeId];
  requireActiveOrSurviving(state, `data-change:${c.changeId}`, 'SUB-14');
  if (change.status !== 'accepted') throw new DomainError('feasibility_study_required', 'A positive feasibility study comes first', 'SUB-14', 'changeId');
  const changedOn = pastDate(c.changedOn, 'changedOn', ctx.today, 'SUB-14');
  const terminatesLink = change.kind !== 'range' && state.items[change.itemId]?.status === 'active';
  const events: SubscriptionEvent[] = [];
  if (terminatesLink) {
    const billing = endBilling(requireTerms(state), state.schedule, changedOn, 'remaining_monthly_fees');
    events.push({
      type: 'ItemTerminated',
      data: { subscriptionId, itemId: change.itemId, endsOn: changedOn, cause: change.kind === 'endpoint' ? 'endpoint_change' : 'address_change', rule: 'SUB-14', localLoopChange: null, ...billing },
    });
  }
  events.push({ type: 'DataChangeCompleted', data: { subscriptionId, changeId: c.changeId, itemId: change.itemId, kind: change.kind, changedOn, billedAs: 'access_fees', linkTerminated: terminatesLink } });
  if (terminatesLink) events.push(...endIfNoItemLeft(state, events, changedOn, 'SUB-14'));
  return events;
}

// ---- SUB-11: equipment modification --------------------------------------------------------------

export function requestEquipmentModification(c: CommandOf<'RequestEquipmentModification'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['DATA'], 'SUB-11');
  const days = requireClause(requireTerms(state), 'equipmentModificationAnswerDays', 'SUB-11');
  requirePhase(state, ['signed', 'active'], 'SUB-11');
  const requestId = requireText(c.requestId, 'requestId', 'SUB-11');
  if (state.equipmentRequests[requestId]) throw new DomainError('request_exists', `Request ${requestId} exists`, 'SUB-11', 'requestId');
  if (c.channel !== 'electronic') throw new DomainError('electronic_request_required', 'A modification of equipment is requested electronically beforehand', 'SUB-11', 'channel');
  if (c.itemId !== undefined) requireId(state.items, c.itemId, 'itemId', 'item', 'SUB-11');
  const description = requireText(c.description, 'description', 'SUB-11');
  return [
    {
      type: 'EquipmentModificationRequested',
      data: { subscriptionId, requestId, itemId: c.itemId ?? null, description, requestedOn: ctx.today, answerDueOn: addDays(ctx.today, days) },
    },
  ];
}

export function answerEquipmentModification(c: CommandOf<'AnswerEquipmentModification'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireId(state.equipmentRequests, c.requestId, 'requestId', 'request', 'SUB-11');
  const request = state.equipmentRequests[c.requestId];
  if (request.answeredOn) throw new DomainError('already_answered', `Request ${c.requestId} was answered on ${request.answeredOn}`, 'SUB-11', 'requestId');
  return [
    {
      type: 'EquipmentModificationAnswered',
      data: { subscriptionId, requestId: c.requestId, approved: c.approved, answeredOn: ctx.today, withinDeadline: !isAfter(ctx.today, request.answerDueOn) },
    },
  ];
}

// ---- SUB-10: saturation delay --------------------------------------------------------------------

export function recordSaturation(c: CommandOf<'RecordSaturation'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireService(state, ['DATA'], 'SUB-10');
  const days = requireClause(requireTerms(state), 'saturationNoticeDays', 'SUB-10');
  requirePhase(state, ['signed', 'active'], 'SUB-10');
  const saturationId = requireText(c.saturationId, 'saturationId', 'SUB-10');
  if (state.saturations[saturationId]) throw new DomainError('saturation_exists', `Saturation ${saturationId} exists`, 'SUB-10', 'saturationId');
  if (c.itemId !== undefined) requireId(state.items, c.itemId, 'itemId', 'item', 'SUB-10');
  const triggeredOn = pastDate(c.triggeredOn, 'triggeredOn', ctx.today, 'SUB-10');
  return [
    {
      type: 'SaturationDetected',
      data: { subscriptionId, saturationId, itemId: c.itemId ?? null, triggeredOn, noticeDueOn: addDays(triggeredOn, days), desaturationCostsBorneByClient: true },
    },
  ];
}

export function notifySaturationDelay(c: CommandOf<'NotifySaturationDelay'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  requireId(state.saturations, c.saturationId, 'saturationId', 'saturation', 'SUB-10');
  const saturation = state.saturations[c.saturationId];
  if (saturation.notifiedOn) throw new DomainError('already_notified', `Notified on ${saturation.notifiedOn}`, 'SUB-10', 'saturationId');
  return [
    {
      type: 'SaturationDelayNotified',
      data: { subscriptionId, saturationId: c.saturationId, notifiedOn: ctx.today, withinDeadline: !isBefore(saturation.noticeDueOn, ctx.today) },
    },
  ];
}

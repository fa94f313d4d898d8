import { DomainError } from '@oksio/kernel';
import type { CommandOf, SubscriptionCommand } from './commands';
import { latestNoticeReceiptDate, periodByIndex } from './commitment';
import type { SubscriptionEvent } from './events';
import { requireSubscription, requireText, type DecideContext } from './guards';
import { endOfLocalDay, isBefore, startOfLocalDay, type LocalDate } from './local-date';
import type { SubscriptionState } from './state';

/**
 * The time-driven actions a state implies (ARCHITECTURE property 5). The projection that feeds the
 * scheduler calls `dueDates(state)` after each event and syncs the due-actions table with it: a key
 * no longer listed is cancelled, a moved date is rescheduled. Each entry carries the command the
 * scheduler sends when it is due; those commands are idempotent.
 *
 * Dates are local (Europe/Paris): an action "due after day D" fires at the next local midnight.
 */
export const DUE_ACTION_KINDS = [
  'subscription.renewal',
  'subscription.termination_notice_deadline',
  'subscription.termination_effective',
  'subscription.line_info_collection_deadline',
  'subscription.plan_migration_answer_deadline',
  'subscription.plan_migration_cancellation_right',
  'subscription.equipment_answer_deadline',
  'subscription.saturation_notice_deadline',
  'subscription.lost_sim_confirmation_deadline',
  'subscription.force_majeure_termination_right',
] as const;
export type DueActionKind = (typeof DUE_ACTION_KINDS)[number];

export interface SubscriptionDueDate {
  kind: DueActionKind;
  /**
   * Stable natural key, unique across the shared due-actions table:
   * `<kind>:<subscriptionId>:<discriminator>`; the same occurrence always has the same key.
   */
  key: string;
  rule: string;
  dueAt: Date;
  /** The command to send to stream `subscription-<subscriptionId>` (see commandForDueAction). */
  payload: { subscriptionId: string; command: SubscriptionCommand };
}

/**
 * SUB-04 (DATA, HOSTED_PBX): the latest receipt date of a letter that ends an active contract at the
 * end of its current period; null once an end is pending, and always null under SUB-05 (MOBILE,
 * FIXED_VGA, FIXED_SIP: the notice runs from receipt, so no date is a deadline). The due action and
 * the read model's `noticeDeadlineOn` both come from here.
 */
export function terminationNoticeDeadline(state: SubscriptionState): LocalDate | null {
  if (state.phase !== 'active' || !state.schedule || !state.terms || state.pendingTermination) return null;
  if (state.terms.noticeRule !== 'before_period_end') return null;
  return latestNoticeReceiptDate(periodByIndex(state.schedule, state.startedPeriodIndex).lastDay, state.terms.noticeMonths);
}

export function dueDates(state: SubscriptionState): SubscriptionDueDate[] {
  const id = state.subscriptionId;
  if (!id || !['signed', 'active'].includes(state.phase)) return [];
  const actions: SubscriptionDueDate[] = [];
  const push = (kind: DueActionKind, rule: string, discriminator: string, dueAt: Date, command: SubscriptionCommand) =>
    actions.push({ kind, key: `${kind}:${id}:${discriminator}`, rule, dueAt, payload: { subscriptionId: id, command } });
  const deadline = (kind: DueActionKind, rule: string, discriminator: string, dueAt: Date) => {
    const key = `${kind}:${id}:${discriminator}`;
    if (!state.passedDeadlines.includes(key)) push(kind, rule, discriminator, dueAt, { type: 'RecordDeadlinePassed', key });
  };

  if (state.phase === 'active' && state.schedule) {
    const period = periodByIndex(state.schedule, state.startedPeriodIndex);
    const pending = state.pendingTermination;
    // SUB-03: renew unless the contract ends at or before this period's end.
    if (!pending || isBefore(period.lastDay, pending.endsOn)) {
      push('subscription.renewal', 'SUB-03', period.lastDay, endOfLocalDay(period.lastDay), { type: 'ApplyRenewal', periodLastDay: period.lastDay });
    }
    // SUB-04: the last day a letter still ends the contract at this period's end.
    const last = terminationNoticeDeadline(state);
    if (last) deadline('subscription.termination_notice_deadline', 'SUB-04', period.lastDay, endOfLocalDay(last));
    if (pending) {
      push('subscription.termination_effective', pending.rule, pending.endsOn, endOfLocalDay(pending.endsOn), { type: 'ApplyTermination', endsOn: pending.endsOn });
    }
  }

  // SUB-15: RIO and end-of-contract dates of every line within 15 days of signature.
  if (state.lineInfoDueOn && Object.values(state.items).some((i) => i.status !== 'terminated' && !i.lineInfo)) {
    deadline('subscription.line_info_collection_deadline', 'SUB-15', state.lineInfoDueOn, endOfLocalDay(state.lineInfoDueOn));
  }

  for (const [migrationId, m] of Object.entries(state.migrations)) {
    if (m.status === 'requested') deadline('subscription.plan_migration_answer_deadline', 'SUB-12', migrationId, endOfLocalDay(m.answerDueOn));
    if (['requested', 'accepted', 'postponed'].includes(m.status)) {
      deadline('subscription.plan_migration_cancellation_right', 'SUB-12', migrationId, endOfLocalDay(m.twelveWeeksEndOn));
    }
  }
  for (const [requestId, r] of Object.entries(state.equipmentRequests)) {
    if (!r.answeredOn) deadline('subscription.equipment_answer_deadline', 'SUB-11', requestId, endOfLocalDay(r.answerDueOn));
  }
  for (const [saturationId, s] of Object.entries(state.saturations)) {
    if (!s.notifiedOn) deadline('subscription.saturation_notice_deadline', 'SUB-10', saturationId, endOfLocalDay(s.noticeDueOn));
  }
  for (const [suspensionId, s] of Object.entries(state.suspensions)) {
    if (s.lostOrStolen && !s.lostOrStolen.confirmedOn) {
      deadline('subscription.lost_sim_confirmation_deadline', 'SUS-04', suspensionId, endOfLocalDay(s.lostOrStolen.confirmationDueOn));
    }
    if (s.forceMajeure) deadline('subscription.force_majeure_termination_right', 'SUS-05', suspensionId, startOfLocalDay(s.forceMajeure.terminationRightFrom));
  }
  return actions;
}

/**
 * Records that a deadline listed by `dueDates` is over (an obligation missed, a right opened).
 * Idempotent: a key already recorded, or no longer listed because the obligation was met, gives
 * no event; one not yet due is refused.
 */
export function recordDeadlinePassed(c: CommandOf<'RecordDeadlinePassed'>, state: SubscriptionState, ctx: DecideContext): SubscriptionEvent[] {
  const subscriptionId = requireSubscription(state);
  const key = requireText(c.key, 'key');
  const action = dueDates(state).find((a) => a.key === key && a.payload.command.type === 'RecordDeadlinePassed');
  if (!action) return [];
  if (ctx.now < action.dueAt) throw new DomainError('deadline_not_reached', `${key} is due at ${action.dueAt.toISOString()}`, action.rule, 'key');
  return [{ type: 'DeadlinePassed', data: { subscriptionId, key, kind: action.kind, rule: action.rule, dueAt: action.dueAt.toISOString() } }];
}

/** The command a due action of this context sends to stream `subscription-<payload.subscriptionId>`. */
export function commandForDueAction(kind: string, payload: Record<string, unknown>): SubscriptionCommand {
  const command = payload.command as SubscriptionCommand | undefined;
  if (!(DUE_ACTION_KINDS as readonly string[]).includes(kind) || !command || typeof command.type !== 'string') {
    throw new DomainError('unknown_due_action', `No subscription command for due action ${kind}`, undefined, 'kind');
  }
  return command;
}

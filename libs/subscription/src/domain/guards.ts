import { DomainError, Money, type BusinessCalendar } from '@oksio/kernel';
import { commitmentBindingOn, monthsRemaining, type CommitmentSchedule } from './commitment';
import type { EndBilling } from './events';
import { isAfter, requireLocalDate, yearMonthOf, type LocalDate } from './local-date';
import type { Phase, SubscriptionState } from './state';
import type { ResolvedTerms, ServiceKind, TermsField } from './terms';

/** What every handler receives besides the command and the state. */
export interface DecideContext {
  now: Date;
  /** `now` as a Europe/Paris calendar date. */
  today: LocalDate;
  calendar: BusinessCalendar;
}

export function requireSubscription(state: SubscriptionState): string {
  if (!state.subscriptionId) throw new DomainError('subscription_not_found', 'No order was placed for this subscription', undefined, 'subscriptionId');
  return state.subscriptionId;
}

const PHASE_ERRORS: Record<Phase, [string, string]> = {
  none: ['subscription_not_found', 'No order was placed for this subscription'],
  ordered: ['not_signed', 'The subscription is not signed yet'],
  refused: ['order_refused', 'The order was refused'],
  cancelled: ['order_cancelled', 'The order was cancelled'],
  signed: ['not_active', 'The service is not activated yet'],
  active: ['already_active', 'The service is already active'],
  terminated: ['subscription_terminated', 'The subscription has ended'],
};

/** Refuses a command in a phase where it makes no sense, with a code naming the actual phase. */
export function requirePhase(state: SubscriptionState, allowed: Phase[], rule?: string): void {
  if (allowed.includes(state.phase)) return;
  const [code, message] = PHASE_ERRORS[state.phase];
  throw new DomainError(code, message, rule, 'subscriptionId');
}

export function requireTerms(state: SubscriptionState): ResolvedTerms {
  if (!state.terms) throw new DomainError('not_signed', 'The subscription is not signed yet', 'SUB-01', 'subscriptionId');
  return state.terms;
}

export function requireSchedule(state: SubscriptionState): CommitmentSchedule {
  if (!state.schedule) throw new DomainError('not_active', 'The service is not activated yet', 'SUB-02', 'subscriptionId');
  return state.schedule;
}

export function requireService(state: SubscriptionState, services: ServiceKind[], rule: string): ServiceKind {
  if (!state.service || !services.includes(state.service)) {
    throw new DomainError('not_applicable_to_service', `${rule} applies to ${services.join('/')} only, not to ${state.service}`, rule, 'service');
  }
  return state.service;
}

/** A clause that only some CPs contain (null in the profile): refuse rather than invent a delay. */
export function requireClause<K extends TermsField>(terms: ResolvedTerms, field: K, rule: string): NonNullable<ResolvedTerms[K]> {
  const value = terms[field];
  if (value === null || value === undefined || value === false) {
    throw new DomainError('not_applicable_to_service', `The terms of this ${terms.service} contract have no ${field} clause`, rule, field);
  }
  return value as NonNullable<ResolvedTerms[K]>;
}

/** A fact reported by a command cannot lie in the future of the moment the command is decided. */
export function pastDate(value: unknown, field: string, today: LocalDate, rule?: string): LocalDate {
  const date = requireLocalDate(value, field, rule);
  if (isAfter(date, today)) throw new DomainError('date_in_future', `${field} ${date} is after today (${today})`, rule, field);
  return date;
}

export function requireText(value: unknown, field: string, rule?: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new DomainError('required', `${field} is required`, rule, field);
  return value;
}

export function requireId(record: Record<string, unknown>, id: string, field: string, what: string, rule?: string): void {
  if (!(id in record)) throw new DomainError(`unknown_${what}`, `No ${what.replace(/_/g, ' ')} ${id}`, rule, field);
}

/** Amounts arrive as decimal strings; malformed ones are refused with the field to blame. */
export function amount(value: unknown, field: string, rule?: string): Money {
  try {
    if (typeof value !== 'string') throw new Error('not a string');
    const money = Money.fromJSON(value);
    if (money.isNegative()) throw new Error('negative');
    return money;
  } catch {
    throw new DomainError('invalid_amount', `${field} must be a non-negative decimal string such as "120.00"`, rule, field);
  }
}

/**
 * SUB-06 / SUB-07: the billing facts of an end on `endsOn`. The fee is counted to the end of the
 * commitment period binding on that day (none after the initial period under SUB-05).
 */
export function endBilling(terms: ResolvedTerms, schedule: CommitmentSchedule | null, endsOn: LocalDate, feeBasis: 'early_termination_average' | 'remaining_monthly_fees'): EndBilling {
  const monthBilledInFull = terms.billFullMonthAtTermination ? yearMonthOf(endsOn) : null;
  const binding = schedule ? commitmentBindingOn(schedule, endsOn, terms.noticeRule) : null;
  if (!binding) return { monthBilledInFull, monthsRemaining: 0, commitmentPeriodLastDay: null, feeBasis: 'none' };
  const months = monthsRemaining(endsOn, binding.lastDay);
  return { monthBilledInFull, monthsRemaining: months, commitmentPeriodLastDay: binding.lastDay, feeBasis: months > 0 ? feeBasis : 'none' };
}

export function noFee(terms: ResolvedTerms, endsOn: LocalDate): EndBilling {
  return { monthBilledInFull: terms.billFullMonthAtTermination ? yearMonthOf(endsOn) : null, monthsRemaining: 0, commitmentPeriodLastDay: null, feeBasis: 'none' };
}

import {
  addDays,
  addMonths,
  calendarMonthsBetween,
  firstDayOfNextMonth,
  isAfter,
  isBefore,
  maxDate,
  type LocalDate,
} from './local-date';

/**
 * Commitment calendar (SUB-02 … SUB-07, SUB-13), on Europe/Paris local dates.
 *
 * Convention: a period is `firstDay` … `lastDay`, BOTH INCLUSIVE (the contract runs until the end
 * of `lastDay`; the next period starts on `lastDay + 1`). Every period is computed from the
 * schedule's anchor, never from the previous period, so end-of-month clamping cannot drift
 * (31 January + 1 month = 28 February, but period 2 still starts on the 31st of its month).
 *
 * "Délai de N mois à compter de X" follows the French way of counting months (CPC art. 641): it
 * expires on the day of the N-th month bearing the same number as X, or that month's last day when
 * it has none. `X + N months` in luxon is exactly that.
 */
export interface CommitmentSchedule {
  /** First day of the initial period: 1st of the month after activation (SUB-02), or the change date (SUB-13). */
  firstDay: LocalDate;
  initialTermMonths: number;
  renewalPeriodMonths: number;
}

export interface CommitmentPeriod {
  /** 0 = initial period, 1 = first tacit renewal, … */
  index: number;
  kind: 'initial' | 'renewal';
  firstDay: LocalDate;
  /** Inclusive. */
  lastDay: LocalDate;
}

type TermLengths = { initialTermMonths: number; renewalPeriodMonths: number };

/** SUB-02: the 1st of the month following activation; activation on a 1st still starts next month (literal reading). */
export function commitmentStartDate(activatedOn: LocalDate): LocalDate {
  return firstDayOfNextMonth(activatedOn);
}

export function commitmentSchedule(activatedOn: LocalDate, terms: TermLengths): CommitmentSchedule {
  return { firstDay: commitmentStartDate(activatedOn), initialTermMonths: terms.initialTermMonths, renewalPeriodMonths: terms.renewalPeriodMonths };
}

/**
 * SUB-13: re-commitment "à compter de la date du changement" for a period equal to the initial
 * period. Decision: literally from the change date (not the 1st of the next month).
 */
export function recommitmentSchedule(changedOn: LocalDate, terms: TermLengths): CommitmentSchedule {
  return { firstDay: changedOn, initialTermMonths: terms.initialTermMonths, renewalPeriodMonths: terms.renewalPeriodMonths };
}

/** Months from the anchor to the start of period `index`. */
function monthsToStart(schedule: CommitmentSchedule, index: number): number {
  return index === 0 ? 0 : schedule.initialTermMonths + (index - 1) * schedule.renewalPeriodMonths;
}

export function periodByIndex(schedule: CommitmentSchedule, index: number): CommitmentPeriod {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`period index must be a natural number, got ${index}`);
  const firstDay = addMonths(schedule.firstDay, monthsToStart(schedule, index));
  const lastDay = addDays(addMonths(schedule.firstDay, monthsToStart(schedule, index + 1)), -1);
  return { index, kind: index === 0 ? 'initial' : 'renewal', firstDay, lastDay };
}

export function initialPeriod(schedule: CommitmentSchedule): CommitmentPeriod {
  return periodByIndex(schedule, 0);
}

export function nextPeriod(schedule: CommitmentSchedule, period: CommitmentPeriod): CommitmentPeriod {
  return periodByIndex(schedule, period.index + 1);
}

/**
 * The period containing `date`. A date before the anchor (between activation and the 1st of the
 * next month) belongs to the initial period: the client is already bound by it.
 */
export function currentPeriod(schedule: CommitmentSchedule, date: LocalDate): CommitmentPeriod {
  const initial = initialPeriod(schedule);
  if (!isAfter(date, initial.lastDay)) return initial;
  // Estimate from whole months, then step to the exact period (clamped month ends make it ±1).
  const months = calendarMonthsBetween(schedule.firstDay, date) - schedule.initialTermMonths;
  let index = Math.max(1, Math.floor(months / schedule.renewalPeriodMonths) + 1);
  let period = periodByIndex(schedule, index);
  while (isBefore(date, period.firstDay) && index > 1) period = periodByIndex(schedule, --index);
  while (isAfter(date, period.lastDay)) period = periodByIndex(schedule, ++index);
  return period;
}

/** The period whose last day is `lastDay`, or null when `lastDay` is not a period boundary. */
export function periodEndingOn(schedule: CommitmentSchedule, lastDay: LocalDate): CommitmentPeriod | null {
  const period = currentPeriod(schedule, lastDay);
  return period.lastDay === lastDay ? period : null;
}

/**
 * SUB-04: the latest LRAR receipt date that still ends the contract at the end of a period whose
 * last day is `periodLastDay`: the latest R with R + N months ≤ lastDay. For a period ending
 * 31 March that is 31 December; ending 28 February, it is 30 November (30 Nov + 3 months clamps to 28 Feb).
 */
export function latestNoticeReceiptDate(periodLastDay: LocalDate, noticeMonths: number): LocalDate {
  let deadline = addMonths(periodLastDay, -noticeMonths);
  while (!isAfter(addMonths(addDays(deadline, 1), noticeMonths), periodLastDay)) deadline = addDays(deadline, 1);
  while (isAfter(addMonths(deadline, noticeMonths), periodLastDay)) deadline = addDays(deadline, -1);
  return deadline;
}

export interface PeriodEndNotice {
  /** Last day of the contract (inclusive). */
  endsOn: LocalDate;
  /** The period at whose end the contract ends. */
  period: CommitmentPeriod;
  /** Deadline of the period current at receipt. */
  deadlineForCurrentPeriod: LocalDate;
  onTimeForCurrentPeriod: boolean;
}

/**
 * SUB-04 (DATA, HOSTED_PBX): a letter received on or before the deadline of the current period
 * ends the contract at that period's end; a later one at the end of the NEXT period.
 */
export function endAtPeriodEndAfterNotice(schedule: CommitmentSchedule, receivedOn: LocalDate, noticeMonths: number): PeriodEndNotice {
  const current = currentPeriod(schedule, receivedOn);
  const deadlineForCurrentPeriod = latestNoticeReceiptDate(current.lastDay, noticeMonths);
  let period = current;
  // With 3 months' notice and 12-month periods this runs at most twice; the loop only guards odd overrides.
  while (isAfter(receivedOn, latestNoticeReceiptDate(period.lastDay, noticeMonths))) period = nextPeriod(schedule, period);
  return { endsOn: period.lastDay, period, deadlineForCurrentPeriod, onTimeForCurrentPeriod: period.index === current.index };
}

/**
 * SUB-05 (CG services): the notice expires N months after receipt. Decision (CG 8 "à l'issue de
 * la période initiale"): when `notBeforeInitialEnd`, it never ends the contract before the
 * initial period's last day — a letter received early in the initial period is admissible, and
 * takes effect at the end of the initial period.
 */
export function endAfterNoticeFromReceipt(schedule: CommitmentSchedule, receivedOn: LocalDate, noticeMonths: number, notBeforeInitialEnd: boolean): LocalDate {
  const expiry = addMonths(receivedOn, noticeMonths);
  return notBeforeInitialEnd ? maxDate(expiry, initialPeriod(schedule).lastDay) : expiry;
}

/**
 * SUB-07 decision: the whole calendar months AFTER the month in which the termination takes
 * effect (that month is billed in full under SUB-06), up to and including the month of the
 * period's last day. Termination on 15 Oct 2030 in a period ending 31 Mar 2031 → Nov…Mar = 5.
 */
export function monthsRemaining(endsOn: LocalDate, periodLastDay: LocalDate): number {
  return calendarMonthsBetween(endsOn, periodLastDay);
}

/**
 * The end of the commitment that binds the client on `date`, or null when none does.
 * Under SUB-04 every period is a commitment (termination only at a period end). Under SUB-05 only
 * the initial period is: after it, CG 8 lets either party leave with 3 months' notice, so a
 * renewal period carries no early-termination fee (decision).
 */
export function commitmentBindingOn(schedule: CommitmentSchedule, date: LocalDate, noticeRule: 'before_period_end' | 'from_receipt'): CommitmentPeriod | null {
  const period = currentPeriod(schedule, date);
  if (noticeRule === 'from_receipt' && period.kind === 'renewal') return null;
  return period;
}


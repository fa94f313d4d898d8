import type { BusinessCalendar } from '@oksio/kernel';
import { HOUR_MS, calendarFor, ms } from './time';

/**
 * The interruption clock of a ticket (INC-03, INC-06, INC-10, INC-13): pure data plus pure
 * functions, no I/O and no "now" of its own. It is JSON (ISO strings) because it lives inside the
 * ticket state, which projections store as JSON.
 *
 * What it measures
 * - It starts at the client's notification of the interruption (INC-03 "the time on the ticket",
 *   INC-13 "from the client's notification"), not when support got round to the ticket.
 * - It is frozen from OKSIO's request for site access until physical access is obtained (INC-06),
 *   and over the gap between a restoration and a reopening of the ticket (see `restart`).
 * - It stops when OKSIO notifies the client of the restoration (INC-13).
 *
 * Basis (INC-10 decision, configurable per contract)
 * - 'business_hours' (default): only business time counts — 09:00–18:00 Europe/Paris on business
 *   days (Monday–Friday minus French public holidays, plus Alsace-Moselle days for sites there).
 * - 'calendar': every millisecond counts.
 * Frozen time never counts, whatever the basis.
 *
 * SLA deadline (INC-10, DATA guaranteed links; whether a ticket carries it is the decider's call)
 * - Business-hours basis, notified during business hours: 4 business hours after the
 *   notification. Friday 17:00 → Monday 12:00.
 * - Business-hours basis, notified outside business hours: before 12:00 of the next business day,
 *   i.e. `nextBusinessDayAt(notifiedAt, 12)`. Friday 19:00 → Monday 12:00; Wednesday 13 May 2026
 *   19:00 → Friday 15 May 12:00 (Thursday 14 May is Ascension); Tuesday 07:00 → Tuesday 12:00.
 *   Internally this is an allowance of the business time between the notification and that noon
 *   (3 business hours with 09:00 opening), so both cases are "allowance of counted time".
 * - Calendar basis: 4 calendar hours after the notification (the outside-hours rule is a
 *   business-hours notion and does not apply).
 * - In every case the deadline moves later by the frozen time that would have counted (frozen
 *   business time on the business basis: a freeze over a night moves nothing). A freeze that
 *   starts after the deadline does not move it. While the clock is frozen before the allowance is
 *   used up, the deadline is unknown (`null`): it depends on when access is obtained.
 * - "Within 4 hours" / "before 12:00" are strict: restoring exactly at the deadline is late, so
 *   `breached` is `restoration (or now) >= deadline`. The penalty tiers (INC-11) say "> 4 h", so a
 *   restoration exactly on a 4-hour deadline is a breach that earns 0 %.
 */
export type ClockBasis = 'business_hours' | 'calendar';

export type FreezeReason = 'site_access' | 'restored_until_reopened';

export interface FrozenPeriod {
  from: string;
  /** null while still frozen. */
  to: string | null;
  reason: FreezeReason;
}

/** The restoration commitment (CP Data 10.1.1); configurable per contract. */
export interface RestorationCommitment {
  /** Allowed restoration time for a notification inside business hours (4). */
  hours: number;
  /** Local hour of the next business day before which a night/week-end notification is restored (12). */
  outsideHoursRestoreBeforeHour: number;
}

export const DEFAULT_COMMITMENT: RestorationCommitment = { hours: 4, outsideHoursRestoreBeforeHour: 12 };

export interface InterruptionClock {
  basis: ClockBasis;
  /** Site in Alsace-Moselle: Good Friday and 26 December are not business days. */
  alsaceMoselle: boolean;
  commitment: RestorationCommitment;
  /** The client's notification (ISO, UTC): the start of the interruption time. */
  notifiedAt: string;
  frozen: FrozenPeriod[];
  /** OKSIO's notification of restoration; null while the interruption lasts. */
  stoppedAt: string | null;
}

export type ClockStatus = 'running' | 'frozen' | 'stopped';

export interface StartClockInput {
  notifiedAt: string;
  basis?: ClockBasis;
  alsaceMoselle?: boolean;
  commitment?: RestorationCommitment;
}

export function startClock(input: StartClockInput): InterruptionClock {
  return {
    basis: input.basis ?? 'business_hours',
    alsaceMoselle: input.alsaceMoselle ?? false,
    commitment: input.commitment ?? DEFAULT_COMMITMENT,
    notifiedAt: input.notifiedAt,
    frozen: [],
    stoppedAt: null,
  };
}

// ---- transitions (the decider validates order and state before calling them) -----------------

export function isFrozen(clock: InterruptionClock): boolean {
  return clock.frozen.some((f) => f.to === null);
}

/** INC-06: OKSIO asked the client for site access. */
export function freeze(clock: InterruptionClock, at: string, reason: FreezeReason = 'site_access'): InterruptionClock {
  return { ...clock, frozen: [...clock.frozen, { from: at, to: null, reason }] };
}

/** INC-06: physical access obtained. */
export function resume(clock: InterruptionClock, at: string): InterruptionClock {
  return { ...clock, frozen: clock.frozen.map((f) => (f.to === null ? { ...f, to: at } : f)) };
}

/** INC-13: OKSIO notified the restoration. A freeze still open ends there too. */
export function stop(clock: InterruptionClock, at: string): InterruptionClock {
  return { ...resume(clock, at), stoppedAt: at };
}

/**
 * Reopening (INC-09): the interruption was not really over, so the same clock runs on from the
 * reopening. The time between the restoration notice and the reopening is not counted — the client
 * reported nothing then, and INC-13 counts from a client notification.
 */
export function restart(clock: InterruptionClock, at: string): InterruptionClock {
  if (clock.stoppedAt === null) return clock;
  return {
    ...clock,
    stoppedAt: null,
    frozen: [...clock.frozen, { from: clock.stoppedAt, to: at, reason: 'restored_until_reopened' }],
  };
}

// ---- measurements ----------------------------------------------------------------------------

/** Where `now` sits: stopped once restoration was notified at or before `now`, frozen inside a freeze. */
export function status(clock: InterruptionClock, now: Date): ClockStatus {
  const t = now.getTime();
  if (clock.stoppedAt !== null && ms(clock.stoppedAt) <= t) return 'stopped';
  const inFreeze = clock.frozen.some((f) => ms(f.from) <= t && (f.to === null || t < ms(f.to)));
  return inFreeze ? 'frozen' : 'running';
}

/**
 * Counted interruption time from the notification to `now` (or to the restoration, if earlier),
 * on the clock's basis, frozen periods excluded. This is the duration the penalty tiers read.
 */
export function elapsedMs(clock: InterruptionClock, now: Date): number {
  const start = ms(clock.notifiedAt);
  const end = Math.min(now.getTime(), clock.stoppedAt === null ? Number.POSITIVE_INFINITY : ms(clock.stoppedAt));
  if (end <= start) return 0;
  const frozen = toIntervals(clock.frozen);
  if (clock.basis === 'calendar') {
    return end - start - overlapMs(mergeIntervals(frozen), start, end);
  }
  return calendarFor(clock.alsaceMoselle).businessDurationMs(
    new Date(start),
    new Date(end),
    frozen.map((f) => ({ from: new Date(f.start), to: f.end === null ? null : new Date(f.end) })),
  );
}

/**
 * The counted time OKSIO has to restore (see the header): 4 h, or on the business basis for a
 * notification outside business hours, the business time between the notification and 12:00 of
 * the next business day.
 */
export function allowanceMs(clock: InterruptionClock): number {
  const { hours, outsideHoursRestoreBeforeHour } = clock.commitment;
  if (clock.basis === 'calendar') return hours * HOUR_MS;
  const cal = calendarFor(clock.alsaceMoselle);
  const notified = new Date(clock.notifiedAt);
  if (cal.isBusinessTime(notified)) return hours * HOUR_MS;
  return cal.businessDurationMs(notified, outsideHoursDeadline(clock));
}

/** INC-10: 12:00 (by default) of the first business day that opens after the notification. */
export function outsideHoursDeadline(clock: InterruptionClock): Date {
  return calendarFor(clock.alsaceMoselle).nextBusinessDayAt(new Date(clock.notifiedAt), clock.commitment.outsideHoursRestoreBeforeHour, 0);
}

/**
 * The SLA deadline: the instant at which the counted time reaches the allowance, walking through
 * the freezes in order. null while frozen before the allowance is used up (the deadline then
 * depends on when access is obtained).
 */
export function slaDeadline(clock: InterruptionClock): Date | null {
  let remaining = allowanceMs(clock);
  let cursor = ms(clock.notifiedAt);
  const add = adder(clock);
  const count = counter(clock);
  for (const f of mergeIntervals(toIntervals(clock.frozen))) {
    if (f.end !== null && f.end <= cursor) continue;
    const candidate = add(cursor, remaining);
    if (candidate <= f.start) return new Date(candidate);
    remaining -= count(cursor, Math.max(cursor, f.start));
    if (f.end === null) return null;
    cursor = Math.max(cursor, f.end);
  }
  return new Date(add(cursor, remaining));
}

/** Counted time left before the deadline (0 once reached); constant while frozen or stopped. */
export function remainingMs(clock: InterruptionClock, now: Date): number {
  return Math.max(0, allowanceMs(clock) - elapsedMs(clock, now));
}

/**
 * Whether the restoration commitment is broken at `now`: the restoration was notified at or after
 * the deadline, or it is not notified yet and `now` has reached the deadline.
 */
export function breached(clock: InterruptionClock, now: Date): boolean {
  const deadline = slaDeadline(clock);
  if (deadline === null) return false;
  const until = clock.stoppedAt !== null && ms(clock.stoppedAt) <= now.getTime() ? ms(clock.stoppedAt) : now.getTime();
  return until >= deadline.getTime();
}

// ---- internals -------------------------------------------------------------------------------

interface Interval {
  start: number;
  /** null: still open. */
  end: number | null;
}

function toIntervals(frozen: FrozenPeriod[]): Interval[] {
  return frozen.map((f) => ({ start: ms(f.from), end: f.to === null ? null : ms(f.to) }));
}

/** Sorted, disjoint union; an open interval swallows everything after its start. */
function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && (last.end === null || i.start <= last.end)) {
      last.end = last.end === null || i.end === null ? null : Math.max(last.end, i.end);
    } else {
      merged.push({ ...i });
    }
  }
  return merged;
}

function overlapMs(merged: Interval[], start: number, end: number): number {
  let total = 0;
  for (const i of merged) {
    const a = Math.max(i.start, start);
    const b = Math.min(i.end ?? end, end);
    if (a < b) total += b - a;
  }
  return total;
}

/** Counted (unfrozen) time in [a, b) on the clock's basis. */
function counter(clock: InterruptionClock): (a: number, b: number) => number {
  if (clock.basis === 'calendar') return (a, b) => Math.max(0, b - a);
  const cal = calendarFor(clock.alsaceMoselle);
  return (a, b) => (b <= a ? 0 : cal.businessDurationMs(new Date(a), new Date(b)));
}

/** The instant at which `amount` of counted time has passed after `from`. */
function adder(clock: InterruptionClock): (from: number, amount: number) => number {
  if (clock.basis === 'calendar') return (from, amount) => from + amount;
  const cal = calendarFor(clock.alsaceMoselle);
  return (from, amount) => addBusinessMs(cal, from, amount);
}

/**
 * `addBusinessHours` works in whole minutes; freezes are recorded to the millisecond, so the
 * sub-minute rest is added here, crossing a closing time if it has to (at most once: the rest is
 * shorter than any business window).
 */
export function addBusinessMs(cal: BusinessCalendar, from: number, amount: number): number {
  const minutes = Math.floor(amount / 60_000);
  let rest = amount - minutes * 60_000;
  let t = cal.addBusinessHours(new Date(from), { minutes }).getTime();
  while (rest > 0) {
    const start = cal.nextBusinessOpening(new Date(t)).getTime();
    const available = cal.businessDurationMs(new Date(start), new Date(start + rest));
    if (available === rest) return start + rest;
    rest -= available;
    t = start + available;
  }
  return t;
}

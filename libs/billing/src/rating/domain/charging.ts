import { Money } from '@oksio/kernel';
import type { AllowanceCategory } from './destinations';

/**
 * BIL-09 charging of one SIP line over one billing month (CP SIP 3.3, 3.4 and annex).
 *
 * - `SIP_OK` ("au compteur"): every call per minute at its destination's annex rate.
 * - `SIP_OK_PLUS`: calls to French fixed numbers are included, within 99 distinct called numbers per
 *   simultaneous line per month and 60 minutes per call; beyond either limit, per minute as SIP_OK.
 * - `SIP_OKSIO`: the same for French fixed **and** mobile numbers.
 * - Non-geographic numbers (08, 09, 087) are never included (CP SIP 3.4).
 *
 * Decisions: "à la minute" bills each started minute (increment **configurable**, 60 s by default);
 * the allowance goes to the month's calls in the order they started (ties by call id), so a number is
 * "distinct number n° k" by its first answered call; an unanswered call (0 s) costs nothing and
 * uses no allowance; a call beyond 60 minutes has its first 60 minutes included and the rest billed
 * in started increments; amounts stay exact (no rounding here — BIL-01 rounds per invoice line).
 */

export const SIP_PLANS = ['SIP_OK', 'SIP_OK_PLUS', 'SIP_OKSIO'] as const;
export type SipPlan = (typeof SIP_PLANS)[number];

export interface PlanAllowance {
  categories: readonly AllowanceCategory[];
  distinctNumbersPerSimultaneousLine: number;
  includedSecondsPerCall: number;
}

export const PLAN_ALLOWANCES: Record<SipPlan, PlanAllowance | null> = {
  SIP_OK: null,
  SIP_OK_PLUS: { categories: ['fr_fixed'], distinctNumbersPerSimultaneousLine: 99, includedSecondsPerCall: 60 * 60 },
  SIP_OKSIO: { categories: ['fr_fixed', 'fr_mobile'], distinctNumbersPerSimultaneousLine: 99, includedSecondsPerCall: 60 * 60 },
};

export interface RatingConfig {
  /** Billing increment in seconds (BIL-09 decision: 60, each started minute). */
  incrementSeconds: number;
}

export const DEFAULT_RATING_CONFIG: RatingConfig = { incrementSeconds: 60 };

/** Reads a plan name as sales write it ("SIP OK+", "sip_oksio", "OK_PLUS"); null when it is not a SIP plan. */
export function parseSipPlan(value: string | null | undefined): SipPlan | null {
  if (!value) return null;
  let s = value.trim().toUpperCase().replace(/\+/g, '_PLUS').replace(/[\s-]+/g, '_').replace(/_+/g, '_');
  if (!s.startsWith('SIP_')) s = `SIP_${s}`;
  return (SIP_PLANS as readonly string[]).includes(s) ? (s as SipPlan) : null;
}

export interface CallToRate {
  callId: string;
  startedAt: Date;
  durationSeconds: number;
  /** E.164: the identity of the called number for the distinct-number count. */
  calledE164: string;
  destination: string;
  /** EUR HT per minute, decimal string, from the table in force at the call's start (CON-04). */
  pricePerMinute: string;
  allowanceCategory: AllowanceCategory | null;
  nonGeographic: boolean;
  /** The line's plan in force on the call's date. */
  plan: SipPlan;
}

/** Why a call was or was not included, for the itemised bill. */
export type AllowanceOutcome =
  | 'included'
  | 'included_first_60_minutes'
  | 'not_in_plan'
  | 'non_geographic'
  | 'distinct_numbers_exceeded'
  | 'unanswered';

export interface RatedCall {
  callId: string;
  durationSeconds: number;
  /** Seconds covered by the allowance (at most 60 minutes). */
  includedSeconds: number;
  /** Seconds billed, rounded up to whole increments. */
  billedSeconds: number;
  pricePerMinute: string;
  /** Exact: billedSeconds / 60 × pricePerMinute. */
  amount: Money;
  outcome: AllowanceOutcome;
  /** 1-based rank of the called number among the month's included distinct numbers; null when not counted. */
  distinctNumberRank: number | null;
}

/** Started increments of `seconds`, in seconds: 61 s → 120 s at 60-second increments. */
export function roundUpToIncrement(seconds: number, incrementSeconds: number): number {
  if (seconds <= 0) return 0;
  return Math.ceil(seconds / incrementSeconds) * incrementSeconds;
}

/** billedSeconds / 60 × price, exactly. */
export function chargeFor(billedSeconds: number, pricePerMinute: string): Money {
  if (billedSeconds === 0) return Money.zero();
  const price = Money.eur(pricePerMinute);
  return billedSeconds % 60 === 0 ? price.multiply(billedSeconds / 60) : price.multiply(billedSeconds).divide(60);
}

function byStart(a: { startedAt: Date; callId: string }, b: { startedAt: Date; callId: string }): number {
  const t = a.startedAt.getTime() - b.startedAt.getTime();
  return t !== 0 ? t : a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0;
}

/**
 * Rates every call of one line in one billing month. Pure: same calls, same result, whatever order
 * they are given in, so a late CDR re-rates its line-month deterministically.
 */
export function rateLineMonth(calls: readonly CallToRate[], simultaneousLines: number, config: RatingConfig = DEFAULT_RATING_CONFIG): RatedCall[] {
  if (!Number.isInteger(simultaneousLines) || simultaneousLines < 1) throw new RangeError('a SIP line has at least one simultaneous line');
  if (!Number.isInteger(config.incrementSeconds) || config.incrementSeconds < 1) throw new RangeError('the billing increment is a positive number of seconds');
  const included = new Map<string, number>();
  const out: RatedCall[] = [];
  for (const call of [...calls].sort(byStart)) {
    if (!Number.isInteger(call.durationSeconds) || call.durationSeconds < 0) throw new RangeError(`call ${call.callId}: invalid duration`);
    const allowance = PLAN_ALLOWANCES[call.plan];
    const billAll = (outcome: AllowanceOutcome, rank: number | null = null): RatedCall => {
      const billedSeconds = roundUpToIncrement(call.durationSeconds, config.incrementSeconds);
      return { callId: call.callId, durationSeconds: call.durationSeconds, includedSeconds: 0, billedSeconds, pricePerMinute: call.pricePerMinute, amount: chargeFor(billedSeconds, call.pricePerMinute), outcome, distinctNumberRank: rank };
    };
    if (call.durationSeconds === 0) {
      out.push(billAll('unanswered'));
    } else if (!allowance || call.allowanceCategory === null || !allowance.categories.includes(call.allowanceCategory)) {
      out.push(billAll(call.nonGeographic ? 'non_geographic' : 'not_in_plan'));
    } else if (call.nonGeographic) {
      out.push(billAll('non_geographic'));
    } else {
      let rank = included.get(call.calledE164);
      if (rank === undefined && included.size < allowance.distinctNumbersPerSimultaneousLine * simultaneousLines) {
        rank = included.size + 1;
        included.set(call.calledE164, rank);
      }
      if (rank === undefined) {
        out.push(billAll('distinct_numbers_exceeded'));
        continue;
      }
      const includedSeconds = Math.min(call.durationSeconds, allowance.includedSecondsPerCall);
      const billedSeconds = roundUpToIncrement(call.durationSeconds - includedSeconds, config.incrementSeconds);
      out.push({
        callId: call.callId,
        durationSeconds: call.durationSeconds,
        includedSeconds,
        billedSeconds,
        pricePerMinute: call.pricePerMinute,
        amount: chargeFor(billedSeconds, call.pricePerMinute),
        outcome: billedSeconds > 0 ? 'included_first_60_minutes' : 'included',
        distinctNumberRank: rank,
      });
    }
  }
  return out;
}

/** The plan recorded on the rated calls of a FIXED_VGA line: VGA has no plan and no allowance. */
export const VGA_PLAN = 'VGA';

export interface VgaCallToRate {
  callId: string;
  startedAt: Date;
  durationSeconds: number;
  /** EUR HT per minute, decimal string, from the price list in force on the call's date. */
  pricePerMinute: string;
  /** EUR HT per answered call (118 directory enquiries), decimal string; '0' for most numbers. */
  pricePerCall: string;
  /** An emergency number: free to the caller by law (art. L33-1 CPCE). */
  emergency: boolean;
}

/**
 * Why a VGA call costs what it does: `billed` (per started increment at its price, plus its per-call
 * price — 0.00 € for a toll-free number), `emergency_free` (answered emergency call, listed at 0.00 €),
 * `unanswered` (0 s: nothing, not even a per-call price).
 */
export type VgaOutcome = 'billed' | 'emergency_free' | 'unanswered';

export interface VgaRatedCall extends Omit<RatedCall, 'outcome'> {
  outcome: VgaOutcome;
  pricePerCall: string;
}

/**
 * BIL-10 charging of one FIXED_VGA line over one billing month (CP VGA 3.1: OKSIO bills all outgoing
 * calls). No allowance ever, so each call is rated on its own; the increment is the SIP one
 * (`RatingConfig`) since the contracts define none for VGA. Pure and order-independent, like
 * `rateLineMonth`; amounts stay exact.
 */
export function rateVgaLineMonth(calls: readonly VgaCallToRate[], config: RatingConfig = DEFAULT_RATING_CONFIG): VgaRatedCall[] {
  if (!Number.isInteger(config.incrementSeconds) || config.incrementSeconds < 1) throw new RangeError('the billing increment is a positive number of seconds');
  return [...calls].sort(byStart).map((call) => {
    if (!Number.isInteger(call.durationSeconds) || call.durationSeconds < 0) throw new RangeError(`call ${call.callId}: invalid duration`);
    const free = (outcome: VgaOutcome): VgaRatedCall => ({
      callId: call.callId,
      durationSeconds: call.durationSeconds,
      includedSeconds: 0,
      billedSeconds: 0,
      pricePerMinute: call.pricePerMinute,
      pricePerCall: call.pricePerCall,
      amount: Money.zero(),
      outcome,
      distinctNumberRank: null,
    });
    if (call.durationSeconds === 0) return free('unanswered');
    if (call.emergency) return free('emergency_free');
    const billedSeconds = roundUpToIncrement(call.durationSeconds, config.incrementSeconds);
    const perCall = Money.eur(call.pricePerCall);
    return {
      callId: call.callId,
      durationSeconds: call.durationSeconds,
      includedSeconds: 0,
      billedSeconds,
      pricePerMinute: call.pricePerMinute,
      pricePerCall: call.pricePerCall,
      amount: perCall.isZero() ? chargeFor(billedSeconds, call.pricePerMinute) : perCall.add(chargeFor(billedSeconds, call.pricePerMinute)),
      outcome: 'billed',
      distinctNumberRank: null,
    };
  });
}

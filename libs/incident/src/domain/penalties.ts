import { Money } from '@oksio/kernel';
import { HOUR_MS } from './time';

/**
 * SLA penalties of DATA guaranteed links (CP Data 10.2–10.4): tiers (INC-11), monthly cap
 * (INC-12), exclusions (INC-14). Pure functions over Money; the decider decides when they apply.
 */

/**
 * One tier: a restoration time strictly greater than `overHours` and at most `upToHours`
 * (no upper bound when null) earns `percentage` % of the monthly subscription HT.
 */
export interface PenaltyTier {
  overHours: number;
  upToHours: number | null;
  /** Decimal string, e.g. '20'. */
  percentage: string;
}

/**
 * INC-11 as decided: the seed's tiers are "> 4 h ≤ 8 h: 20 %; > 9 h ≤ 24 h: 40 %; > 25 h ≤ 36 h:
 * 60 %; > 36 h: 100 %", which leaves (8 h, 9 h] and (24 h, 25 h] without a penalty although longer
 * than a paying tier. The gaps are closed by starting each tier where the previous one ends.
 * Up to 4 h inclusive: nothing. Configurable per contract (terms profile).
 */
export const DEFAULT_PENALTY_TIERS: readonly PenaltyTier[] = Object.freeze([
  { overHours: 4, upToHours: 8, percentage: '20' },
  { overHours: 8, upToHours: 24, percentage: '40' },
  { overHours: 24, upToHours: 36, percentage: '60' },
  { overHours: 36, upToHours: null, percentage: '100' },
]);

/** Returns the problems of a tier table (empty when valid): ordered, non-overlapping, 0–100 %. */
export function tierProblems(tiers: readonly PenaltyTier[]): string[] {
  const problems: string[] = [];
  if (!Array.isArray(tiers)) return ['tiers must be a list'];
  tiers.forEach((t, i) => {
    if (typeof t.overHours !== 'number' || !Number.isFinite(t.overHours) || t.overHours < 0) problems.push(`tier ${i}: overHours must be ≥ 0`);
    if (t.upToHours !== null && (typeof t.upToHours !== 'number' || !(t.upToHours > t.overHours))) problems.push(`tier ${i}: upToHours must be > overHours or null`);
    if (t.upToHours === null && i !== tiers.length - 1) problems.push(`tier ${i}: only the last tier may be open-ended`);
    if (typeof t.percentage !== 'string' || !/^\d+(\.\d+)?$/.test(t.percentage) || Number(t.percentage) > 100) {
      problems.push(`tier ${i}: percentage must be a decimal string between 0 and 100`);
    }
    const previous = tiers[i - 1];
    if (previous && (previous.upToHours === null || t.overHours < previous.upToHours)) problems.push(`tier ${i}: overlaps tier ${i - 1}`);
  });
  return problems;
}

/** The tier a restoration time falls in, or null (≤ 4 h by default, or a contract's gap). */
export function penaltyTier(durationMs: number, tiers: readonly PenaltyTier[] = DEFAULT_PENALTY_TIERS): PenaltyTier | null {
  return tiers.find((t) => durationMs > t.overHours * HOUR_MS && (t.upToHours === null || durationMs <= t.upToHours * HOUR_MS)) ?? null;
}

export interface ComputedPenalty {
  tier: PenaltyTier | null;
  /** '0' when no tier applies. */
  percentage: string;
  /** Rounded to the cent (BIL-01: a credit is an invoice line). */
  amount: Money;
}

/**
 * INC-11: the penalty of one interruption, as a percentage of the monthly subscription HT, from
 * the restoration time measured on the clock's basis (business hours by default, INC-10).
 */
export function computePenalty(durationMs: number, monthlyFee: Money, tiers: readonly PenaltyTier[] = DEFAULT_PENALTY_TIERS): ComputedPenalty {
  const tier = penaltyTier(durationMs, tiers);
  if (!tier) return { tier: null, percentage: '0', amount: Money.zero() };
  return { tier, percentage: tier.percentage, amount: monthlyFee.percentage(tier.percentage).roundToCent() };
}

/**
 * INC-12: the penalties of one link in one billing month never exceed one monthly fee. Given what
 * was already granted for that link and month, returns what may still be granted: never negative.
 */
export function applyMonthlyCap(computed: Money, monthlyFee: Money, alreadyGranted: Money): Money {
  const room = monthlyFee.subtract(alreadyGranted);
  if (!room.isPositive()) return Money.zero();
  return Money.min(computed, room);
}

/**
 * INC-14 (CP Data 10.4): interruptions for which no penalty is due, whatever their length.
 */
export const SLA_EXCLUSION_CAUSES = [
  /** A modification of the service the client asked for. */
  'client_requested_change',
  /** Force majeure (CG art. 11/13). */
  'force_majeure',
  /** The act of a third party. */
  'third_party',
  /** The client: non-compliance with OKSIO's technical specifications, faulty internal wiring (desserte interne)… */
  'client_fault',
  /** An element not installed and operated by OKSIO. */
  'element_not_operated_by_oksio',
  /** Exceptional difficulties not attributable to OKSIO: restricted access, no right of way, natural obstacles, unusual architecture. */
  'exceptional_difficulties',
  /** A disturbance of the incumbent operator's network or service. */
  'incumbent_network',
  /** Disturbance of the means supplied by the operators of the networks OKSIO connects to (incl. public-domain infrastructure). */
  'other_network_operator',
  /** Changes prescribed to OKSIO by the regulator (ARCEP) or another regulatory body. */
  'regulator_prescription',
] as const;

export type SlaExclusionCause = (typeof SLA_EXCLUSION_CAUSES)[number];

export function isSlaExclusionCause(value: unknown): value is SlaExclusionCause {
  return typeof value === 'string' && (SLA_EXCLUSION_CAUSES as readonly string[]).includes(value);
}

/** INC-14: the penalty actually due once exclusions are considered. */
export function penaltyDue(computed: Money, exclusion: SlaExclusionCause | null): Money {
  return exclusion === null ? computed : Money.zero();
}

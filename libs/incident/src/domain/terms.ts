import { DomainError, Money } from '@oksio/kernel';
import { DEFAULT_COMMITMENT, type ClockBasis, type RestorationCommitment } from './interruption-clock';
import { DEFAULT_PENALTY_TIERS, tierProblems, type PenaltyTier } from './penalties';

/**
 * The incident-related terms of the impacted subscription. The application resolves them from the
 * subscription's terms snapshot (CON-01: contract > CP > CG) and passes them when the ticket is
 * opened; `TicketOpened` stores the resolved copy so every later decision on the ticket (deadline,
 * penalty, fees, windows) replays the same way even if defaults change.
 */
export interface IncidentTerms {
  /** DATA only: the link has the "lien garanti" restoration commitment (CP Data 10.1). */
  guaranteedLink: boolean;
  /** INC-10 decision: 'business_hours' (default) or 'calendar'. */
  clockBasis: ClockBasis;
  commitment: RestorationCommitment;
  /** The site is in Alsace-Moselle (57, 67, 68): Good Friday and 26 December are holidays. */
  alsaceMoselle: boolean;
  /** Monthly subscription HT of the link: the base of INC-11 and the cap of INC-12. Null when no SLA. */
  monthlyFee: string | null;
  penaltyTiers: PenaltyTier[];
  /** INC-07 / BIL-08 flat fee HT (the seed writes "trente euros (40 €)": the figure is used). */
  unjustifiedTicketFee: string;
  /** INC-08 / BIL-08 fee HT for an unjustified expertise request to the incumbent. */
  unjustifiedExpertiseFee: string;
  /** INC-09: calendar days after closure during which the client may reopen (decision). */
  reopenWindowDays: number;
  /** INC-09: calendar days after resolution without the client's confirmation before automatic closure (decision). */
  autoCloseAfterDays: number;
}

export const DEFAULT_INCIDENT_TERMS: Readonly<IncidentTerms> = Object.freeze({
  guaranteedLink: false,
  clockBasis: 'business_hours',
  commitment: DEFAULT_COMMITMENT,
  alsaceMoselle: false,
  monthlyFee: null,
  penaltyTiers: DEFAULT_PENALTY_TIERS.map((t) => ({ ...t })),
  unjustifiedTicketFee: '40.00',
  unjustifiedExpertiseFee: '250.00',
  reopenWindowDays: 7,
  autoCloseAfterDays: 3,
});

/**
 * Reads a money amount from a command into a cent-exact Money, or refuses naming the field
 * (a DomainError, not the kernel's ValidationError, so every refusal of the decider is uniform).
 */
export function parseAmount(value: unknown, field: string, rule?: string): Money {
  if (typeof value !== 'string' || !/^\d+(\.\d{1,2})?$/.test(value)) {
    throw new DomainError('invalid_amount', `${field} must be a non-negative decimal string with at most 2 decimals, e.g. "40.00"`, rule, field);
  }
  return Money.fromJSON(value);
}

function wholeDays(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new DomainError('invalid_terms', `${field} must be a whole number of days ≥ 0`, 'INC-09', field);
  }
  return value;
}

/** Defaults completed and checked; amounts normalised to 2 decimals. */
export function resolveIncidentTerms(input: Partial<IncidentTerms> = {}): IncidentTerms {
  const t: IncidentTerms = { ...DEFAULT_INCIDENT_TERMS, ...input, penaltyTiers: input.penaltyTiers ?? DEFAULT_INCIDENT_TERMS.penaltyTiers };
  for (const flag of ['guaranteedLink', 'alsaceMoselle'] as const) {
    if (typeof t[flag] !== 'boolean') throw new DomainError('invalid_terms', `terms.${flag} must be true or false`, 'INC-10', `terms.${flag}`);
  }
  if (t.clockBasis !== 'business_hours' && t.clockBasis !== 'calendar') {
    throw new DomainError('invalid_terms', 'terms.clockBasis must be business_hours or calendar', 'INC-10', 'terms.clockBasis');
  }
  const c = t.commitment;
  if (!c || !(c.hours > 0) || !Number.isInteger(c.outsideHoursRestoreBeforeHour) || c.outsideHoursRestoreBeforeHour < 0 || c.outsideHoursRestoreBeforeHour > 23) {
    throw new DomainError('invalid_terms', 'terms.commitment needs hours > 0 and an hour of day', 'INC-10', 'terms.commitment');
  }
  const problems = tierProblems(t.penaltyTiers);
  if (problems.length > 0) throw new DomainError('invalid_terms', `terms.penaltyTiers: ${problems.join('; ')}`, 'INC-11', 'terms.penaltyTiers');
  return {
    ...t,
    commitment: { ...c },
    penaltyTiers: t.penaltyTiers.map((x) => ({ ...x })),
    monthlyFee: t.monthlyFee === null ? null : parseAmount(t.monthlyFee, 'terms.monthlyFee', 'INC-11').toString(),
    unjustifiedTicketFee: parseAmount(t.unjustifiedTicketFee, 'terms.unjustifiedTicketFee', 'INC-07').toString(),
    unjustifiedExpertiseFee: parseAmount(t.unjustifiedExpertiseFee, 'terms.unjustifiedExpertiseFee', 'INC-08').toString(),
    reopenWindowDays: wholeDays(t.reopenWindowDays, 'terms.reopenWindowDays'),
    autoCloseAfterDays: wholeDays(t.autoCloseAfterDays, 'terms.autoCloseAfterDays'),
  };
}

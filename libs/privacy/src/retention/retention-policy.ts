import { DateTime, Duration } from 'luxon';
import { PII_CATEGORIES, type PiiCategory } from '../crypto/pii';

/**
 * Retention as data (PRV-02, PRV-03): one policy per personal-data category, seeded by migration
 * in `retention_policies` and changed through `PUT /privacy/retention-policies/{category}`.
 * Pure: every function takes `now` or dates as arguments.
 */
export const LEGAL_BASES = ['contract', 'legitimate_interest', 'consent', 'legal_obligation'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/**
 * What starts a category's active period:
 * - `relationship_end`: every contract of the subject has ended (the latest end);
 * - `service_contract_end`: every contract of the policy's `service` has ended (HOSTED_PBX, PRV-03);
 * - `last_collection`: the latest time data of the category was collected (communications made,
 *   payments received, legitimate-interest data collected).
 */
export const RETENTION_ANCHORS = ['relationship_end', 'service_contract_end', 'last_collection'] as const;
export type RetentionAnchor = (typeof RETENTION_ANCHORS)[number];

export type RetentionPolicy = {
  category: PiiCategory;
  /** PRV-01: the legal bases the category is processed on. */
  legalBasis: LegalBasis[];
  anchor: RetentionAnchor;
  /** Service whose contracts anchor the period (`service_contract_end` only). */
  service: string | null;
  /** ISO-8601 duration of the active period after the anchor (P5Y, P3Y, P12M, P0D…). */
  activePeriod: string;
  /** PRV-02: payment data is kept longer while an unpaid debt is being handled. */
  extendWhileUnpaidDebt: boolean;
  rule: string;
  description: string;
};

/** A legal retention duty: while it runs, the categories it covers are archived, never purged or erased (PRV-04). */
export type LegalHoldRule = {
  /** The kind of record that creates the duty: `invoice` (Code de commerce L123-22, 10 years). */
  kind: string;
  period: string;
  categories: PiiCategory[];
  rule: string;
  description: string;
};

/** Facts about one data subject that drive the clocks (the data-subject file's state). */
export interface RetentionFacts {
  contracts: Record<string, { service: string; startedAt: string; endedAt: string | null }>;
  lastCollectedAt: Partial<Record<PiiCategory, string>>;
  /** Latest record per legal-hold kind (e.g. the last invoice date). */
  lastLegalRecordAt: Record<string, string>;
  openDebts: string[];
  lastDebtSettledAt: string | null;
  purgedAt: Partial<Record<PiiCategory, string>>;
  /** Erasure asked (PRV-04) but deferred by a legal hold: purge as soon as the hold ends. */
  erasureRequestedAt: Partial<Record<PiiCategory, string>>;
}

export type RetentionPhase = 'active' | 'archived' | 'due' | 'purged';

export interface CategoryRetention {
  category: PiiCategory;
  /** When the active period started to run (null: not yet, e.g. a contract is still running). */
  anchorAt: string | null;
  /** End of the active period: afterwards the data is in the restricted archive. */
  activeUntil: string | null;
  /** End of the longest legal hold covering the category. */
  holdUntil: string | null;
  /** An unpaid debt is being handled and the policy extends the period (PRV-02). */
  debtOpen: boolean;
  /** When the data must be destroyed; null while unknown (anchor not reached, debt open). */
  purgeAt: string | null;
  purgedAt: string | null;
  erasureRequestedAt: string | null;
}

export function isIsoDuration(value: unknown): value is string {
  if (typeof value !== 'string' || !/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/.test(value)) return false;
  return Duration.fromISO(value).isValid;
}

function plus(instant: string, period: string): string {
  return DateTime.fromISO(instant, { zone: 'Europe/Paris' }).plus(Duration.fromISO(period)).toUTC().toISO()!;
}

function latest(values: Array<string | null | undefined>): string | null {
  let best: string | null = null;
  for (const v of values) if (v && (best === null || Date.parse(v) > Date.parse(best))) best = v;
  return best;
}

function after(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && (!b || Date.parse(a) > Date.parse(b));
}

/** The end of the contracts an anchor looks at, or null while one of them runs (or none exists). */
function contractsEnd(facts: RetentionFacts, service: string | null): string | null {
  const contracts = Object.values(facts.contracts).filter((c) => service === null || c.service === service);
  if (contracts.length === 0 || contracts.some((c) => c.endedAt === null)) return null;
  return latest(contracts.map((c) => c.endedAt));
}

export function anchorOf(policy: RetentionPolicy, facts: RetentionFacts): string | null {
  switch (policy.anchor) {
    case 'relationship_end':
      return contractsEnd(facts, null);
    case 'service_contract_end':
      return contractsEnd(facts, policy.service);
    case 'last_collection':
      return facts.lastCollectedAt[policy.category] ?? null;
  }
}

/** Where one category stands (PRV-02): active period, archive under legal hold, purge date. */
export function categoryRetention(policy: RetentionPolicy, holds: LegalHoldRule[], facts: RetentionFacts): CategoryRetention {
  const category = policy.category;
  const purgedAt = facts.purgedAt[category] ?? null;
  const anchorAt = anchorOf(policy, facts);
  // Something to purge: data since the last purge (a later anchor), or an erasure asked since.
  const live = after(anchorAt, purgedAt);
  const erasure = after(facts.erasureRequestedAt[category], purgedAt) ? facts.erasureRequestedAt[category]! : null;
  const holdUntil = latest(
    holds
      .filter((h) => h.categories.includes(category) && facts.lastLegalRecordAt[h.kind])
      .map((h) => plus(facts.lastLegalRecordAt[h.kind], h.period)),
  );
  const debtOpen = policy.extendWhileUnpaidDebt && facts.openDebts.length > 0;
  if (!live && !erasure) {
    return { category, anchorAt, activeUntil: null, holdUntil, debtOpen, purgeAt: null, purgedAt, erasureRequestedAt: null };
  }
  // An erasure request ends the active period at once; a legal hold or a debt still defers the purge.
  const activeUntil = erasure ?? plus(anchorAt!, policy.activePeriod);
  const debtUntil = policy.extendWhileUnpaidDebt ? facts.lastDebtSettledAt : null;
  const purgeAt = debtOpen ? null : latest([activeUntil, holdUntil, debtUntil]);
  return { category, anchorAt, activeUntil, holdUntil, debtOpen, purgeAt, purgedAt, erasureRequestedAt: erasure };
}

export function phaseAt(r: CategoryRetention, now: Date): RetentionPhase {
  // No running period: either nothing since the last purge, or the anchor is not reached yet.
  if (r.activeUntil === null) return r.purgedAt ? 'purged' : 'active';
  if (now.getTime() < Date.parse(r.activeUntil)) return 'active';
  if (r.purgeAt === null || now.getTime() < Date.parse(r.purgeAt)) return 'archived';
  return 'due';
}

/** The legal hold still running for a category at `now`, if any (PRV-04: overrides erasure). */
export function activeHold(category: PiiCategory, holds: LegalHoldRule[], facts: RetentionFacts, now: Date): { kind: string; until: string; rule: string } | null {
  let found: { kind: string; until: string; rule: string } | null = null;
  for (const h of holds) {
    const at = facts.lastLegalRecordAt[h.kind];
    if (!h.categories.includes(category) || !at) continue;
    const until = plus(at, h.period);
    if (Date.parse(until) > now.getTime() && (!found || Date.parse(until) > Date.parse(found.until))) found = { kind: h.kind, until, rule: h.rule };
  }
  return found;
}

export function retentionOf(policies: RetentionPolicy[], holds: LegalHoldRule[], facts: RetentionFacts): CategoryRetention[] {
  const byCategory = new Map(policies.map((p) => [p.category, p]));
  return PII_CATEGORIES.filter((c) => byCategory.has(c)).map((c) => categoryRetention(byCategory.get(c)!, holds, facts));
}

/**
 * The seeded policies (also inserted by the migration). Decisions where the charter is silent:
 * contract data follows identity data (5 years after the relationship); connection logs are kept
 * 1 year from collection (traffic/connection data, CPCE L34-1, REFERENCE.md); the IBAN is kept
 * until the relationship ends and, like payment data, while an unpaid debt is handled.
 */
export const DEFAULT_RETENTION_POLICIES: RetentionPolicy[] = [
  { category: 'identity_contact', legalBasis: ['contract'], anchor: 'relationship_end', service: null, activePeriod: 'P5Y', extendWhileUnpaidDebt: false, rule: 'PRV-02', description: 'Identity and contact data: until 5 years after the end of the contractual relationship' },
  { category: 'contract', legalBasis: ['contract'], anchor: 'relationship_end', service: null, activePeriod: 'P5Y', extendWhileUnpaidDebt: false, rule: 'PRV-02', description: 'Contract data: like identity data, 5 years after the end of the contractual relationship (decision)' },
  { category: 'communications', legalBasis: ['contract', 'legitimate_interest'], anchor: 'last_collection', service: null, activePeriod: 'P3Y', extendWhileUnpaidDebt: false, rule: 'PRV-02', description: 'Requests, complaints, answers, account messages: 3 years after they were made' },
  { category: 'connection', legalBasis: ['contract'], anchor: 'last_collection', service: null, activePeriod: 'P1Y', extendWhileUnpaidDebt: false, rule: 'PRV-07', description: 'Connection logs: 1 year from collection (decision: CPCE L34-1 connection data)' },
  { category: 'financial', legalBasis: ['contract', 'legal_obligation'], anchor: 'last_collection', service: null, activePeriod: 'P3Y', extendWhileUnpaidDebt: true, rule: 'PRV-02', description: 'Payment data (except IBAN): 3 years after receipt, longer while an unpaid debt is handled' },
  { category: 'bank_details', legalBasis: ['contract'], anchor: 'relationship_end', service: null, activePeriod: 'P0D', extendWhileUnpaidDebt: true, rule: 'PRV-02', description: 'IBAN/RIB: until the end of the relationship (decision), longer while an unpaid debt is handled' },
  { category: 'satisfaction', legalBasis: ['legitimate_interest'], anchor: 'last_collection', service: null, activePeriod: 'P3Y', extendWhileUnpaidDebt: false, rule: 'PRV-02', description: 'Data kept on legitimate interest (satisfaction answers): 3 years from collection' },
  { category: 'marketing', legalBasis: ['legitimate_interest', 'consent'], anchor: 'relationship_end', service: null, activePeriod: 'P0D', extendWhileUnpaidDebt: false, rule: 'PRV-02', description: 'Marketing-relationship data: until the contract ends' },
  { category: 'hosted_pbx', legalBasis: ['contract'], anchor: 'service_contract_end', service: 'HOSTED_PBX', activePeriod: 'P12M', extendWhileUnpaidDebt: false, rule: 'PRV-03', description: 'Hosted PBX customer data files: destroyed 12 months after the contract ends' },
];

export const DEFAULT_LEGAL_HOLDS: LegalHoldRule[] = [
  { kind: 'invoice', period: 'P10Y', categories: ['identity_contact', 'contract', 'financial'], rule: 'PRV-02', description: 'Invoices and accounting records: 10 years (Code de commerce L123-22)' },
];

import { DomainError } from '@oksio/kernel';
import { isAfter, type LocalDate } from './local-date';

/**
 * CON-01: contract terms are data. The general terms (CG) give a complete profile; each service's
 * particular conditions (CP) override some fields (CG art. 2: "les dispositions prévues aux
 * Conditions particulières … prévaudront"); the individual contract or quote overrides both
 * (CG 4 / CP Data 4: "sauf stipulation contraire mentionnée dans le contrat ou devis").
 * The resolved profile is stored in `SubscriptionSigned`, so a later catalogue version never
 * rewrites a signed contract.
 *
 * A field set to `null` means "this service has no such clause": the decider refuses the
 * matching command (e.g. a plan migration on a MOBILE contract) instead of inventing a delay.
 */

export const SERVICE_KINDS = ['DATA', 'MOBILE', 'FIXED_VGA', 'FIXED_SIP', 'HOSTED_PBX'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** SUB-04: LRAR received N months before the period ends. SUB-05: N months counted from receipt. */
export type NoticeRule = 'before_period_end' | 'from_receipt';
/** SUB-07: average of (consumption + subscription) over the last N billed periods × months remaining. */
export type EarlyTerminationFormula = 'average_last_3_periods';

export interface TermsProfile {
  /** SUB-02: initial commitment, from the 1st of the month following activation. */
  initialTermMonths: number;
  /** SUB-03: tacit renewals. */
  renewalPeriodMonths: number;
  /** SUB-04 / SUB-05. */
  noticeRule: NoticeRule;
  noticeMonths: number;
  /**
   * SUB-05 decision (CG 8 "à l'issue de la période initiale"): a notice counted from receipt never
   * ends the contract before the initial period ends.
   */
  noticeEndsNoEarlierThanInitialTerm: boolean;
  /** SUB-13: a speed or SDSL pair change re-commits for a period equal to the initial period. */
  recommitOnChange: boolean;
  /** SUB-07. */
  earlyTerminationFormula: EarlyTerminationFormula;
  earlyTerminationBasisPeriods: number;
  /** SUB-06: the whole month is due at term or termination. */
  billFullMonthAtTermination: boolean;
  /** CON-02: months of notice before a tariff change applies. */
  priceChangeNoticeMonths: number;
  /** CON-03: months of notice before a change of the general terms applies. */
  termsChangeNoticeMonths: number;
  /** CON-04: per-minute rates may change at the start of each year (SIP). */
  perMinuteRatesRevisableYearly: boolean;
  /** SUB-15: days after signature to collect each line's end-of-contract date and RIO (MOBILE). */
  lineInfoCollectionDays: number | null;
  /** SUB-16: the end of the local-loop subscription ends the line's contract (fixed resale). */
  localLoopEndTerminatesLine: boolean;
  /** SUB-12 (DATA): answer to a plan migration within N days; client may cancel after N weeks. */
  planMigrationAnswerDays: number | null;
  planMigrationCancellableAfterWeeks: number | null;
  /** SUB-11 (DATA): answer to an equipment modification request within N days. */
  equipmentModificationAnswerDays: number | null;
  /** SUB-10 (DATA): warn of a saturation delay within N days of the triggering fact. */
  saturationNoticeDays: number | null;
  /** SUB-19 (HOSTED_PBX): notice before the software is withdrawn. */
  softwareWithdrawalNoticeMonths: number | null;
  /** SUS-02: suspension for non-payment no earlier than due date + N days. */
  nonPaymentSuspensionDelayDays: number;
  /** SUS-02: termination for non-payment N days after receipt of the LRAR. */
  nonPaymentTerminationNoticeDays: number;
  /** SUS-04 (MOBILE): LRAR confirming a lost/stolen SIM within N business days. */
  lostSimConfirmationBusinessDays: number | null;
  /** SUS-05: force majeure lasting more than N months opens termination without indemnity. */
  forceMajeureTerminationAfterMonths: number;
  /** SUS-06 (MOBILE): deliveries may be suspended when an invoice is unpaid more than N business days. */
  deliverySuspensionAfterBusinessDays: number | null;
}

export type TermsField = keyof TermsProfile;
export type TermsOverrides = Partial<TermsProfile>;
export type TermsOrigin = 'CG' | 'CP' | 'contract';

export interface ResolvedTerms extends TermsProfile {
  service: ServiceKind;
  cgVersion: string;
  cpVersion: string | null;
  /** Where each field's value came from: the audit trail of CON-01. */
  origin: Record<TermsField, TermsOrigin>;
}

export interface GeneralTermsVersion {
  version: string;
  effectiveFrom: LocalDate;
  profile: TermsProfile;
}

export interface ParticularTermsVersion {
  version: string;
  effectiveFrom: LocalDate;
  overrides: TermsOverrides;
}

export interface TermsCatalogue {
  generalTerms: GeneralTermsVersion[];
  particularTerms: Record<ServiceKind, ParticularTermsVersion[]>;
}

/** CG defaults: what holds for every service unless its CP or the contract says otherwise. */
const CG_2026_1: TermsProfile = {
  initialTermMonths: 60, // CG 4
  renewalPeriodMonths: 12, // CG 4 "périodes annuelles"
  noticeRule: 'from_receipt', // CG 8
  noticeMonths: 3, // CG 8
  noticeEndsNoEarlierThanInitialTerm: true, // CG 8 "à l'issue de la période initiale"
  recommitOnChange: false,
  earlyTerminationFormula: 'average_last_3_periods', // CG 8
  earlyTerminationBasisPeriods: 3,
  billFullMonthAtTermination: true, // CG 8
  priceChangeNoticeMonths: 2, // CG 6.1
  termsChangeNoticeMonths: 1, // CG 14
  perMinuteRatesRevisableYearly: false,
  lineInfoCollectionDays: null,
  localLoopEndTerminatesLine: false,
  planMigrationAnswerDays: null,
  planMigrationCancellableAfterWeeks: null,
  equipmentModificationAnswerDays: null,
  saturationNoticeDays: null,
  softwareWithdrawalNoticeMonths: null,
  nonPaymentSuspensionDelayDays: 7, // CG 6.1 (II)
  nonPaymentTerminationNoticeDays: 2, // CG 6.1 (III)
  lostSimConfirmationBusinessDays: null,
  forceMajeureTerminationAfterMonths: 1, // CG 11
  deliverySuspensionAfterBusinessDays: null,
};

export const TERMS_CATALOGUE: TermsCatalogue = {
  generalTerms: [{ version: 'CG-2026.1', effectiveFrom: '2026-01-01', profile: CG_2026_1 }],
  particularTerms: {
    DATA: [
      {
        version: 'CP-DATA-2026.1',
        effectiveFrom: '2026-01-01',
        overrides: {
          initialTermMonths: 60, // CP Data 4 (restates the CG)
          noticeRule: 'before_period_end', // CP Data 4
          noticeMonths: 3,
          recommitOnChange: true, // CP Data 9.1
          planMigrationAnswerDays: 15, // CP Data 9.1
          planMigrationCancellableAfterWeeks: 12,
          equipmentModificationAnswerDays: 7, // CP Data 8
          saturationNoticeDays: 15, // CP Data 7.5
        },
      },
    ],
    HOSTED_PBX: [
      {
        version: 'CP-PBX-2026.1',
        effectiveFrom: '2026-01-01',
        overrides: {
          initialTermMonths: 12, // CP PBX 10
          noticeRule: 'before_period_end', // CP PBX 10.1
          noticeMonths: 3,
          softwareWithdrawalNoticeMonths: 18, // CP PBX 6.1
        },
      },
    ],
    MOBILE: [
      {
        version: 'CP-MOBILE-2026.1',
        effectiveFrom: '2026-01-01',
        overrides: {
          lineInfoCollectionDays: 15, // CP Mobile 10
          lostSimConfirmationBusinessDays: 2, // CP Mobile 8.12
          deliverySuspensionAfterBusinessDays: 8, // CP Mobile 14.4
        },
      },
    ],
    FIXED_VGA: [{ version: 'CP-VGA-2026.1', effectiveFrom: '2026-01-01', overrides: { localLoopEndTerminatesLine: true } }], // CP VGA 5.2
    FIXED_SIP: [
      {
        version: 'CP-SIP-2026.1',
        effectiveFrom: '2026-01-01',
        overrides: { localLoopEndTerminatesLine: true, perMinuteRatesRevisableYearly: true }, // CP SIP 5.6, 6
      },
    ],
  },
};

const FIELDS = Object.keys(CG_2026_1) as TermsField[];
const BOOLEAN_FIELDS = new Set<TermsField>(FIELDS.filter((f) => typeof CG_2026_1[f] === 'boolean'));
const NULLABLE_FIELDS = new Set<TermsField>([
  'lineInfoCollectionDays',
  'planMigrationAnswerDays',
  'planMigrationCancellableAfterWeeks',
  'equipmentModificationAnswerDays',
  'saturationNoticeDays',
  'softwareWithdrawalNoticeMonths',
  'lostSimConfirmationBusinessDays',
  'deliverySuspensionAfterBusinessDays',
]);
/** Durations that must be at least 1: a zero-month term or notice would make the rules meaningless. */
const POSITIVE_FIELDS = new Set<TermsField>(['initialTermMonths', 'renewalPeriodMonths', 'earlyTerminationBasisPeriods']);

/** Refuses overrides that are not fields of the profile or have the wrong shape (CON-01). */
export function validateTermsOverrides(overrides: unknown, field = 'contractOverrides'): TermsOverrides {
  if (overrides === undefined || overrides === null) return {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new DomainError('invalid_terms_override', 'Contract overrides must be an object of terms fields', 'CON-01', field);
  }
  for (const [key, value] of Object.entries(overrides)) {
    const path = `${field}.${key}`;
    if (!FIELDS.includes(key as TermsField)) {
      throw new DomainError('unknown_terms_field', `"${key}" is not a terms field`, 'CON-01', path);
    }
    const name = key as TermsField;
    const bad = (): never => {
      throw new DomainError('invalid_terms_override', `${key} has an invalid value ${JSON.stringify(value)}`, 'CON-01', path);
    };
    if (BOOLEAN_FIELDS.has(name)) {
      if (typeof value !== 'boolean') bad();
    } else if (name === 'noticeRule') {
      if (value !== 'before_period_end' && value !== 'from_receipt') bad();
    } else if (name === 'earlyTerminationFormula') {
      if (value !== 'average_last_3_periods') bad();
    } else if (value === null) {
      if (!NULLABLE_FIELDS.has(name)) bad();
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < (POSITIVE_FIELDS.has(name) ? 1 : 0)) {
      bad();
    }
  }
  return overrides as TermsOverrides;
}

function inForce<T extends { version: string; effectiveFrom: LocalDate }>(versions: T[], asOf: LocalDate | undefined, pinned: string | undefined): T | null {
  if (pinned) return versions.find((v) => v.version === pinned) ?? null;
  const candidates = versions.filter((v) => asOf === undefined || !isAfter(v.effectiveFrom, asOf));
  return candidates.reduce<T | null>((best, v) => (best === null || v.effectiveFrom > best.effectiveFrom ? v : best), null);
}

export interface ResolveTermsOptions {
  /** Pick the versions in force on this date (the signature date); the latest when omitted. */
  asOf?: LocalDate;
  catalogue?: TermsCatalogue;
  /** Pin exact versions instead of picking by date. */
  cgVersion?: string;
  cpVersion?: string;
}

/** CON-01: contract overrides win over CP, which wins over CG. */
export function resolveTerms(service: ServiceKind, contractOverrides: TermsOverrides = {}, options: ResolveTermsOptions = {}): ResolvedTerms {
  if (!SERVICE_KINDS.includes(service)) throw new DomainError('unknown_service', `Unknown service ${String(service)}`, 'CON-01', 'service');
  const catalogue = options.catalogue ?? TERMS_CATALOGUE;
  const cg = inForce(catalogue.generalTerms, options.asOf, options.cgVersion);
  if (!cg) throw new DomainError('no_terms_in_force', `No general terms in force on ${options.asOf ?? 'any date'}`, 'CON-01', 'cgVersion');
  const cp = inForce(catalogue.particularTerms[service] ?? [], options.asOf, options.cpVersion);
  if (options.cpVersion && !cp) throw new DomainError('no_terms_in_force', `No particular terms ${options.cpVersion}`, 'CON-01', 'cpVersion');
  const overrides = validateTermsOverrides(contractOverrides);

  const profile = { ...cg.profile } as Record<TermsField, unknown>;
  const origin = Object.fromEntries(FIELDS.map((f) => [f, 'CG'])) as Record<TermsField, TermsOrigin>;
  for (const [layer, values] of [
    ['CP', cp?.overrides ?? {}],
    ['contract', overrides],
  ] as const) {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      profile[key as TermsField] = value;
      origin[key as TermsField] = layer;
    }
  }
  return { ...(profile as unknown as TermsProfile), service, cgVersion: cg.version, cpVersion: cp?.version ?? null, origin };
}

import { DomainError, Money, type Decider, type DomainEvent } from '@oksio/kernel';
import { addMonths, isHalfYear, localDateOf, requireLocalDate, type HalfYear, type LocalDate } from './calendar';
import { LEGAL_INTEREST_RATES_O } from './legal-interest';

/**
 * Versioned price list (EUR HT, BIL-01) and the legal-interest-rate table (BIL-05): the billing
 * reference data, one event-sourced stream whose initial state is the seeded catalogue below.
 *
 * Codes: `MONTHLY:<service>:<plan|DEFAULT>` monthly fee per item (billed in arrears, BIL-02);
 * `ACCESS:<service>:<plan|DEFAULT>` access/installation fee per item (due at order, BIL-02);
 * `ACCESS_CHANGE:DATA:<range|endpoint|address>` (SUB-14, billed as access fees);
 * `OPTION:<name>` monthly options (SDA blocks of ten numbers); `FEE:<name>` one-off fees (BIL-08).
 */
export type PriceKind = 'monthly' | 'access' | 'option_monthly' | 'fee';
export const PRICE_KINDS: readonly PriceKind[] = ['monthly', 'access', 'option_monthly', 'fee'];
export type PriceChangeException = 'force_majeure' | 'supplier_price_surge';

export interface PriceVersion {
  code: string;
  label: string;
  kind: PriceKind;
  /** EUR HT, decimal string. */
  price: string;
  effectiveFrom: LocalDate;
  notifiedOn: LocalDate;
  version: string;
  exception: PriceChangeException | null;
}

export interface ReferenceState {
  prices: PriceVersion[];
  legalRates: Record<HalfYear, string>;
}

const seed = (code: string, label: string, kind: PriceKind, price: string, effectiveFrom = '2026-01-01', notifiedOn = '2025-10-15'): PriceVersion => ({
  code,
  label,
  kind,
  price,
  effectiveFrom,
  notifiedOn,
  version: `${code}@${effectiveFrom}`,
  exception: null,
});

/** The OKSIO 2026 price list (HT). Earlier versions show the history CON-02 keeps. */
export const SEED_PRICES: readonly PriceVersion[] = [
  seed('MONTHLY:DATA:SDSL-4M', 'Lien SDSL 4 Mbit/s garanti', 'monthly', '179.00', '2025-01-01', '2024-10-15'),
  seed('MONTHLY:DATA:SDSL-4M', 'Lien SDSL 4 Mbit/s garanti', 'monthly', '189.00'),
  seed('MONTHLY:DATA:SDSL-8M', 'Lien SDSL 8 Mbit/s garanti', 'monthly', '289.00'),
  seed('MONTHLY:DATA:ADSL-PRO', 'Accès ADSL Pro', 'monthly', '49.90'),
  seed('MONTHLY:DATA:DEFAULT', 'Accès Internet Data', 'monthly', '49.90'),
  seed('MONTHLY:MOBILE:DEFAULT', 'Forfait mobile Pro 20 Go', 'monthly', '19.90'),
  seed('MONTHLY:MOBILE:PRO-100GO', 'Forfait mobile Pro 100 Go', 'monthly', '29.90'),
  seed('MONTHLY:FIXED_VGA:DEFAULT', 'Abonnement ligne analogique (revente)', 'monthly', '24.50'),
  seed('MONTHLY:FIXED_SIP:DEFAULT', 'Compte SIP OK', 'monthly', '9.90'),
  seed('MONTHLY:FIXED_SIP:SIP_OK', 'Compte SIP OK', 'monthly', '9.90'),
  seed('MONTHLY:FIXED_SIP:SIP_OK_PLUS', 'Compte SIP OK Plus (fixes illimités)', 'monthly', '19.90'),
  seed('MONTHLY:FIXED_SIP:SIP_OKSIO', 'Compte SIP OKSIO (fixes et mobiles illimités)', 'monthly', '29.90'),
  seed('MONTHLY:HOSTED_PBX:DEFAULT', 'Licence standard téléphonique hébergé', 'monthly', '149.00'),
  seed('ACCESS:DATA:DEFAULT', "Frais d'accès au service Data", 'access', '290.00'),
  seed('ACCESS:DATA:SDSL-4M', "Frais d'accès SDSL (installation)", 'access', '490.00'),
  seed('ACCESS:DATA:SDSL-8M', "Frais d'accès SDSL (installation)", 'access', '490.00'),
  seed('ACCESS:MOBILE:DEFAULT', 'Frais de mise en service (carte SIM)', 'access', '10.00'),
  seed('ACCESS:FIXED_VGA:DEFAULT', 'Frais de mise en service ligne', 'access', '49.00'),
  seed('ACCESS:FIXED_SIP:DEFAULT', 'Frais de mise en service compte SIP', 'access', '39.00'),
  seed('ACCESS:HOSTED_PBX:DEFAULT', "Frais d'installation du standard hébergé", 'access', '450.00'),
  seed('ACCESS_CHANGE:DATA:range', 'Changement de gamme (frais d’accès)', 'access', '150.00'),
  seed('ACCESS_CHANGE:DATA:endpoint', 'Changement d’extrémité (frais d’accès)', 'access', '390.00'),
  seed('ACCESS_CHANGE:DATA:address', 'Changement d’adresse (frais d’accès)', 'access', '390.00'),
  seed('OPTION:SDA_BLOCK_10', 'Tranche de 10 numéros SDA', 'option_monthly', '5.00'),
  seed('FEE:SIM_SWAP', 'Changement de réseau sur carte SIM', 'fee', '32.00'),
  seed('FEE:TICKET_UNJUSTIFIED', 'Ticket injustifié', 'fee', '40.00'),
  seed('FEE:EXPERTISE_UNJUSTIFIED', 'Expertise injustifiée auprès de l’opérateur historique', 'fee', '250.00'),
  seed('FEE:RECONNECTION', 'Frais de remise en service', 'fee', '60.00'),
  seed('FEE:SIM_REPLACEMENT', 'Nouvelle carte SIM', 'fee', '15.00'),
];

export const SEED_REFERENCE: ReferenceState = { prices: [...SEED_PRICES], legalRates: { ...LEGAL_INTEREST_RATES_O } };

export type ReferenceCommand =
  | { type: 'PublishPriceChange'; code: string; price: string; effectiveFrom: LocalDate; label?: string; kind?: PriceKind; exception?: PriceChangeException }
  | { type: 'PublishLegalInterestRate'; halfYear: HalfYear; rate: string };

export type ReferenceEvent =
  | DomainEvent<'PriceVersionPublished', PriceVersion & Record<string, unknown>>
  | DomainEvent<'LegalInterestRatePublished', { halfYear: HalfYear; rate: string; publishedOn: LocalDate }>;

export const REFERENCE_EVENT_TYPES = ['PriceVersionPublished', 'LegalInterestRatePublished'] as const;
export const REFERENCE_STREAM = 'billingreference-oksio';

const PRICE = /^\d{1,7}(\.\d{1,4})?$/;
const CODE = /^(MONTHLY|ACCESS|ACCESS_CHANGE|OPTION|FEE):[A-Z0-9_:.-]+$/i;

/** The versions of a code, oldest first. */
export function versionsOf(state: ReferenceState, code: string): PriceVersion[] {
  return state.prices.filter((p) => p.code === code).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

/** The version of `code` in force on `date`, or null. */
export function versionOn(state: ReferenceState, code: string, date: LocalDate): PriceVersion | null {
  const candidates = versionsOf(state, code).filter((v) => v.effectiveFrom <= date);
  return candidates[candidates.length - 1] ?? null;
}

/**
 * Price of a service item: the plan's code, else the service default. BIL-01: the tariff in force
 * on the date asked (the quote date for access fees; the billed month for monthly fees, where a
 * change already respected its CON-02 notice when it was published).
 */
export function itemPrice(state: ReferenceState, prefix: 'MONTHLY' | 'ACCESS', service: string, plan: string | null, date: LocalDate): PriceVersion {
  const byPlan = plan ? versionOn(state, `${prefix}:${service}:${plan}`, date) : null;
  const found = byPlan ?? versionOn(state, `${prefix}:${service}:DEFAULT`, date);
  if (!found) throw new DomainError('price_missing', `No ${prefix.toLowerCase()} price for ${service}${plan ? ` plan ${plan}` : ''} in force on ${date}`, 'BIL-01', 'catalogue');
  return found;
}

export function priceOn(state: ReferenceState, code: string, date: LocalDate): PriceVersion {
  const found = versionOn(state, code, date);
  if (!found) throw new DomainError('price_missing', `No price ${code} in force on ${date}`, 'BIL-01', 'code');
  return found;
}

function kindOfCode(code: string): PriceKind {
  const prefix = code.split(':')[0].toUpperCase();
  return prefix === 'MONTHLY' ? 'monthly' : prefix === 'OPTION' ? 'option_monthly' : prefix === 'FEE' ? 'fee' : 'access';
}

function decide(command: ReferenceCommand, state: ReferenceState, now: Date): ReferenceEvent[] {
  const today = localDateOf(now);
  switch (command.type) {
    case 'PublishPriceChange': {
      if (typeof command.code !== 'string' || !CODE.test(command.code)) throw new DomainError('invalid_price_code', `"${command.code}" is not a catalogue code (MONTHLY:…, ACCESS:…, OPTION:…, FEE:…)`, 'BIL-01', 'code');
      if (typeof command.price !== 'string' || !PRICE.test(command.price)) throw new DomainError('invalid_price', 'price must be a non-negative decimal string with at most 4 decimals (EUR HT)', 'BIL-01', 'price');
      const effectiveFrom = requireLocalDate(command.effectiveFrom, 'effectiveFrom', 'CON-02');
      const existing = versionsOf(state, command.code);
      if (effectiveFrom < today) throw new DomainError('price_change_retroactive', `A tariff cannot change retroactively (effective ${effectiveFrom}, today ${today})`, 'CON-02', 'effectiveFrom');
      if (existing.length > 0) {
        // CON-02 (CG 6.1): a changed tariff applies only after 2 months' notice, except force majeure or a sharp supplier rise.
        const earliest = command.exception ? today : addMonths(today, 2);
        if (effectiveFrom < earliest) {
          throw new DomainError('price_change_notice_too_short', `A tariff notified on ${today} applies on ${earliest} at the earliest`, 'CON-02', 'effectiveFrom');
        }
        if (existing.some((v) => v.effectiveFrom === effectiveFrom)) {
          throw new DomainError('price_version_exists', `${command.code} already has a version effective on ${effectiveFrom}`, 'CON-02', 'effectiveFrom');
        }
      } else if (!command.label) {
        throw new DomainError('label_required', 'A new catalogue code needs a label', 'BIL-01', 'label');
      }
      const kind = command.kind ?? existing[0]?.kind ?? kindOfCode(command.code);
      if (!PRICE_KINDS.includes(kind)) throw new DomainError('invalid_price_kind', `kind must be one of ${PRICE_KINDS.join(', ')}`, 'BIL-01', 'kind');
      const label = command.label ?? existing[existing.length - 1].label;
      const price = command.price;
      return [
        {
          type: 'PriceVersionPublished',
          data: { code: command.code, label, kind, price, effectiveFrom, notifiedOn: today, version: `${command.code}@${effectiveFrom}`, exception: command.exception ?? null },
        },
      ];
    }
    case 'PublishLegalInterestRate': {
      if (!isHalfYear(command.halfYear)) throw new DomainError('invalid_half_year', `halfYear must look like '2026-H2', got ${JSON.stringify(command.halfYear)}`, 'BIL-05', 'halfYear');
      if (typeof command.rate !== 'string' || !/^\d{1,2}(\.\d{1,4})?$/.test(command.rate)) throw new DomainError('invalid_rate', 'rate must be a percentage as a decimal string, e.g. "2.62"', 'BIL-05', 'rate');
      const current = state.legalRates[command.halfYear];
      if (current !== undefined) {
        if (Money.eur(current).equals(Money.eur(command.rate))) return [];
        throw new DomainError('legal_rate_already_published', `The legal rate for ${command.halfYear} is already ${current} %`, 'BIL-05', 'halfYear');
      }
      return [{ type: 'LegalInterestRatePublished', data: { halfYear: command.halfYear, rate: command.rate, publishedOn: today } }];
    }
  }
}

function evolve(state: ReferenceState, event: ReferenceEvent): ReferenceState {
  switch (event.type) {
    case 'PriceVersionPublished':
      return { ...state, prices: [...state.prices, event.data as PriceVersion] };
    case 'LegalInterestRatePublished':
      return { ...state, legalRates: { ...state.legalRates, [event.data.halfYear]: event.data.rate } };
    default:
      return state;
  }
}

export const referenceDecider: Decider<ReferenceCommand, ReferenceEvent, ReferenceState> = { initialState: SEED_REFERENCE, decide, evolve };

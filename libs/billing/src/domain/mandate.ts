import { ConflictError, DomainError, type Decider, type DomainEvent, type PersonalText } from '@oksio/kernel';
import { localDateOf, requireLocalDate, type LocalDate } from './calendar';

/**
 * SEPA direct-debit mandates of one customer (stream `billingcustomer-<customerId>`), BIL-04:
 * the services are paid by direct debit; a changed bank account needs a new signed mandate, which
 * supersedes the previous one. A mandate is identified by its unique reference (RUM).
 *
 * PRV-01: an IBAN is personal data (a sole trader's account is a person's account). It never
 * reaches an event in clear: the application layer checks it (`describeIban`), encrypts it through
 * the privacy vault as `bank_details` of the data subject `customer-<customerId>` (PRV-02 keeps the
 * IBAN apart from other payment data) and hands the decider only the sealed value and the masked
 * form (`FR76 **** **** 0189`), which read models show. Shredding the key erases the IBAN everywhere.
 */
export interface MandateState {
  customerId: string | null;
  active: { mandateId: string; ibanMasked: string; ibanLast4: string; signedOn: LocalDate } | null;
  mandateIds: string[];
}

/** The IBAN as the decider receives it: sealed by the vault, plus what may be shown in clear. */
export interface ProtectedIban {
  /** The encrypted personal datum (`{ $pii: 1, subject, category, keyId, iv, ct, tag }`). */
  sealed: Record<string, unknown>;
  masked: string;
  last4: string;
}

export type MandateCommand =
  | { type: 'RegisterMandate'; customerId: string; mandateId: string; iban: ProtectedIban; bic?: string; signedOn: LocalDate }
  | { type: 'RevokeMandate'; mandateId: string; reason: string };

export type MandateEvent =
  | DomainEvent<'SepaMandateSigned', { customerId: string; mandateId: string; iban: Record<string, unknown>; ibanMasked: string; ibanLast4: string; bic: string | null; signedOn: LocalDate; supersedes: string | null }>
  | DomainEvent<'SepaMandateSuperseded', { customerId: string; mandateId: string; supersededBy: string; on: LocalDate; rule: 'BIL-04' }>
  | DomainEvent<'SepaMandateRevoked', { customerId: string; mandateId: string; reason: PersonalText; on: LocalDate }>;

export const MANDATE_EVENT_TYPES = ['SepaMandateSigned', 'SepaMandateSuperseded', 'SepaMandateRevoked'] as const;
export const mandateStream = (customerId: string): string => `billingcustomer-${customerId}`;
/** The data subject whose bank details a mandate holds (privacy decision: `customer-<id>`). */
export const mandateSubject = (customerId: string): string => `customer-${customerId}`;

/** ISO 13616 check: letters → numbers (A=10 … Z=35), mod 97 = 1; French IBANs are 27 characters. */
export function normaliseIban(raw: string): string {
  const iban = String(raw ?? '').replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) throw new DomainError('invalid_iban', 'iban is not an IBAN', 'BIL-04', 'iban');
  if (iban.startsWith('FR') && iban.length !== 27) throw new DomainError('invalid_iban', 'A French IBAN has 27 characters', 'BIL-04', 'iban');
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const digits = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  if (remainder !== 1) throw new DomainError('invalid_iban', 'The IBAN check digits are wrong', 'BIL-04', 'iban');
  return iban;
}

/** What may be shown of an IBAN: country and check digits, then the last 4 characters. */
export const maskIban = (iban: string): string => `${iban.slice(0, 4)} **** **** ${iban.slice(-4)}`;

/** Checks an IBAN (BIL-04) and gives its normalised form (to encrypt) and its masked form (to show). */
export function describeIban(raw: string): { iban: string; masked: string; last4: string } {
  const iban = normaliseIban(raw);
  return { iban, masked: maskIban(iban), last4: iban.slice(-4) };
}

const isSealed = (v: unknown): boolean => typeof v === 'object' && v !== null && (v as { $pii?: unknown }).$pii === 1;

function decide(command: MandateCommand, state: MandateState, now: Date): MandateEvent[] {
  const today = localDateOf(now);
  switch (command.type) {
    case 'RegisterMandate': {
      if (!/^[A-Za-z0-9+?/:().,' -]{1,35}$/.test(command.mandateId ?? '')) throw new DomainError('invalid_mandate_reference', 'A mandate reference (RUM) has 1 to 35 SEPA characters', 'BIL-04', 'mandateId');
      if (state.mandateIds.includes(command.mandateId)) throw new ConflictError('mandate_exists', `Mandate ${command.mandateId} is already registered`, [{ field: 'mandateId', message: 'already registered' }]);
      // A programming error, not a client's: the clear IBAN must never be handed to the decider.
      if (!command.iban || !isSealed(command.iban.sealed) || typeof command.iban.masked !== 'string' || !/^[A-Z]{2}\d{2} \*{4} \*{4} [A-Z0-9]{4}$/.test(command.iban.masked)) {
        throw new Error('RegisterMandate needs the IBAN sealed by the privacy vault and its masked form (PRV-01)');
      }
      const signedOn = requireLocalDate(command.signedOn, 'signedOn', 'BIL-04');
      if (signedOn > today) throw new DomainError('date_in_future', `signedOn ${signedOn} is after today`, 'BIL-04', 'signedOn');
      const supersedes = state.active?.mandateId ?? null;
      const signed: MandateEvent = {
        type: 'SepaMandateSigned',
        data: { customerId: command.customerId, mandateId: command.mandateId, iban: command.iban.sealed, ibanMasked: command.iban.masked, ibanLast4: command.iban.last4, bic: command.bic ?? null, signedOn, supersedes },
      };
      return supersedes
        ? [signed, { type: 'SepaMandateSuperseded', data: { customerId: command.customerId, mandateId: supersedes, supersededBy: command.mandateId, on: signedOn, rule: 'BIL-04' } }]
        : [signed];
    }
    case 'RevokeMandate': {
      if (!state.active || state.active.mandateId !== command.mandateId) throw new DomainError('mandate_not_active', `Mandate ${command.mandateId} is not the active mandate`, 'BIL-04', 'mandateId');
      return [{ type: 'SepaMandateRevoked', data: { customerId: state.customerId!, mandateId: command.mandateId, reason: command.reason, on: today } }];
    }
  }
}

/** Events written before the IBAN was encrypted carried it in clear (and no masked form). */
export function maskedOf(d: { iban: unknown; ibanMasked?: string; ibanLast4: string }): string {
  return d.ibanMasked ?? (typeof d.iban === 'string' ? maskIban(d.iban) : `**** ${d.ibanLast4}`);
}

function evolve(state: MandateState, event: MandateEvent): MandateState {
  switch (event.type) {
    case 'SepaMandateSigned': {
      const d = event.data;
      return { customerId: d.customerId, mandateIds: [...state.mandateIds, d.mandateId], active: { mandateId: d.mandateId, ibanMasked: maskedOf(d), ibanLast4: d.ibanLast4, signedOn: d.signedOn } };
    }
    case 'SepaMandateSuperseded':
      return state;
    case 'SepaMandateRevoked':
      return { ...state, active: null };
    default:
      return state;
  }
}

export const mandateDecider: Decider<MandateCommand, MandateEvent, MandateState> = { initialState: { customerId: null, active: null, mandateIds: [] }, decide, evolve };

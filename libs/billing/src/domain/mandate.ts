import { ConflictError, DomainError, type Decider, type DomainEvent } from '@oksio/kernel';
import { localDateOf, requireLocalDate, type LocalDate } from './calendar';

/**
 * SEPA direct-debit mandates of one customer (stream `billingcustomer-<customerId>`), BIL-04:
 * the services are paid by direct debit; a changed bank account needs a new signed mandate, which
 * supersedes the previous one. A mandate is identified by its unique reference (RUM).
 */
export interface MandateState {
  customerId: string | null;
  active: { mandateId: string; ibanLast4: string; ibanFingerprint: string; signedOn: LocalDate } | null;
  mandateIds: string[];
}

export type MandateCommand =
  | { type: 'RegisterMandate'; customerId: string; mandateId: string; iban: string; bic?: string; signedOn: LocalDate }
  | { type: 'RevokeMandate'; mandateId: string; reason: string };

export type MandateEvent =
  | DomainEvent<'SepaMandateSigned', { customerId: string; mandateId: string; iban: string; ibanLast4: string; ibanFingerprint: string; bic: string | null; signedOn: LocalDate; supersedes: string | null }>
  | DomainEvent<'SepaMandateSuperseded', { customerId: string; mandateId: string; supersededBy: string; on: LocalDate; rule: 'BIL-04' }>
  | DomainEvent<'SepaMandateRevoked', { customerId: string; mandateId: string; reason: string; on: LocalDate }>;

export const MANDATE_EVENT_TYPES = ['SepaMandateSigned', 'SepaMandateSuperseded', 'SepaMandateRevoked'] as const;
export const mandateStream = (customerId: string): string => `billingcustomer-${customerId}`;

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

/** A non-reversible short fingerprint to tell "same account" without showing the IBAN. */
function fingerprint(iban: string): string {
  let h = 0x811c9dc5;
  for (const ch of iban) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function decide(command: MandateCommand, state: MandateState, now: Date): MandateEvent[] {
  const today = localDateOf(now);
  switch (command.type) {
    case 'RegisterMandate': {
      if (!/^[A-Za-z0-9+?/:().,' -]{1,35}$/.test(command.mandateId ?? '')) throw new DomainError('invalid_mandate_reference', 'A mandate reference (RUM) has 1 to 35 SEPA characters', 'BIL-04', 'mandateId');
      if (state.mandateIds.includes(command.mandateId)) throw new ConflictError('mandate_exists', `Mandate ${command.mandateId} is already registered`, [{ field: 'mandateId', message: 'already registered' }]);
      const iban = normaliseIban(command.iban);
      const signedOn = requireLocalDate(command.signedOn, 'signedOn', 'BIL-04');
      if (signedOn > today) throw new DomainError('date_in_future', `signedOn ${signedOn} is after today`, 'BIL-04', 'signedOn');
      const fp = fingerprint(iban);
      const supersedes = state.active?.mandateId ?? null;
      const signed: MandateEvent = {
        type: 'SepaMandateSigned',
        data: { customerId: command.customerId, mandateId: command.mandateId, iban, ibanLast4: iban.slice(-4), ibanFingerprint: fp, bic: command.bic ?? null, signedOn, supersedes },
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

function evolve(state: MandateState, event: MandateEvent): MandateState {
  switch (event.type) {
    case 'SepaMandateSigned': {
      const d = event.data;
      return { customerId: d.customerId, mandateIds: [...state.mandateIds, d.mandateId], active: { mandateId: d.mandateId, ibanLast4: d.ibanLast4, ibanFingerprint: d.ibanFingerprint, signedOn: d.signedOn } };
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

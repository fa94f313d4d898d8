import { createHash } from 'node:crypto';
import { DomainError } from '@oksio/kernel';
import { checkMobileNumber } from './mobile-number';

/**
 * RIO — Relevé d'Identité Opérateur (POR-07; ARCEP 2012-0576 art. 13; REFERENCE.md):
 * 12 characters `OO Q RRRRRR CCC`.
 *
 *   OO      2 digits, the operator that issued the RIO (the donor when porting in)
 *   Q       'P' consumer offer, 'E' business offer (mandatory for business offers)
 *   RRRRRR  6 characters A–Z / 0–9, the contract reference
 *   CCC     control key over the first 9 characters and the 10-digit national mobile number,
 *           3 characters of the 37-symbol alphabet below
 *
 * Input handling: whitespace is removed (people copy "02 E 123456 ABC"); nothing else is forgiven.
 * Lowercase is refused ('lowercase'): REFERENCE.md's `valid()` compares the key characters as
 * written with the key (always capitals) and the qualifier is `P` or `E`, so "02e123456tze" is
 * not a RIO — the client is asked to copy it as printed rather than have OKSIO guess.
 *
 * Qualifier decision: OKSIO only sells business offers, so every RIO it issues carries 'E'
 * (`issueRio` refuses anything else). An inbound RIO carrying 'P' is still a valid RIO: it tells
 * that the number sits on a *consumer* offer at the donor (a sole trader's or an employee's
 * personal line). POR-03 lists the only grounds on which OKSIO may refuse a porting request and a
 * consumer offer is not one of them, so 'P' is accepted, recorded (`rioQualifier`) and left to the
 * holder/mandate check, which is the POR-03 ground that matters then. Callers that need a
 * business RIO (checking one of OKSIO's own RIOs on a port-out) pass `expectedQualifier: 'E'`.
 */
export const RIO_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+';
const REFERENCE_ALPHABET = RIO_ALPHABET.slice(0, 36);
const MODULUS = RIO_ALPHABET.length; // 37

export type RioQualifier = 'P' | 'E';

export interface RioParts {
  operatorCode: string;
  qualifier: RioQualifier;
  reference: string;
  key: string;
}

export type RioInvalidReason =
  | 'empty'
  | 'lowercase'
  | 'invalid_length'
  | 'invalid_operator_code'
  | 'invalid_qualifier'
  | 'invalid_reference'
  | 'invalid_key_characters'
  | 'qualifier_not_allowed'
  | 'operator_code_mismatch'
  | 'invalid_mobile_number'
  | 'key_mismatch';

export type RioValidation =
  | { valid: true; reason: null; message: string; rio: string; parts: RioParts; msisdn: string }
  | { valid: false; reason: RioInvalidReason; message: string; rio: string | null; parts: RioParts | null; msisdn: string | null };

export interface RioValidationOptions {
  /** Refuse the other qualifier ('qualifier_not_allowed'). */
  expectedQualifier?: RioQualifier;
  /** Refuse a RIO issued by another operator ('operator_code_mismatch'), e.g. OKSIO's own code on a port-out. */
  expectedOperatorCode?: string;
}

/** Removes whitespace: the only normalisation applied to a typed RIO (case is significant). */
export function normalizeRio(input: string): string {
  return input.replace(/\s+/g, '');
}

function indexOf(ch: string): number {
  const p = RIO_ALPHABET.indexOf(ch);
  if (p < 0) throw new RangeError(`character ${JSON.stringify(ch)} is not in the RIO alphabet`);
  return p;
}

/**
 * The 3-character control key of REFERENCE.md, over upper(rio9) followed by the 10-digit national
 * mobile number: three running sums mod 37 with weights 1, 2 and 4 (Horner form).
 */
export function rioControlKey(rio9: string, nationalMsisdn: string): string {
  if (rio9.length !== 9) throw new RangeError('the key covers exactly the first 9 characters of a RIO');
  if (!/^0[67]\d{8}$/.test(nationalMsisdn)) throw new RangeError('the key needs a 10-digit national mobile number 06/07XXXXXXXX');
  let a = 0;
  let b = 0;
  let c = 0;
  for (const ch of rio9.toUpperCase() + nationalMsisdn) {
    const p = indexOf(ch);
    a = (a + p) % MODULUS;
    b = (2 * b + p) % MODULUS;
    c = (4 * c + p) % MODULUS;
  }
  return RIO_ALPHABET[a] + RIO_ALPHABET[b] + RIO_ALPHABET[c];
}

type SyntaxCheck = { ok: true; rio: string; parts: RioParts } | { ok: false; reason: RioInvalidReason; message: string; rio: string | null };

/** Syntax only (no number needed): length, then each field in order, the first fault reported. */
export function checkRioSyntax(input: unknown): SyntaxCheck {
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, reason: 'empty', message: 'A RIO is required', rio: null };
  const rio = normalizeRio(input);
  if (/[a-z]/.test(rio)) return { ok: false, reason: 'lowercase', message: `A RIO is written in capital letters, got "${rio}"`, rio };
  if (rio.length !== 12) return { ok: false, reason: 'invalid_length', message: `A RIO has 12 characters, "${rio}" has ${rio.length}`, rio };
  const operatorCode = rio.slice(0, 2);
  const qualifier = rio[2];
  const reference = rio.slice(3, 9);
  const key = rio.slice(9);
  if (!/^\d{2}$/.test(operatorCode)) {
    return { ok: false, reason: 'invalid_operator_code', message: `The operator code (characters 1–2) must be 2 digits, got "${operatorCode}"`, rio };
  }
  if (qualifier !== 'P' && qualifier !== 'E') {
    return { ok: false, reason: 'invalid_qualifier', message: `The 3rd character must be P (consumer) or E (business), got "${qualifier}"`, rio };
  }
  if (![...reference].every((ch) => REFERENCE_ALPHABET.includes(ch))) {
    return { ok: false, reason: 'invalid_reference', message: `The contract reference (characters 4–9) must be 6 letters or digits, got "${reference}"`, rio };
  }
  if (![...key].every((ch) => RIO_ALPHABET.includes(ch))) {
    return { ok: false, reason: 'invalid_key_characters', message: `The control key (characters 10–12) uses A–Z, 0–9 and +, got "${key}"`, rio };
  }
  return { ok: true, rio, parts: { operatorCode, qualifier, reference, key } };
}

/**
 * POR-07: syntax, then (optional) qualifier / operator expectations, then the key against the
 * number. `msisdn` may be given in any form `checkMobileNumber` accepts. Never throws.
 */
export function validateRio(rio: unknown, msisdn: unknown, options: RioValidationOptions = {}): RioValidation {
  const syntax = checkRioSyntax(rio);
  if (!syntax.ok) return { valid: false, reason: syntax.reason, message: syntax.message, rio: syntax.rio, parts: null, msisdn: null };
  const { parts } = syntax;
  const invalid = (reason: RioInvalidReason, message: string, number: string | null = null): RioValidation => ({
    valid: false,
    reason,
    message,
    rio: syntax.rio,
    parts,
    msisdn: number,
  });
  if (options.expectedQualifier && parts.qualifier !== options.expectedQualifier) {
    return invalid('qualifier_not_allowed', `A ${options.expectedQualifier === 'E' ? 'business (E)' : 'consumer (P)'} RIO is required, got qualifier ${parts.qualifier}`);
  }
  if (options.expectedOperatorCode !== undefined && parts.operatorCode !== options.expectedOperatorCode) {
    return invalid('operator_code_mismatch', `The RIO was issued by operator ${parts.operatorCode}, not ${options.expectedOperatorCode}`);
  }
  const number = checkMobileNumber(msisdn);
  if (!number.valid) return invalid('invalid_mobile_number', `The RIO cannot be checked: ${number.message}`);
  const national = number.number.national;
  if (rioControlKey(syntax.rio.slice(0, 9), national) !== parts.key) {
    return invalid('key_mismatch', `The RIO ${syntax.rio} does not belong to ${national} (control key mismatch)`, national);
  }
  return { valid: true, reason: null, message: `The RIO ${syntax.rio} matches ${national}`, rio: syntax.rio, parts, msisdn: national };
}

/**
 * The 6-character contract reference OKSIO puts in its own RIOs: a deterministic digest of the
 * contract reference and the number (SHA-256, first 8 bytes, base 36 over A–Z0–9). The same
 * contract and number always give the same reference, so re-issuing gives the same RIO (POR-07:
 * one RIO per number); two numbers of one fleet contract get different references.
 */
export function deriveRioReference(contractRef: string, nationalMsisdn: string): string {
  const digest = createHash('sha256').update(`${contractRef}\u0000${nationalMsisdn}`, 'utf8').digest();
  let value = digest.readBigUInt64BE(0);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = REFERENCE_ALPHABET[Number(value % 36n)] + out;
    value /= 36n;
  }
  return out;
}

/**
 * The RIO of one of OKSIO's numbers (POR-06 / POR-07). `operatorCode` is OKSIO's 2-digit code
 * (configuration); the qualifier is always 'E' (business offers only). Throws DomainError on bad
 * input.
 */
export function issueRio(operatorCode: string, contractRef: string, msisdn: string, qualifier: 'E' = 'E'): string {
  if (typeof operatorCode !== 'string' || !/^\d{2}$/.test(operatorCode)) {
    throw new DomainError('invalid_operator_code', `The operator code must be 2 digits, got ${JSON.stringify(operatorCode)}`, 'POR-07', 'operatorCode');
  }
  if (qualifier !== 'E') {
    throw new DomainError('business_rio_required', 'OKSIO sells business offers only: its RIOs carry the qualifier E', 'POR-07', 'qualifier');
  }
  if (typeof contractRef !== 'string' || contractRef.trim() === '') {
    throw new DomainError('contract_ref_required', 'A contract reference is required to issue a RIO', 'POR-07', 'contractRef');
  }
  const number = checkMobileNumber(msisdn);
  if (!number.valid) throw new DomainError('invalid_mobile_number', `${number.message} [${number.reason}]`, 'POR-07', 'msisdn');
  const national = number.number.national;
  const rio9 = `${operatorCode}${qualifier}${deriveRioReference(contractRef.trim(), national)}`;
  return rio9 + rioControlKey(rio9, national);
}

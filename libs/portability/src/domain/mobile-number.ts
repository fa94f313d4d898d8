import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { DomainError } from '@oksio/kernel';

/**
 * French mobile numbers (POR-07; CP Mobile art. 1): "un numéro non géographique de la forme
 * 06ABPQMCDU". OKSIO serves metropolitan France only (CP Mobile 4) and PNMv2 is the metropolitan
 * porting process, so a number is accepted when it is a 10-digit national number starting 06 or 07
 * that libphonenumber-js (full metadata) classifies as a MOBILE number of region FR. Overseas
 * mobiles that are also written 06xx / 07xx nationally (Réunion, Mayotte, the Antilles, Guiana)
 * are refused with their own reason.
 *
 * Storage form is E.164 (+336… / +337…); the national form (06… / 07…) is what RIO keys and
 * documents use.
 */
export interface MobileNumber {
  /** '+33612345678' — what events and read models store. */
  e164: string;
  /** '0612345678' — the 10-digit national form (RIO key input, documents). */
  national: string;
}

export type MobileNumberInvalidReason =
  | 'empty'
  | 'invalid_characters'
  | 'invalid_format'
  | 'not_french'
  | 'wrong_length'
  | 'not_mobile'
  | 'overseas_mobile'
  | 'unassigned_mobile_range';

export type MobileNumberCheck =
  | { valid: true; number: MobileNumber; reason: null; message: string }
  | { valid: false; number: null; reason: MobileNumberInvalidReason; message: string };

/** Separators people type between digit groups; anything else is an error, never silently dropped. */
const SEPARATORS = /[\s.\-]/g;
const OVERSEAS_REGIONS: CountryCode[] = ['RE', 'YT', 'GP', 'MQ', 'GF', 'BL', 'MF', 'PM'];

const fail = (reason: MobileNumberInvalidReason, message: string): MobileNumberCheck => ({ valid: false, number: null, reason, message });

/**
 * Accepted inputs: '0612345678', '06 12 34 56 78', '06.12.34.56.78', '+33612345678',
 * '+33 6 12 34 56 78', '0033612345678'. Never throws.
 */
export function checkMobileNumber(input: unknown): MobileNumberCheck {
  if (typeof input !== 'string' || input.trim() === '') return fail('empty', 'A mobile number is required');
  const compact = input.replace(SEPARATORS, '');
  if (!/^\+?\d+$/.test(compact)) {
    return fail('invalid_characters', `"${input}" may only contain digits, a leading +, spaces, dots or hyphens`);
  }
  let national: string;
  if (compact.startsWith('+') || compact.startsWith('00')) {
    const international = compact.startsWith('+') ? compact.slice(1) : compact.slice(2);
    if (!international.startsWith('33')) return fail('not_french', `"${input}" is not a French (+33) number`);
    const significant = international.slice(2);
    if (significant.startsWith('0')) return fail('invalid_format', `"${input}": no trunk 0 after +33 (write +33 6…, not +33 06…)`);
    national = `0${significant}`;
  } else if (compact.startsWith('0')) {
    national = compact;
  } else {
    return fail('invalid_format', `"${input}" must start with 0 (national form) or +33 (international form)`);
  }
  if (national.length !== 10) return fail('wrong_length', `"${input}" has ${national.length - 1} significant digits; a French number has 9 after the 0`);
  if (!/^0[67]/.test(national)) {
    return fail('not_mobile', `${national} is not a mobile number: a mobile number is non-geographic, 06 or 07 followed by 8 digits (POR-07)`);
  }
  const parsed = parsePhoneNumberFromString(national, 'FR');
  if (parsed && parsed.country === 'FR' && parsed.isValid() && parsed.getType() === 'MOBILE') {
    return { valid: true, number: { e164: parsed.number, national }, reason: null, message: `${national} is a French mobile number` };
  }
  for (const region of OVERSEAS_REGIONS) {
    const overseas = parsePhoneNumberFromString(national, region);
    if (overseas && overseas.isValid() && overseas.getType() === 'MOBILE') {
      return fail('overseas_mobile', `${national} is an overseas mobile number (${region}); OKSIO serves and ports metropolitan numbers only`);
    }
  }
  return fail('unassigned_mobile_range', `${national} is not in a range allocated to metropolitan mobile operators`);
}

/** Throwing variant for command inputs: DomainError 'invalid_mobile_number' (POR-07) with the reason in the message. */
export function parseMobileNumber(input: unknown, field = 'msisdn'): MobileNumber {
  const check = checkMobileNumber(input);
  if (!check.valid) throw new DomainError('invalid_mobile_number', `${check.message} [${check.reason}]`, 'POR-07', field);
  return check.number;
}

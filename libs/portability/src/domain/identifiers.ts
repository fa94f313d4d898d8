/**
 * Identifiers a client gives to obtain its RIO (POR-06; CP Mobile 6.2: "son numéro de carte SIM,
 * son Numéro mobile, et le n° SIRET de son Entreprise").
 */

/** Luhn (mod 10) over a digit string, check digit included. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * SIRET: 14 digits with a Luhn check; La Poste's establishments (SIREN 356000000) are numbered
 * beyond Luhn and instead have digits summing to a multiple of 5 (INSEE).
 */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (luhnValid(siret)) return true;
  return siret.startsWith('356000000') && [...siret].reduce((s, d) => s + Number(d), 0) % 5 === 0;
}

/**
 * SIM card number (ICCID, ITU-T E.118): the telecom prefix 89, then country code, issuer and
 * account digits, ending with a Luhn check digit over all preceding digits; 19 or 20 digits in
 * total. Spaces typed between groups are ignored by `normalizeIccid`.
 */
export function normalizeIccid(input: string): string {
  return input.replace(/\s/g, '');
}

export function isValidIccid(iccid: string): boolean {
  return /^89\d{17,18}$/.test(iccid) && luhnValid(iccid);
}

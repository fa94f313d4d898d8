import { isValidIccid, isValidSiret, luhnValid } from './identifiers';
import { checkMobileNumber, parseMobileNumber } from './mobile-number';

describe('mobile numbers', () => {
  it('POR-07 accepts 06/07 + 8 digits in national or E.164 form and stores E.164', () => {
    for (const input of ['0612345678', '06 12 34 56 78', '06.12.34.56.78', '06-12-34-56-78', '+33612345678', '+33 6 12 34 56 78', '0033612345678']) {
      expect(parseMobileNumber(input)).toEqual({ e164: '+33612345678', national: '0612345678' });
    }
    expect(parseMobileNumber('0756123456')).toEqual({ e164: '+33756123456', national: '0756123456' });
  });

  it('POR-07 refuses geographic and other non-mobile numbers', () => {
    for (const input of ['0145678901', '0298765432', '0800123456', '0912345678']) {
      expect(checkMobileNumber(input)).toMatchObject({ valid: false, reason: 'not_mobile' });
    }
  });

  it('POR-07 gives a precise reason for every malformed input', () => {
    expect(checkMobileNumber('')).toMatchObject({ reason: 'empty' });
    expect(checkMobileNumber(undefined)).toMatchObject({ reason: 'empty' });
    expect(checkMobileNumber('06 12 34 56 7a')).toMatchObject({ reason: 'invalid_characters' });
    expect(checkMobileNumber('612345678')).toMatchObject({ reason: 'invalid_format' });
    expect(checkMobileNumber('+330612345678')).toMatchObject({ reason: 'invalid_format' });
    expect(checkMobileNumber('+4915112345678')).toMatchObject({ reason: 'not_french' });
    expect(checkMobileNumber('061234567')).toMatchObject({ reason: 'wrong_length' });
    expect(checkMobileNumber('06123456789')).toMatchObject({ reason: 'wrong_length' });
    // Overseas mobiles are also 06/07 nationally, but not metropolitan (CP Mobile 4; PNMv2 is metropolitan).
    expect(checkMobileNumber('0692123456')).toMatchObject({ reason: 'overseas_mobile' });
    expect(checkMobileNumber('0690123456')).toMatchObject({ reason: 'overseas_mobile' });
    // 071x is not allocated to mobile operators.
    expect(checkMobileNumber('0712345678')).toMatchObject({ reason: 'unassigned_mobile_range' });
    expect(() => parseMobileNumber('0145678901', 'line.msisdn')).toThrow(
      expect.objectContaining({ code: 'invalid_mobile_number', rule: 'POR-07', field: 'line.msisdn' }),
    );
  });
});

describe('identifiers given for a RIO', () => {
  it('POR-06 SIRET: 14 digits with a Luhn check (La Poste by digit sum)', () => {
    expect(isValidSiret('73282932000074')).toBe(true);
    expect(isValidSiret('73282932000075')).toBe(false);
    expect(isValidSiret('7328293200007')).toBe(false);
    expect(isValidSiret('35600000000048')).toBe(true);
  });

  it('POR-06 SIM number: ICCID 89…, 19–20 digits, Luhn check digit', () => {
    expect(luhnValid('8933150319123456788')).toBe(true);
    expect(isValidIccid('8933150319123456788')).toBe(true);
    expect(isValidIccid('89331503191234567891')).toBe(true);
    expect(isValidIccid('8933150319123456789')).toBe(false); // wrong check digit
    expect(isValidIccid('7933150319123456788')).toBe(false); // not a telecom ICCID
    expect(isValidIccid('893315031912345678')).toBe(false); // too short
  });
});

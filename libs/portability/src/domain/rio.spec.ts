import { checkRioSyntax, deriveRioReference, issueRio, normalizeRio, rioControlKey, validateRio } from './rio';

/**
 * A second, deliberately different implementation of the REFERENCE.md key, used as the oracle:
 * closed-form weighted sums with BigInt and no reduction until the end
 *   a = Σ p_i,  b = Σ p_i · 2^(18−i),  c = Σ p_i · 4^(18−i)   (mod 37)
 * and symbol values from character codes rather than a lookup string.
 */
function oracleKey(rio9: string, msisdn10: string): string {
  const value = (ch: string): bigint => {
    const code = ch.charCodeAt(0);
    if (code >= 65 && code <= 90) return BigInt(code - 65); // A..Z → 0..25
    if (code >= 48 && code <= 57) return BigInt(code - 48 + 26); // 0..9 → 26..35
    if (ch === '+') return 36n;
    throw new Error(`bad symbol ${ch}`);
  };
  const symbol = (v: bigint): string => {
    const n = Number(v);
    if (n < 26) return String.fromCharCode(65 + n);
    if (n < 36) return String.fromCharCode(48 + n - 26);
    return '+';
  };
  const chars = (rio9.toUpperCase() + msisdn10).split('');
  const n = chars.length;
  let a = 0n;
  let b = 0n;
  let c = 0n;
  chars.forEach((ch, i) => {
    const p = value(ch);
    const e = BigInt(n - 1 - i);
    a += p;
    b += p * 2n ** e;
    c += p * 4n ** e;
  });
  return symbol(a % 37n) + symbol(b % 37n) + symbol(c % 37n);
}

describe('RIO', () => {
  /*
   * Hand computation for 02E123456 + 0612345678 (A=0…Z=25, '0'=26…'9'=35):
   *   p = 26 28 4 27 28 29 30 31 32 | 26 32 27 28 29 30 31 32 33 34
   *   a = Σp = 537 = 14·37 + 19                                  → 19 = 'T'
   *   b: 26, 6, 16, 22, 35, 25, 6, 6, 7, 3, 1, 29, 12, 16, 25, 7, 9, 14, 25 → 25 = 'Z'
   *   c: 26, 21, 14, 9, 27, 26, 23, 12, 6, 13, 10, 30, 0, 29, 35, 23, 13, 11, 4 → 4 = 'E'
   * (b ← 2b + p mod 37, c ← 4c + p mod 37 at each step) so the RIO is 02E123456TZE.
   */
  it('POR-07 control key: the hand-computed vector 02E123456TZE for 0612345678', () => {
    expect(rioControlKey('02E123456', '0612345678')).toBe('TZE');
    expect(oracleKey('02E123456', '0612345678')).toBe('TZE');
  });

  it('POR-07 control key agrees with an independent implementation on many inputs', () => {
    const samples: Array<[string, string]> = [];
    const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 500; i++) {
      const op = String(next() % 100).padStart(2, '0');
      const q = next() % 2 ? 'E' : 'P';
      const ref = Array.from({ length: 6 }, () => alnum[next() % 36]).join('');
      const msisdn = `0${6 + (next() % 2)}${String(next() % 100_000_000).padStart(8, '0')}`;
      samples.push([`${op}${q}${ref}`, msisdn]);
    }
    for (const [rio9, msisdn] of samples) expect(rioControlKey(rio9, msisdn)).toBe(oracleKey(rio9, msisdn));
    // Every symbol of the alphabet, '+' included, shows up as a key character somewhere.
    const keyChars = new Set(samples.flatMap(([r, m]) => rioControlKey(r, m).split('')));
    expect(keyChars.size).toBe(37);
  });

  it('POR-07 a valid RIO, given in any accepted number form', () => {
    expect(validateRio('02E123456TZE', '0612345678')).toMatchObject({
      valid: true,
      reason: null,
      rio: '02E123456TZE',
      parts: { operatorCode: '02', qualifier: 'E', reference: '123456', key: 'TZE' },
      msisdn: '0612345678',
    });
    expect(validateRio('02E123456TZE', '+33612345678').valid).toBe(true);
    expect(validateRio('02E123456TZE', '06 12 34 56 78').valid).toBe(true);
  });

  it('POR-07 spaced input is normalised, then checked; lowercase is refused (the key compares capitals)', () => {
    expect(normalizeRio(' 02 E 123456 TZE ')).toBe('02E123456TZE');
    expect(validateRio('02 E 123456 TZE', '0612345678').valid).toBe(true);
    expect(validateRio('02e123456tze', '0612345678')).toMatchObject({ valid: false, reason: 'lowercase' });
    expect(validateRio('02E123456tze', '0612345678')).toMatchObject({ valid: false, reason: 'lowercase' });
  });

  it('POR-07 a wrong key is refused with key_mismatch', () => {
    for (const wrong of ['02E123456TZF', '02E123456ZTE', '02E123456TZ+']) {
      expect(validateRio(wrong, '0612345678')).toMatchObject({ valid: false, reason: 'key_mismatch' });
    }
    // Any single change in the first 9 characters changes the key.
    expect(validateRio('02E123457TZE', '0612345678')).toMatchObject({ valid: false, reason: 'key_mismatch' });
    expect(validateRio('02P123456TZE', '0612345678')).toMatchObject({ valid: false, reason: 'key_mismatch' });
  });

  it('POR-07 a valid RIO checked against another number is refused (the key binds the number)', () => {
    expect(validateRio('02E123456TZE', '0612345679')).toMatchObject({ valid: false, reason: 'key_mismatch', msisdn: '0612345679' });
    expect(validateRio('02E123456TZE', '0712345678')).toMatchObject({ valid: false, reason: 'invalid_mobile_number' });
    expect(validateRio('02E123456TZE', '0123456789')).toMatchObject({ valid: false, reason: 'invalid_mobile_number' });
  });

  it('POR-07 bad syntax: each field reports its own reason', () => {
    const cases: Array<[unknown, string]> = [
      ['', 'empty'],
      [null, 'empty'],
      ['02E123456TZ', 'invalid_length'],
      ['02E123456TZEE', 'invalid_length'],
      ['A2E123456TZE', 'invalid_operator_code'],
      ['02X123456TZE', 'invalid_qualifier'],
      ['02E12345+TZE', 'invalid_reference'],
      ['02E12-456TZE', 'invalid_reference'],
      ['02E123456TZ*', 'invalid_key_characters'],
      ['02E123456TZÉ', 'invalid_key_characters'],
    ];
    for (const [input, reason] of cases) {
      expect({ input, result: validateRio(input, '0612345678').reason }).toEqual({ input, result: reason });
    }
    expect(checkRioSyntax('02P123456TZE')).toMatchObject({ ok: true, parts: { qualifier: 'P' } });
  });

  it("POR-07 qualifier: 'P' is a valid RIO unless a business RIO is required", () => {
    const key = oracleKey('01PABC123', '0698765432');
    const consumer = `01PABC123${key}`;
    expect(validateRio(consumer, '0698765432')).toMatchObject({ valid: true, parts: { qualifier: 'P', operatorCode: '01' } });
    expect(validateRio(consumer, '0698765432', { expectedQualifier: 'E' })).toMatchObject({ valid: false, reason: 'qualifier_not_allowed' });
    expect(validateRio('02E123456TZE', '0612345678', { expectedOperatorCode: '77' })).toMatchObject({ valid: false, reason: 'operator_code_mismatch' });
  });

  it('POR-07 issueRio: business qualifier, valid key, stable per contract and number, distinct per number', () => {
    const rio = issueRio('77', 'SUB-1/LINE-1', '+33612345678');
    expect(rio).toMatch(/^77E[A-Z0-9]{6}[A-Z0-9+]{3}$/);
    expect(rio.slice(9)).toBe(oracleKey(rio.slice(0, 9), '0612345678'));
    expect(validateRio(rio, '0612345678', { expectedQualifier: 'E', expectedOperatorCode: '77' }).valid).toBe(true);
    // Re-issuing gives the same RIO, whatever form the number is written in.
    expect(issueRio('77', 'SUB-1/LINE-1', '06 12 34 56 78')).toBe(rio);
    expect(deriveRioReference('SUB-1/LINE-1', '0612345678')).toBe(rio.slice(3, 9));
    // Another number of the same contract, or the same number under another contract: another RIO.
    expect(issueRio('77', 'SUB-1/LINE-1', '0612345679')).not.toBe(rio);
    expect(issueRio('77', 'SUB-2/LINE-1', '0612345678')).not.toBe(rio);
    const refs = new Set(Array.from({ length: 200 }, (_, i) => deriveRioReference('SUB-1', `06${String(10_000_000 + i).padStart(8, '0')}`)));
    expect(refs.size).toBe(200);
  });

  it('POR-07 issueRio refuses a consumer qualifier, a bad operator code, a missing contract or a non-mobile number', () => {
    expect(() => issueRio('77', 'C', '0612345678', 'P' as 'E')).toThrow(expect.objectContaining({ code: 'business_rio_required', rule: 'POR-07' }));
    expect(() => issueRio('7', 'C', '0612345678')).toThrow(expect.objectContaining({ code: 'invalid_operator_code' }));
    expect(() => issueRio('77', ' ', '0612345678')).toThrow(expect.objectContaining({ code: 'contract_ref_required' }));
    expect(() => issueRio('77', 'C', '0145678901')).toThrow(expect.objectContaining({ code: 'invalid_mobile_number', field: 'msisdn' }));
  });
});

import { randomBytes } from 'node:crypto';
import { compare as bcryptCompare, getRounds } from 'bcryptjs';
import {
  BCRYPT_MAX_BYTES,
  DEFAULT_PASSWORD_COST,
  SecretHasher,
  costOf,
  dummyPasswordHash,
  hashPassword,
  newNumericCode,
  passwordProblem,
  verifyPassword,
} from './secrets';

// The unit tests use bcrypt's minimum cost (4) to stay fast; production uses the setting (12).
const COST = 4;

describe('portal secrets', () => {
  it('ACC-02 passwords are hashed with bcrypt at the configured cost, salted, and verified', async () => {
    const hash = await hashPassword('Correct horse 42!', COST);
    expect(hash).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    expect(getRounds(hash)).toBe(COST);
    expect(costOf(hash)).toBe(COST);
    expect(costOf('scrypt$17$8$1$x$y')).toBeNull();
    expect(hash).not.toContain('Correct');
    expect(await verifyPassword('Correct horse 42!', hash)).toBe(true);
    expect(await verifyPassword('Correct horse 43!', hash)).toBe(false);
    expect(await hashPassword('Correct horse 42!', COST)).not.toBe(hash); // salted
    expect(getRounds(await hashPassword('Correct horse 42!', 6))).toBe(6);
    // NFKC: the composed and decomposed spellings of "é" are the same password.
    const composed = await hashPassword('Mot de passe \u00e9t\u00e9 42', COST);
    expect(await verifyPassword('Mot de passe e\u0301te\u0301 42', composed)).toBe(true);
    await expect(hashPassword('Correct horse 42!', 3)).rejects.toThrow(/cost/);
    await expect(hashPassword('Correct horse 42!', 16)).rejects.toThrow(/cost/);
    expect(DEFAULT_PASSWORD_COST).toBe(12);
    expect(passwordProblem('short1A!')).toMatchObject({ code: 'weak_password', message: expect.stringMatching(/12/) });
    expect(passwordProblem('alllowercaseletters')).toMatchObject({ code: 'weak_password', message: expect.stringMatching(/three/) });
    expect(passwordProblem('Correct horse 42!')).toBeNull();
  });

  it('ACC-02 bcrypt reads only 72 bytes: longer passwords are refused at registration and never match truncated at login', async () => {
    const exactly72 = `Aa1!${'x'.repeat(68)}`;
    expect(Buffer.byteLength(exactly72)).toBe(BCRYPT_MAX_BYTES);
    expect(passwordProblem(exactly72)).toBeNull();
    expect(passwordProblem(`${exactly72}y`)).toMatchObject({ code: 'password_too_long', message: expect.stringMatching(/72 bytes/) });
    // Bytes, not characters: 37 accented letters are 74 bytes.
    const accented = `Aa1!${'é'.repeat(35)}`;
    expect(accented.length).toBeLessThan(72);
    expect(passwordProblem(accented)).toMatchObject({ code: 'password_too_long' });
    await expect(hashPassword(`${exactly72}y`, COST)).rejects.toThrow(/72 bytes/);

    const stored = await hashPassword(exactly72, COST);
    // Plain bcrypt would accept anything that starts with the same 72 bytes …
    expect(await bcryptCompare(`${exactly72}-anything`, stored)).toBe(true);
    // … ours does not.
    expect(await verifyPassword(`${exactly72}-anything`, stored)).toBe(false);
    expect(await verifyPassword(exactly72, stored)).toBe(true);
  });

  it('ACC-02 unknown logins are checked against a dummy hash of the same cost (no enumeration by timing)', async () => {
    const cost = 9;
    const dummy = dummyPasswordHash(cost);
    expect(dummy).toHaveLength(60);
    expect(getRounds(dummy)).toBe(cost);
    expect(dummyPasswordHash(12)).toMatch(/^\$2b\$12\$/);
    expect(() => dummyPasswordHash(2)).toThrow(/cost/);
    const real = await hashPassword('Correct horse 42!', cost);
    const timed = async (stored: string) => {
      const start = process.hrtime.bigint();
      expect(await verifyPassword('Wrong password 42!', stored)).toBe(false);
      return Number(process.hrtime.bigint() - start);
    };
    let realTime = 0;
    let dummyTime = 0;
    for (let i = 0; i < 3; i++) {
      realTime += await timed(real);
      dummyTime += await timed(dummy);
    }
    // Both run the full key schedule (a malformed hash would answer in microseconds): the same
    // order of magnitude, with a wide margin for a shared, noisy machine.
    expect(dummyTime).toBeGreaterThan(realTime / 4);
    expect(dummyTime).toBeLessThan(realTime * 4);
    // A password over 72 bytes is refused after the same work, not before.
    const long = await timed(real.replace('Wrong', 'x'.repeat(80)));
    expect(long).toBeGreaterThan(realTime / 3 / 4);
  });

  it('ACC-01 activation codes are random 6-digit codes stored as a peppered HMAC bound to their challenge', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newNumericCode()));
    expect([...codes].every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(codes.size).toBeGreaterThan(190);
    const hasher = new SecretHasher(randomBytes(32));
    const stored = hasher.hash('challenge-1', '042137');
    expect(stored).not.toContain('042137');
    expect(hasher.matches('challenge-1', '042137', stored)).toBe(true);
    expect(hasher.matches('challenge-2', '042137', stored)).toBe(false);
    expect(new SecretHasher(randomBytes(32)).matches('challenge-1', '042137', stored)).toBe(false);
  });
});

import { randomBytes } from 'node:crypto';
import { SecretHasher, hashPassword, newNumericCode, passwordProblem, verifyPassword } from './secrets';

describe('portal secrets', () => {
  it('ACC-02 passwords are hashed with scrypt (N=2^17, r=8, p=1, salted) and verified in constant time', async () => {
    const hash = await hashPassword('Correct horse 42!');
    expect(hash).toMatch(/^scrypt\$17\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(hash).not.toContain('Correct');
    expect(await verifyPassword('Correct horse 42!', hash)).toBe(true);
    expect(await verifyPassword('Correct horse 43!', hash)).toBe(false);
    expect(await hashPassword('Correct horse 42!')).not.toBe(hash); // salted
    expect(passwordProblem('short1A!')).toMatch(/12/);
    expect(passwordProblem('alllowercaseletters')).toMatch(/three/);
    expect(passwordProblem('Correct horse 42!')).toBeNull();
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

import { createHash, createHmac, hkdfSync, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto, RFC 7914) — no third-party dependency. Parameters
 * follow the OWASP Password Storage Cheat Sheet minimum for scrypt: N = 2^17, r = 8, p = 1, a
 * 16-byte random salt, a 32-byte derived key. The parameters are stored with each hash
 * (`scrypt$<log2 N>$<r>$<p>$<salt>$<key>`), so they can be raised later and old hashes still verify.
 */
export interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

export const PASSWORD_PARAMS: ScryptParams = { log2N: 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, params: ScryptParams = PASSWORD_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.log2N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, log2N, r, p, salt, key] = parts;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { log2N: Number(log2N), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of the same cost, for unknown logins: the answer takes as long as for a known one. */
export const DUMMY_PASSWORD_HASH = 'scrypt$17$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * Password policy (the charter's advice on robust passwords): 12 to 128 characters with at least
 * three of lower case, upper case, digits and other characters. Returns the problem, or null.
 */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return 'at least 12 characters';
  if (password.length > 128) return 'at most 128 characters';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'at least three of: lower case, upper case, digits, other characters';
  return null;
}

/**
 * One-time secrets (SMS activation codes, e-mail links, invitations) are stored as HMAC-SHA256
 * under a pepper derived from the PII master key (HKDF): a database dump alone cannot brute-force
 * a 6-digit code. Each HMAC also binds the challenge id, so a code cannot be replayed elsewhere.
 */
export class SecretHasher {
  private readonly pepper: Buffer;

  constructor(masterKey: Buffer) {
    this.pepper = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), Buffer.from('oksio portal one-time secrets'), 32));
  }

  hash(challengeId: string, secret: string): string {
    return createHmac('sha256', this.pepper).update(`${challengeId}|${secret}`).digest('base64');
  }

  matches(challengeId: string, secret: string, stored: string): boolean {
    const a = Buffer.from(this.hash(challengeId, secret), 'base64');
    const b = Buffer.from(stored, 'base64');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/** 6 random digits (crypto.randomInt: uniform, CSPRNG). */
export function newNumericCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Session tokens are looked up by their SHA-256 (high-entropy secrets need no slow hash). */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

import { createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { compare, getRounds, hash } from 'bcryptjs';

/**
 * Password hashing with bcrypt (`bcryptjs`, a maintained pure-JavaScript implementation: no native
 * build). The cost factor is the setting `portal.password_cost` (table `privacy_settings`, 12 by
 * default, changed by `PUT /portal/settings/portal.password_cost`); it is stored inside each hash
 * (`$2b$<cost>$…`), so raising it leaves old hashes valid, and a successful login re-hashes a
 * password whose cost differs from the setting. Passwords are NFKC-normalised first, so the same
 * password typed on two keyboards gives the same bytes.
 *
 * The 72-byte limit of bcrypt (it silently ignores what follows) is handled by **refusing** longer
 * passwords (400 `password_too_long` on `password`), not by pre-hashing: a pre-hash either has
 * to be peppered — tying every stored hash to the PII master key, so a master-key rotation would
 * lock every user out — or is unpeppered, which opens "password shucking" (testing leaked plain
 * SHA-256 hashes from other breaches against ours). 72 bytes is 72 ASCII characters, more than the
 * 64 that NIST SP 800-63B asks verifiers to accept, and far above the 12-character minimum.
 * At login a longer password never matches (it is not compared truncated).
 */
export const BCRYPT_MAX_BYTES = 72;
export const DEFAULT_PASSWORD_COST = 12;
/** bcrypt's own minimum is 4 (tests use it); 15 already costs seconds per login in JavaScript. */
export const PASSWORD_COST_RANGE = { min: 4, max: 15 } as const;

function normalised(password: string): string {
  return password.normalize('NFKC');
}

export function passwordBytes(password: string): number {
  return Buffer.byteLength(normalised(password), 'utf8');
}

function checkCost(cost: number): void {
  if (!Number.isInteger(cost) || cost < PASSWORD_COST_RANGE.min || cost > PASSWORD_COST_RANGE.max) {
    throw new RangeError(`bcrypt cost must be an integer from ${PASSWORD_COST_RANGE.min} to ${PASSWORD_COST_RANGE.max}, got ${cost}`);
  }
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  checkCost(cost);
  // Callers validate with passwordProblem first; this guard keeps bcrypt from ever truncating.
  if (passwordBytes(password) > BCRYPT_MAX_BYTES) throw new RangeError(`password longer than ${BCRYPT_MAX_BYTES} bytes`);
  return hash(normalised(password), cost);
}

/**
 * Checks a password against a stored bcrypt hash (bcryptjs compares the full 60-character hashes
 * without early exit). A password over 72 bytes is never accepted, but is still run through the
 * same work so the answer takes as long as any other refusal.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const tooLong = passwordBytes(password) > BCRYPT_MAX_BYTES;
  const matches = await compare(tooLong ? '' : normalised(password), stored);
  return matches && !tooLong;
}

/** The cost a stored hash was made with (null if it is not a bcrypt hash). */
export function costOf(stored: string): number | null {
  return /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(stored) ? getRounds(stored) : null;
}

/**
 * A well-formed hash at a given cost that no password matches, compared for unknown logins so that
 * the answer takes as long as for a known one (no account enumeration by timing). bcryptjs derives
 * the full cost from any well-formed 60-character hash before comparing.
 */
export function dummyPasswordHash(cost: number): string {
  checkCost(cost);
  return `$2b$${String(cost).padStart(2, '0')}$${'A'.repeat(22)}${'A'.repeat(31)}`;
}

/**
 * Password policy (the charter's advice on robust passwords): at least 12 characters with at least
 * three of lower case, upper case, digits and other characters; at most 72 bytes in UTF-8 (bcrypt).
 * Returns the problem, or null.
 */
export function passwordProblem(password: string): { code: 'weak_password' | 'password_too_long'; message: string } | null {
  if (passwordBytes(password) > BCRYPT_MAX_BYTES) return { code: 'password_too_long', message: `at most ${BCRYPT_MAX_BYTES} bytes in UTF-8 (72 plain letters or digits; accented letters count 2, emoji 4)` };
  if (password.length < 12) return { code: 'weak_password', message: 'at least 12 characters' };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return { code: 'weak_password', message: 'at least three of: lower case, upper case, digits, other characters' };
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

import { timingSafeEqual } from 'node:crypto';

/** Public on purpose: it protects development data only and is refused in production. */
export const DEVELOPMENT_PII_MASTER_KEY = '6f6b73696f2d646576656c6f706d656e742d6f6e6c792d6d61737465722d6b31';

/** Below this many distinct byte values, 32 bytes are not a random key (see `masterKeyProblem`). */
export const MIN_DISTINCT_KEY_BYTES = 16;

/**
 * The 32 bytes of a master key written as 64 hex characters (either case) or 44 base64
 * characters; null for anything else. Keys are compared as these bytes, never as text: the same
 * key has many spellings (upper-case hex, base64, non-canonical base64 padding bits).
 */
export function decodeMasterKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

const DEVELOPMENT_KEY_BYTES = Buffer.from(DEVELOPMENT_PII_MASTER_KEY, 'hex');

export function isDevelopmentMasterKey(key: Buffer): boolean {
  return key.length === DEVELOPMENT_KEY_BYTES.length && timingSafeEqual(key, DEVELOPMENT_KEY_BYTES);
}

/**
 * Why `text` cannot be a master key of one's own, or null when it can. The key must be 32 random
 * bytes (`openssl rand -hex 32`); what a person types or a placeholder looks like is refused:
 * - not 64 hex or 44 base64 characters;
 * - the public development key, in any spelling (unless `allowDevelopment`);
 * - fewer than 16 distinct byte values: all-zero, a repeated byte or a short repeated pattern.
 *   32 random bytes have about 30 distinct values; fewer than 16 happens with probability < 1e-16;
 * - only printable ASCII bytes (0x20–0x7E): a password or a sentence encoded in hex or base64,
 *   not random bytes; random bytes are all printable with probability (95/256)^32 < 2e-14.
 */
export function masterKeyProblem(text: string, options: { allowDevelopment: boolean }): string | null {
  const key = decodeMasterKey(text);
  if (!key) return 'must be 32 bytes: 64 hex characters or 44 base64 characters';
  if (isDevelopmentMasterKey(key)) return options.allowDevelopment ? null : 'is the public development key (in any encoding): use a key of your own (openssl rand -hex 32)';
  if (new Set(key).size < MIN_DISTINCT_KEY_BYTES) {
    return `is not random: ${new Set(key).size} distinct byte values of 32 (all-zero, repeated bytes or patterns); use openssl rand -hex 32`;
  }
  if (key.every((b) => b >= 0x20 && b <= 0x7e)) return 'is text (every byte printable ASCII), not 32 random bytes; use openssl rand -hex 32';
  return null;
}

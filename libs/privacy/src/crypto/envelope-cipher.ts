import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeMasterKey } from '@oksio/platform';

/**
 * AES-256-GCM primitives. Data keys (one per data subject and category) are wrapped with the
 * master key (envelope encryption): the database holds only wrapped keys, so a database dump
 * without the master key reveals no personal data, and deleting one wrapped key erases exactly
 * that subject's category everywhere it was written (crypto-shredding, ARCHITECTURE.md property 8).
 */
export interface Sealed {
  iv: string;
  ct: string;
  tag: string;
}

const ALGORITHM = 'aes-256-gcm';

export function seal(key: Buffer, plaintext: Buffer, associatedData: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export function open(key: Buffer, sealed: Sealed, associatedData: string): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** Parses PII_MASTER_KEY: 32 bytes, 64 hex or 44 base64 characters (the one decoding loadConfig checks). */
export function parseMasterKey(text: string): Buffer {
  const key = decodeMasterKey(text);
  if (!key) throw new Error('PII master key must be 32 bytes (64 hex characters or 44 base64 characters)');
  return key;
}

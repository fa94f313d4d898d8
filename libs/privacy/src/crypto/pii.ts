import { isSealedText } from '@oksio/kernel';

/**
 * Personal-data categories of PRV-01 (charter 001): every stored personal datum is tagged with one.
 * The key of a (data subject, category) pair encrypts every occurrence of that data in events.
 *
 * `bank_details` (IBAN/RIB) is split from `financial` because PRV-02 retains payment data 3 years
 * after receipt "except the IBAN"; `hosted_pbx` holds the hosted-PBX customer data files, which
 * PRV-03 destroys 12 months after the contract ends. Each category has a retention policy row
 * (table retention_policies, seeded by migration, configurable).
 */
export const PII_CATEGORIES = [
  'identity_contact',
  'contract',
  'communications',
  'connection',
  'financial',
  'bank_details',
  'satisfaction',
  'marketing',
  'hosted_pbx',
] as const;
export type PiiCategory = (typeof PII_CATEGORIES)[number];

/** How personal data is written inside event data: never the clear value. */
export interface EncryptedPii {
  $pii: 1;
  subject: string;
  category: PiiCategory;
  keyId: string;
  iv: string;
  ct: string;
  tag: string;
}

/** What a reader gets once the key is gone (erasure or end of retention). */
export interface ErasedPii {
  $erased: true;
  category: PiiCategory;
}

export function isEncryptedPii(value: unknown): value is EncryptedPii {
  return isSealedText(value);
}

export function isErased(value: unknown): value is ErasedPii {
  return typeof value === 'object' && value !== null && (value as { $erased?: unknown }).$erased === true;
}

export function isPiiCategory(value: unknown): value is PiiCategory {
  return typeof value === 'string' && (PII_CATEGORIES as readonly string[]).includes(value);
}

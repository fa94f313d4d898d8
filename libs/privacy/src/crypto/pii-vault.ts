import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { PersonalDataVault } from '@oksio/platform';
import { v7 as uuidv7 } from 'uuid';
import { newDataKey, open, seal, type Sealed } from './envelope-cipher';
import { type EncryptedPii, type ErasedPii, type PiiCategory, isEncryptedPii } from './pii';

interface KeyRow {
  key_id: string;
  wrapped: Sealed | null;
  master_key_id?: string;
}

/**
 * The id recorded with each wrapped data key: a fingerprint of the master key itself (not a
 * configured label), so the id always names the key that wrapped it, before and after rotations.
 */
export function masterKeyFingerprint(masterKey: Buffer): string {
  return `mk-${createHash('sha256').update('oksio-pii-master-key|').update(masterKey).digest('hex').slice(0, 16)}`;
}

/**
 * Encrypts personal data with a data key per (subject, category), wrapped by the master key and
 * stored in `pii_keys`. Shredding deletes the wrapped key: every copy of the data — events,
 * replays, exports — becomes unreadable while the hash chain still verifies (it covers the
 * ciphertext). Writing again after a shred creates a new key; the old data stays erased.
 */
export class PiiVault implements PersonalDataVault {
  private readonly masterKeyId: string;

  constructor(
    private readonly pool: Pool,
    private readonly masterKey: Buffer,
  ) {
    this.masterKeyId = masterKeyFingerprint(masterKey);
  }

  async protect(subject: string, category: PiiCategory, value: unknown): Promise<EncryptedPii> {
    return (await this.protectAll(subject, category, [value]))[0];
  }

  /** Several values of one subject and category under one key lookup (a command's free texts). */
  async protectAll(subject: string, category: PiiCategory, values: unknown[]): Promise<EncryptedPii[]> {
    const { keyId, key } = await this.activeKey(subject, category);
    return values.map((value) => ({ $pii: 1, subject, category, keyId, ...seal(key, Buffer.from(JSON.stringify(value), 'utf8'), aad(subject, category, keyId)) }));
  }

  /** The clear value, or an ErasedPii marker when the key was shredded. */
  async reveal<T = unknown>(field: EncryptedPii): Promise<T | ErasedPii> {
    return (await this.revealAll([field]))[0] as T | ErasedPii;
  }

  /** Each field's clear value or ErasedPii marker, in order, with one query for all their keys (a page of a read model). */
  async revealAll(fields: EncryptedPii[]): Promise<unknown[]> {
    if (fields.length === 0) return [];
    const keyIds = [...new Set(fields.map((f) => f.keyId))];
    const { rows } = await this.pool.query<KeyRow>('SELECT key_id, wrapped, master_key_id FROM pii_keys WHERE key_id = ANY($1::uuid[])', [keyIds]);
    const keys = new Map(rows.filter((r) => r.wrapped).map((r) => [r.key_id, this.unwrap(r)]));
    return fields.map((field) => {
      const key = keys.get(field.keyId);
      if (!key) return { $erased: true, category: field.category } satisfies ErasedPii;
      return JSON.parse(open(key, field, aad(field.subject, field.category, field.keyId)).toString('utf8')) as unknown;
    });
  }

  /** Replaces every encrypted field inside a value (events, exports) by its clear value or marker. */
  async revealDeep<T>(value: T): Promise<T> {
    if (isEncryptedPii(value)) return (await this.reveal(value)) as T;
    if (Array.isArray(value)) return (await Promise.all(value.map((v) => this.revealDeep(v)))) as T;
    if (value && typeof value === 'object') {
      const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await this.revealDeep(v)] as const));
      return Object.fromEntries(entries) as T;
    }
    return value;
  }

  /** Crypto-shredding: returns the categories whose key was destroyed. */
  async shred(subject: string, categories?: PiiCategory[]): Promise<PiiCategory[]> {
    const { rows } = await this.pool.query<{ category: PiiCategory }>(
      `UPDATE pii_keys SET wrapped = NULL, shredded_at = now()
       WHERE subject_id = $1 AND shredded_at IS NULL AND ($2::text[] IS NULL OR category = ANY($2))
       RETURNING category`,
      [subject, categories ?? null],
    );
    return rows.map((r) => r.category);
  }

  /**
   * Re-wraps every live data key with a new master key (key rotation); data is not re-encrypted.
   * Keys already wrapped by the new key (an interrupted earlier run) are left as they are, so the
   * rotation can be run again until it reports 0.
   */
  async rotateMasterKey(newMaster: Buffer): Promise<{ rewrapped: number; masterKeyId: string }> {
    const newMasterId = masterKeyFingerprint(newMaster);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<KeyRow>(
        'SELECT key_id, wrapped, master_key_id FROM pii_keys WHERE wrapped IS NOT NULL AND master_key_id <> $1 FOR UPDATE',
        [newMasterId],
      );
      for (const row of rows) {
        const key = this.unwrap(row);
        const rewrapped = seal(newMaster, key, `pii-key:${row.key_id}`);
        await client.query('UPDATE pii_keys SET wrapped = $2, master_key_id = $3 WHERE key_id = $1', [row.key_id, rewrapped, newMasterId]);
      }
      await client.query('COMMIT');
      return { rewrapped: rows.length, masterKeyId: newMasterId };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  private async activeKey(subject: string, category: PiiCategory): Promise<{ keyId: string; key: Buffer }> {
    const existing = await this.pool.query<KeyRow>(
      'SELECT key_id, wrapped, master_key_id FROM pii_keys WHERE subject_id = $1 AND category = $2 AND shredded_at IS NULL',
      [subject, category],
    );
    if (existing.rows[0]) return { keyId: existing.rows[0].key_id, key: this.unwrap(existing.rows[0]) };
    const keyId = uuidv7();
    const key = newDataKey();
    // Two writers creating the first key of a pair concurrently: the partial unique index keeps one.
    const inserted = await this.pool.query(
      `INSERT INTO pii_keys (key_id, subject_id, category, wrapped, master_key_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subject_id, category) WHERE shredded_at IS NULL DO NOTHING`,
      [keyId, subject, category, seal(this.masterKey, key, `pii-key:${keyId}`), this.masterKeyId],
    );
    return inserted.rowCount === 1 ? { keyId, key } : this.activeKey(subject, category);
  }

  private unwrap(row: KeyRow): Buffer {
    if (row.master_key_id && row.master_key_id !== this.masterKeyId) {
      // Otherwise AES-GCM would fail with an opaque "unable to authenticate data".
      throw new Error(
        `PII data key ${row.key_id} is wrapped by master key ${row.master_key_id}, this process has ${this.masterKeyId}: finish the rotation or configure the right PII_MASTER_KEY`,
      );
    }
    return open(this.masterKey, row.wrapped!, `pii-key:${row.key_id}`);
  }
}

function aad(subject: string, category: string, keyId: string): string {
  return `${subject}|${category}|${keyId}`;
}

import { randomBytes, randomUUID } from 'node:crypto';
import { PostgresEventStore, verifyStreamChain } from '@oksio/event-store';
import { PLATFORM_MIGRATIONS, createPool } from '@oksio/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { PRIVACY_MIGRATIONS } from '../database/migrations';
import { PiiVault, masterKeyFingerprint } from './pii-vault';
import { isEncryptedPii } from './pii';

describe('PiiVault (crypto-shredding)', () => {
  let db: TestDatabase;
  let pool: ReturnType<typeof createPool>;
  let vault: PiiVault;
  const master = randomBytes(32);

  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: [...PLATFORM_MIGRATIONS, ...PRIVACY_MIGRATIONS] });
    pool = createPool(db.url, 4);
    vault = new PiiVault(pool, master);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('PRV-01 encrypts each datum under a key of its subject and category; the ciphertext reveals nothing', async () => {
    const subject = `customer-${randomUUID()}`;
    const name = await vault.protect(subject, 'identity_contact', { name: 'Jeanne Martin', email: 'jeanne@example.fr' });
    const iban = await vault.protect(subject, 'financial', 'FR7630006000011234567890189');
    expect(isEncryptedPii(name)).toBe(true);
    expect(JSON.stringify(name)).not.toContain('Jeanne');
    expect(name.keyId).not.toBe(iban.keyId);
    expect(await vault.reveal(name)).toEqual({ name: 'Jeanne Martin', email: 'jeanne@example.fr' });
    const stored = await pool.query('SELECT wrapped::text FROM pii_keys WHERE subject_id = $1', [subject]);
    expect(stored.rows.every((r) => !r.wrapped.includes(master.toString('base64')))).toBe(true);
  });

  it('shredding a key erases that category everywhere (events, replays) while the hash chain still verifies', async () => {
    const subject = `customer-${randomUUID()}`;
    const store = new PostgresEventStore({ pool, connectionString: db.url });
    const stream = `subscription-${randomUUID()}`;
    const contact = await vault.protect(subject, 'identity_contact', 'Jeanne Martin');
    const contract = await vault.protect(subject, 'contract', { site: '12 rue de la Paix' });
    await store.append(
      stream,
      [
        {
          type: 'CustomerRegistered',
          data: { customerId: subject, contact, contract },
          metadata: { occurredAt: '2026-01-01T00:00:00Z', actor: { id: 't', role: 'system' }, correlationId: randomUUID(), causationId: null, commandId: null, reason: null },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    expect(await vault.shred(subject, ['identity_contact'])).toEqual(['identity_contact']);
    const [event] = await store.readStream(stream);
    const revealed = await vault.revealDeep(event.data);
    expect(revealed).toEqual({ customerId: subject, contact: { $erased: true, category: 'identity_contact' }, contract: { site: '12 rue de la Paix' } });
    expect(verifyStreamChain(stream, [event], await store.streamHead(stream))).toBeNull();
    // New data for the same subject and category gets a new key; the erased data stays erased.
    const again = await vault.protect(subject, 'identity_contact', 'J. Martin');
    expect(again.keyId).not.toBe(contact.keyId);
    expect(await vault.reveal(contact)).toEqual({ $erased: true, category: 'identity_contact' });
    expect(await vault.reveal(again)).toBe('J. Martin');
    await store.close();
  });

  it('a tampered ciphertext or one moved to another subject does not decrypt', async () => {
    const a = await vault.protect(`s-${randomUUID()}`, 'contract', 'secret');
    await expect(vault.reveal({ ...a, subject: 'someone-else' })).rejects.toThrow();
    const ct = Buffer.from(a.ct, 'base64');
    ct[0] ^= 1;
    await expect(vault.reveal({ ...a, ct: ct.toString('base64') })).rejects.toThrow();
  });

  it('concurrent first writes for one subject and category share one key', async () => {
    const subject = `s-${randomUUID()}`;
    const fields = await Promise.all(Array.from({ length: 10 }, (_, i) => vault.protect(subject, 'communications', `message ${i}`)));
    expect(new Set(fields.map((f) => f.keyId)).size).toBe(1);
  });

  it('master-key rotation re-wraps data keys; data written before stays readable with the new master only', async () => {
    const subject = `s-${randomUUID()}`;
    const field = await vault.protect(subject, 'financial', 'FR76 …');
    const next = randomBytes(32);
    const rotation = await vault.rotateMasterKey(next);
    expect(rotation.rewrapped).toBeGreaterThan(0);
    expect(rotation.masterKeyId).toBe(masterKeyFingerprint(next));
    await expect(new PiiVault(pool, master).reveal(field)).rejects.toThrow(/wrapped by master key mk-.* finish the rotation/);
    vault = new PiiVault(pool, next);
    expect(await vault.reveal(field)).toBe('FR76 …');
    // Keys created after the rotation are labelled with the key that wraps them, and a second run
    // of the rotation finds nothing left to do.
    await vault.protect(`s-${randomUUID()}`, 'financial', 'FR76 2 …');
    const ids = await pool.query('SELECT DISTINCT master_key_id FROM pii_keys WHERE wrapped IS NOT NULL');
    expect(ids.rows.map((r) => r.master_key_id)).toEqual([masterKeyFingerprint(next)]);
    expect((await vault.rotateMasterKey(next)).rewrapped).toBe(0);
  });
});

import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_PII_MASTER_KEY, createPool } from '@oksio/platform';
import { PiiVault, masterKeyFingerprint, parseMasterKey } from '@oksio/privacy';
import { DATABASE_PARTS } from '../../api/src/contexts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { spawnTs } from '../../../test/support/processes';

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnTs('apps/cli/src/main.ts', env, args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('CLI pii rotate-master-key', () => {
  let db: TestDatabase;
  let pool: ReturnType<typeof createPool>;
  beforeAll(async () => {
    db = await createTestDatabase(DATABASE_PARTS);
    pool = createPool(db.url, 2);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('re-wraps every data key with the new master key from the environment; data stays readable with it only', async () => {
    const current = new PiiVault(pool, parseMasterKey(DEVELOPMENT_PII_MASTER_KEY));
    const fields = await Promise.all(['a', 'b', 'c'].map((s) => current.protect(`subject-${s}`, 'identity_contact', { name: `Client ${s}` })));
    const next = randomBytes(32).toString('hex');
    const env = { DATABASE_URL: db.url, NODE_ENV: 'test', PII_NEW_MASTER_KEY: next };
    const first = await runCli(['pii', 'rotate-master-key'], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(`re-wrapped 3 data keys with master key ${masterKeyFingerprint(parseMasterKey(next))}`);
    expect(first.code).toBe(0);
    const rotated = new PiiVault(pool, parseMasterKey(next));
    expect(await rotated.reveal(fields[1])).toEqual({ name: 'Client b' });
    await expect(current.reveal(fields[1])).rejects.toThrow(/finish the rotation/);
    const missing = await runCli(['pii', 'rotate-master-key'], { DATABASE_URL: db.url, NODE_ENV: 'test' });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('PII_NEW_MASTER_KEY is unset');
  });

  it('issue 18 item 8 — a new master key that is the development key (any encoding) or not random is refused: exit 78 naming PII_NEW_MASTER_KEY', async () => {
    for (const next of ['0'.repeat(64), Buffer.from(DEVELOPMENT_PII_MASTER_KEY, 'hex').toString('base64')]) {
      const r = await runCli(['pii', 'rotate-master-key'], { DATABASE_URL: db.url, NODE_ENV: 'production', CLOCK: 'system', API_KEYS: 'ops=admin:production-admin-key', PII_MASTER_KEY: randomBytes(32).toString('hex'), PII_NEW_MASTER_KEY: next });
      expect(r.stderr).toMatch(/^Configuration error: PII_NEW_MASTER_KEY: /);
      expect(r.code).toBe(78);
    }
  });
});

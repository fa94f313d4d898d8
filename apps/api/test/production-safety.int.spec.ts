import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_PII_MASTER_KEY } from '@oksio/platform';
import { spawnTs } from '../../../test/support/processes';

function startApi(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnTs('apps/api/src/main.ts', env);
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/**
 * The API process refuses an unsafe configuration before it opens anything: exit 78 (EX_CONFIG)
 * with a message naming the variable. DATABASE_URL points nowhere and DATA_DIR is an empty
 * directory: had the process gone further, it would have failed otherwise or created a cluster.
 */
describe('issue 18 item 8 — production safety: the API refuses to start (exit 78, the variable named)', () => {
  let dataDir: string;
  const OWN_KEY = '1a8861fcbf33abe1d8a346e1b118a9b7652f65a323167e1f5af6e8600468aeca';
  const production = () => ({
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://oksio@127.0.0.1:9/nowhere',
    DATA_DIR: dataDir,
    API_KEYS: 'ops=admin:production-admin-key',
    PII_MASTER_KEY: OWN_KEY,
    HOST: '0.0.0.0',
    PORT: '0',
  });
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'oksio-unsafe-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['the development PII master key in upper-case hex', { PII_MASTER_KEY: DEVELOPMENT_PII_MASTER_KEY.toUpperCase() }, 'PII_MASTER_KEY'],
    ['an all-zero PII master key', { PII_MASTER_KEY: '0'.repeat(64) }, 'PII_MASTER_KEY'],
    ['a development API key', { API_KEYS: 'dev-admin=admin:dev-admin-key' }, 'API_KEYS'],
  ])('production with %s', async (_, unsafe, variable) => {
    const run = await startApi({ ...production(), ...unsafe });
    expect(run.stderr).toMatch(new RegExp(`^Configuration error: ${variable}: `));
    expect(run.code).toBe(78);
  });

  it('NODE_ENV unset with HOST=0.0.0.0 (development keys and test clock on every interface)', async () => {
    const run = await startApi({ NODE_ENV: '', DATABASE_URL: '', DATA_DIR: dataDir, HOST: '0.0.0.0', PORT: '0' });
    expect(run.stderr).toMatch(/^Configuration error: HOST: "0\.0\.0\.0" is reachable from other machines.*ALLOW_NON_LOOPBACK_DEV=true/);
    expect(run.code).toBe(78);
    expect(existsSync(join(dataDir, 'pg'))).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

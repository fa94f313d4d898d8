import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@oksio/kernel';
import { loadConfig } from './config';
import { isLoopbackHost } from './listen-host';
import { DEVELOPMENT_PII_MASTER_KEY, decodeMasterKey, masterKeyProblem } from './master-key';
import { ApiKeyRegistry, DEVELOPMENT_KEYS, hashApiKey } from '../http/api-keys';

/** 32 random bytes (openssl rand -hex 32). */
const OWN_KEY = '5c0e9f7b2a41d83e6f1b90c4a7d25e38b1f64a09c37e2d8a5b4f1c6e09d7a382';
const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', API_KEYS: 'ops=admin:production-admin-key', PII_MASTER_KEY: OWN_KEY };

function refusal(env: Record<string, string>): ConfigurationError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

describe('issue 18 item 8 — production safety: the PII master key is compared as decoded bytes and must be random', () => {
  const devBytes = Buffer.from(DEVELOPMENT_PII_MASTER_KEY, 'hex');

  it('accepts a random key of its own in production, hex (either case) or base64', () => {
    expect(loadConfig(PRODUCTION).piiMasterKey).toBe(OWN_KEY);
    expect(loadConfig({ ...PRODUCTION, PII_MASTER_KEY: OWN_KEY.toUpperCase() }).environment).toBe('production');
    expect(loadConfig({ ...PRODUCTION, PII_MASTER_KEY: Buffer.from(OWN_KEY, 'hex').toString('base64') }).environment).toBe('production');
  });

  it.each([
    ['lower-case hex', DEVELOPMENT_PII_MASTER_KEY],
    ['upper-case hex', DEVELOPMENT_PII_MASTER_KEY.toUpperCase()],
    ['mixed-case hex', DEVELOPMENT_PII_MASTER_KEY.replace(/[a-f]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c))],
    ['base64', devBytes.toString('base64')],
    ['base64 with surrounding spaces', ` ${devBytes.toString('base64')}\n`],
  ])('refuses the development key in production written in %s', (_, key) => {
    const error = refusal({ ...PRODUCTION, PII_MASTER_KEY: key });
    expect(error.variable).toBe('PII_MASTER_KEY');
    expect(error.message).toMatch(/^PII_MASTER_KEY: is the public development key/);
  });

  it('refuses a non-canonical base64 spelling of the development key (other padding bits, same bytes)', () => {
    const canonical = devBytes.toString('base64');
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const index = last.indexOf(canonical[42]);
    const variant = `${canonical.slice(0, 42)}${last[index ^ 1]}=`; // the low 2 bits are dropped on decoding
    expect(variant).not.toBe(canonical);
    expect(decodeMasterKey(variant)).toEqual(devBytes);
    expect(refusal({ ...PRODUCTION, PII_MASTER_KEY: variant }).variable).toBe('PII_MASTER_KEY');
  });

  it.each([
    ['all-zero', '0'.repeat(64)],
    ['all-zero in base64', Buffer.alloc(32).toString('base64')],
    ['a repeated byte', 'ab'.repeat(32)],
    ['all 0xFF', 'F'.repeat(64)],
    ['a short repeated pattern', '0123456789abcdef'.repeat(4)],
    ['15 distinct bytes', Buffer.from(Array.from({ length: 32 }, (_, i) => (i % 15) * 17)).toString('hex')],
  ])('refuses a key with too little entropy: %s (in every environment)', (_, key) => {
    for (const env of [PRODUCTION, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }]) {
      const error = refusal({ ...env, PII_MASTER_KEY: key });
      expect(error.variable).toBe('PII_MASTER_KEY');
      expect(error.message).toMatch(/is not random: \d+ distinct byte values of 32/);
    }
  });

  it('refuses text encoded as a key (every byte printable ASCII): a password is not 32 random bytes', () => {
    const passphrase = Buffer.from('correct horse battery staple 42!', 'ascii');
    expect(passphrase.length).toBe(32);
    expect(refusal({ ...PRODUCTION, PII_MASTER_KEY: passphrase.toString('hex') }).message).toMatch(/^PII_MASTER_KEY: is text/);
    expect(refusal({ ...PRODUCTION, PII_MASTER_KEY: passphrase.toString('base64') }).message).toMatch(/^PII_MASTER_KEY: is text/);
  });

  it('outside production the development key stays the default, in any spelling, and a missing key is refused only in production', () => {
    expect(loadConfig({})).toMatchObject({ piiMasterKey: DEVELOPMENT_PII_MASTER_KEY, piiMasterKeyIsDevelopment: true });
    expect(loadConfig({ PII_MASTER_KEY: DEVELOPMENT_PII_MASTER_KEY.toUpperCase() }).piiMasterKeyIsDevelopment).toBe(true);
    expect(loadConfig({ PII_MASTER_KEY: OWN_KEY }).piiMasterKeyIsDevelopment).toBe(false);
    expect(refusal({ ...PRODUCTION, PII_MASTER_KEY: '' }).message).toMatch(/^PII_MASTER_KEY: a master key of your own is required/);
    expect(masterKeyProblem('nonsense', { allowDevelopment: true })).toMatch(/must be 32 bytes/);
  });
});

describe('issue 18 item 8 — production safety: no development API key in production', () => {
  const production = (keys: { apiKeys?: string; apiKeysFile?: string }) =>
    loadConfig({ ...PRODUCTION, API_KEYS: keys.apiKeys ?? '', API_KEYS_FILE: keys.apiKeysFile ?? '' });
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'oksio-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(Object.entries(DEVELOPMENT_KEYS))('refuses the %s development key in API_KEYS, plain or sha256-hashed, whatever the entry name', (role, key) => {
    for (const entry of [`dev-${role}=${role}:${key}`, `ops=admin:${key}`, `ops=${role}:sha256:${hashApiKey(key)}`, `ops=${role}:sha256:${hashApiKey(key).toUpperCase()}`]) {
      const config = production({ apiKeys: `billing=system:${'b'.repeat(16)},${entry}` });
      expect(() => ApiKeyRegistry.fromConfig(config)).toThrow(ConfigurationError);
      expect(() => ApiKeyRegistry.fromConfig(config)).toThrow(/^API_KEYS: the key of "(dev-\w+|ops)" is a public development key/);
    }
  });

  it('refuses a development key in API_KEYS_FILE and names that variable', () => {
    const file = join(dir, 'keys.txt');
    writeFileSync(file, `# production keys\nops=admin:${'o'.repeat(16)}\nlegacy=support:sha256:${hashApiKey(DEVELOPMENT_KEYS.support)}\n`);
    expect(() => ApiKeyRegistry.fromConfig(production({ apiKeysFile: file }))).toThrow(/^API_KEYS_FILE: the key of "legacy" is a public development key/);
    writeFileSync(file, `ops=admin:${'o'.repeat(16)}\n`);
    expect(ApiKeyRegistry.fromConfig(production({ apiKeysFile: file })).authenticate('o'.repeat(16))).toEqual({ id: 'ops', role: 'admin' });
    expect(() => ApiKeyRegistry.fromConfig(production({ apiKeysFile: join(dir, 'missing.txt') }))).toThrow(/^API_KEYS_FILE: cannot be read \(ENOENT\)/);
  });

  it('outside production the development keys may be configured explicitly', () => {
    const config = loadConfig({ API_KEYS: `dev-admin=admin:${DEVELOPMENT_KEYS.admin}` });
    expect(ApiKeyRegistry.fromConfig(config).authenticate(DEVELOPMENT_KEYS.admin)).toEqual({ id: 'dev-admin', role: 'admin' });
  });

  it('a hashed entry in upper-case hex is a hash, not a plain key spelled "sha256:…"', () => {
    const registry = new ApiKeyRegistry([`ops=admin:sha256:${hashApiKey('operator-key-1').toUpperCase()}`]);
    expect(registry.authenticate('operator-key-1')).toEqual({ id: 'ops', role: 'admin' });
  });
});

describe('issue 18 item 8 — production safety: outside production the API listens on loopback only', () => {
  it.each(['0.0.0.0', '::', '[::]', '192.168.1.20', '10.0.0.5', 'oksio.example.fr', '::ffff:10.0.0.1'])('refuses HOST=%s without NODE_ENV (development) and with NODE_ENV=test', (host) => {
    const envs: Array<Record<string, string>> = [{ HOST: host }, { HOST: host, NODE_ENV: 'test' }, { HOST: host, NODE_ENV: 'development', ALLOW_NON_LOOPBACK_DEV: 'false' }];
    for (const env of envs) {
      const error = refusal(env);
      expect(error.variable).toBe('HOST');
      expect(error.message).toMatch(/ALLOW_NON_LOOPBACK_DEV=true/);
    }
  });

  it.each(['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('accepts the loopback host %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  it('a non-loopback host is allowed outside production only when ALLOW_NON_LOOPBACK_DEV=true, and always in production', () => {
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_NON_LOOPBACK_DEV: 'true' }).host).toBe('0.0.0.0');
    expect(loadConfig({ ...PRODUCTION, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(refusal({ HOST: '0.0.0.0', ALLOW_NON_LOOPBACK_DEV: 'yes' }).variable).toBe('ALLOW_NON_LOOPBACK_DEV');
    expect(loadConfig({}).host).toBe('127.0.0.1');
  });
});

describe('issue 18 item 9 — ALLOW_CLOCK_REWIND is for the test clock only', () => {
  it('defaults to false and has an effect with CLOCK=test only (never in production)', () => {
    expect(loadConfig({}).allowClockRewind).toBe(false);
    expect(loadConfig({ ALLOW_CLOCK_REWIND: 'true' }).allowClockRewind).toBe(true);
    expect(loadConfig({ ALLOW_CLOCK_REWIND: 'true', CLOCK: 'system' }).allowClockRewind).toBe(false);
    expect(loadConfig({ ...PRODUCTION, ALLOW_CLOCK_REWIND: 'true' }).allowClockRewind).toBe(false);
    expect(refusal({ ALLOW_CLOCK_REWIND: 'maybe' }).variable).toBe('ALLOW_CLOCK_REWIND');
  });
});

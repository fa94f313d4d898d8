import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type PlatformConfig } from './config';
import { ApiKeyRegistry, DEVELOPMENT_KEYS, hashApiKey } from '../http/api-keys';

describe('configuration', () => {
  it('defaults to development with the embedded database, the test clock and the worker in-process', () => {
    expect(loadConfig({})).toMatchObject({ environment: 'development', databaseUrl: null, clock: 'test', runWorker: true, port: 3000, eventStore: 'postgresql' });
  });

  it('names the variable of each bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^PORT: must be an integer/);
    expect(() => loadConfig({ EVENT_STORE: 'kafka' })).toThrow(/^EVENT_STORE: must be one of postgresql, eventstoredb/);
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(/^EVENTSTORE_CONNECTION_STRING: is required/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/^DATABASE_URL: must use postgres:/);
    expect(() => loadConfig({ RUN_WORKER: 'maybe' })).toThrow(/^RUN_WORKER/);
  });

  it('accepts EventStoreDB node lists with ports (cluster) and names a bad node', () => {
    const cluster = 'esdb://esdb-1:2113,esdb-2:2113,esdb-3:2113?tls=false&nodePreference=leader';
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: cluster }).eventStoreConnectionString).toBe(cluster);
    expect(loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb+discover://admin:changeit@cluster.local:2113' }).eventStoreConnectionString).toMatch(/^esdb\+discover/);
    expect(() => loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://a:2113,b:99999' })).toThrow(/^EVENTSTORE_CONNECTION_STRING: node "b:99999"/);
    expect(() => loadConfig({ EVENTSTORE_CONNECTION_STRING: 'http://a:2113' })).toThrow(/^EVENTSTORE_CONNECTION_STRING: must be esdb:/);
  });

  it('production refuses the test clock, the embedded database and missing API keys', () => {
    const prod = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/x',
      API_KEYS: 'ops=admin:0123456789abcdef',
      PII_MASTER_KEY: '1a8861fcbf33abe1d8a346e1b118a9b7652f65a323167e1f5af6e8600468aeca',
    };
    expect(loadConfig(prod).clock).toBe('system');
    expect(() => loadConfig({ ...prod, CLOCK: 'test' })).toThrow(/^CLOCK: the test clock is refused in production/);
    expect(() => loadConfig({ ...prod, DATABASE_URL: '' })).toThrow(/^DATABASE_URL: is required in production/);
    expect(() => loadConfig({ ...prod, API_KEYS: '' })).toThrow(/^API_KEYS/);
    expect(() => loadConfig({ ...prod, PII_MASTER_KEY: '' })).toThrow(/^PII_MASTER_KEY: a master key of your own/);
    expect(() => loadConfig({ PII_MASTER_KEY: 'short' })).toThrow(/^PII_MASTER_KEY: must be 32 bytes/);
  });
});

describe('API keys', () => {
  it('accepts plain (development) and SHA-256 (at rest) entries and names the holder', () => {
    const registry = new ApiKeyRegistry([`billing=system:${'s'.repeat(16)}`, `auditor-1=auditor:sha256:${hashApiKey('secret-auditor-key')}`]);
    expect(registry.authenticate('s'.repeat(16))).toEqual({ id: 'billing', role: 'system' });
    expect(registry.authenticate('secret-auditor-key')).toEqual({ id: 'auditor-1', role: 'auditor' });
    expect(registry.authenticate('secret-auditor-kez')).toBeNull();
  });

  it('refuses unknown roles, short keys and malformed entries', () => {
    expect(() => new ApiKeyRegistry(['x=root:0123456789abcdef'])).toThrow(/unknown role "root"/);
    expect(() => new ApiKeyRegistry(['x=admin:short'])).toThrow(/shorter than 12/);
    expect(() => new ApiKeyRegistry(['nonsense'])).toThrow(/API_KEYS/);
  });

  it('a keys file may hold comment lines with commas; an empty file never opens the development keys in production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys');
    writeFileSync(file, `# ops keys, rotated monthly, see runbook\nops=admin:${'o'.repeat(16)}, billing=system:${'b'.repeat(16)}\n`);
    const base = { environment: 'production', apiKeys: null } as unknown as PlatformConfig;
    const registry = ApiKeyRegistry.fromConfig({ ...base, apiKeysFile: file });
    expect(registry.authenticate('b'.repeat(16))).toEqual({ id: 'billing', role: 'system' });
    expect(registry.authenticate(DEVELOPMENT_KEYS.admin)).toBeNull();
    writeFileSync(file, '# nothing yet, keys to come\n');
    expect(() => ApiKeyRegistry.fromConfig({ ...base, apiKeysFile: file })).toThrow(/^API_KEYS_FILE: holds no key/);
    expect(ApiKeyRegistry.fromConfig({ ...base, environment: 'development', apiKeysFile: file }).authenticate(DEVELOPMENT_KEYS.admin)).toMatchObject({ role: 'admin' });
  });
});

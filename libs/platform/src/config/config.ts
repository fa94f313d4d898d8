import { ConfigurationError } from '@oksio/kernel';

export type Role = 'system' | 'support' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['system', 'support', 'auditor', 'admin'];

export interface PlatformConfig {
  environment: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** Unset → embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  eventStore: 'postgresql' | 'eventstoredb';
  eventStoreConnectionString: string | null;
  /** `test` clock: time travel through POST /admin/clock (refused in production). */
  clock: 'system' | 'test';
  /** Run projections and the scheduler inside the API process (single-process mode). */
  runWorker: boolean;
  /** Lease of a claimed due action: a dead scheduler's claims return to the pool after it. */
  schedulerClaimSeconds: number;
  /** API keys: `role:key` pairs (plain, dev only) and/or `role:sha256:<hex>` (hashed at rest). */
  apiKeys: string | null;
  apiKeysFile: string | null;
  poolSize: number;
  instanceName: string;
  /** Master key wrapping the personal-data keys (32 bytes, hex or base64); a fixed key in development. */
  piiMasterKey: string;
  /** The development master key is in use (printed as a warning). */
  piiMasterKeyIsDevelopment: boolean;
}

/** Public on purpose: it protects development data only and is refused in production. */
export const DEVELOPMENT_PII_MASTER_KEY = '6f6b73696f2d646576656c6f706d656e742d6f6e6c792d6d61737465722d6b31';

type Env = Record<string, string | undefined>;

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw as T)) throw new ConfigurationError(name, `must be one of ${values.join(', ')} (got "${raw}")`);
  return raw as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigurationError(name, `must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!['true', 'false', '1', '0'].includes(raw)) throw new ConfigurationError(name, `must be true or false (got "${raw}")`);
  return raw === 'true' || raw === '1';
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigurationError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigurationError(name, `must use ${protocols.join(' or ')}`);
  return raw;
}

/**
 * EventStoreDB connection strings name a node list (`esdb://a:2113,b:2113,c:2113?tls=false`),
 * which WHATWG URL parsing rejects, so the hosts are checked one by one.
 */
function esdbConnectionString(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const m = /^(esdb|esdb\+discover):\/\/(?:[^@/?]+@)?([^/?]+)\/?(?:\?(.*))?$/.exec(raw);
  if (!m) throw new ConfigurationError(name, 'must be esdb://host[:port][,host[:port]…][?options] or esdb+discover://…');
  for (const host of m[2].split(',')) {
    const hm = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(host);
    if (!hm || (hm[2] !== undefined && (Number(hm[2]) < 1 || Number(hm[2]) > 65535))) {
      throw new ConfigurationError(name, `node "${host}" is not host[:port]`);
    }
  }
  return raw;
}

/** Reads and validates the whole configuration at start-up; each bad value gets its own message. */
export function loadConfig(env: Env = process.env): PlatformConfig {
  const environment = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const eventStore = oneOf(env, 'EVENT_STORE', ['postgresql', 'eventstoredb'] as const, 'postgresql');
  const eventStoreConnectionString = esdbConnectionString(env, 'EVENTSTORE_CONNECTION_STRING');
  if (eventStore === 'eventstoredb' && !eventStoreConnectionString) {
    throw new ConfigurationError('EVENTSTORE_CONNECTION_STRING', 'is required when EVENT_STORE=eventstoredb');
  }
  const clock = oneOf(env, 'CLOCK', ['system', 'test'] as const, environment === 'production' ? 'system' : 'test');
  if (environment === 'production' && clock === 'test') {
    throw new ConfigurationError('CLOCK', 'the test clock is refused in production');
  }
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  if (environment === 'production' && !databaseUrl) {
    throw new ConfigurationError('DATABASE_URL', 'is required in production (the embedded PostgreSQL is for development)');
  }
  const apiKeys = env.API_KEYS || null;
  const apiKeysFile = env.API_KEYS_FILE || null;
  if (environment === 'production' && !apiKeys && !apiKeysFile) {
    throw new ConfigurationError('API_KEYS', 'API_KEYS or API_KEYS_FILE is required in production');
  }
  const piiMasterKey = env.PII_MASTER_KEY || null;
  if (piiMasterKey && !/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/.test(piiMasterKey.trim())) {
    throw new ConfigurationError('PII_MASTER_KEY', 'must be 32 bytes: 64 hex characters or 44 base64 characters');
  }
  if (environment === 'production' && (!piiMasterKey || piiMasterKey === DEVELOPMENT_PII_MASTER_KEY)) {
    throw new ConfigurationError('PII_MASTER_KEY', 'a master key of your own is required in production');
  }
  return {
    environment,
    piiMasterKey: piiMasterKey ?? DEVELOPMENT_PII_MASTER_KEY,
    piiMasterKeyIsDevelopment: !piiMasterKey,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: env.DATA_DIR || '.data',
    eventStore,
    eventStoreConnectionString,
    clock,
    runWorker: bool(env, 'RUN_WORKER', true),
    schedulerClaimSeconds: integer(env, 'SCHEDULER_CLAIM_SECONDS', 60, 1, 3600),
    apiKeys,
    apiKeysFile,
    poolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
    instanceName: env.INSTANCE_NAME || `pid-${process.pid}`,
  };
}

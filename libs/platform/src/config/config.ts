import { ConfigurationError } from '@oksio/kernel';
import { isLoopbackHost } from './listen-host';
import { DEVELOPMENT_PII_MASTER_KEY, decodeMasterKey, isDevelopmentMasterKey, masterKeyProblem } from './master-key';

export { DEVELOPMENT_PII_MASTER_KEY } from './master-key';

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
  /**
   * The test clock may be set before events already recorded (ALLOW_CLOCK_REWIND=true): for test
   * suites that play independent scenarios on one database. Off by default: a shared environment's
   * history then never gets events recorded before events already recorded.
   */
  allowClockRewind: boolean;
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
  // Without the test clock (production always) there is nothing to rewind: the setting has no effect.
  const allowClockRewind = bool(env, 'ALLOW_CLOCK_REWIND', false) && clock === 'test';
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
  if (environment === 'production' && !piiMasterKey) {
    throw new ConfigurationError('PII_MASTER_KEY', 'a master key of your own is required in production');
  }
  // Compared as decoded bytes: the development key in upper-case hex or base64 is still that key.
  const keyProblem = piiMasterKey && masterKeyProblem(piiMasterKey, { allowDevelopment: environment !== 'production' });
  if (keyProblem) throw new ConfigurationError('PII_MASTER_KEY', keyProblem);
  const host = env.HOST || '127.0.0.1';
  // Outside production the API serves the public development keys and the test clock.
  if (environment !== 'production' && !isLoopbackHost(host) && !bool(env, 'ALLOW_NON_LOOPBACK_DEV', false)) {
    throw new ConfigurationError(
      'HOST',
      `"${host}" is reachable from other machines, and outside production (NODE_ENV=${environment}) the API serves development keys and the test clock: listen on 127.0.0.1, set NODE_ENV=production, or set ALLOW_NON_LOOPBACK_DEV=true`,
    );
  }
  return {
    environment,
    piiMasterKey: piiMasterKey ?? DEVELOPMENT_PII_MASTER_KEY,
    piiMasterKeyIsDevelopment: !piiMasterKey || isDevelopmentMasterKey(decodeMasterKey(piiMasterKey)!),
    port: integer(env, 'PORT', 3000, 0, 65535),
    host,
    databaseUrl,
    dataDir: env.DATA_DIR || '.data',
    eventStore,
    eventStoreConnectionString,
    clock,
    allowClockRewind,
    runWorker: bool(env, 'RUN_WORKER', true),
    schedulerClaimSeconds: integer(env, 'SCHEDULER_CLAIM_SECONDS', 60, 1, 3600),
    apiKeys,
    apiKeysFile,
    poolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
    instanceName: env.INSTANCE_NAME || `pid-${process.pid}`,
  };
}

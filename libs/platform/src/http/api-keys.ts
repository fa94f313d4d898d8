import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@oksio/kernel';
import { ROLES, type PlatformConfig, type Role } from '../config/config';

export interface ApiPrincipal {
  /** Name of the key's holder (e.g. `billing-system`): the actor id in event metadata. */
  id: string;
  role: Role;
}

interface StoredKey extends ApiPrincipal {
  sha256: Buffer;
  /** The variable the entry came from (API_KEYS or API_KEYS_FILE), named by configuration errors. */
  variable: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Development keys, printed by `npm start`; refused in production, plain or hashed (`fromConfig`). */
export const DEVELOPMENT_KEYS: Record<Role, string> = {
  system: 'dev-system-key',
  support: 'dev-support-key',
  auditor: 'dev-auditor-key',
  admin: 'dev-admin-key',
};

const DEVELOPMENT_KEY_DIGESTS = Object.values(DEVELOPMENT_KEYS).map((key) => createHash('sha256').update(key).digest());

/**
 * Keys come from API_KEYS and/or API_KEYS_FILE (one entry per line or comma): `name=role:key`
 * (plain; development) or `name=role:sha256:<hex>` (hashed at rest). Only SHA-256 digests are
 * kept in memory, and lookups compare digests in constant time.
 */
export class ApiKeyRegistry {
  private readonly keys: StoredKey[];

  constructor(entries: string[], variable = 'API_KEYS') {
    this.keys = entries.map((entry) => parseEntry(entry, variable));
  }

  /**
   * The configured keys; the development keys when none is configured outside production. In
   * production every development key is refused, whatever the entry's name and whether it is
   * given plain or as its SHA-256 (the digests are compared): those keys are public.
   */
  static fromConfig(config: PlatformConfig): ApiKeyRegistry {
    const registry = new ApiKeyRegistry(config.apiKeys ? splitEntries(config.apiKeys) : [], 'API_KEYS');
    if (config.apiKeysFile) registry.keys.push(...splitEntries(readKeysFile(config.apiKeysFile)).map((entry) => parseEntry(entry, 'API_KEYS_FILE')));
    if (config.environment === 'production') {
      const development = registry.keys.find((k) => DEVELOPMENT_KEY_DIGESTS.some((d) => timingSafeEqual(d, k.sha256)));
      if (development) {
        throw new ConfigurationError(development.variable, `the key of "${development.id}" is a public development key (plain or sha256): production refuses every development key`);
      }
    }
    if (registry.keys.length === 0) {
      // An empty or all-comment keys file must not open the development keys outside development.
      if (config.environment === 'production') {
        throw new ConfigurationError(config.apiKeysFile ? 'API_KEYS_FILE' : 'API_KEYS', 'holds no key: production needs at least one');
      }
      return new ApiKeyRegistry(Object.entries(DEVELOPMENT_KEYS).map(([role, key]) => `dev-${role}=${role}:${key}`));
    }
    return registry;
  }

  authenticate(presented: string): ApiPrincipal | null {
    const digest = createHash('sha256').update(presented).digest();
    const match = this.keys.find((k) => timingSafeEqual(k.sha256, digest));
    return match ? { id: match.id, role: match.role } : null;
  }
}

function readKeysFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError('API_KEYS_FILE', `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): ${path}`);
  }
}

/** Lines first, so a comment line (`# …`) may contain commas; then comma-separated entries. */
function splitEntries(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseEntry(entry: string, variable: string): StoredKey {
  const m = /^(?:([\w.-]+)=)?(\w+):(?:sha256:([0-9a-fA-F]{64})|(.+))$/.exec(entry);
  if (!m) throw new ConfigurationError(variable, `entry "${entry.slice(0, 20)}…" is not name=role:key or name=role:sha256:<hex>`);
  const [, name, role, hex, plain] = m;
  if (!ROLES.includes(role as Role)) throw new ConfigurationError(variable, `unknown role "${role}" (roles: ${ROLES.join(', ')})`);
  if (plain !== undefined && plain.length < 12) throw new ConfigurationError(variable, `the key of ${name ?? role} is shorter than 12 characters`);
  return {
    id: name ?? role,
    role: role as Role,
    sha256: Buffer.from(hex ?? hashApiKey(plain!), 'hex'),
    variable,
  };
}

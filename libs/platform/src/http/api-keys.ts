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
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Development keys, printed by `npm start`; refused in production by loadConfig. */
export const DEVELOPMENT_KEYS: Record<Role, string> = {
  system: 'dev-system-key',
  support: 'dev-support-key',
  auditor: 'dev-auditor-key',
  admin: 'dev-admin-key',
};

/**
 * Keys come from API_KEYS and/or API_KEYS_FILE (one entry per line or comma): `name=role:key`
 * (plain; development) or `name=role:sha256:<hex>` (hashed at rest). Only SHA-256 digests are
 * kept in memory, and lookups compare digests in constant time.
 */
export class ApiKeyRegistry {
  private readonly keys: StoredKey[];

  constructor(entries: string[]) {
    this.keys = entries.map(parseEntry);
  }

  static fromConfig(config: PlatformConfig): ApiKeyRegistry {
    const entries: string[] = [];
    if (config.apiKeys) entries.push(...splitEntries(config.apiKeys));
    if (config.apiKeysFile) entries.push(...splitEntries(readFileSync(config.apiKeysFile, 'utf8')));
    if (entries.length === 0) {
      // An empty or all-comment keys file must not open the development keys outside development.
      if (config.environment === 'production') {
        throw new ConfigurationError(config.apiKeysFile ? 'API_KEYS_FILE' : 'API_KEYS', 'holds no key: production needs at least one');
      }
      entries.push(...Object.entries(DEVELOPMENT_KEYS).map(([role, key]) => `dev-${role}=${role}:${key}`));
    }
    return new ApiKeyRegistry(entries);
  }

  authenticate(presented: string): ApiPrincipal | null {
    const digest = createHash('sha256').update(presented).digest();
    const match = this.keys.find((k) => timingSafeEqual(k.sha256, digest));
    return match ? { id: match.id, role: match.role } : null;
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

function parseEntry(entry: string): StoredKey {
  const m = /^(?:([\w.-]+)=)?(\w+):(?:sha256:([0-9a-f]{64})|(.+))$/.exec(entry);
  if (!m) throw new ConfigurationError('API_KEYS', `entry "${entry.slice(0, 20)}…" is not name=role:key or name=role:sha256:<hex>`);
  const [, name, role, hex, plain] = m;
  if (!ROLES.includes(role as Role)) throw new ConfigurationError('API_KEYS', `unknown role "${role}" (roles: ${ROLES.join(', ')})`);
  if (plain !== undefined && plain.length < 12) throw new ConfigurationError('API_KEYS', `the key of ${name ?? role} is shorter than 12 characters`);
  return {
    id: name ?? role,
    role: role as Role,
    sha256: Buffer.from(hex ?? hashApiKey(plain!), 'hex'),
  };
}

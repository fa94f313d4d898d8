import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@oksio/platform';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';

export interface BenchCluster {
  /** Connection string of the maintenance database (databases are created from it). */
  adminUrl: string;
  embedded: boolean;
  serverVersion: string;
  settings: Record<string, string>;
  /** A fresh database with the API's migrations (platform + every context in apps/api/src/contexts.ts). */
  createDatabase(name: string, options?: { migrate?: boolean }): Promise<string>;
  stop(): Promise<void>;
}

const REPORTED_SETTINGS = [
  'shared_buffers',
  'work_mem',
  'max_connections',
  'fsync',
  'synchronous_commit',
  'full_page_writes',
  'wal_level',
  'jit',
];

/**
 * BENCH_DATABASE_URL when set (databases `oksio_bench_*` are created there and dropped at the
 * end), otherwise an embedded PostgreSQL 18 on a free port in a temporary directory, non-durable
 * (fsync and synchronous_commit off), like the integration tests.
 */
export async function startBenchCluster(log: (line: string) => void): Promise<BenchCluster> {
  let handle: EmbeddedPostgresHandle | null = null;
  let dir: string | null = null;
  let adminUrl = process.env.BENCH_DATABASE_URL || '';
  if (!adminUrl) {
    dir = await mkdtemp(join(tmpdir(), 'oksio-bench-'));
    const started = Date.now();
    handle = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false, durable: false });
    adminUrl = handle.connectionString;
    log(`embedded PostgreSQL on 127.0.0.1:${handle.port} in ${dir} (${Date.now() - started} ms)`);
  } else {
    log(`using BENCH_DATABASE_URL (${new URL(adminUrl).host})`);
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const version = (await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
  const settings: Record<string, string> = {};
  const rows = await admin.query<{ name: string; setting: string }>(
    'SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1) ORDER BY name',
    [REPORTED_SETTINGS],
  );
  for (const r of rows.rows) settings[r.name] = r.setting;
  const created: string[] = [];
  const dbUrl = (name: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return {
    adminUrl,
    embedded: handle !== null,
    serverVersion: version,
    settings,
    async createDatabase(name, options = {}) {
      const db = `oksio_bench_${name}`;
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${db}`);
      created.push(db);
      const url = dbUrl(db);
      if (options.migrate !== false) await migrate(url, DATABASE_PARTS);
      return url;
    },
    async stop() {
      if (!handle) {
        for (const db of created) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
      }
      await admin.end().catch(() => undefined);
      await handle?.stop().catch(() => undefined);
      if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

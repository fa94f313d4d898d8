import { readFile, unlink, writeFile } from 'node:fs/promises';
import { Client, type Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { SystemClock, type Clock } from '@oksio/kernel';
import { type EventStore, PostgresEventStore, EventStoreDbEventStore, Upcasters } from '@oksio/event-store';
import type { PlatformConfig } from './config/config';
import { createDataSource, createPool, migrate, type DatabaseModuleParts } from './database/data-source';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './database/embedded-postgres';
import { DatabaseTestClock } from './clock/database-test-clock';
import { EventSourcedRepository } from './application/event-sourced-repository';

/** Everything a process needs below Nest: one of these per API, worker or CLI process. */
export interface Runtime {
  config: PlatformConfig;
  databaseUrl: string;
  pool: Pool;
  dataSource: DataSource;
  store: EventStore;
  clock: Clock;
  testClock: DatabaseTestClock | null;
  upcasters: Upcasters;
  repository: EventSourcedRepository;
  embedded: EmbeddedPostgresHandle | null;
  close(): Promise<void>;
}

export interface RuntimeParts extends DatabaseModuleParts {
  upcasters?: Upcasters;
}

const EMBEDDED_DATABASE = 'oksio';

async function reachable(connectionString: string): Promise<boolean> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the embedded PostgreSQL kept in `<dataDir>/pg`, or joins the one another local process
 * (e.g. `npm start` while the CLI runs) already started: its URL is left in `<dataDir>/pg.url`.
 */
async function embeddedDatabase(config: PlatformConfig): Promise<{ url: string; handle: EmbeddedPostgresHandle | null }> {
  const urlFile = `${config.dataDir}/pg.url`;
  const known = await readFile(urlFile, 'utf8').catch(() => null);
  if (known && (await reachable(known.trim()))) return { url: known.trim(), handle: null };
  const handle = await startEmbeddedPostgres({ dataDir: `${config.dataDir}/pg`, persistent: true, durable: true });
  const admin = new Client({ connectionString: handle.connectionString });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  await admin.end();
  const url = new URL(handle.connectionString);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  await writeFile(urlFile, url.toString());
  return {
    url: url.toString(),
    handle: {
      ...handle,
      stop: async () => {
        await unlink(urlFile).catch(() => undefined);
        await handle.stop();
      },
    },
  };
}

export async function openRuntime(
  config: PlatformConfig,
  parts: RuntimeParts,
  options: { migrate?: boolean; wallClock?: () => Date } = {},
): Promise<Runtime> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const started = await embeddedDatabase(config);
    embedded = started.handle;
    databaseUrl = started.url;
  }
  if (options.migrate !== false) await migrate(databaseUrl, parts);
  const pool = createPool(databaseUrl, config.poolSize);
  const dataSource = createDataSource(databaseUrl, parts, config.poolSize);
  await dataSource.initialize();
  const store: EventStore =
    config.eventStore === 'eventstoredb'
      ? EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString!)
      : new PostgresEventStore({ pool, connectionString: databaseUrl, wallClock: options.wallClock });
  const testClock = config.clock === 'test' ? new DatabaseTestClock(pool) : null;
  if (testClock) {
    await testClock.refresh();
    testClock.startRefreshing();
  }
  const clock: Clock = testClock ?? new SystemClock();
  const upcasters = parts.upcasters ?? new Upcasters();
  return {
    config,
    databaseUrl,
    pool,
    dataSource,
    store,
    clock,
    testClock,
    upcasters,
    repository: new EventSourcedRepository(store, upcasters),
    embedded,
    async close() {
      testClock?.stopRefreshing();
      await store.close();
      await dataSource.destroy().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await embedded?.stop();
    },
  };
}

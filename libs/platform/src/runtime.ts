import { existsSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Client, type Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { ConfigurationError, SystemClock, type Clock, type FreeTextFields } from '@oksio/kernel';
import { type EventStore, PostgresEventStore, EventStoreDbEventStore, Upcasters } from '@oksio/event-store';
import type { PlatformConfig } from './config/config';
import { createDataSource, createPool, migrate, type DatabaseModuleParts } from './database/data-source';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './database/embedded-postgres';
import { DatabaseTestClock } from './clock/database-test-clock';
import { EventSourcedRepository } from './application/event-sourced-repository';
import { PersonalTextSealer } from './personal-data/personal-text';

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
  /** Seals the free text of every command (declared fields, reasons) for its data subject. */
  personalText: PersonalTextSealer;
  repository: EventSourcedRepository;
  embedded: EmbeddedPostgresHandle | null;
  close(): Promise<void>;
}

export interface RuntimeParts extends DatabaseModuleParts {
  upcasters?: Upcasters;
  /** Each context's free-text event fields (personal data, sealed at append). */
  freeText?: ReadonlyArray<FreeTextFields<any>>;
}

const EMBEDDED_DATABASE = 'oksio';

/** With the PostgreSQL event store, the database must already hold it (`es_events`). */
async function requireEventStoreTables(config: PlatformConfig, databaseUrl: string, embedded: EmbeddedPostgresHandle | null): Promise<void> {
  if (config.eventStore !== 'postgresql') return;
  const client = new Client({ connectionString: databaseUrl });
  let found: boolean;
  try {
    await client.connect();
    found = (await client.query(`SELECT to_regclass('es_events') IS NOT NULL AS found`)).rows[0].found;
  } finally {
    await client.end().catch(() => undefined);
  }
  if (!found) {
    await embedded?.stop();
    const variable = config.databaseUrl ? 'DATABASE_URL' : 'DATA_DIR';
    throw new ConfigurationError(variable, 'the database holds no event store (no es_events table; nothing was created or migrated)');
  }
}

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
async function embeddedDatabase(config: PlatformConfig, create: boolean): Promise<{ url: string; handle: EmbeddedPostgresHandle | null }> {
  const urlFile = `${config.dataDir}/pg.url`;
  const known = await readFile(urlFile, 'utf8').catch(() => null);
  if (known && (await reachable(known.trim()))) return { url: known.trim(), handle: null };
  if (!create && !existsSync(`${config.dataDir}/pg/PG_VERSION`)) {
    throw new ConfigurationError('DATA_DIR', `no database in ${resolve(config.dataDir)}/pg (nothing was created): point DATA_DIR at the directory the API uses, or set DATABASE_URL`);
  }
  const handle = await startEmbeddedPostgres({ dataDir: `${config.dataDir}/pg`, persistent: true, durable: true });
  const admin = new Client({ connectionString: handle.connectionString });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
  if (exists.rowCount === 0 && !create) {
    await admin.end();
    await handle.stop();
    throw new ConfigurationError('DATA_DIR', `the cluster in ${resolve(config.dataDir)}/pg holds no database "${EMBEDDED_DATABASE}" (nothing was created)`);
  }
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

export interface OpenRuntimeOptions {
  migrate?: boolean;
  /**
   * `existing`: open only a store that is already there — no embedded cluster or database is
   * created and nothing is migrated; a missing one, or a database without the event store's
   * tables, is a ConfigurationError naming DATA_DIR or DATABASE_URL. For read-only tools (audit):
   * checking a store must never create an empty one and report it sound.
   */
  store?: 'create' | 'existing';
  wallClock?: () => Date;
}

export async function openRuntime(config: PlatformConfig, parts: RuntimeParts, options: OpenRuntimeOptions = {}): Promise<Runtime> {
  const existing = options.store === 'existing';
  let embedded: EmbeddedPostgresHandle | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const started = await embeddedDatabase(config, !existing);
    embedded = started.handle;
    databaseUrl = started.url;
  }
  if (existing) await requireEventStoreTables(config, databaseUrl, embedded);
  else if (options.migrate !== false) await migrate(databaseUrl, parts);
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
  const personalText = new PersonalTextSealer(parts.freeText);
  return {
    config,
    databaseUrl,
    pool,
    dataSource,
    store,
    clock,
    testClock,
    upcasters,
    personalText,
    repository: new EventSourcedRepository(store, upcasters, personalText),
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

import { Client, Pool } from 'pg';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';

export interface DatabaseModuleParts {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  migrations: MixedList<Function | string>;
}

/** TypeORM data source for read models and migrations. `synchronize` is never used. */
export function createDataSource(url: string, parts: DatabaseModuleParts, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: parts.entities,
    migrations: parts.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize },
  });
}

/** A plain pg pool for the event store's hot path (no ORM in between). */
export function createPool(url: string, max = 10): Pool {
  const pool = new Pool({ connectionString: url, max });
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => undefined);
  // Nor a checked-out one: pg-pool removes its own error listener while a client is lent out, so a
  // server restart (57P01) would surface as an unhandled 'error' event. The query in flight still
  // fails and is answered as a 503 (problem filter).
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Advisory-lock key held while migrating (namespace 7300; projections use 7301). */
const MIGRATION_LOCK = [7300, 1] as const;

/**
 * Applies pending migrations. Replicas starting together would otherwise race on the same
 * migration (duplicate-table errors, or one replica serving before the schema is complete), so
 * the run is serialised by a session advisory lock; the second replica then finds nothing to do.
 */
export async function migrate(url: string, parts: DatabaseModuleParts): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    const ds = createDataSource(url, parts, 2);
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await ds.destroy();
    }
  } finally {
    await lock.end();
  }
}

import { Pool } from 'pg';
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
  return pool;
}

export async function migrate(url: string, parts: DatabaseModuleParts): Promise<string[]> {
  const ds = createDataSource(url, parts, 2);
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

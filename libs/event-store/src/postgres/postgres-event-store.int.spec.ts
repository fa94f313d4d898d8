import { createPool } from '../../../platform/src/database/data-source';
import { PLATFORM_MIGRATIONS } from '../../../platform/src/database/migrations';
import { createTestDatabase } from '../../../../test/support/database';
import { eventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

eventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
  const pool = createPool(db.url);
  const store = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 50 });
  return {
    store,
    teardown: async () => {
      await store.close();
      await pool.end();
      await db.drop();
    },
  };
});

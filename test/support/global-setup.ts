import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded-postgres';

/**
 * One PostgreSQL for the whole integration run: DATABASE_URL when set, otherwise an embedded
 * cluster on a free port. Each test file then creates its own database (test/support/database.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'oksio-test-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false, durable: false });
  (globalThis as any).__OKSIO_PG__ = pg;
  process.env.TEST_ADMIN_DATABASE_URL = pg.connectionString;
  process.stdout.write(`\n[test] embedded PostgreSQL on port ${pg.port} (${Date.now() - started} ms)\n`);
}

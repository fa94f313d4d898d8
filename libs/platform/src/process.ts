import { ConfigurationError } from '@oksio/kernel';

/**
 * Runs a process entry point: a configuration error exits 78 (EX_CONFIG) with its message, any
 * other start-up failure exits 1 with its stack. `main` returns what to close on SIGINT/SIGTERM
 * (Nest app first, then the runtime), so in-flight work ends and leases are released.
 */
export function runProcess(main: () => Promise<Array<{ close(): Promise<unknown> }>>): void {
  main()
    .then((closeables) => {
      const shutdown = async () => {
        for (const c of closeables) await c.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    })
    .catch((error) => {
      if (error instanceof ConfigurationError) {
        process.stderr.write(`Configuration error: ${error.message}\n`);
        process.exit(78);
      }
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(1);
    });
}

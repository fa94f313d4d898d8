import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigurationError } from '@oksio/kernel';
import { loadConfig, openRuntime } from '@oksio/platform';
import { WorkerModule } from './worker.module';
import { DATABASE_PARTS } from '../../api/src/contexts';

/**
 * A worker process: projections (each leased to exactly one worker across processes) and the
 * scheduler, without HTTP. Several may run against one database; see docs/operations.md.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, RUN_WORKER: 'true' });
  const runtime = await openRuntime(config, DATABASE_PARTS);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRuntime(runtime), { logger: new Logger() });
  app.enableShutdownHooks();
  await app.init();
  new Logger('Worker').log(`worker ${config.instanceName} running`);
  const shutdown = async () => {
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

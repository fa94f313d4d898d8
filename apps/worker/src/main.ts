import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, openRuntime, runProcess } from '@oksio/platform';
import { WorkerModule } from './worker.module';
import { DATABASE_PARTS } from '../../api/src/contexts';

/**
 * A worker process: projections (each leased to exactly one worker across processes) and the
 * scheduler, without HTTP. Several may run against one database; see docs/operations.md.
 */
async function main() {
  const config = loadConfig({ ...process.env, RUN_WORKER: 'true' });
  const runtime = await openRuntime(config, DATABASE_PARTS);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRuntime(runtime), { logger: new Logger() });
  await app.init();
  new Logger('Worker').log(`worker ${config.instanceName} running`);
  return [app, runtime];
}

runProcess(main);

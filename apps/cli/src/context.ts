import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { loadConfig, openRuntime, type Runtime } from '@oksio/platform';
import { WorkerModule } from '../../worker/src/worker.module';
import { DATABASE_PARTS } from '../../api/src/contexts';

export interface CliContext {
  runtime: Runtime;
  app: INestApplicationContext;
  close(): Promise<void>;
}

/**
 * The CLI runs the same modules as the worker, without starting projections or the scheduler,
 * so audit replays use the contexts' own deciders. `store: 'existing'` (read-only audit commands)
 * opens only a store that is already there: a wrong DATA_DIR or DATABASE_URL is a configuration
 * error (exit 78), never a new empty database.
 */
export async function openCli(options: { store?: 'create' | 'existing' } = {}): Promise<CliContext> {
  Logger.overrideLogger(['error']);
  const config = loadConfig({ ...process.env, RUN_WORKER: 'false' });
  const runtime = await openRuntime(config, DATABASE_PARTS, { store: options.store ?? 'create' });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRuntime(runtime), { logger: ['error'] });
  await app.init();
  return {
    runtime,
    app,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

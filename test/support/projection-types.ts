import { NestFactory } from '@nestjs/core';
import { loadConfig, openRuntime, WorkerService } from '../../libs/platform/src';
import { DATABASE_PARTS } from '../../apps/api/src/contexts';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/**
 * The event types each projection of the application reads, as the worker registers them: what
 * a projection's `events_applied` is checked against when the worker runs in other processes.
 */
export async function applicationProjectionEventTypes(databaseUrl: string): Promise<Map<string, readonly string[]>> {
  const runtime = await openRuntime(
    loadConfig({ DATABASE_URL: databaseUrl, NODE_ENV: 'test', CLOCK: 'test', RUN_WORKER: 'false', INSTANCE_NAME: 'projection-types', DB_POOL_SIZE: '1' }),
    DATABASE_PARTS,
    { migrate: false },
  );
  try {
    const context = await NestFactory.createApplicationContext(WorkerModule.forRuntime(runtime), { logger: false });
    await context.init();
    try {
      return context.get(WorkerService).projectionEventTypes();
    } finally {
      await context.close();
    }
  } finally {
    await runtime.close();
  }
}

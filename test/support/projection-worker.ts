/**
 * A worker process for the multi-process tests: runs the counting projections named in
 * PROJECTIONS against DATABASE_URL until killed. Prints "ready" once it has started.
 */
import { createDataSource, createPool } from '../../libs/platform/src/database/data-source';
import { ProjectionRunner } from '../../libs/platform/src/projections/projection-runner';
import { PostgresEventStore } from '../../libs/event-store/src';
import { countingProjection } from './counting-projection';

async function main() {
  const url = process.env.DATABASE_URL!;
  const worker = process.env.WORKER_NAME ?? `pid-${process.pid}`;
  const names = (process.env.PROJECTIONS ?? 'counts').split(',');
  const delayMs = Number(process.env.APPLY_DELAY_MS ?? 0);
  const pool = createPool(url, 4);
  const dataSource = createDataSource(url, { entities: [], migrations: [] }, 4);
  await dataSource.initialize();
  const store = new PostgresEventStore({ pool, connectionString: url, pollIntervalMs: 50 });
  const runner = new ProjectionRunner({
    dataSource,
    store,
    connectionString: url,
    owner: worker,
    projections: names.map((n) => countingProjection(n, worker, delayMs)),
    batchSize: Number(process.env.BATCH_SIZE ?? 200),
    leaseRetryMs: 200,
    onError: (name, error) => process.stderr.write(`[${worker}] ${name}: ${String(error)}\n`),
  });
  await runner.start();
  process.stdout.write(`ready ${worker} ${runner.runningHere().join(',')}\n`);
  process.on('SIGTERM', async () => {
    await runner.stop();
    process.exit(0);
  });
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

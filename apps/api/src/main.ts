import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ApiKeyRegistry, DEVELOPMENT_KEYS, loadConfig, openRuntime, runProcess } from '@oksio/platform';
import { createApp } from './create-app';
import { DATABASE_PARTS } from './contexts';

/**
 * `npm start`: API (REST, GraphQL, admin client) and, unless RUN_WORKER=false, the worker
 * (projections + scheduler) in one process; embedded PostgreSQL in ./.data when DATABASE_URL is unset.
 */
async function main() {
  const logger = new Logger('Main');
  const config = loadConfig();
  // The keys are checked before anything starts (a development key in production exits 78 here).
  ApiKeyRegistry.fromConfig(config);
  if (!config.databaseUrl) logger.log(`DATABASE_URL unset: starting the embedded PostgreSQL in ${config.dataDir}/pg`);
  const runtime = await openRuntime(config, DATABASE_PARTS);
  const app = await createApp(runtime);
  await app.listen(config.port, config.host);
  const base = (await app.getUrl()).replace('[::1]', 'localhost');
  const lines = [
    `OKSIO platform up (${config.environment}, event store: ${runtime.store.adapter}, clock: ${config.clock}, worker: ${config.runWorker ? 'in-process' : 'off'})`,
    `  REST docs : ${base}/docs`,
    `  GraphQL   : ${base}/graphql`,
    `  Health    : ${base}/health`,
    `  Admin     : ${base}/admin`,
  ];
  if (!config.apiKeys && !config.apiKeysFile) {
    lines.push('  Development API keys (X-API-Key header):');
    for (const [role, key] of Object.entries(DEVELOPMENT_KEYS)) lines.push(`    ${role.padEnd(8)} ${key}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return [app, runtime];
}

runProcess(main);

import 'reflect-metadata';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { START, eventToJson, formatPosition, type Position } from '@oksio/event-store';
import { ConfigurationError, dateOfInstant, instantProblem } from '@oksio/kernel';
import { AuditService, WorkerService, hashApiKey, loadConfig, masterKeyProblem } from '@oksio/platform';
import { PiiVault, parseMasterKey } from '@oksio/privacy';
import { openCli } from './context';
import { progressBar } from './progress';
import { renderRulesMarkdown, ruleCoverage } from './rules-coverage';
import { registerGenerateCommand } from './generate';

/** The same instants as the API accepts (kernel `instantProblem`): an offset, no rollover. */
function instant(value: string): Date {
  const problem = instantProblem(value);
  if (problem) throw new InvalidArgumentError(`${problem} (e.g. 2027-03-01T00:00:00Z)`);
  return dateOfInstant(value);
}

const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2);

const program = new Command('oksio').description('Operator and auditor CLI of the OKSIO platform').showHelpAfterError();

const audit = program.command('audit').description('Tamper-evidence and history');

audit
  .command('verify')
  .description('Checks every stream hash chain; exits 1 naming the first bad event, 78 when the store is missing or empty')
  .option('--stream <id>', 'check one stream only')
  .action(async (opts: { stream?: string }) => {
    const cli = await openCli({ store: 'existing' });
    try {
      const auditService = cli.app.get(AuditService);
      if (opts.stream) {
        const problem = await auditService.verifyStream(opts.stream);
        if (problem) return fail(problem);
        process.stdout.write(`OK: stream ${opts.stream} verified\n`);
        return;
      }
      const { rows } = await cli.runtime.pool.query('SELECT count(*)::int AS n FROM es_streams').catch(() => ({ rows: [{ n: 0 }] }));
      const bar = progressBar('verify', rows[0].n);
      const report = await auditService.verifyAll((streams) => bar.update(streams));
      bar.stop();
      if (report.problem) return fail(report.problem);
      // Nothing to verify is not "verified": an empty store is most likely the wrong one.
      if (report.streams === 0) throw new ConfigurationError(storeVariable(cli.runtime.config), 'the event store holds no stream: nothing to verify (is it the store the API writes to?)');
      process.stdout.write(`OK: ${report.streams} streams, ${report.events} events verified\n`);
    } finally {
      await cli.close();
    }
  });

/** The variable that says where the event store is. */
function storeVariable(config: { eventStore: string; databaseUrl: string | null }): string {
  if (config.eventStore === 'eventstoredb') return 'EVENTSTORE_CONNECTION_STRING';
  return config.databaseUrl ? 'DATABASE_URL' : 'DATA_DIR';
}

function fail(problem: { streamId: string; eventId: string | null; revision: number; kind: string; message: string }) {
  process.stdout.write(
    `TAMPERED: stream ${problem.streamId} revision ${problem.revision}` +
      `${problem.eventId ? ` event ${problem.eventId}` : ''}: ${problem.kind} — ${problem.message}\n`,
  );
  process.exitCode = 1;
}

audit
  .command('replay')
  .description('State of an aggregate as of an instant: the stream up to its first event recorded after it')
  .requiredOption('--stream <id>', 'stream id, e.g. subscription-…')
  .requiredOption('--as-of <instant>', 'ISO-8601 instant', instant)
  .action(async (opts: { stream: string; asOf: Date }) => {
    const cli = await openCli({ store: 'existing' });
    try {
      const replayed = await cli.app.get(AuditService).replay(opts.stream, opts.asOf);
      process.stdout.write(
        `${json({ streamId: opts.stream, asOf: opts.asOf.toISOString(), eventsApplied: replayed.events, state: replayed.state })}\n`,
      );
    } finally {
      await cli.close();
    }
  });

program
  .command('events')
  .description('Event history')
  .command('export')
  .description('Exports every event in global order')
  .option('--format <format>', 'ndjson', 'ndjson')
  .option('--out <file>', 'file to write (default: stdout)')
  .action(async (opts: { format: string; out?: string }) => {
    if (opts.format !== 'ndjson') throw new InvalidArgumentError('only ndjson is supported');
    const cli = await openCli({ store: 'existing' });
    try {
      const out: NodeJS.WritableStream = opts.out ? createWriteStream(opts.out) : process.stdout;
      const total = (await cli.runtime.store.countAfter?.(START, Number.MAX_SAFE_INTEGER)) ?? 0;
      const bar = progressBar('export', total);
      let after: Position = START;
      let written = 0;
      for (;;) {
        const batch = await cli.runtime.store.readAll({ after, maxCount: 1000 });
        if (batch.length === 0) break;
        const chunk = batch.map((e) => JSON.stringify(eventToJson(e))).join('\n') + '\n';
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        written += batch.length;
        after = batch[batch.length - 1].position;
        bar.update(written);
      }
      bar.stop();
      if (opts.out) await new Promise<void>((r) => out.end(() => r()));
      process.stderr.write(`exported ${written} events up to ${formatPosition(after)}\n`);
    } finally {
      await cli.close();
    }
  });

const projections = program.command('projections').description('Read models');

projections
  .command('status')
  .description('Checkpoint, owner and lag of every projection')
  .action(async () => {
    const cli = await openCli();
    try {
      process.stdout.write(`${json(await cli.app.get(WorkerService).runner.status())}\n`);
    } finally {
      await cli.close();
    }
  });

projections
  .command('rebuild <name>')
  .description('Empties a read model and replays all events into it (stop workers first, or let the lease holder do it)')
  .action(async (name: string) => {
    const cli = await openCli();
    try {
      const runner = cli.app.get(WorkerService).runner;
      const total = (await cli.runtime.store.countAfter?.(START, Number.MAX_SAFE_INTEGER)) ?? 0;
      await runner.reset(name);
      const bar = progressBar(`rebuild ${name}`, total);
      const started = Date.now();
      const applied = await runner.catchUp(name, (n) => bar.update(n));
      bar.stop();
      process.stdout.write(`rebuilt ${name}: ${applied} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    } finally {
      await cli.close();
    }
  });

program
  .command('pii')
  .description('Personal-data vault')
  .command('rotate-master-key')
  .description('Re-wraps every live data key with the master key in PII_NEW_MASTER_KEY (64 hex chars); run with the API and workers stopped, then set PII_MASTER_KEY to it')
  .action(async () => {
    // The new key comes from the environment, never from argv (it would land in shell history and `ps`).
    const next = process.env.PII_NEW_MASTER_KEY;
    if (!next) throw new InvalidArgumentError('PII_NEW_MASTER_KEY is unset');
    // The same rules as PII_MASTER_KEY, which it is about to become.
    const problem = masterKeyProblem(next, { allowDevelopment: loadConfig().environment !== 'production' });
    if (problem) throw new ConfigurationError('PII_NEW_MASTER_KEY', problem);
    const cli = await openCli();
    try {
      const result = await cli.app.get(PiiVault).rotateMasterKey(parseMasterKey(next));
      process.stdout.write(`re-wrapped ${result.rewrapped} data keys with master key ${result.masterKeyId}\n`);
    } finally {
      await cli.close();
    }
  });

program
  .command('apikey')
  .description('API keys')
  .command('hash <key>')
  .description('Prints the API_KEYS entry that stores this key hashed: name=role:sha256:<hex>')
  .option('--name <name>', 'holder name', 'client')
  .option('--role <role>', 'system | support | auditor | admin', 'system')
  .action((key: string, opts: { name: string; role: string }) => {
    process.stdout.write(`${opts.name}=${opts.role}:sha256:${hashApiKey(key)}\n`);
  });

program
  .command('rules')
  .description('Rules traceability')
  .command('doc')
  .description('Regenerates docs/rules.md (rule → code → test) from the sources')
  .option('--check', 'exit 1 if docs/rules.md is stale instead of writing it')
  .action((opts: { check?: boolean }) => {
    const root = resolve(__dirname, '../../..').replace(/\/dist$/, '');
    const path = join(root, 'docs/rules.md');
    const current = readFileSync(path, 'utf8');
    const platform = current.split('## Business rules')[0].split('## Platform properties')[1] ?? '';
    const next = renderRulesMarkdown(ruleCoverage(root), `## Platform properties${platform}`);
    if (opts.check) {
      if (next !== current) {
        process.stdout.write('docs/rules.md is stale: run npm run cli -- rules doc\n');
        process.exitCode = 1;
      }
      return;
    }
    writeFileSync(path, next);
    process.stdout.write(`wrote ${path}\n`);
  });

registerGenerateCommand(program, openCli);

// Exit codes: 0 done, 1 a check failed (e.g. tampering), 2 usage or any other error, 78 configuration
// (EX_CONFIG, as the API and the worker: a bad variable, or a store that is not where it points).
program.parseAsync(process.argv).catch((error) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`${error?.message ?? error}\n`);
  process.exit(2);
});

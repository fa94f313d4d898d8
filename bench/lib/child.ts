import { fork } from 'node:child_process';

/**
 * Load generators and measured workloads run in their own Node process: the orchestrator's
 * heap does not pollute RSS figures, one run's warm caches do not help the next, and the peer
 * library's global side effects (emmett/dumbo replace node-postgres' bigint and jsonb parsers
 * process-wide) cannot leak into the port's measurements.
 */
export function runChild<I, O>(script: string, input: I): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    // BENCH_CPU_PROF_DIR: every measured child writes a V8 CPU profile there (open in Chrome DevTools).
    const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced', execArgv: [...process.execArgv, ...profile] });
    let settled = false;
    child.on('message', (message: { ok: boolean; result?: O; error?: string }) => {
      settled = true;
      if (message.ok) resolve(message.result as O);
      else reject(new Error(`${script}: ${message.error}`));
    });
    child.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`${script} exited with code ${code} before reporting`));
    });
    child.send(input as never);
  });
}

/** Entry point of a child script: receives one input, replies with one result, exits. */
export function childMain<I, O>(handler: (input: I) => Promise<O>): void {
  if (!process.send) throw new Error('this script is started by bench/run.ts (runChild), not directly');
  process.once('message', (input: I) => {
    handler(input).then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) => process.send!({ ok: false, error: (error as Error)?.stack ?? String(error) }, () => process.exit(1)),
    );
  });
}

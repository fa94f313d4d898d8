import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { freePort } from '../../libs/platform/src/database/embedded-postgres';
import { PROJECTION_LOCK_NAMESPACE } from '../../libs/platform/src/projections/projection-runner';
import { killHard, spawnTs } from '../support/processes';

/**
 * A local "cluster" of real OKSIO processes for the deployment tests: API and worker entry points
 * started as child processes (TypeScript compiled on the fly, test/support/processes.ts) on one
 * PostgreSQL database, each with its own port and INSTANCE_NAME, with their logs captured.
 *
 * `stopAll()` SIGKILLs whatever is still running: call it in afterAll so that no child survives a
 * failed test (it is also registered on process exit as a last resort).
 */

export interface ManagedProcess {
  name: string;
  role: 'api' | 'worker';
  child: ChildProcess;
  /** API only. */
  port: number | null;
  baseUrl: string | null;
  /** stdout and stderr interleaved, as received. */
  log: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const LOG_LIMIT = 2000;
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class Cluster {
  private readonly processes = new Map<string, ManagedProcess>();

  /** `env` is shared by every process (DATABASE_URL, NODE_ENV, CLOCK, ...). */
  constructor(private readonly env: Record<string, string>) {}

  get(name: string): ManagedProcess {
    const p = this.processes.get(name);
    if (!p) throw new Error(`no process ${name}`);
    return p;
  }

  all(): ManagedProcess[] {
    return [...this.processes.values()];
  }

  running(): ManagedProcess[] {
    return this.all().filter((p) => isRunning(p.child));
  }

  /** Starts apps/api/src/main.ts (RUN_WORKER=false unless overridden) on a free port; resolves once /health answers 200. */
  async startApi(name: string, env: Record<string, string> = {}, timeoutMs = 45_000): Promise<ManagedProcess> {
    const port = await freePort();
    const p = this.spawn(name, 'api', 'apps/api/src/main.ts', { RUN_WORKER: 'false', ...env, PORT: String(port), HOST: '127.0.0.1' }, port);
    await this.waitHealthy(p, timeoutMs);
    return p;
  }

  /**
   * Starts a worker entry point (default apps/worker/src/main.ts); resolves once it logged
   * "worker <name> running", i.e. after it took the projection leases it could get and started
   * its scheduler.
   */
  async startWorker(name: string, env: Record<string, string> = {}, script = 'apps/worker/src/main.ts', timeoutMs = 45_000): Promise<ManagedProcess> {
    const p = this.spawn(name, 'worker', script, env, null);
    await this.waitForLog(p, new RegExp(`worker ${name} running`), timeoutMs);
    return p;
  }

  /** SIGSTOP: the process hangs with its connections open (its leases stay held). */
  freeze(name: string): void {
    this.get(name).child.kill('SIGSTOP');
  }

  /** SIGCONT after freeze(). */
  thaw(name: string): void {
    this.get(name).child.kill('SIGCONT');
  }

  /** SIGKILL: no shutdown hook runs; the kernel closes the process's sockets. */
  async kill(name: string): Promise<void> {
    const p = this.get(name);
    await killHard(p.child);
    live.delete(p.child);
  }

  /** SIGTERM, then the exit status (SIGKILL after `timeoutMs`, reported as such). */
  async terminate(name: string, timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; forced: boolean }> {
    const p = this.get(name);
    if (!isRunning(p.child)) return { ...(await p.exited), forced: false };
    p.child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    const outcome = await Promise.race([p.exited, timer]);
    if (outcome === 'timeout') {
      await killHard(p.child);
      return { ...(await p.exited), forced: true };
    }
    return { ...outcome, forced: false };
  }

  /** SIGKILLs every process still running (afterAll, also after failures). */
  async stopAll(): Promise<void> {
    await Promise.all(this.all().map((p) => killHard(p.child).then(() => live.delete(p.child))));
  }

  logOf(name: string): string {
    return this.get(name).log.join('');
  }

  /** The last lines of every process's log, for failure messages. */
  logTail(lines = 30): string {
    return this.all()
      .map((p) => `----- ${p.name} (${p.role}${p.port ? ` :${p.port}` : ''}, ${describeExit(p.child)}) -----\n${p.log.join('').split('\n').slice(-lines).join('\n')}`)
      .join('\n');
  }

  private spawn(name: string, role: 'api' | 'worker', script: string, env: Record<string, string>, port: number | null): ManagedProcess {
    if (this.processes.has(name) && isRunning(this.processes.get(name)!.child)) throw new Error(`${name} is already running`);
    const child = spawnTs(script, { ...this.env, INSTANCE_NAME: name, ...env });
    live.add(child);
    const log: string[] = [];
    const capture = (chunk: Buffer) => {
      log.push(chunk.toString());
      if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    };
    // Always drain both pipes: a child blocked on a full stdout pipe would look hung.
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => {
        live.delete(child);
        resolve({ code, signal });
      }),
    );
    const p: ManagedProcess = { name, role, child, port, baseUrl: port ? `http://127.0.0.1:${port}` : null, log, exited };
    this.processes.set(name, p);
    return p;
  }

  private async waitHealthy(p: ManagedProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!isRunning(p.child)) throw new Error(`${p.name} exited (${describeExit(p.child)}) before /health answered 200:\n${p.log.join('')}`);
      try {
        const res = await fetch(`${p.baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
        last = `${res.status} ${await res.text()}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(100);
    }
    throw new Error(`${p.name}: /health not 200 within ${timeoutMs} ms (last: ${last}):\n${p.log.join('')}`);
  }

  private async waitForLog(p: ManagedProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(p.log.join(''))) {
      if (!isRunning(p.child)) throw new Error(`${p.name} exited (${describeExit(p.child)}) before logging ${pattern}:\n${p.log.join('')}`);
      if (Date.now() > deadline) throw new Error(`${p.name}: no ${pattern} within ${timeoutMs} ms:\n${p.log.join('')}`);
      await sleep(50);
    }
  }
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function describeExit(child: ChildProcess): string {
  if (isRunning(child)) return 'running';
  return child.signalCode ? `killed by ${child.signalCode}` : `exit ${child.exitCode}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Watches projection leases: polls pg_locks and projection_checkpoints every 100 ms on its own
 * connection for the advisory locks the projection runner takes (classid =
 * PROJECTION_LOCK_NAMESPACE, objid = hashtext(name), objsubid = 2) in this database only, and
 * keeps the maximum number of simultaneous holders per projection and every owner recorded.
 */
export class LeaseSampler {
  private client: Client | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private samples = 0;
  private readonly maxHolders: Record<string, number> = {};
  private readonly owners = new Set<string>();

  async start(url: string) {
    this.client = new Client({ connectionString: url });
    await this.client.connect();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const rows = await this.sample();
          this.samples++;
          for (const r of rows) {
            this.maxHolders[r.name] = Math.max(this.maxHolders[r.name] ?? 0, r.holders);
            if (r.owner) this.owners.add(r.owner);
          }
        } catch {
          // connection trouble during teardown
        }
        await sleep(100);
      }
    })();
  }

  private async sample(): Promise<Array<{ name: string; owner: string | null; holders: number }>> {
    const { rows } = await this.client!.query(
      `SELECT c.name, c.owner,
              (SELECT count(*)::int FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                  AND l.classid = $1
                  AND l.objid::text::bigint = (hashtext(c.name)::bigint & 4294967295)
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS holders
         FROM projection_checkpoints c ORDER BY c.name`,
      [PROJECTION_LOCK_NAMESPACE],
    );
    return rows;
  }

  /** Projection → number of lock holders now (projections without a holder are left out). */
  async holdersNow(): Promise<Record<string, number>> {
    return Object.fromEntries((await this.sample()).filter((r) => r.holders > 0).map((r) => [r.name, r.holders]));
  }

  summary() {
    return { samples: this.samples, maxHolders: { ...this.maxHolders }, owners: new Set(this.owners) };
  }

  async stop() {
    this.running = false;
    await this.loop;
    await this.client?.end().catch(() => undefined);
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ProjectionRunner } from '../projections/projection-runner';
import type { Projection } from '../projections/projection';
import { Scheduler, type DueActionHandler } from '../scheduler/scheduler';
import { RUNTIME } from '../tokens';
import type { Runtime } from '../runtime';

/**
 * Bounded contexts register their projections and due-action handlers here (in onModuleInit);
 * when the process runs the worker role, they start after bootstrap and stop on shutdown,
 * releasing projection leases and scheduler claims.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly projections: Projection[] = [];
  private readonly handlers: Record<string, DueActionHandler> = {};
  private runnerInstance: ProjectionRunner | null = null;
  private schedulerInstance: Scheduler | null = null;

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  registerProjection(projection: Projection): void {
    this.projections.push(projection);
  }

  registerDueActionHandler(kind: string, handler: DueActionHandler): void {
    if (this.handlers[kind]) throw new Error(`due action kind ${kind} registered twice`);
    this.handlers[kind] = handler;
  }

  /** Built on first use so that registrations made during module init are all included. */
  get runner(): ProjectionRunner {
    this.runnerInstance ??= new ProjectionRunner({
      dataSource: this.runtime.dataSource,
      store: this.runtime.store,
      connectionString: this.runtime.databaseUrl,
      projections: this.projections,
      owner: this.runtime.config.instanceName,
      upcasters: this.runtime.upcasters,
      onError: (name, error) => this.logger.error(`projection ${name}: ${(error as Error)?.stack ?? error}`),
    });
    return this.runnerInstance;
  }

  get scheduler(): Scheduler {
    this.schedulerInstance ??= new Scheduler({
      dataSource: this.runtime.dataSource,
      clock: this.runtime.clock,
      handlers: this.handlers,
      // Unique per scheduler even when processes share an instance name (tests, misconfiguration).
      owner: `${this.runtime.config.instanceName}/${randomUUID().slice(0, 8)}`,
      claimSeconds: this.runtime.config.schedulerClaimSeconds,
      beforeTick: () => this.runtime.testClock?.refresh() ?? Promise.resolve(),
      onError: (action, error) =>
        this.logger.warn(`due action ${action?.key ?? '(tick)'}: ${(error as Error)?.message ?? error}`),
    });
    return this.schedulerInstance;
  }

  projectionNames(): string[] {
    return this.projections.map((p) => p.name);
  }

  /** The event types each projection reads (its checkpoint's `events_applied` counts those). */
  projectionEventTypes(): Map<string, readonly string[]> {
    return new Map(this.projections.map((p) => [p.name, p.eventTypes]));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runtime.config.runWorker) return;
    await this.runner.start();
    this.scheduler.start();
    this.logger.log(`projections: ${this.projectionNames().join(', ') || 'none'}; scheduler started`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.schedulerInstance?.stop();
    await this.runnerInstance?.stop();
  }
}

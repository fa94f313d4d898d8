import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, RUNTIME, type Runtime, WorkerService, projectionStatus } from '@oksio/platform';

/**
 * Readiness (`/health`: database, event store, projection lag; 503 when a dependency is down) and
 * liveness (`/health/live`: the process answers). Liveness must not depend on the database, or an
 * outage of PostgreSQL would make an orchestrator restart every healthy replica. No authentication.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly worker: WorkerService,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process serves requests (no dependency checked)' })
  live() {
    return { status: 'up', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Database, event store and projection lag; 503 when a dependency is down' })
  async health(@Res({ passthrough: true }) res: Response) {
    const check = async (fn: () => Promise<unknown>) => {
      const started = Date.now();
      try {
        await fn();
        return { status: 'up' as const, latencyMs: Date.now() - started };
      } catch (error) {
        return { status: 'down' as const, error: (error as Error).message };
      }
    };
    const database = await check(() => this.runtime.pool.query('SELECT 1'));
    const eventStore = await check(() => this.runtime.store.ping());
    const projections =
      database.status === 'up'
        ? (await projectionStatus(this.runtime.dataSource, this.runtime.store, this.worker.runner.runningHere())).map((p) => ({
            name: p.name,
            lagEvents: p.lagEvents,
            owner: p.owner,
            runningHere: p.runningHere,
          }))
        : [];
    const up = database.status === 'up' && eventStore.status === 'up';
    res.status(up ? 200 : 503);
    return {
      status: up ? 'up' : 'down',
      eventStoreAdapter: this.runtime.store.adapter,
      database,
      eventStore,
      projections,
      clock: { now: this.runtime.clock.now().toISOString(), mode: this.runtime.config.clock },
    };
  }
}

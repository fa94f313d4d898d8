/**
 * The real worker entry point (apps/worker/src/main.ts) with one extra, test-only "context"
 * plugged into the WorkerService the same way bounded contexts plug theirs in:
 *
 * - projection `deploy-probe` (CustomerRegistered, DeployProbeFollowedUp): records every event it
 *   applies in deploy_probe_applied (event_id is the primary key, so applying an event twice makes
 *   the batch fail, and the row says which worker applied it), and for each customer schedules a
 *   due action one day after registration (DueActions.schedule, source deploy-probe), as the
 *   Subscription context will for renewals;
 * - due-action handler `deploy-probe.follow-up`: logs the attempt in deploy_probe_runs (outside any
 *   transaction: a crash does not erase it), waits PROBE_HANDLER_DELAY_MS, then appends
 *   DeployProbeFollowedUp with the action's deterministic command id, as a real handler sends its
 *   command. A retried action therefore writes its event once (es_commands).
 *
 * The tables (PROBE_TABLES in ./probe.ts) are created by the test (multi-process.int.spec.ts).
 * Everything else is unchanged production code: projection leases, scheduler, shutdown.
 */
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/src';
import type { Projection } from '../../libs/platform/src/projections/projection';
import type { Runtime } from '../../libs/platform/src/runtime';
import { DueActions } from '../../libs/platform/src/scheduler/due-actions';
import { WorkerService } from '../../libs/platform/src/worker/worker.service';
import { PROBE_EVENT_TYPES, PROBE_KIND, PROBE_PROJECTION } from './probe';

function probeProjection(worker: string): Projection {
  return {
    name: PROBE_PROJECTION,
    eventTypes: PROBE_EVENT_TYPES,
    async apply(event: RecordedEvent, tx: EntityManager) {
      await tx.query('INSERT INTO deploy_probe_applied (event_id, type, stream_id, worker) VALUES ($1, $2, $3, $4)', [
        event.eventId,
        event.type,
        event.streamId,
        worker,
      ]);
      if (event.type === 'CustomerRegistered') {
        const customerId = String(event.data.customerId);
        await DueActions.schedule(tx, {
          key: `deploy-probe:${customerId}`,
          kind: PROBE_KIND,
          aggregateId: customerId,
          dueAt: new Date(Date.parse(event.metadata.occurredAt) + 24 * 3600_000),
          payload: { customerId },
          source: PROBE_PROJECTION,
        });
      }
    },
    async reset(tx: EntityManager) {
      await tx.query('DELETE FROM deploy_probe_applied');
      await DueActions.resetSource(tx, PROBE_PROJECTION);
    },
  };
}

const bootstrap = WorkerService.prototype.onApplicationBootstrap;
WorkerService.prototype.onApplicationBootstrap = async function (this: WorkerService): Promise<void> {
  const runtime = (this as unknown as { runtime: Runtime }).runtime;
  const worker = runtime.config.instanceName;
  const delayMs = Number(process.env.PROBE_HANDLER_DELAY_MS ?? 0);
  this.registerProjection(probeProjection(worker));
  this.registerDueActionHandler(PROBE_KIND, async (action) => {
    await runtime.pool.query('INSERT INTO deploy_probe_runs (key, command_id, worker) VALUES ($1, $2, $3)', [action.key, action.commandId, worker]);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    await runtime.store.append(
      `deployprobe-${action.aggregateId}`,
      [
        {
          type: 'DeployProbeFollowedUp',
          data: { key: action.key, dueAt: action.dueAt.toISOString() },
          metadata: {
            occurredAt: runtime.clock.now().toISOString(),
            actor: { id: 'scheduler', role: 'system' },
            correlationId: action.commandId,
            causationId: null,
            commandId: action.commandId,
            reason: null,
          },
        },
      ],
      { expectedRevision: 'any' },
    );
  });
  return bootstrap.call(this);
};

// The unchanged entry point, loaded after the patch above: configuration, runtime, worker.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../apps/worker/src/main');

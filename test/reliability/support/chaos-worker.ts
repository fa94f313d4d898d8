/**
 * The real worker entry point (apps/worker/src/main.ts) plus a test-only "context" plugged into
 * WorkerService the way bounded contexts plug theirs in (the pattern of test/deploy/probe-worker.ts):
 *
 * - projection `reliability-probe` (CustomerRegistered, CustomerContactAdded, ReliabilityFollowedUp):
 *   one row per applied event in reliability_probe_applied (event_id is the primary key, so an
 *   event applied twice fails its batch), and per customer a due action one day after registration;
 * - due-action handler `reliability.follow-up`: logs the attempt in reliability_probe_runs outside
 *   any transaction (a crash does not erase it), then appends ReliabilityFollowedUp with the
 *   action's deterministic command id, as a real handler sends its command.
 *
 * `installReliabilityProbe()` also serves the test process, whose in-process WorkerService rebuilds
 * every projection (the "clean rebuild" the killed workers' read models are compared with).
 */
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../../libs/event-store/src';
import type { Projection } from '../../../libs/platform/src/projections/projection';
import type { Runtime } from '../../../libs/platform/src/runtime';
import { DueActions } from '../../../libs/platform/src/scheduler/due-actions';
import { WorkerService } from '../../../libs/platform/src/worker/worker.service';

export const RELIABILITY_PROJECTION = 'reliability-probe';
export const RELIABILITY_KIND = 'reliability.follow-up';
export const RELIABILITY_TABLES = `
  CREATE TABLE IF NOT EXISTS reliability_probe_applied (
    event_id uuid PRIMARY KEY, type text NOT NULL, stream_id text NOT NULL, revision integer NOT NULL);
  CREATE TABLE IF NOT EXISTS reliability_probe_runs (
    id bigserial PRIMARY KEY, key text NOT NULL, command_id uuid NOT NULL, worker text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp());`;

function probeProjection(): Projection {
  return {
    name: RELIABILITY_PROJECTION,
    eventTypes: ['CustomerRegistered', 'CustomerContactAdded', 'ReliabilityFollowedUp'],
    async apply(event: RecordedEvent, tx: EntityManager) {
      await tx.query('INSERT INTO reliability_probe_applied (event_id, type, stream_id, revision) VALUES ($1, $2, $3, $4)', [
        event.eventId,
        event.type,
        event.streamId,
        event.revision,
      ]);
      if (event.type === 'CustomerRegistered') {
        const customerId = String(event.data.customerId);
        await DueActions.schedule(tx, {
          key: `reliability:${customerId}`,
          kind: RELIABILITY_KIND,
          aggregateId: customerId,
          dueAt: new Date(Date.parse(event.metadata.occurredAt) + 24 * 3600_000),
          payload: { customerId },
          source: RELIABILITY_PROJECTION,
        });
      }
    },
    async reset(tx: EntityManager) {
      await tx.query('DELETE FROM reliability_probe_applied');
      await DueActions.resetSource(tx, RELIABILITY_PROJECTION);
    },
  };
}

let installed = false;

export function installReliabilityProbe(): void {
  if (installed) return;
  installed = true;
  const bootstrap = WorkerService.prototype.onApplicationBootstrap;
  WorkerService.prototype.onApplicationBootstrap = async function (this: WorkerService): Promise<void> {
    const runtime = (this as unknown as { runtime: Runtime }).runtime;
    const worker = runtime.config.instanceName;
    this.registerProjection(probeProjection());
    this.registerDueActionHandler(RELIABILITY_KIND, async (action) => {
      await runtime.pool.query('INSERT INTO reliability_probe_runs (key, command_id, worker) VALUES ($1, $2, $3)', [action.key, action.commandId, worker]);
      await runtime.store.append(
        `reliabilityprobe-${action.aggregateId}`,
        [
          {
            type: 'ReliabilityFollowedUp',
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
}

if (require.main === module) {
  installReliabilityProbe();
  // The unchanged entry point: configuration, runtime, worker.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../../apps/worker/src/main');
}

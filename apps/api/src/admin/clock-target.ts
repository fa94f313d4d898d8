import { DomainError, MAX_YEAR, ValidationError } from '@oksio/kernel';
import type { Runtime } from '@oksio/platform';

const EARLIEST = Date.UTC(1970, 0, 1);
/** The last instant the platform accepts anywhere (kernel `MAX_YEAR`): what the clock says is what events record. */
const LATEST = Date.UTC(MAX_YEAR, 11, 31, 23, 59, 59, 999);

/**
 * Where the test clock may travel: a real instant between 1970 and the end of 2999, and never
 * before the newest recorded event. Outside the bounds the instant cannot be stored or means
 * nothing for a contract (400); before the newest event, the clock would record facts before facts
 * already recorded, and every later read (audit replay as of an instant, deadlines, SLA clocks)
 * would see a history that never happened (422). `DELETE /admin/clock` (real time) stays allowed:
 * the clock then is the real clock. Both refusals name the field. ALLOW_CLOCK_REWIND=true lifts the
 * second (integration test suites: independent scenarios on one database, each from its own date).
 */
export async function clockTarget(target: Date, field: 'instant' | 'advance', runtime: Pick<Runtime, 'store' | 'config'>): Promise<Date> {
  const t = target.getTime();
  if (Number.isNaN(t) || t < EARLIEST || t > LATEST) {
    throw new ValidationError('validation_failed', `the test clock must stay between 1970-01-01 and ${MAX_YEAR}-12-31 (${field})`, [
      { field, message: `must give an instant between 1970-01-01T00:00:00Z and ${MAX_YEAR}-12-31T23:59:59Z` },
    ]);
  }
  if (runtime.config.allowClockRewind) return target;
  const newest = await runtime.store.newestEvent();
  if (newest && t < Date.parse(newest.metadata.occurredAt)) {
    throw new DomainError(
      'clock_before_recorded_events',
      `The test clock cannot go back to ${target.toISOString()}: events are already recorded at ${newest.metadata.occurredAt} (stream ${newest.streamId})`,
      undefined,
      field,
    );
  }
  return target;
}

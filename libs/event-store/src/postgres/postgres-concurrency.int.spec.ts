import { randomUUID } from 'node:crypto';
import { createPool } from '../../../platform/src/database/data-source';
import { PLATFORM_MIGRATIONS } from '../../../platform/src/database/migrations';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { START } from '../envelope';
import { WrongExpectedRevisionError } from '../event-store';
import { PostgresEventStore } from './postgres-event-store';

const WRITERS = 8;
const TOTAL_EVENTS = 20_000;
const SHARED_STREAMS = 6;

describe('PostgreSQL event store under concurrent writers', () => {
  let db: TestDatabase;
  let pool: ReturnType<typeof createPool>;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    pool = createPool(db.url, WRITERS + 4);
    store = new PostgresEventStore({ pool, connectionString: db.url, pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('8 writers append 20,000 events to shared and own streams: subscription sees each once, conflicts are errors, no gaps', async () => {
    const seen = new Map<string, number>();
    let delivered = 0;
    const subscription = store.subscribeToAll({
      after: START,
      batchSize: 1000,
      onEvent: (e) => {
        seen.set(e.eventId, (seen.get(e.eventId) ?? 0) + 1);
        delivered++;
      },
    });
    const shared = Array.from({ length: SHARED_STREAMS }, (_, i) => `shared-${i}`);
    let conflicts = 0;
    const appendedIds: string[] = [];

    const writer = async (w: number) => {
      const own = `own-${w}`;
      let written = 0;
      let ownRevision: number | 'no_stream' = 'no_stream';
      for (let i = 0; written < TOTAL_EVENTS / WRITERS; i++) {
        const size = Math.min(1 + (i % 5), TOTAL_EVENTS / WRITERS - written);
        const events = Array.from({ length: size }, (_, k) => ({
          type: 'Counted',
          data: { writer: w, i, k },
          metadata: {
            occurredAt: '2026-01-01T00:00:00.000Z',
            actor: { id: `writer-${w}`, role: 'system' },
            correlationId: randomUUID(),
            causationId: null,
            commandId: null,
            reason: null,
          },
        }));
        if (i % 2 === 0) {
          const r = await store.append(own, events, { expectedRevision: ownRevision });
          ownRevision = r.nextExpectedRevision;
          appendedIds.push(...r.events.map((e) => e.eventId));
          written += size;
        } else {
          const target = shared[(w + i) % SHARED_STREAMS];
          const [last] = await store.readStream(target, { direction: 'backwards', maxCount: 1 });
          try {
            const r = await store.append(target, events, { expectedRevision: last ? last.revision : 'no_stream' });
            appendedIds.push(...r.events.map((e) => e.eventId));
            written += size;
          } catch (error) {
            if (!(error instanceof WrongExpectedRevisionError)) throw error;
            conflicts++;
          }
        }
      }
    };

    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const deadline = Date.now() + 60_000;
    while (delivered < TOTAL_EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    await subscription.stop();

    expect(appendedIds.length).toBe(TOTAL_EVENTS);
    expect(delivered).toBe(TOTAL_EVENTS);
    expect(seen.size).toBe(TOTAL_EVENTS);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(appendedIds.every((id) => seen.has(id))).toBe(true);
    // Overlapping writers on the shared streams must have collided at least once.
    expect(conflicts).toBeGreaterThan(0);

    const gaps = await pool.query(`
      SELECT stream_id, count(*) AS n, min(revision) AS lo, max(revision) AS hi, count(DISTINCT revision) AS d
      FROM es_events GROUP BY stream_id
      HAVING min(revision) <> 0 OR max(revision) <> count(*) - 1 OR count(DISTINCT revision) <> count(*)`);
    expect(gaps.rows).toEqual([]);
    const heads = await pool.query(`
      SELECT s.stream_id FROM es_streams s
      JOIN (SELECT stream_id, max(revision) AS hi FROM es_events GROUP BY stream_id) e USING (stream_id)
      WHERE s.revision <> e.hi`);
    expect(heads.rows).toEqual([]);
  });
});

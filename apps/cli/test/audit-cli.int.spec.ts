import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore, type NewEvent } from '@oksio/event-store';
import { createPool } from '@oksio/platform';
import { PLATFORM_MIGRATIONS } from '@oksio/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { spawnTs } from '../../../test/support/processes';

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnTs('apps/cli/src/main.ts', env, args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const event = (type: string, n: number): NewEvent => ({
  type,
  data: { n, note: `event ${n}` },
  metadata: {
    occurredAt: '2026-05-04T09:00:00.000Z',
    actor: { id: 'auditor-test', role: 'system' },
    correlationId: randomUUID(),
    causationId: null,
    commandId: null,
    reason: 'test',
  },
});

describe('CLI audit verify / events export (tamper evidence)', () => {
  let db: TestDatabase;
  let pool: ReturnType<typeof createPool>;
  let store: PostgresEventStore;
  const streams = [`ledger-${randomUUID()}`, `ledger-${randomUUID()}`, `ledger-${randomUUID()}`];
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    pool = createPool(db.url, 4);
    store = new PostgresEventStore({ pool, connectionString: db.url });
    for (const s of streams) {
      await store.append(s, [event('Opened', 0), event('Changed', 1), event('Changed', 2)], { expectedRevision: 'no_stream' });
      await store.append(s, [event('Changed', 3), event('Closed', 4)], { expectedRevision: 2 });
    }
    env = { DATABASE_URL: db.url, NODE_ENV: 'test' };
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  const verify = () => runCli(['audit', 'verify'], env);
  const eventId = async (stream: string, revision: number) =>
    (await pool.query('SELECT event_id FROM es_events WHERE stream_id = $1 AND revision = $2', [stream, revision])).rows[0].event_id;

  it('an untouched history verifies', async () => {
    const r = await verify();
    expect(r.stdout).toContain('OK: 3 streams, 15 events verified');
    expect(r.code).toBe(0);
  });

  it('altering one stored event fails and names it', async () => {
    const target = await eventId(streams[1], 2);
    await pool.query(`UPDATE es_events SET data = jsonb_set(data, '{note}', '"forged"') WHERE event_id = $1`, [target]);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`TAMPERED: stream ${streams[1]} revision 2 event ${target}: hash_mismatch`);
    await pool.query(`UPDATE es_events SET data = jsonb_set(data, '{note}', '"event 2"') WHERE event_id = $1`, [target]);
    expect((await verify()).code).toBe(0);
  });

  it('deleting an event in the middle or at the end fails and names the place', async () => {
    const saved = (await pool.query('SELECT * FROM es_events WHERE stream_id = $1 AND revision IN (1, 4) ORDER BY revision', [streams[2]])).rows;
    await pool.query('DELETE FROM es_events WHERE stream_id = $1 AND revision = 1', [streams[2]]);
    let r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`TAMPERED: stream ${streams[2]} revision 2 event ${await eventId(streams[2], 2)}: revision_gap`));
    await pool.query(
      `INSERT INTO es_events (tx_id, event_id, stream_id, revision, type, schema_version, data, metadata, prev_hash, hash)
       VALUES ($1::text::xid8, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [saved[0].tx_id, saved[0].event_id, saved[0].stream_id, saved[0].revision, saved[0].type, saved[0].schema_version, saved[0].data, saved[0].metadata, saved[0].prev_hash, saved[0].hash],
    );
    expect((await verify()).code).toBe(0);
    await pool.query('DELETE FROM es_events WHERE stream_id = $1 AND revision = 4', [streams[2]]);
    r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`TAMPERED: stream ${streams[2]} revision 4: head_mismatch`);
  });

  it('reordering two events fails and names the first moved one', async () => {
    const [a, b] = [await eventId(streams[0], 1), await eventId(streams[0], 3)];
    await pool.query(
      `UPDATE es_events SET revision = CASE revision WHEN 1 THEN -3 ELSE -1 END WHERE stream_id = $1 AND revision IN (1, 3)`,
      [streams[0]],
    );
    await pool.query(`UPDATE es_events SET revision = CASE revision WHEN -3 THEN 3 ELSE 1 END WHERE stream_id = $1 AND revision IN (-1, -3)`, [
      streams[0],
    ]);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`TAMPERED: stream ${streams[0]} revision 1 event ${b}: broken_link`);
    expect(a).not.toBe(b);
  });

  it('events export writes every event as NDJSON in global order', async () => {
    const out = join(tmpdir(), `export-${randomUUID()}.ndjson`);
    const r = await runCli(['events', 'export', '--format', 'ndjson', '--out', out], env);
    expect(r.code).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const total = Number((await pool.query('SELECT count(*) FROM es_events')).rows[0].count);
    expect(lines.length).toBe(total);
    expect(lines[0]).toMatchObject({ streamId: expect.any(String), revision: expect.any(Number), globalPosition: expect.stringMatching(/^\d+\/\d+$/), hash: expect.any(String) });
    expect(r.stderr).toContain(`exported ${total} events`);
  });

  it('audit replay rebuilds an aggregate as of an instant (business time)', async () => {
    const customerId = randomUUID();
    const stream = `customer-${customerId}`;
    const at = (occurredAt: string, type: string, data: Record<string, unknown>): NewEvent => ({
      type,
      data,
      metadata: { ...event('x', 0).metadata, occurredAt },
    });
    await store.append(
      stream,
      [
        at('2026-01-10T09:00:00.000Z', 'CustomerRegistered', {
          customerId,
          companyName: 'Replay SA',
          siret: '73282932000074',
          billingAddress: { line1: 'x', postalCode: '75001', city: 'Paris', country: 'FR' },
          registeredAt: '2026-01-10T09:00:00.000Z',
        }),
        at('2026-01-10T09:00:00.000Z', 'CustomerContactAdded', { customerId, contactId: 'c1', role: 'signatory', authorisedForSupport: true, details: {} }),
      ],
      { expectedRevision: 'no_stream' },
    );
    await store.append(stream, [at('2026-06-01T09:00:00.000Z', 'CustomerContactAdded', { customerId, contactId: 'c2', role: 'technical', authorisedForSupport: false, details: {} })], {
      expectedRevision: 1,
    });
    const before = await runCli(['audit', 'replay', '--stream', stream, '--as-of', '2026-03-01T00:00:00Z'], env);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ eventsApplied: 2, state: { customerId, contacts: { c1: { role: 'signatory' } } } });
    expect(Object.keys(JSON.parse(before.stdout).state.contacts)).toEqual(['c1']);
    const after = await runCli(['audit', 'replay', '--stream', stream, '--as-of', '2026-07-01T00:00:00Z'], env);
    expect(Object.keys(JSON.parse(after.stdout).state.contacts)).toEqual(['c1', 'c2']);
    const bad = await runCli(['audit', 'replay', '--stream', stream, '--as-of', 'someday'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/ISO-8601/);
  });
});

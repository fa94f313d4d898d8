import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
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

describe('issue 18 item 9 — audit commands on a store that is not there, and replay as a prefix', () => {
  let dataDir: string;
  const dbs: TestDatabase[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'oksio-wrong-data-dir-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    for (const db of dbs) await db.drop();
  });

  it('audit verify with a DATA_DIR holding no database exits 78 naming DATA_DIR, and creates nothing', async () => {
    const r = await runCli(['audit', 'verify'], { DATABASE_URL: '', DATA_DIR: dataDir, NODE_ENV: 'test' });
    expect(r.stdout).not.toMatch(/OK/);
    expect(r.stderr).toMatch(/^Configuration error: DATA_DIR: no database in .*\/pg \(nothing was created\)/);
    expect(r.code).toBe(78);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('audit verify on a database without an event store exits 78 naming DATABASE_URL, and migrates nothing', async () => {
    const blank = await createTestDatabase();
    dbs.push(blank);
    const r = await runCli(['audit', 'verify'], { DATABASE_URL: blank.url, NODE_ENV: 'test' });
    expect(r.stderr).toMatch(/^Configuration error: DATABASE_URL: the database holds no event store/);
    expect(r.code).toBe(78);
    const pool = createPool(blank.url, 1);
    try {
      expect((await pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('audit verify on an event store without any stream exits 78: nothing verified is not "OK"', async () => {
    const empty = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    dbs.push(empty);
    const r = await runCli(['audit', 'verify'], { DATABASE_URL: empty.url, NODE_ENV: 'test' });
    expect(r.stdout).not.toMatch(/OK: 0 streams/);
    expect(r.stderr).toMatch(/^Configuration error: DATABASE_URL: the event store holds no stream: nothing to verify/);
    expect(r.code).toBe(78);
  });

  it('audit replay --as-of folds the prefix of the stream recorded by then: a later event under an earlier clock is not folded in', async () => {
    const db = await createTestDatabase({ entities: [], migrations: PLATFORM_MIGRATIONS });
    dbs.push(db);
    const pool = createPool(db.url, 2);
    const store = new PostgresEventStore({ pool, connectionString: db.url });
    const customerId = randomUUID();
    const stream = `customer-${customerId}`;
    const at = (occurredAt: string, type: string, data: Record<string, unknown>): NewEvent => ({ type, data, metadata: { ...event('x', 0).metadata, occurredAt } });
    const contact = (contactId: string) => ({ customerId, contactId, role: 'technical', authorisedForSupport: false, details: {} });
    try {
      await store.append(
        stream,
        [
          at('2026-01-10T09:00:00.000Z', 'CustomerRegistered', {
            customerId,
            companyName: 'Prefix SA',
            siret: '73282932000074',
            billingAddress: { line1: 'x', postalCode: '75001', city: 'Paris', country: 'FR' },
            registeredAt: '2026-01-10T09:00:00.000Z',
          }),
        ],
        { expectedRevision: 'no_stream' },
      );
      await store.append(stream, [at('2026-06-01T09:00:00.000Z', 'CustomerContactAdded', contact('c-june'))], { expectedRevision: 0 });
      // Recorded after June, with a test clock moved back to February.
      await store.append(stream, [at('2026-02-01T09:00:00.000Z', 'CustomerContactAdded', contact('c-february'))], { expectedRevision: 1 });
      const env = { DATABASE_URL: db.url, NODE_ENV: 'test' };
      const march = await runCli(['audit', 'replay', '--stream', stream, '--as-of', '2026-03-01T00:00:00Z'], env);
      expect(march.code).toBe(0);
      const replayed = JSON.parse(march.stdout);
      expect(replayed.eventsApplied).toBe(1);
      expect(Object.keys(replayed.state.contacts ?? {})).toEqual([]); // a filter gave ['c-february'], a state that never existed
      const later = JSON.parse((await runCli(['audit', 'replay', '--stream', stream, '--as-of', '2026-07-01T00:00:00Z'], env)).stdout);
      expect(Object.keys(later.state.contacts)).toEqual(['c-june', 'c-february']);
      const rollover = await runCli(['audit', 'replay', '--stream', stream, '--as-of', '2026-02-30T00:00:00Z'], env);
      expect(rollover.code).not.toBe(0);
      expect(rollover.stderr).toMatch(/no rollover/);
    } finally {
      await store.close();
      await pool.end();
    }
  });
});

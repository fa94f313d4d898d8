import { Client, escapeLiteral } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { type EventStore, type Position, type ReadAllOfTypesPage, type RecordedEvent, START, Upcasters, comparePositions } from '@oksio/event-store';
import type { Projection } from './projection';
import { inlineStatement, type SqlStatement } from './sql-statement';

export interface ProjectionRunnerOptions {
  dataSource: DataSource;
  store: EventStore;
  /** Connection string for the lease connections (one per projection held). */
  connectionString: string;
  projections: Projection[];
  /** Identifies this process in projection_checkpoints.owner. */
  owner: string;
  batchSize?: number;
  /** How often a process without the lease tries to take it. */
  leaseRetryMs?: number;
  upcasters?: Upcasters;
  onError?: (projection: string, error: unknown) => void;
  /** Called after each committed batch (tests and metrics). */
  onBatch?: (projection: string, events: number, checkpoint: Position) => void;
}

export interface ProjectionStatus {
  name: string;
  checkpoint: string;
  eventsApplied: number;
  owner: string | null;
  ownerSince: string | null;
  lagEvents: number | null;
  runningHere: boolean;
}

class LeaseLostError extends Error {}

/** SQLSTATE raised by a batch script whose checkpoint compare-and-set found the checkpoint moved. */
const CHECKPOINT_MOVED = 'OKCP1';

/** First key of the two-key advisory locks that lease projections (pg_locks.classid). */
export const PROJECTION_LOCK_NAMESPACE = 7301;

/**
 * Runs projections with exactly one live runner per projection across processes: the runner holds
 * a session-level PostgreSQL advisory lock on a dedicated connection for each projection it runs.
 * A process that dies loses its connection, hence its locks, and another process's retry takes
 * over. The checkpoint update is conditional on the checkpoint read, so even a runner that lost
 * its lease unknowingly cannot commit a batch twice.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly leaseRetryMs: number;
  private readonly running = new Map<string, { lease: Client; loop: Promise<void> }>();
  private stopped = false;
  /** The page after the batch being applied, read meanwhile (catch-up and rebuilds). */
  private readonly readAhead = new Map<string, { after: Position; page: Promise<ReadAllOfTypesPage> }>();
  private leaseTimer: NodeJS.Timeout | null = null;
  private leaseAttempt: Promise<void> | null = null;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.leaseRetryMs = options.leaseRetryMs ?? 2000;
    const names = new Set<string>();
    for (const p of options.projections) {
      if (names.has(p.name)) throw new Error(`duplicate projection name ${p.name}`);
      names.add(p.name);
    }
  }

  async start(): Promise<void> {
    await this.ensureCheckpoints();
    this.stopped = false;
    await this.acquireLeases();
    const tick = () => {
      if (this.stopped) return;
      this.leaseAttempt = this.acquireLeases().finally(() => {
        this.leaseTimer = setTimeout(tick, this.leaseRetryMs);
      });
    };
    this.leaseTimer = setTimeout(tick, this.leaseRetryMs);
  }

  /** Stops every loop after its current batch and releases the leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    await this.leaseAttempt?.catch(() => undefined);
    const entries = [...this.running.values()];
    await Promise.all(entries.map((r) => r.loop.catch(() => undefined)));
    await Promise.all(entries.map((r) => r.lease.end().catch(() => undefined)));
    this.running.clear();
  }

  runningHere(): string[] {
    return [...this.running.keys()];
  }

  private async ensureCheckpoints(): Promise<void> {
    for (const p of this.options.projections) await this.ensureCheckpoint(p.name);
  }

  /** A projection never started here (CLI rebuild, tests) has no checkpoint row yet. */
  private async ensureCheckpoint(name: string): Promise<void> {
    await this.options.dataSource.query(
      `INSERT INTO projection_checkpoints (name, commit_pos, prepare_pos) VALUES ($1, -1, -1) ON CONFLICT DO NOTHING`,
      [name],
    );
  }

  private async acquireLeases(): Promise<void> {
    for (const projection of this.options.projections) {
      if (this.stopped || this.running.has(projection.name)) continue;
      const lease = new Client({ connectionString: this.options.connectionString });
      lease.on('error', () => undefined);
      try {
        await lease.connect();
        const got = await lease.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
          PROJECTION_LOCK_NAMESPACE,
          projection.name,
        ]);
        if (!got.rows[0].ok || this.stopped) {
          await lease.end();
          continue;
        }
        await this.options.dataSource.query(
          'UPDATE projection_checkpoints SET owner = $2, owner_since = now() WHERE name = $1',
          [projection.name, this.options.owner],
        );
        const loop = this.runLoop(projection, lease);
        this.running.set(projection.name, { lease, loop });
      } catch (error) {
        await lease.end().catch(() => undefined);
        this.options.onError?.(projection.name, error);
      }
    }
  }

  private async runLoop(projection: Projection, lease: Client): Promise<void> {
    let leaseLost = false;
    lease.on('end', () => (leaseLost = true));
    try {
      while (!this.stopped && !leaseLost) {
        try {
          const applied = projection.pipeline
            ? await this.runPipelined(projection, new BatchConnection(lease), () => this.stopped || leaseLost)
            : await this.runBatch(projection);
          if (applied === 0) await waitFor(this.options.store);
        } catch (error) {
          if (error instanceof LeaseLostError) break;
          this.options.onError?.(projection.name, error);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    } finally {
      if (!this.stopped) {
        // Give the lease back so this or another process can take the projection over.
        this.running.delete(projection.name);
        await lease.end().catch(() => undefined);
      }
    }
  }

  /**
   * Applies one batch; returns how many events were applied. A page with no event of the
   * projection's types still moves the checkpoint past the events it skipped.
   */
  async runBatch(projection: Projection): Promise<number> {
    const checkpoint = await this.readCheckpoint(projection.name);
    const { events, next: last, atHead } = await this.readPage(projection, checkpoint);
    if (comparePositions(last, checkpoint) <= 0) return 0;
    // Behind the head: the next page is read while this one is applied (another connection).
    if (!atHead) this.readAheadFrom(projection, last);
    await this.options.dataSource.transaction(async (tx) => {
      await this.applyAll(projection, events, tx);
      const moved = await tx.query(
        `UPDATE projection_checkpoints
           SET commit_pos = $2, prepare_pos = $3, events_applied = events_applied + $6, updated_at = now()
         WHERE name = $1 AND commit_pos = $4 AND prepare_pos = $5`,
        [projection.name, last.commit.toString(), last.prepare.toString(), checkpoint.commit.toString(), checkpoint.prepare.toString(), events.length],
      );
      if (rowCount(moved) !== 1) throw new LeaseLostError(`checkpoint of ${projection.name} moved under this runner`);
    });
    this.options.onBatch?.(projection.name, events.length, last);
    return events.length;
  }

  /**
   * Applies batches until the head (a short page): each batch's transaction (checkpoint
   * compare-and-set, then the projection's statements) is sent as one script in one round trip, and
   * the next batch is read and prepared while the database applies it. At most one batch is in
   * flight; an error stops the run after the in-flight batch has settled. Returns the events applied.
   *
   * `connection` is a dedicated connection, not one borrowed from the pool for the run: a run also
   * reads through the pool, and runs holding pool connections while waiting for another could take
   * them all (a worker runs a dozen projections on a pool of ten).
   */
  private async runPipelined(projection: Projection, connection: BatchConnection, interrupted: () => boolean, onProgress?: (applied: number) => void): Promise<number> {
    const context = { read: this.options.dataSource, connection: this.options.dataSource };
    let checkpoint = await this.readCheckpoint(projection.name);
    const pipeline = projection.pipeline!({ fromStart: comparePositions(checkpoint, START) === 0 });
    let inFlight: Promise<void> | null = null;
    let total = 0;
    try {
      for (;;) {
        const { events, next: last, atHead } = await this.readPage(projection, checkpoint);
        if (comparePositions(last, checkpoint) <= 0) break;
        const from = checkpoint;
        if (!atHead) this.readAheadFrom(projection, last);
        const statements = events.length === 0 ? [] : await pipeline.prepare(this.upcast(events), context);
        if (inFlight) await inFlight;
        inFlight = connection.commit(projection.name, from, last, events.length, statements).then(() => {
          total += events.length;
          this.options.onBatch?.(projection.name, events.length, last);
          onProgress?.(total);
        });
        // Settled below; without this a failure during the next prepare would be reported unhandled.
        inFlight.catch(() => undefined);
        checkpoint = last;
        // At the head, or interrupted (a stop waits for the batch in flight, not for the whole catch-up).
        if (atHead || interrupted()) break;
      }
      if (inFlight) await inFlight;
    } catch (error) {
      await inFlight?.catch(() => undefined);
      throw error;
    }
    return total;
  }

  /** Events are read by type (the projection's), upcast here (upcasting never changes a type). */
  private upcast(events: RecordedEvent[]): RecordedEvent[] {
    const upcasters = this.options.upcasters;
    return upcasters ? events.map((raw) => upcasters.apply(raw)) : events;
  }

  private read(projection: Projection, after: Position): Promise<ReadAllOfTypesPage> {
    return this.options.store.readAllOfTypes({ after, maxCount: this.batchSize, eventTypes: projection.eventTypes });
  }

  private readAheadFrom(projection: Projection, after: Position): void {
    const page = this.read(projection, after);
    page.catch(() => undefined);
    this.readAhead.set(projection.name, { after, page });
  }

  private async applyAll(projection: Projection, events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const selected = this.upcast(events);
    if (projection.applyBatch) {
      if (selected.length > 0) await projection.applyBatch(selected, tx);
      return;
    }
    for (const event of selected) await projection.apply(event, tx);
  }

  /**
   * The page after `checkpoint`: the one read ahead when it starts there and is full. A short page
   * read ahead is read again: near the head it may have been cut by the read watermark while the
   * previous batch's transaction was running, and waiting for the next wake-up would delay it.
   */
  private async readPage(projection: Projection, checkpoint: Position): Promise<ReadAllOfTypesPage> {
    const ahead = this.readAhead.get(projection.name);
    this.readAhead.delete(projection.name);
    if (ahead && comparePositions(ahead.after, checkpoint) === 0) {
      const page = await ahead.page.catch(() => null);
      if (page && !page.atHead) return page;
    }
    return this.read(projection, checkpoint);
  }

  private async readCheckpoint(name: string): Promise<Position> {
    const rows = await this.options.dataSource.query(
      'SELECT commit_pos, prepare_pos FROM projection_checkpoints WHERE name = $1',
      [name],
    );
    return { commit: BigInt(rows[0].commit_pos), prepare: BigInt(rows[0].prepare_pos) };
  }

  /**
   * Rebuild from zero: empties the read model and the checkpoint in one transaction; the loop
   * (here or in the process holding the lease) then replays the whole history.
   */
  async reset(name: string): Promise<void> {
    const projection = this.options.projections.find((p) => p.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    await this.ensureCheckpoint(name);
    await this.options.dataSource.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [name]);
      await projection.reset(tx);
      await tx.query(
        'UPDATE projection_checkpoints SET commit_pos = -1, prepare_pos = -1, events_applied = 0, updated_at = now() WHERE name = $1',
        [name],
      );
    });
  }

  /** Catches a projection up synchronously in this process (CLI rebuilds and tests). */
  async catchUp(name: string, onProgress?: (applied: number) => void): Promise<number> {
    const projection = this.options.projections.find((p) => p.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    await this.ensureCheckpoint(name);
    let total = 0;
    const progress = (applied: number) => onProgress?.(total + applied);
    if (!projection.pipeline) {
      for (let n = await this.runBatch(projection); n > 0; n = await this.runBatch(projection)) {
        total += n;
        progress(0);
      }
      return total;
    }
    // Each pipelined run goes to the head it saw; the loop ends when a run finds nothing new.
    const client = new Client({ connectionString: this.options.connectionString });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const connection = new BatchConnection(client);
      const run = () => this.runPipelined(projection, connection, () => false, progress);
      for (let n = await run(); n > 0; n = await run()) total += n;
    } finally {
      await client.end().catch(() => undefined);
    }
    return total;
  }

  async status(): Promise<ProjectionStatus[]> {
    return projectionStatus(this.options.dataSource, this.options.store, this.runningHere());
  }
}

export async function projectionStatus(
  dataSource: DataSource,
  store: EventStore,
  runningHere: string[] = [],
): Promise<ProjectionStatus[]> {
  const rows: Array<Record<string, string | null>> = await dataSource.query(
    'SELECT name, commit_pos, prepare_pos, events_applied, owner, owner_since FROM projection_checkpoints ORDER BY name',
  );
  return Promise.all(
    rows.map(async (r) => {
      const checkpoint = { commit: BigInt(r.commit_pos!), prepare: BigInt(r.prepare_pos!) };
      return {
        name: r.name!,
        checkpoint: comparePositions(checkpoint, START) === 0 ? 'start' : `${checkpoint.commit}/${checkpoint.prepare}`,
        eventsApplied: Number(r.events_applied),
        owner: r.owner,
        ownerSince: r.owner_since ? new Date(r.owner_since).toISOString() : null,
        lagEvents: store.countAfter ? await store.countAfter(checkpoint) : null,
        runningHere: runningHere.includes(r.name!),
      };
    }),
  );
}

function rowCount(result: unknown): number {
  // TypeORM returns [rows, affected] for UPDATE on postgres.
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}

function waitFor(store: EventStore): Promise<void> {
  return store.waitForEvents ? store.waitForEvents(1000) : new Promise((r) => setTimeout(r, 250));
}

/**
 * The connection pipelined runs send their batch scripts on: the lease connection of a projection
 * run here, or a connection opened for a catch-up. It is not borrowed from the pool, so a script
 * is written to the socket the moment it is ready.
 */
class BatchConnection {
  constructor(private readonly client: Client) {}

  /**
   * One batch's transaction in one round trip: the checkpoint compare-and-set first (it also locks
   * the checkpoint row), the statements, COMMIT. node-postgres writes an idle client's query to the
   * socket synchronously, so the database starts on it while the runner prepares the next batch.
   */
  async commit(name: string, from: Position, to: Position, events: number, statements: SqlStatement[]): Promise<void> {
    const moved = `DO $cas$ BEGIN
      UPDATE projection_checkpoints
         SET commit_pos = ${to.commit}, prepare_pos = ${to.prepare}, events_applied = events_applied + ${events}, updated_at = now()
       WHERE name = ${escapeLiteral(name)} AND commit_pos = ${from.commit} AND prepare_pos = ${from.prepare};
      IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = '${CHECKPOINT_MOVED}', MESSAGE = 'checkpoint moved';
      END IF;
    END $cas$`;
    const script = ['BEGIN', moved, ...statements.map(inlineStatement), 'COMMIT'].join(';\n');
    try {
      await this.client.query(script);
    } catch (error) {
      // The script stops at the failed statement and leaves its transaction open (aborted).
      await this.client.query('ROLLBACK').catch(() => undefined);
      if ((error as { code?: string }).code === CHECKPOINT_MOVED) throw new LeaseLostError(`checkpoint of ${name} moved under this runner`);
      throw error;
    }
  }
}

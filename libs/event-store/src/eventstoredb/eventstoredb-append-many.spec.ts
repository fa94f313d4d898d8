import { randomUUID } from 'node:crypto';
import { BACKWARDS, END, NO_STREAM, WrongExpectedVersionError, type EventStoreDBClient } from '@eventstore/db-client';
import type { NewEvent } from '../envelope';
import { WrongExpectedRevisionError } from '../event-store';
import { verifyStreamChain } from '../audit';
import { EventStoreDbEventStore, type EsdbResolvedLike } from './eventstoredb-event-store';

/**
 * An in-memory stand-in for the two client calls `appendMany` uses (readStream, appendToStream),
 * with ESDB's optimistic check: enough to pin the adapter's process without a server. The contract
 * suite runs against a real node when EVENTSTORE_CONNECTION_STRING is set.
 */
class FakeClient {
  readonly streams = new Map<string, EsdbResolvedLike[]>();
  private position = 0n;
  /** Called before each append: lets a test play a writer racing in between. */
  beforeAppend: (streamId: string) => void = () => undefined;

  readStream(streamId: string, options: { direction: unknown; fromRevision: unknown; maxCount?: number }) {
    const stored = this.streams.get(streamId);
    return (async function* () {
      if (!stored) throw Object.assign(new Error(`${streamId} not found`), { type: 'stream-not-found' });
      const backwards = options.direction === BACKWARDS;
      let list = backwards ? [...stored].reverse() : stored;
      if (typeof options.fromRevision === 'bigint') {
        const from = options.fromRevision;
        list = list.filter((r) => (backwards ? r.event!.revision <= from : r.event!.revision >= from));
      } else if (options.fromRevision === END && !backwards) list = [];
      yield* list.slice(0, options.maxCount ?? list.length);
    })();
  }

  async appendToStream(streamId: string, events: unknown, options: { expectedRevision: unknown }) {
    this.beforeAppend(streamId);
    const list = this.streams.get(streamId) ?? [];
    const current = list.length === 0 ? NO_STREAM : BigInt(list.length - 1);
    if (options.expectedRevision !== current && !(options.expectedRevision === NO_STREAM && list.length === 0)) {
      throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected: options.expectedRevision as bigint, current: current as bigint });
    }
    for (const e of (Array.isArray(events) ? events : [events]) as Array<{ id: string; type: string; data: unknown; metadata: unknown }>) {
      this.position += 1n;
      list.push({
        event: {
          streamId,
          id: e.id,
          revision: BigInt(list.length),
          type: e.type,
          isJson: true,
          data: JSON.parse(JSON.stringify(e.data)),
          metadata: e.metadata === undefined ? undefined : JSON.parse(JSON.stringify(e.metadata)),
          position: { commit: this.position, prepare: this.position },
        },
      });
    }
    this.streams.set(streamId, list);
    return { success: true };
  }
}

const event = (n: number, commandId: string | null = randomUUID()): NewEvent => ({
  type: 'Counted',
  data: { n },
  metadata: { occurredAt: '2026-01-15T10:00:00.000Z', actor: { id: 'tester', role: 'system' }, correlationId: 'corr', causationId: null, commandId, reason: null },
});

describe('issue 18 item 4 — EventStoreDB appendMany: a resumable, idempotent process (ADR 0008)', () => {
  let client: FakeClient;
  let store: EventStoreDbEventStore;
  const length = (streamId: string) => client.streams.get(streamId)?.length ?? 0;

  beforeEach(() => {
    client = new FakeClient();
    store = new EventStoreDbEventStore({ client: client as unknown as EventStoreDBClient });
  });

  it('is declared non-atomic, and writes every stream with its command marker', async () => {
    expect(store.atomicMultiStreamAppend).toBe(false);
    const ids = [randomUUID(), randomUUID()];
    const r = await store.appendMany([
      { streamId: 'a-1', events: [event(0, ids[0]), event(1, ids[0])], expectedRevision: 'no_stream' },
      { streamId: 'b-1', events: [event(0, ids[1])], expectedRevision: 'no_stream' },
    ]);
    expect(r.results.map((x) => x.nextExpectedRevision)).toEqual([1, 0]);
    expect(verifyStreamChain('a-1', await store.readStream('a-1'))).toBeNull();
    expect((await store.commandResult(ids[1]))?.events.map((e) => e.streamId)).toEqual(['b-1']);
    const again = await store.appendMany([
      { streamId: 'a-1', events: [event(0, ids[0]), event(1, ids[0])], expectedRevision: 'no_stream' },
      { streamId: 'b-1', events: [event(0, ids[1])], expectedRevision: 'no_stream' },
    ]);
    expect(again.duplicateCommand).toBe(true);
    expect([length('a-1'), length('b-1')]).toEqual([2, 1]);
  });

  it('a conflict known before the first write (second stream) writes nothing, markers included', async () => {
    await store.append('b-2', [event(0, null), event(1, null)], { expectedRevision: 'no_stream' });
    const before = [...client.streams.keys()].length;
    await expect(
      store.appendMany([
        { streamId: 'a-2', events: [event(0)], expectedRevision: 'no_stream' },
        { streamId: 'b-2', events: [event(2)], expectedRevision: 0 },
      ]),
    ).rejects.toMatchObject({ streamId: 'b-2', actual: 1 });
    expect(length('a-2')).toBe(0);
    expect([...client.streams.keys()].length).toBe(before);
  });

  it('a writer racing between the check and the second append stops it half-way; the same command retried writes only what is missing', async () => {
    const ids = [randomUUID(), randomUUID()];
    const batches = (expected: number) => [
      { streamId: 'a-3', events: [event(0, ids[0])], expectedRevision: 'no_stream' as const },
      { streamId: 'b-3', events: [event(9, ids[1])], expectedRevision: expected },
    ];
    await store.append('b-3', [event(0, null)], { expectedRevision: 'no_stream' });
    client.beforeAppend = (streamId) => {
      if (streamId !== 'b-3') return;
      client.beforeAppend = () => undefined;
      void client.appendToStream('b-3', [{ id: randomUUID(), type: 'Racer', data: {}, metadata: {} }], { expectedRevision: 0n });
    };
    await expect(store.appendMany(batches(0))).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect([length('a-3'), length('b-3')]).toEqual([1, 2]);
    const completed = await store.appendMany(batches(1));
    expect(completed.duplicateCommand).toBe(false);
    expect([length('a-3'), length('b-3')]).toEqual([1, 3]);
    expect(completed.results[0].duplicateCommand).toBe(true);
  });

  it('refuses several streams without a command id on every batch (it could not be resumed)', async () => {
    await expect(
      store.appendMany([
        { streamId: 'a-4', events: [event(0, null)], expectedRevision: 'no_stream' },
        { streamId: 'b-4', events: [event(0)], expectedRevision: 'no_stream' },
      ]),
    ).rejects.toThrow(/every batch needs a command id/);
    expect(length('a-4') + length('b-4')).toBe(0);
  });
});

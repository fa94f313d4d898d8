import { randomUUID } from 'node:crypto';
import { type NewEvent, type RecordedEvent, START, comparePositions } from '../envelope';
import { type EventStore, WrongExpectedRevisionError } from '../event-store';
import { verifyStreamChain } from '../audit';

/**
 * The behaviour every EventStore adapter must have. Each adapter's spec calls this with a factory
 * giving a store over an empty (or at least unshared) backend.
 */
export function eventStoreContract(name: string, setup: () => Promise<{ store: EventStore; teardown(): Promise<void> }>) {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ store, teardown } = await setup());
    });
    afterAll(async () => teardown?.());

    const stream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;
    const event = (type: string, n: number, extra: Partial<NewEvent['metadata']> = {}): NewEvent => ({
      type,
      data: { n, amount: '12.30', nested: { b: 2, a: [1, 'x'] } },
      metadata: {
        occurredAt: '2026-01-15T10:00:00.000Z',
        actor: { id: 'tester', role: 'system' },
        correlationId: randomUUID(),
        causationId: null,
        commandId: null,
        reason: null,
        ...extra,
      },
    });

    it('appends a batch atomically with gap-free revisions and reads it back forwards and backwards', async () => {
      const id = stream();
      const r = await store.append(id, [event('A', 0), event('B', 1), event('C', 2)], { expectedRevision: 'no_stream' });
      expect(r.nextExpectedRevision).toBe(2);
      expect(r.duplicateCommand).toBe(false);
      const forwards = await store.readStream(id);
      expect(forwards.map((e) => [e.revision, e.type, e.data.n])).toEqual([
        [0, 'A', 0],
        [1, 'B', 1],
        [2, 'C', 2],
      ]);
      expect(forwards[0].data).toEqual({ n: 0, amount: '12.30', nested: { b: 2, a: [1, 'x'] } });
      expect(forwards[0].metadata.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(forwards[0].metadata.actor).toEqual({ id: 'tester', role: 'system' });
      const backwards = await store.readStream(id, { direction: 'backwards', maxCount: 2 });
      expect(backwards.map((e) => e.revision)).toEqual([2, 1]);
      const fromOne = await store.readStream(id, { fromRevision: 1 });
      expect(fromOne.map((e) => e.revision)).toEqual([1, 2]);
      expect(await store.readStream(stream('missing'))).toEqual([]);
    });

    it('enforces expected revisions: exact, no_stream, stream_exists and any', async () => {
      const id = stream();
      await expect(store.append(id, [event('A', 0)], { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(id, [event('A', 0)], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await store.append(id, [event('A', 0)], { expectedRevision: 'no_stream' });
      await expect(store.append(id, [event('A', 1)], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await expect(store.append(id, [event('A', 1)], { expectedRevision: 5 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append(id, [event('A', 1)], { expectedRevision: 0 });
      await store.append(id, [event('A', 2)], { expectedRevision: 'stream_exists' });
      const r = await store.append(id, [event('A', 3)], { expectedRevision: 'any' });
      expect(r.nextExpectedRevision).toBe(3);
      const fresh = await store.append(stream(), [event('A', 0)], { expectedRevision: 'any' });
      expect(fresh.nextExpectedRevision).toBe(0);
      expect((await store.readStream(id)).map((e) => e.data.n)).toEqual([0, 1, 2, 3]);
    });

    it('a failed append writes nothing', async () => {
      const id = stream();
      await store.append(id, [event('A', 0)], { expectedRevision: 'no_stream' });
      await expect(store.append(id, [event('B', 1), event('C', 2)], { expectedRevision: 7 })).rejects.toThrow();
      expect((await store.readStream(id)).length).toBe(1);
    });

    it('chains hashes per stream: prevHash links and SHA-256 recomputes', async () => {
      const id = stream();
      await store.append(id, [event('A', 0), event('B', 1)], { expectedRevision: 'no_stream' });
      await store.append(id, [event('C', 2)], { expectedRevision: 1 });
      const events = await store.readStream(id);
      expect(events[0].prevHash).toBeNull();
      expect(events[1].prevHash).toBe(events[0].hash);
      expect(events[2].prevHash).toBe(events[1].hash);
      expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
      expect(verifyStreamChain(id, events)).toBeNull();
    });

    it('keeps any JSON content as given: quotes, backslashes, control and non-BMP characters, index-like keys, extreme numbers', async () => {
      const id = stream();
      const data = {
        text: 'il a dit "oui" \\ puis \n\t\u0001 — €, 𝄞, 😀, \u2028\u2029',
        'clé "é"': { '10': 'ten', '9': 'nine', __proto__x: [null, true, false] },
        numbers: [0, -1, 1e21, 1.5e-7, Number.MAX_SAFE_INTEGER, 0.1],
        empty: { list: [], object: {}, string: '' },
      };
      const type = 'Ünïcødé "typé"';
      const appended = await store.append(id, [{ ...event(type, 0), data }], { expectedRevision: 'no_stream' });
      const [read] = await store.readStream(id);
      expect(read.type).toBe(type);
      expect(read.data).toEqual(data);
      expect(appended.events[0].data).toEqual(read.data);
      expect(appended.events[0].hash).toBe(read.hash);
      expect(verifyStreamChain(id, [read])).toBeNull();
    });

    it('a retried command (same commandId) is written once', async () => {
      const id = stream();
      const commandId = randomUUID();
      const first = await store.append(id, [event('A', 0, { commandId })], { expectedRevision: 'no_stream' });
      const again = await store.append(id, [event('A', 0, { commandId })], { expectedRevision: 'no_stream' });
      expect(again.duplicateCommand).toBe(true);
      expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
      expect((await store.readStream(id)).length).toBe(1);
    });

    describe('issue 18 item 4 — appendMany: a multi-stream command writes all or nothing', () => {
      /** Every event of the given streams: the count a refused command must leave unchanged. */
      const countAll = async (ids: string[]) => (await Promise.all(ids.map((id) => store.readStream(id)))).reduce((n, events) => n + events.length, 0);

      it('appends to several streams, each batch under its own command id, chained and read back', async () => {
        const [a, b, c] = [stream('many'), stream('many'), stream('many')];
        await store.append(b, [event('B', 0)], { expectedRevision: 'no_stream' });
        const commandId = randomUUID();
        const r = await store.appendMany([
          { streamId: a, events: [event('A', 0, { commandId }), event('A', 1, { commandId })], expectedRevision: 'no_stream' },
          { streamId: b, events: [event('B', 1, { commandId: randomUUID() })], expectedRevision: 0 },
          { streamId: c, events: [event('C', 0, { commandId: randomUUID() })], expectedRevision: 'no_stream' },
        ]);
        expect(r.duplicateCommand).toBe(false);
        expect(r.results.map((x) => [x.events[0].streamId, x.nextExpectedRevision])).toEqual([
          [a, 1],
          [b, 1],
          [c, 0],
        ]);
        for (const id of [a, b, c]) expect(verifyStreamChain(id, await store.readStream(id))).toBeNull();
        expect((await store.readStream(b)).map((e) => e.data.n)).toEqual([0, 1]);
        expect((await store.commandResult?.(commandId))?.events.map((e) => e.eventId)).toEqual(r.results[0].events.map((e) => e.eventId));
        // The heads moved: a plain append continues each stream.
        await store.append(a, [event('A', 2)], { expectedRevision: 1 });
        expect(verifyStreamChain(a, await store.readStream(a))).toBeNull();
      });

      it('a revision conflict in the second stream writes nothing in any stream', async () => {
        const [a, b] = [stream('a-many'), stream('b-many')];
        await store.append(b, [event('B', 0), event('B', 1)], { expectedRevision: 'no_stream' });
        const before = await countAll([a, b]);
        const attempt = store.appendMany([
          { streamId: a, events: [event('A', 0, { commandId: randomUUID() })], expectedRevision: 'no_stream' },
          { streamId: b, events: [event('B', 2, { commandId: randomUUID() })], expectedRevision: 0 },
        ]);
        await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(attempt).rejects.toMatchObject({ streamId: b, expected: 0, actual: 1 });
        expect(await countAll([a, b])).toBe(before);
        expect(await store.readStream(a)).toEqual([]);
      });

      it('a retried command (same command ids) is written once and answers the first outcome', async () => {
        const [a, b] = [stream('many'), stream('many')];
        const batches = () => [
          { streamId: a, events: [event('A', 0, { commandId: ids[0] })], expectedRevision: 'no_stream' as const },
          { streamId: b, events: [event('B', 0, { commandId: ids[1] })], expectedRevision: 'no_stream' as const },
        ];
        const ids = [randomUUID(), randomUUID()];
        const first = await store.appendMany(batches());
        const again = await store.appendMany(batches());
        expect(again.duplicateCommand).toBe(true);
        expect(again.results.map((r) => r.events.map((e) => e.eventId))).toEqual(first.results.map((r) => r.events.map((e) => e.eventId)));
        expect(await countAll([a, b])).toBe(2);
      });

      it('refuses a stream twice, a command id on two streams and an empty list, writing nothing', async () => {
        const a = stream('many');
        const commandId = randomUUID();
        await expect(
          store.appendMany([
            { streamId: a, events: [event('A', 0, { commandId: randomUUID() })], expectedRevision: 'no_stream' },
            { streamId: a, events: [event('A', 1, { commandId: randomUUID() })], expectedRevision: 0 },
          ]),
        ).rejects.toThrow(/twice/);
        await expect(
          store.appendMany([
            { streamId: a, events: [event('A', 0, { commandId })], expectedRevision: 'no_stream' },
            { streamId: stream('many'), events: [event('B', 0, { commandId })], expectedRevision: 'no_stream' },
          ]),
        ).rejects.toThrow(/claimed by two streams/);
        await expect(store.appendMany([])).rejects.toThrow(/at least one stream/);
        expect(await store.readStream(a)).toEqual([]);
      });
    });

    it('reads all events in global order from a position, without duplicates', async () => {
      const head = await store.headPosition();
      const a = stream('all');
      const b = stream('all');
      await store.append(a, [event('A', 0)], { expectedRevision: 'no_stream' });
      await store.append(b, [event('B', 0), event('B', 1)], { expectedRevision: 'no_stream' });
      await store.append(a, [event('A', 1)], { expectedRevision: 0 });
      const after = (await store.readAll({ after: head, maxCount: 1000 })).filter((e) => e.streamId === a || e.streamId === b);
      expect(after.map((e) => `${e.streamId === a ? 'a' : 'b'}${e.revision}`)).toEqual(['a0', 'b0', 'b1', 'a1']);
      for (let i = 1; i < after.length; i++) expect(comparePositions(after[i - 1].position, after[i].position)).toBeLessThan(0);
      const page = await store.readAll({ after: after[1].position, maxCount: 2 });
      expect(page.map((e) => e.eventId)).toEqual([after[2].eventId, after[3].eventId]);
      expect(comparePositions(await store.headPosition(), after[3].position)).toBeGreaterThanOrEqual(0);
      const fromStart = await store.readAll({ after: START, maxCount: 1 });
      expect(fromStart.length).toBe(1);
    });

    it('newestEvent is the last event written (issue 18 item 9: the test clock never goes back before it)', async () => {
      const a = stream('newest');
      await store.append(a, [event('A', 0), event('A', 1, { occurredAt: '2031-02-01T08:00:00.000Z' })], { expectedRevision: 'no_stream' });
      const newest = await store.newestEvent();
      expect(newest).toMatchObject({ streamId: a, revision: 1, metadata: expect.objectContaining({ occurredAt: '2031-02-01T08:00:00.000Z' }) });
      expect(comparePositions(newest!.position, await store.headPosition())).toBe(0);
    });

    it('reads the events of some types only; a short page ends past the skipped events, and later events are still read', async () => {
      const kept = `Kept${randomUUID().slice(0, 8)}`;
      const skipped = `Skipped${randomUUID().slice(0, 8)}`;
      const other = `Other${randomUUID().slice(0, 8)}`;
      const head = await store.headPosition();
      const s = stream('types');
      await store.append(s, [event(kept, 0), event(skipped, 1), event(other, 2), event(kept, 3), event(skipped, 4)], { expectedRevision: 'no_stream' });
      const written = await store.readStream(s);

      const first = await store.readAllOfTypes({ after: head, maxCount: 1, eventTypes: [kept] });
      expect(first.events.map((e) => e.revision)).toEqual([0]);
      expect(first.atHead).toBe(false);
      expect(first.next).toEqual(written[0].position);

      const rest = await store.readAllOfTypes({ after: first.next, maxCount: 10, eventTypes: [kept, other] });
      expect(rest.events.map((e) => `${e.type === kept ? 'kept' : 'other'}${e.revision}`)).toEqual(['other2', 'kept3']);
      expect(rest.atHead).toBe(true);
      // Past the last skipped event: the next read does not scan it again.
      expect(comparePositions(rest.next, written[4].position)).toBeGreaterThanOrEqual(0);

      const none = await store.readAllOfTypes({ after: rest.next, maxCount: 10, eventTypes: [kept] });
      expect(none.events).toEqual([]);
      expect(none.atHead).toBe(true);
      expect(comparePositions(none.next, rest.next)).toBeGreaterThanOrEqual(0);

      await store.append(s, [event(skipped, 5), event(kept, 6)], { expectedRevision: 4 });
      const later = await store.readAllOfTypes({ after: none.next, maxCount: 10, eventTypes: [kept] });
      expect(later.events.map((e) => e.revision)).toEqual([6]);
      expect(later.events[0]).toEqual((await store.readStream(s, { fromRevision: 6 }))[0]);
    });

    it('catch-up subscription delivers history then live events, once each, in order', async () => {
      const head = await store.headPosition();
      const id = stream('sub');
      await store.append(id, [event('A', 0), event('A', 1)], { expectedRevision: 'no_stream' });
      const seen: RecordedEvent[] = [];
      const sub = store.subscribeToAll({
        after: head,
        onEvent: (e) => {
          if (e.streamId === id) seen.push(e);
        },
      });
      try {
        await store.append(id, [event('A', 2)], { expectedRevision: 1 });
        await store.append(id, [event('A', 3)], { expectedRevision: 2 });
        const deadline = Date.now() + 10_000;
        while (seen.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(seen.map((e) => e.data.n)).toEqual([0, 1, 2, 3]);
      } finally {
        await sub.stop();
      }
    });

    it('rejects an empty batch and mixed command ids', async () => {
      await expect(store.append(stream(), [], { expectedRevision: 'any' })).rejects.toThrow(/at least one event/);
      await expect(
        store.append(stream(), [event('A', 0, { commandId: randomUUID() }), event('A', 1, { commandId: randomUUID() })], {
          expectedRevision: 'any',
        }),
      ).rejects.toThrow(/commandId/);
    });
  });
}

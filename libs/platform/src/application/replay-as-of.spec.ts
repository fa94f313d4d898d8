import type { EventStore, RecordedEvent } from '@oksio/event-store';
import type { Decider } from '@oksio/kernel';
import { EventSourcedRepository, prefixRecordedBy } from './event-sourced-repository';

type Added = { type: 'Added'; data: { item: string } };
const listDecider: Decider<never, Added, string[]> = {
  initialState: [],
  evolve: (state, event) => [...state, event.data.item],
  decide: () => [],
};

const recorded = (revision: number, item: string, occurredAt: string): RecordedEvent =>
  ({ eventId: `e${revision}`, streamId: 'list-1', revision, type: 'Added', schemaVersion: 1, data: { item }, metadata: { occurredAt }, position: { commit: 0n, prepare: BigInt(revision) }, prevHash: null, hash: '' }) as unknown as RecordedEvent;

/**
 * The stream a test clock wrote out of order: `c` was recorded after `b` (revision 2) with the clock
 * moved back to February. No state ever held `a` and `c` without `b`.
 */
const STREAM = [recorded(0, 'a', '2026-01-10T09:00:00.000Z'), recorded(1, 'b', '2026-06-01T09:00:00.000Z'), recorded(2, 'c', '2026-02-01T09:00:00.000Z')];
const store = { readStream: async () => STREAM } as unknown as EventStore;

describe('issue 18 item 9 — replay as of an instant is a prefix of the stream, never a filter', () => {
  const repository = new EventSourcedRepository(store);
  const at = async (asOf: string) => (await repository.load(listDecider, 'list-1', new Date(asOf))).state;

  it('stops at the first event recorded after the instant: no state that never existed', async () => {
    expect(await at('2026-03-01T00:00:00Z')).toEqual(['a']); // a filter gave ['a', 'c']
    expect(await at('2026-01-10T09:00:00Z')).toEqual(['a']); // at the instant itself: included
    expect(await at('2026-01-10T08:59:59.999Z')).toEqual([]);
    expect(await at('2026-06-01T09:00:00Z')).toEqual(['a', 'b', 'c']);
  });

  it('every replayed state is one the stream had after some revision', async () => {
    const states = STREAM.map((_, i) => STREAM.slice(0, i + 1).map((e) => e.data.item as string));
    for (const instant of ['2025-12-31T00:00:00Z', '2026-01-15T00:00:00Z', '2026-02-01T09:00:00Z', '2026-05-01T00:00:00Z', '2027-01-01T00:00:00Z']) {
      const state = await at(instant);
      expect([[], ...states]).toContainEqual(state);
    }
    const loaded = await repository.load(listDecider, 'list-1', new Date('2026-03-01T00:00:00Z'));
    expect(loaded.events.map((e) => e.revision)).toEqual([0]);
    expect(loaded.revision).toBe(2); // the stream's revision, for the caller's information
    expect(prefixRecordedBy(STREAM, new Date('2030-01-01T00:00:00Z'))).toBe(STREAM);
  });
});

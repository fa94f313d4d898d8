import { ANY, NO_STREAM, START as ESDB_START, STREAM_EXISTS, WrongExpectedVersionError } from '@eventstore/db-client';
import { verifyStreamChain } from '../audit';
import { type NewEvent, START } from '../envelope';
import { InvalidAppendError, WrongExpectedRevisionError } from '../event-store';
import { chainEvents, hashEvent } from '../hash-chain';
import {
  COMMAND_STREAM_PREFIX,
  type EsdbResolvedLike,
  assertWritableStream,
  checkExpectedRevision,
  commandEventId,
  commandMarkerStream,
  eventIdsFor,
  exactRevision,
  fromEsdbPosition,
  isHiddenEvent,
  isVisibleInAll,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbReadPosition,
  toRecordedEvent,
  translateAppendError,
} from './eventstoredb-event-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const newEvent = (n: number, commandId: string | null = null): NewEvent => ({
  type: 'Counted',
  data: { n, amount: '12.30', nested: { b: 2, a: [1, 'x'] }, dropped: undefined },
  metadata: {
    occurredAt: '2026-01-15T10:00:00.000Z',
    actor: { id: 'tester', role: 'system' },
    correlationId: 'corr-1',
    causationId: null,
    commandId,
    reason: null,
  },
});

/** What the client hands back for an event written with toEsdbEventData (JSON round trip). */
function resolvedFrom(
  written: ReturnType<typeof toEsdbEventData>,
  streamId: string,
  revision: number,
  position = { commit: 1000n + BigInt(revision), prepare: 1000n + BigInt(revision) },
): EsdbResolvedLike {
  return {
    event: {
      streamId,
      id: written.id,
      revision: BigInt(revision),
      type: written.type,
      isJson: true,
      data: JSON.parse(JSON.stringify(written.data)),
      metadata: JSON.parse(JSON.stringify(written.metadata)),
      position,
    },
  };
}

describe('EventStoreDB adapter mappings (no server needed)', () => {
  it('maps expected revisions to the client constants and bigint revisions', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(41)).toBe(41n);
    expect(() => toEsdbExpectedRevision(-1)).toThrow(InvalidAppendError);
    expect(() => toEsdbExpectedRevision(1.5)).toThrow(InvalidAppendError);
    // The append itself always uses the exact revision that was read.
    expect(exactRevision(null)).toBe(NO_STREAM);
    expect(exactRevision({ revision: 7, hash: 'h' })).toBe(7n);
  });

  it('checks the caller expectation against the head it read, with the port error', () => {
    const head = { revision: 2, hash: 'h' };
    expect(() => checkExpectedRevision('s', 'any', null)).not.toThrow();
    expect(() => checkExpectedRevision('s', 'any', head)).not.toThrow();
    expect(() => checkExpectedRevision('s', 'no_stream', null)).not.toThrow();
    expect(() => checkExpectedRevision('s', 'stream_exists', head)).not.toThrow();
    expect(() => checkExpectedRevision('s', 2, head)).not.toThrow();
    const cases: [Parameters<typeof checkExpectedRevision>[1], typeof head | null, number | 'no_stream'][] = [
      ['no_stream', head, 2],
      ['stream_exists', null, 'no_stream'],
      [1, head, 2],
      [0, null, 'no_stream'],
    ];
    for (const [expected, h, actual] of cases) {
      let thrown: unknown;
      try {
        checkExpectedRevision('s', expected, h);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(WrongExpectedRevisionError);
      expect(thrown).toMatchObject({ streamId: 's', expected, actual });
    }
  });

  it("translates the client's WrongExpectedVersionError and leaves other errors alone", () => {
    const moved = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 1n, current: 4n });
    const translated = translateAppendError(moved, 's', 1);
    expect(translated).toBeInstanceOf(WrongExpectedRevisionError);
    expect(translated).toMatchObject({ streamId: 's', expected: 1, actual: 4 });
    const missing = new WrongExpectedVersionError(undefined, { streamName: 's', expected: STREAM_EXISTS, current: NO_STREAM });
    expect(translateAppendError(missing, 's', 'stream_exists')).toMatchObject({ actual: 'no_stream' });
    const other = new Error('unavailable');
    expect(translateAppendError(other, 's', 'any')).toBe(other);
  });

  it('maps positions 1:1, START to the client START', () => {
    expect(toEsdbReadPosition(START)).toBe(ESDB_START);
    expect(toEsdbReadPosition({ commit: 10n, prepare: 9n })).toEqual({ commit: 10n, prepare: 9n });
    expect(fromEsdbPosition({ commit: 18446744073709551615n, prepare: 5n })).toEqual({ commit: 18446744073709551615n, prepare: 5n });
  });

  it('derives deterministic event ids from the command id (UUID v5), supplied ids win, UUID v7 otherwise', () => {
    const commandId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(commandEventId(commandId, 0)).toBe(commandEventId(commandId, 0));
    expect(commandEventId(commandId, 0)).not.toBe(commandEventId(commandId, 1));
    expect(commandEventId(commandId, 0)).not.toBe(commandEventId('7c9e6679-7425-40de-944b-e07fc1f90ae7', 0));
    expect(UUID.exec(commandEventId(commandId, 0))?.[1]).toBe('5');

    const batch = [newEvent(0, commandId), { ...newEvent(1, commandId), eventId: '11111111-1111-4111-8111-111111111111' }];
    expect(eventIdsFor(batch, commandId)).toEqual([commandEventId(commandId, 0), '11111111-1111-4111-8111-111111111111']);
    expect(eventIdsFor(batch, commandId)).toEqual(eventIdsFor(batch, commandId));

    const free = eventIdsFor([newEvent(0), newEvent(1)], null);
    expect(free.map((id) => UUID.exec(id)?.[1])).toEqual(['7', '7']);
    expect(free[0]).not.toBe(free[1]);
    expect(commandMarkerStream(commandId)).toBe(`${COMMAND_STREAM_PREFIX}${commandId}`);
  });

  it('hides system events, system streams and the adapter streams; reserves their names for appends', () => {
    expect(isHiddenEvent('customer-1', 'CustomerRegistered')).toBe(false);
    expect(isHiddenEvent('customer-1', '$>')).toBe(true);
    expect(isHiddenEvent('$$customer-1', '$metadata')).toBe(true);
    expect(isHiddenEvent('$stats-127.0.0.1:2113', 'StatsCollected')).toBe(true);
    expect(isHiddenEvent(commandMarkerStream('c'), 'oksio.CommandRecorded')).toBe(true);

    const [hashed] = chainEvents('customer-1', [newEvent(0)], null, '2026-01-15T10:00:01.000Z', ['a3bb189e-8bf9-3888-9912-ace4e6543002']);
    const ours = resolvedFrom(toEsdbEventData(hashed), 'customer-1', 0);
    expect(isVisibleInAll(ours)).toBe(true);
    expect(isVisibleInAll({ event: { ...ours.event!, type: '$>' } })).toBe(false);
    expect(isVisibleInAll({ event: { ...ours.event!, streamId: commandMarkerStream('c') } })).toBe(false);
    // Written by someone else (no envelope): not one of the store's events.
    expect(isVisibleInAll({ event: { ...ours.event!, metadata: undefined } })).toBe(false);
    expect(isVisibleInAll({})).toBe(false);

    expect(() => assertWritableStream('customer-1')).not.toThrow();
    expect(() => assertWritableStream('$ce-customer')).toThrow(InvalidAppendError);
    expect(() => assertWritableStream(commandMarkerStream('c'))).toThrow(InvalidAppendError);
  });

  it('chains hashes onto the head read from the stream', () => {
    const ids = eventIdsFor([newEvent(0), newEvent(1)], 'cmd');
    const first = chainEvents('s', [newEvent(0), newEvent(1)], null, '2026-01-15T10:00:01.000Z', ids);
    expect(first.map((e) => e.revision)).toEqual([0, 1]);
    expect(first[0].prevHash).toBeNull();
    expect(first[1].prevHash).toBe(first[0].hash);
    expect(first[0].data).toEqual({ n: 0, amount: '12.30', nested: { b: 2, a: [1, 'x'] } });
    expect(first[0].metadata.recordedAt).toBe('2026-01-15T10:00:01.000Z');
    const next = chainEvents('s', [newEvent(2)], { revision: 1, hash: first[1].hash }, '2026-01-15T10:00:02.000Z', ['x']);
    expect(next[0]).toMatchObject({ revision: 2, prevHash: first[1].hash });
    expect(hashEvent(next[0])).toBe(next[0].hash);
  });

  it('stores the envelope in the ESDB metadata and rebuilds the RecordedEvent from a resolved event', () => {
    const ids = eventIdsFor([newEvent(0), newEvent(1)], null);
    const hashed = chainEvents('customer-9', [newEvent(0), { ...newEvent(1), schemaVersion: 3 }], null, '2026-01-15T10:00:01.000Z', ids);
    const written = hashed.map(toEsdbEventData);
    expect(written[0]).toMatchObject({ id: ids[0], contentType: 'application/json', type: 'Counted' });
    expect(written[1].metadata).toEqual({
      schemaVersion: 3,
      prevHash: hashed[0].hash,
      hash: hashed[1].hash,
      envelope: hashed[1].metadata,
      $correlationId: 'corr-1',
    });

    const recorded = written.map((w, i) => toRecordedEvent(resolvedFrom(w, 'customer-9', i))!);
    expect(recorded[1]).toEqual({
      eventId: ids[1],
      streamId: 'customer-9',
      revision: 1,
      position: { commit: 1001n, prepare: 1001n },
      type: 'Counted',
      schemaVersion: 3,
      data: { n: 1, amount: '12.30', nested: { b: 2, a: [1, 'x'] } },
      metadata: { ...newEvent(1).metadata, recordedAt: '2026-01-15T10:00:01.000Z' },
      prevHash: hashed[0].hash,
      hash: hashed[1].hash,
    });
    expect(verifyStreamChain('customer-9', recorded)).toBeNull();
  });

  it('rebuilds foreign or altered events leniently so that an audit reports them', () => {
    expect(toRecordedEvent({})).toBeNull();
    const foreign = toRecordedEvent({
      event: { streamId: 's', id: 'e', revision: 0n, type: 'T', isJson: false, data: new Uint8Array([1, 2]), metadata: undefined },
      commitPosition: 42n,
    })!;
    expect(foreign).toMatchObject({ hash: '', prevHash: null, schemaVersion: 1, data: { value: 'AQI=' } });
    expect(foreign.position).toEqual({ commit: 42n, prepare: 42n });
    expect(verifyStreamChain('s', [foreign])?.kind).toBe('hash_mismatch');

    const [hashed] = chainEvents('s', [newEvent(0)], null, '2026-01-15T10:00:01.000Z', ['e0']);
    const resolved = resolvedFrom(toEsdbEventData(hashed), 's', 0);
    (resolved.event!.data as Record<string, unknown>).amount = '99.99';
    expect(verifyStreamChain('s', [toRecordedEvent(resolved)!])?.kind).toBe('hash_mismatch');
  });
});

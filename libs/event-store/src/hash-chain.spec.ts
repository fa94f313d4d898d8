import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { canonicalJson, chainEvents, hashEvent, normaliseJson } from './hash-chain';
import { verifyStreamChain } from './audit';
import { Upcasters } from './upcasting';
import { comparePositions, formatPosition, parsePosition, START, type RecordedEvent } from './envelope';

const metadata = {
  occurredAt: '2026-01-01T00:00:00.000Z',
  recordedAt: '2026-01-01T00:00:01.000Z',
  actor: { id: 'a', role: 'system' },
  correlationId: 'c',
  causationId: null,
  commandId: null,
  reason: null,
};

function chain(n: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let prevHash: string | null = null;
  for (let i = 0; i < n; i++) {
    const base = { eventId: `e${i}`, streamId: 's', revision: i, type: 'T', schemaVersion: 1, data: { i }, metadata, prevHash };
    const hash = hashEvent(base);
    events.push({ ...base, hash, position: { commit: 10n, prepare: BigInt(i) } });
    prevHash = hash;
  }
  return events;
}

describe('hash chain', () => {
  it('canonical JSON sorts keys recursively and is stable under key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
  });

  it('canonical JSON and the hash assembled from canonical parts equal the definition (sorted entries, whole-envelope hash)', () => {
    // The definition, written the plain way: what stored chains were hashed with.
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
    };
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 1e6 }), fc.option(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })), (data, type, revision, prevHash) => {
        expect(canonicalJson(data)).toBe(reference(data));
        const envelope = { eventId: 'e', streamId: 's', revision, type, schemaVersion: 2, data: { value: data }, metadata, prevHash };
        expect(hashEvent(envelope)).toBe(createHash('sha256').update(reference(envelope)).digest('hex'));
      }),
      { numRuns: 500 },
    );
    const [chained] = chainEvents('s', [{ type: 'T', data: { b: 1, a: new Date(0) }, metadata }], null, metadata.recordedAt, ['e']);
    expect(chained.data).toEqual({ b: 1, a: '1970-01-01T00:00:00.000Z' });
    expect(chained.dataJson).toBe('{"a":"1970-01-01T00:00:00.000Z","b":1}');
    expect(chained.hash).toBe(hashEvent(chained));
  });

  it('normalising an event content in one walk equals a JSON round trip then canonical JSON', () => {
    // Dates, boxed values, sparse arrays, undefined, NaN/±Infinity/-0, index-like keys ("10" before "9"),
    // "__proto__" and null-prototype objects, typed arrays, Maps: everything JSON.stringify has a rule for.
    const content = fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('__proto__', '0', '9', '10', 'constructor', 'toJSON')),
      fc.oneof(
        fc.anything({ maxDepth: 3, withDate: true, withBoxedValues: true, withSparseArray: true, withNullPrototype: true, withTypedArray: true, withMap: true, withSet: true }),
        fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, undefined, () => 1, Symbol('s')),
        fc.double(),
      ),
    );
    fc.assert(
      fc.property(content, (value) => {
        const viaText = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
        const normalised = normaliseJson(value);
        expect(normalised.json).toBe(canonicalJson(viaText));
        // Node's deep-strict equality (prototypes compared), not jest's: jest's reads an own "constructor" key as the type.
        expect(isDeepStrictEqual(normalised.value, viaText)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    const withProto = normaliseJson(JSON.parse('{"__proto__":{"polluted":true},"a":1}') as object);
    expect(Object.getPrototypeOf(withProto.value)).toBe(Object.prototype);
    expect(withProto.json).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(() => normaliseJson({ n: 1n })).toThrow(/bigint/);
  });

  it('the hash covers content, revision and the previous hash', () => {
    const [e0, e1] = chain(2);
    expect(hashEvent({ ...e1, data: { i: 99 } })).not.toBe(e1.hash);
    expect(hashEvent({ ...e1, revision: 5 })).not.toBe(e1.hash);
    expect(hashEvent({ ...e1, prevHash: 'x' })).not.toBe(e1.hash);
    expect(hashEvent({ ...e1, metadata: { ...metadata, actor: { id: 'mallory', role: 'admin' } } })).not.toBe(e1.hash);
    expect(e1.prevHash).toBe(e0.hash);
  });

  it('verifyStreamChain finds altered, missing, reordered events and a removed tail', () => {
    const events = chain(4);
    expect(verifyStreamChain('s', events, { revision: 3, hash: events[3].hash })).toBeNull();
    expect(verifyStreamChain('s', [events[0], { ...events[1], data: { i: 7 } }, events[2]])).toMatchObject({ kind: 'hash_mismatch', revision: 1 });
    expect(verifyStreamChain('s', [events[0], events[2], events[3]])).toMatchObject({ kind: 'revision_gap', eventId: 'e2' });
    const swapped = [events[0], { ...events[2], revision: 1 }, { ...events[1], revision: 2 }, events[3]];
    expect(verifyStreamChain('s', swapped)).toMatchObject({ kind: 'broken_link', eventId: 'e2' });
    expect(verifyStreamChain('s', events.slice(0, 3), { revision: 3, hash: events[3].hash })).toMatchObject({ kind: 'head_mismatch', eventId: null });
  });
});

describe('positions and upcasting', () => {
  it('orders positions by commit then prepare and round-trips their text form', () => {
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 10n, prepare: 0n })).toBeLessThan(0);
    expect(comparePositions({ commit: 10n, prepare: 3n }, { commit: 10n, prepare: 2n })).toBeGreaterThan(0);
    expect(parsePosition(formatPosition({ commit: 1000n, prepare: 997n }))).toEqual({ commit: 1000n, prepare: 997n });
    expect(comparePositions(START, { commit: 0n, prepare: 0n })).toBeLessThan(0);
    expect(() => parsePosition('12')).toThrow(/COMMIT\/PREPARE/);
  });

  it('upcasts old schema versions on read, step by step, without touching the stored form', () => {
    const upcasters = new Upcasters()
      .register('T', 1, (d) => ({ ...d, currency: 'EUR' }))
      .register('T', 2, ({ i, ...rest }) => ({ ...rest, index: i }));
    const [stored] = chain(1);
    const read = upcasters.apply(stored);
    expect(read).toMatchObject({ schemaVersion: 3, data: { index: 0, currency: 'EUR' } });
    expect(stored).toMatchObject({ schemaVersion: 1, data: { i: 0 } });
    expect(hashEvent(stored)).toBe(stored.hash);
    const other = { ...stored, type: 'Other' };
    expect(upcasters.apply(other)).toBe(other);
  });
});

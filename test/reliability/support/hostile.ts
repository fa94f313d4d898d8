import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Schema, TypeRef } from './routes';

/**
 * Hostile values for the fuzzing suite: wrong types, huge strings, awkward unicode, negative or
 * absurd money, dates out of range, prototype-pollution keys and deeply nested garbage, mixed
 * into otherwise plausible bodies (so that some requests get past the first validation layer).
 */

/** Own enumerable `__proto__` / `constructor` keys, as a JSON body parsed by the server has them. */
const pollution = (): fc.Arbitrary<Record<string, unknown>> =>
  fc.constantFrom(
    JSON.parse('{"__proto__":{"polluted":"yes","isAdmin":true}}'),
    JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
    JSON.parse('{"__proto__":null}'),
    JSON.parse('{"prototype":{"polluted":"yes"},"__proto__":[]}'),
    JSON.parse('{"toString":"x","valueOf":1,"hasOwnProperty":"x"}'),
  );

export const hugeString = (): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min: 5_000, max: 400_000 }), fc.constantFrom('A', 'é', '𝕆', '\u200b', '9')).map(([n, c]) => c.repeat(n));

export const unicode = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\ud800',
      '\udfff\ud800',
      '\uffff',
      '\u202eRTL',
      'Z̴̡̪a̷l̸g̶o̵',
      '𝕆𝕂𝕊𝕀𝕆',
      '👨‍👩‍👧‍👦',
      '../../etc/passwd',
      "'; DROP TABLE es_events; --",
      '%00%0d%0a',
      '${jndi:ldap://x/a}',
      '<script>alert(1)</script>',
      '{{7*7}}',
      '\r\n\t',
    ),
  );

export const money = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom('-1', '-0.01', '-100.00', '-0', '1e400', '-1e400', 'NaN', 'Infinity', '-Infinity', '0.000000000001', '99999999999999999999999999999.99', '1,50', ' 12 ', '0x10', '1_000'),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }),
    fc.constantFrom(-1e308, 1e308, 5e-324, -0),
  );

export const badDate = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(
      '0000-00-00',
      '0000-01-01',
      '0001-01-01T00:00:00Z',
      '9999-12-31',
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '-271821-04-20T00:00:00.000Z',
      '+275760-09-13T00:00:00.001Z',
      '+999999-01-01',
      '99999-01-01',
      '2026-03-29T02:30:00',
      '2026-03-29T02:30:00+25:00',
      'yesterday',
      'P-1D',
      'PT99999999999H',
      '1970-01-01T00:00:00Z',
    ),
    fc.integer().map((n) => n * 1000),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  );

const deepNesting = (): fc.Arbitrary<unknown> =>
  fc.tuple(fc.integer({ min: 20, max: 2_000 }), fc.boolean()).map(([depth, arrays]) => {
    let v: unknown = 'bottom';
    for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
    return v;
  });

export const wrongType = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 10 }),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
  );

/** Anything hostile, whatever the expected type. */
export const hostile = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: wrongType() },
    { weight: 3, arbitrary: unicode() },
    { weight: 1, arbitrary: hugeString() },
    { weight: 2, arbitrary: money() },
    { weight: 2, arbitrary: badDate() },
    { weight: 2, arbitrary: pollution() },
    { weight: 1, arbitrary: deepNesting() },
  );

/** Wraps an object in extra keys: pollution keys, unknown fields (forbidNonWhitelisted). */
function withExtraKeys(obj: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(obj, fc.option(pollution(), { freq: 3 }), fc.option(fc.dictionary(fc.string({ maxLength: 12 }), hostile(), { maxKeys: 3 }), { freq: 4 })).map(
    ([o, p, extra]) => {
      const out: Record<string, unknown> = JSON.parse(JSON.stringify(o ?? {}));
      for (const source of [p, extra]) {
        if (!source) continue;
        for (const k of Object.keys(source)) Object.defineProperty(out, k, { value: source[k], enumerable: true, writable: true, configurable: true });
      }
      return out;
    },
  );
}

// ------------------------------------------------------------------------------------------------
// REST bodies from the OpenAPI document

export type OpenApiSchema = Record<string, any>;

export function resolveRef(schema: OpenApiSchema | undefined, components: Record<string, OpenApiSchema>): OpenApiSchema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 20; i++) s = components[String(s.$ref).split('/').pop()!];
  if (s?.allOf?.length === 1) return resolveRef(s.allOf[0], components);
  return s;
}

/** A value of the right shape when possible (examples, enums, formats), used as the body's skeleton. */
function plausible(schema: OpenApiSchema | undefined, components: Record<string, OpenApiSchema>, depth: number): fc.Arbitrary<unknown> {
  const s = resolveRef(schema, components);
  if (!s || depth > 6) return fc.constant('x');
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.example !== undefined) return fc.constant(s.example);
  if (s.oneOf || s.anyOf) return plausible((s.oneOf ?? s.anyOf)[0], components, depth + 1);
  switch (s.type) {
    case 'object':
    case undefined:
      if (s.properties) return objectOf(s, components, depth, 0);
      return fc.constant({});
    case 'array':
      return fc.array(plausible(s.items, components, depth + 1), { minLength: 1, maxLength: 2 });
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100 });
    case 'number':
      return fc.integer({ min: 0, max: 1000 });
    case 'string':
      if (s.format === 'uuid') return fc.constant(randomUUID());
      if (s.format === 'date-time') return fc.constant(new Date().toISOString());
      if (s.format === 'date') return fc.constant(new Date().toISOString().slice(0, 10));
      if (s.format === 'email') return fc.constant('reliability@example.fr');
      return fc.constant('valeur');
    default:
      return fc.constant('x');
  }
}

/** Each property: plausible, hostile, or missing (`hostileShare` of hostile fields, in percent). */
function objectOf(s: OpenApiSchema, components: Record<string, OpenApiSchema>, depth: number, hostileShare: number): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {}) as Array<[string, OpenApiSchema]>;
  const fields = props.map(([name, p]) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: 99 }),
        plausible(p, components, depth + 1),
        hostileShare > 0 ? fieldHostile(p, components, depth + 1, hostileShare) : fc.constant(undefined),
      )
      .map(([roll, good, bad]) => {
        if (roll < hostileShare) return [name, bad] as const;
        if (roll < hostileShare + 5) return [name, undefined] as const;
        return [name, good] as const;
      }),
  );
  return fc.tuple(...fields).map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
}

/** A hostile value for one field, biased by what the field is (money, date, id…). */
function fieldHostile(p: OpenApiSchema, components: Record<string, OpenApiSchema>, depth: number, share: number): fc.Arbitrary<unknown> {
  const s = resolveRef(p, components) ?? {};
  const name = `${s.description ?? ''} ${s.format ?? ''} ${JSON.stringify(s.example ?? '')}`.toLowerCase();
  const biased: fc.Arbitrary<unknown>[] = [hostile()];
  if (/amount|price|eur|money|\d+\.\d{2}/.test(name) || s.type === 'number') biased.push(money());
  if (/date|time|on\b|\d{4}-\d{2}-\d{2}/.test(name)) biased.push(badDate());
  if (s.type === 'object' && s.properties && depth < 5) biased.push(withExtraKeys(objectOf(s, components, depth, share)));
  if (s.type === 'array') biased.push(fc.array(fc.oneof(plausible(s.items, components, depth + 1), hostile()), { maxLength: 200 }));
  return fc.oneof(...biased);
}

export interface BodyCase {
  /** The raw request body sent (JSON text, or not JSON at all). */
  raw: string;
  contentType: string;
  label: string;
}

/** Bodies for one REST operation: mostly schema-shaped with hostile fields, some pure garbage. */
export function hostileBody(requestSchema: OpenApiSchema | undefined, components: Record<string, OpenApiSchema>): fc.Arbitrary<BodyCase> {
  const s = resolveRef(requestSchema, components);
  const shaped = s?.properties
    ? withExtraKeys(objectOf(s, components, 0, 35)).map((v) => ({ raw: JSON.stringify(v), contentType: 'application/json', label: 'shaped' }))
    : hostile().map((v) => ({ raw: JSON.stringify(v) ?? 'null', contentType: 'application/json', label: 'garbage' }));
  const garbage = fc.oneof(hostile(), fc.jsonValue({ maxDepth: 4 })).map((v) => ({ raw: JSON.stringify(v) ?? 'null', contentType: 'application/json', label: 'garbage' }));
  const malformed = fc
    .oneof(
      fc.constantFrom('{', '{"a":', '[1,2', '{"a":1}}', '\ufeff{}', 'null', 'true', '"string"', '{"a":NaN}', "{'a':1}", '{"__proto__":{"polluted":"yes"}', ''),
      fc.string({ maxLength: 50 }),
    )
    .map((raw) => ({ raw, contentType: 'application/json', label: 'malformed' }));
  const tooLarge = fc.constant({ raw: JSON.stringify({ blob: 'x'.repeat(1_100_000) }), contentType: 'application/json', label: 'too-large' });
  const otherType = fc
    .tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/json; charset=utf-16'), fc.string({ maxLength: 40 }))
    .map(([contentType, raw]) => ({ raw, contentType, label: 'content-type' }));
  return fc.oneof(
    { weight: 10, arbitrary: shaped },
    { weight: 3, arbitrary: garbage },
    { weight: 2, arbitrary: malformed },
    { weight: 1, arbitrary: otherType },
    { weight: 1, arbitrary: tooLarge },
  );
}

/** Path parameters: a known id, a random UUID, or something hostile (ASCII-safe for the URL). */
export const hostileParam = (): fc.Arbitrary<string | null> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constant(randomUUID()) },
    { weight: 2, arbitrary: fc.oneof(unicode(), fc.constantFrom('..', '%2e%2e', '0', '-1', 'null', 'undefined', '__proto__', 'constructor', 'x'.repeat(3000))) },
  );

// ------------------------------------------------------------------------------------------------
// GraphQL variables from introspection

export function hostileGraphqlValue(t: TypeRef, schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  // Type errors are rare per field (GraphQL refuses them before any resolver runs), so that most
  // requests reach the validation pipe and the application layer with hostile *typed* values.
  if (t.kind === 'NON_NULL') return fc.oneof({ weight: 40, arbitrary: hostileGraphqlValue(t.ofType!, schema, depth) }, { weight: 1, arbitrary: fc.constant(null) });
  if (t.kind === 'LIST') {
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(hostileGraphqlValue(t.ofType!, schema, depth + 1), { maxLength: depth > 2 ? 1 : 4 }) },
      { weight: 1, arbitrary: fc.array(hostileGraphqlValue(t.ofType!, schema, depth + 1), { minLength: 60, maxLength: 120 }) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  }
  const named = schema.types.find((x) => x.name === t.name);
  // Mostly values of the declared type (so the resolver runs), sometimes a wrong type.
  const typed = ((): fc.Arbitrary<unknown> => {
    if (named?.kind === 'ENUM') return fc.oneof({ weight: 15, arbitrary: fc.constantFrom(...(named.enumValues ?? []).map((e) => e.name)) }, { weight: 1, arbitrary: fc.constant('NOT_A_VALUE') });
    if (named?.kind === 'INPUT_OBJECT') {
      if (depth > 5) return fc.constant({});
      const fields = (named.inputFields ?? []).map((f) =>
        fc.tuple(fc.integer({ min: 0, max: 9 }), hostileGraphqlValue(f.type, schema, depth + 1)).map(([roll, v]) => [f.name, roll === 0 ? undefined : v] as const),
      );
      return fc.tuple(...fields).map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
    }
    switch (t.name) {
      case 'Int':
        return fc.oneof({ weight: 10, arbitrary: fc.integer() }, { weight: 5, arbitrary: fc.constantFrom(-1, 0, 2 ** 31 - 1, -(2 ** 31)) }, { weight: 1, arbitrary: fc.constant(2 ** 40) });
      case 'Float':
        return money();
      case 'Boolean':
        return fc.boolean();
      case 'DateTime':
        return badDate();
      case 'JSON':
      case 'JSONObject':
        return fc.oneof(hostile(), withExtraKeys(fc.constant({})));
      default:
        // String, ID, custom scalars
        return fc.oneof({ weight: 3, arbitrary: unicode() }, { weight: 1, arbitrary: hugeString() }, { weight: 2, arbitrary: money().map(String) }, { weight: 2, arbitrary: badDate().map(String) }, { weight: 2, arbitrary: fc.constant(randomUUID()) });
    }
  })();
  return fc.oneof({ weight: 40, arbitrary: typed }, { weight: 1, arbitrary: wrongType() });
}

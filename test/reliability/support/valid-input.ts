import { randomUUID } from 'node:crypto';
// class-transformer's own metadata of `@Type` (its types live beside, under types/storage).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';

/**
 * Values that the API accepts, generated from the validation rules of its input classes
 * (class-validator metadata), never from a hand-written list: whatever a client may send, within
 * every bound — the longest strings, accented and astral characters, the first and the last
 * accepted dates and amounts. The test that uses it (issue 18 item 1) checks that every event such
 * input leads to is projectable; a validator this file does not know fails the generator loudly, so
 * a new kind of input cannot escape the property.
 */

interface Rule {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

const storage = getMetadataStorage() as unknown as {
  getTargetValidationMetadatas(target: Function, schema: string, always: boolean, strictGroups: boolean): Rule[];
};

/** Which rule a metadata entry is ('isString', 'maxLength', 'nestedValidation', …). */
function kindOf(rule: Rule): string {
  return rule.type === 'customValidation' ? String(rule.name) : rule.type;
}

/** The class of a nested input (`@Type(() => AddressDto)`). */
function nestedClass(target: Function, property: string): Function {
  const meta = defaultMetadataStorage.findTypeMetadata(target, property);
  if (!meta) throw new Error(`${target.name}.${property}: nested input without @Type`);
  return meta.typeFunction() as Function;
}

/** Text of accepted characters: Latin, French accents, CJK, an emoji (a surrogate pair), punctuation. */
const CHARS = ['a', 'Z', '7', ' ', 'é', 'ç', 'Œ', '’', '-', "'", '"', '\\', '/', '%', '_', '.', ',', '中', '😀', '\u00a0', '<', '&', '\t'];
const text = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.string({ unit: fc.constantFrom(...CHARS), minLength, maxLength: Math.min(maxLength, 40) }),
      // The longest accepted value, where column widths disagree with the validators.
      fc.constantFrom('x', 'é', '😀').map((c) => c.repeat(Math.max(minLength, Math.floor(maxLength / c.length)))),
    )
    // MaxLength counts UTF-16 units: an emoji cut in half would not be text.
    .map((s) => (s.length > maxLength ? s.slice(0, maxLength) : s).replace(/[\ud800-\udbff]$/, 'x'))
    .filter((s) => s.length >= minLength && (minLength === 0 || s.trim().length > 0));

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
// Bounds and leap years, any accepted year, and mostly recent years (many commands refuse a date in the future).
const year = () =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(1900, 2999, 2000, 2024, 2028) },
    { weight: 1, arbitrary: fc.integer({ min: 1900, max: 2999 }) },
    { weight: 4, arbitrary: fc.integer({ min: 2015, max: 2026 }) },
  );
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export const calendarDate = (): fc.Arbitrary<string> =>
  fc
    .tuple(year(), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.boolean())
    .map(([y, m, d, last]) => `${y}-${pad(m)}-${pad(last ? daysIn(y, m) : Math.min(d, daysIn(y, m)))}`);

export const yearMonth = (): fc.Arbitrary<string> => fc.tuple(year(), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${pad(m)}`);

export const instant = (): fc.Arbitrary<string> =>
  fc
    .tuple(calendarDate(), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom('Z', '+01:00', '+02:00', '-05:00', '+14:00', '-12:00', '.123Z', '.123456789+02:00'))
    .map(([date, h, mi, s, zone]) => `${date}T${pad(h)}:${pad(mi)}:${pad(s)}${zone}`)
    // The instant itself, not only its wall time, must be within the accepted years.
    .filter((v) => {
      const y = new Date(v).getUTCFullYear();
      return y >= 1900 && y <= 2999;
    });

const PHONES = ['0612345678', '+33612345678', '0145000001', '0712345678', '0987654321', '+33 1 45 00 00 01'];
const email = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}[a-z0-9]$/), fc.constantFrom('example.fr', 'oksio.test', 'sous-domaine.example.com'))
    .filter(([local]) => !local.includes('..'))
    .map(([local, domain]) => `${local}@${domain}`);

/** A value of `regex`, shortened to the length bounds the same property also declares. */
function matching(regex: RegExp): fc.Arbitrary<string> {
  return fc.stringMatching(new RegExp(regex.source, regex.flags.replace('g', '')));
}

export interface ValueSource {
  /** Values known to exist for a field named `name` (ids of aggregates created earlier), if any. */
  (name: string): readonly string[];
}

const SWAGGER_PROPERTY = 'swagger/apiModelProperties';

/** A SIRET: 14 digits whose Luhn sum is a multiple of 10 (the API checks it, SUB-01). */
const siret = (): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 }).map((digits) => {
    const luhn = (ds: number[]) => ds.reduce((sum, d, i) => sum + (i % 2 === ds.length % 2 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
    const check = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((c) => luhn([...digits, c]) % 10 === 0)!;
    return [...digits, check].join('');
  });

/** Values the domain checks beyond the validators (check digits, number plans), by field name. */
const DOMAIN_VALUES: Record<string, () => fc.Arbitrary<unknown>> = { siret };

/** A whole input object of class `target` that its validators accept. */
export function validInput(target: Function, source: ValueSource = () => [], depth = 0): fc.Arbitrary<Record<string, unknown>> {
  if (depth > 5) throw new Error(`${target.name}: nested deeper than 5`);
  const rules = storage.getTargetValidationMetadatas(target, '', true, false);
  const byProperty = new Map<string, Rule[]>();
  for (const rule of rules) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [property, own] of byProperty) {
    const optional = own.some((r) => r.type === 'conditionalValidation');
    const generated = DOMAIN_VALUES[property]?.() ?? propertyValue(target, property, own, source, depth);
    // Ids of aggregates that exist, and the documented example (a value the domain accepts), when the validators take them.
    const example = (Reflect.getMetadata(SWAGGER_PROPERTY, target.prototype, property) as { example?: unknown } | undefined)?.example;
    const known = [...source(property), ...(typeof example === 'string' ? [example] : [])].filter((v) => accepts(own, v));
    const value = known.length > 0 ? fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: generated }) : generated;
    fields[property] = optional ? fc.option(value, { nil: undefined, freq: 3 }) : value;
  }
  return fc.record(fields).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a known string value passes the string rules of a property (pools mix ids of several shapes). */
function accepts(rules: Rule[], value: string): boolean {
  return rules.every((r) => {
    switch (kindOf(r)) {
      case 'isUuid':
        return UUID.test(value);
      case 'matches':
        return r.constraints![0] instanceof RegExp && (r.constraints![0] as RegExp).test(value);
      case 'maxLength':
        return value.length <= Number(r.constraints![0]);
      case 'isIn':
        return (r.constraints![0] as unknown[]).includes(value);
      case 'isBoolean':
      case 'isInt':
      case 'isNumber':
      case 'nestedValidation':
      case 'isArray':
      case 'isEmail':
      case 'isCalendarDate':
      case 'isInstant':
      case 'isYearMonth':
        return false;
      default:
        return true;
    }
  });
}

const KNOWN_WITHOUT_VALUE = new Set(['conditionalValidation', 'isDefined', 'isNotEmpty', 'isString', 'maxLength', 'minLength', 'min', 'max', 'isArray', 'arrayMinSize', 'arrayMaxSize', 'arrayUnique', 'isObject', 'whitelistValidation']);

function propertyValue(target: Function, property: string, rules: Rule[], source: ValueSource, depth: number): fc.Arbitrary<unknown> {
  const find = (kind: string) => rules.find((r) => kindOf(r) === kind);
  const where = `${target.name}.${property}`;
  const unknown = rules.map(kindOf).filter((k) => !KNOWN_WITHOUT_VALUE.has(k) && !ELEMENT_KINDS.has(k));
  if (unknown.length > 0) throw new Error(`${where}: no generator for ${unknown.join(', ')} (add one to test/reliability/support/valid-input.ts)`);
  const isArray = rules.some((r) => kindOf(r) === 'isArray' || kindOf(r).startsWith('array') || r.each === true);
  const element = elementValue(target, property, rules, source, depth, where);
  if (!isArray) return element;
  const minLength = Number(find('arrayMinSize')?.constraints?.[0] ?? 0);
  const maxLength = Math.min(Number(find('arrayMaxSize')?.constraints?.[0] ?? 5), 5);
  const unique = rules.some((r) => kindOf(r) === 'arrayUnique');
  return unique
    ? fc.uniqueArray(element, { minLength, maxLength: Math.max(minLength, maxLength), selector: (v) => JSON.stringify(v) })
    : fc.array(element, { minLength, maxLength: Math.max(minLength, maxLength) });
}

/** Rules that decide the value of one element (the field itself, or each item of an array field). */
const ELEMENT_KINDS = new Set(['isIn', 'matches', 'isBoolean', 'isInt', 'isNumber', 'isUuid', 'isEmail', 'isPhone', 'isIp', 'isISO31661Alpha2', 'isCalendarDate', 'isInstant', 'isYearMonth', 'nestedValidation', 'isIso8601']);

function elementValue(target: Function, property: string, rules: Rule[], source: ValueSource, depth: number, where: string): fc.Arbitrary<unknown> {
  const find = (kind: string) => rules.find((r) => kindOf(r) === kind);
  const min = find('min')?.constraints?.[0] as number | undefined;
  const max = find('max')?.constraints?.[0] as number | undefined;
  const isIn = find('isIn');
  if (isIn) return fc.constantFrom(...(isIn.constraints![0] as unknown[]));
  if (find('nestedValidation')) return validInput(nestedClass(target, property), source, depth + 1);
  if (find('isCalendarDate')) return calendarDate();
  if (find('isInstant') || find('isIso8601')) return instant();
  if (find('isYearMonth')) return yearMonth();
  if (find('isUuid')) return fc.uuid({ version: 4 });
  if (find('isEmail')) return email();
  if (find('isPhone')) return fc.constantFrom(...PHONES);
  if (find('isIp')) return fc.oneof(fc.ipV4(), fc.constantFrom('::1', '2001:db8::1'));
  if (find('isISO31661Alpha2')) return fc.constantFrom('FR', 'BE', 'DE', 'MC', 'GP');
  if (find('isBoolean')) return fc.boolean();
  if (find('isInt')) return fc.integer({ min: min ?? -1_000_000, max: max ?? 1_000_000 });
  if (find('isNumber')) return fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
  const matches = find('matches');
  const minLength = Number(find('minLength')?.constraints?.[0] ?? (find('isNotEmpty') ? 1 : 0));
  const maxLength = Number(find('maxLength')?.constraints?.[0] ?? 200);
  if (matches) {
    const regex = matches.constraints![0] instanceof RegExp ? (matches.constraints![0] as RegExp) : new RegExp(String(matches.constraints![0]), String(matches.constraints![1] ?? ''));
    return matching(regex).filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  if (find('isString')) return text(minLength, maxLength);
  if (find('isObject')) return fc.constant({});
  throw new Error(`${where}: cannot tell what value it takes (${rules.map(kindOf).join(', ')})`);
}

/** A fresh aggregate id when a command may name the aggregate it creates. */
export const freshId = (): string => randomUUID();

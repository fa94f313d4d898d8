import { randomUUID } from 'node:crypto';
import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { Public, ROLES, Roles, type Role } from '../../../libs/platform/src';

/**
 * Everything the reliability suite covers is discovered from the running application, never
 * listed by hand: REST routes from Nest's controllers (cross-checked with Express's router and
 * the OpenAPI document), GraphQL operations from introspection (mapped to their resolver methods).
 * A route or mutation added by any context is therefore covered the day it lands.
 */

/** The metadata keys `@Roles` and `@Public` write, read from the decorators themselves. */
function metadataKeyOf(decorator: MethodDecorator): string {
  const handler = function probe() {};
  decorator({}, 'probe', { value: handler });
  const keys = Reflect.getMetadataKeys(handler);
  if (keys.length !== 1) throw new Error(`expected one metadata key, got ${keys.join(', ')}`);
  return String(keys[0]);
}
const ROLES_KEY = metadataKeyOf(Roles('admin'));
const PUBLIC_KEY = metadataKeyOf(Public());

export type Access = { kind: 'public' } | { kind: 'roles'; roles: Role[] } | { kind: 'none' };

/** What the guard reads (handler first, then class) — `none` is the implicit admin-only default. */
function accessOf(handler: Function, controller: Function): Access {
  const isPublic = Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller);
  if (isPublic === true) return { kind: 'public' };
  const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller)) as Role[] | undefined;
  return roles ? { kind: 'roles', roles } : { kind: 'none' };
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ALL';
  /** Express form, e.g. /customers/:customerId/contacts */
  path: string;
  /** OpenAPI form, e.g. /customers/{customerId}/contacts */
  openApiPath: string;
  controller: string;
  handler: string;
  access: Access;
}

const METHODS: Record<number, RestRoute['method']> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
  [RequestMethod.HEAD]: 'HEAD',
  [RequestMethod.OPTIONS]: 'OPTIONS',
  [RequestMethod.ALL]: 'ALL',
};

function joinPath(...parts: Array<string | string[] | undefined>): string {
  const segments = parts
    .map((p) => (Array.isArray(p) ? p[0] : p) ?? '')
    .flatMap((p) => p.split('/'))
    .filter((s) => s !== '');
  return `/${segments.join('/')}`;
}

/** Every handler of every controller in every module of the application. */
export function restRoutes(app: INestApplication): RestRoute[] {
  const scanner = new MetadataScanner();
  const seen = new Set<Function>();
  const routes: RestRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Function | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[name] as Function;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        if (method === undefined) continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        for (const sub of Array.isArray(paths) ? paths : [paths]) {
          const path = joinPath(base, sub);
          routes.push({
            method: METHODS[method],
            path,
            openApiPath: path.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
            controller: controller.name,
            handler: name,
            access: accessOf(handler, controller),
          });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** Routes Express serves (method + path), whoever registered them. */
export function expressRoutes(app: INestApplication): Array<{ method: string; path: string }> {
  const instance = app.getHttpAdapter().getInstance() as { router?: { stack: any[] }; _router?: { stack: any[] } };
  const stack = (instance.router ?? instance._router)?.stack ?? [];
  const out: Array<{ method: string; path: string }> = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods as Record<string, boolean>)) {
      if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: String(layer.route.path) });
      if (on && method === '_all') out.push({ method: 'ALL', path: String(layer.route.path) });
    }
  }
  return out;
}

export const ROLE_COLUMNS: ReadonlyArray<Role | 'none'> = [...ROLES, 'none'];

/** A path with every parameter filled (by name when the caller knows a value, otherwise a UUID). */
export function fillPath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(values[name] ?? randomUUID()));
}

// ------------------------------------------------------------------------------------------------
// GraphQL

export interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
export interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}
export interface FullType {
  kind: string;
  name: string;
  fields: Array<{ name: string; args: InputValue[]; type: TypeRef }> | null;
  inputFields: InputValue[] | null;
  enumValues: Array<{ name: string }> | null;
}
export interface Schema {
  queryType: { name: string } | null;
  mutationType: { name: string } | null;
  types: FullType[];
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }';
export const INTROSPECTION = `query Introspect { __schema {
  queryType { name } mutationType { name }
  types { kind name
    fields(includeDeprecated: true) { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } }
    inputFields { name defaultValue type { ${TYPE_REF} } }
    enumValues(includeDeprecated: true) { name } } } }`;

export interface GraphqlOperation {
  kind: 'query' | 'mutation';
  field: string;
  args: InputValue[];
  returns: TypeRef;
  /** Resolver class and method, or null when no resolver method declares this field. */
  resolver: { className: string; method: string; access: Access } | null;
}

const RESOLVER_TYPE = 'graphql:resolver_type';
const RESOLVER_NAME = 'graphql:resolver_name';

/** Resolver methods of the application, by root type ('Query' | 'Mutation') and field name. */
function resolverMethods(app: INestApplication): Map<string, { className: string; method: string; access: Access }> {
  const scanner = new MetadataScanner();
  const found = new Map<string, { className: string; method: string; access: Access }>();
  const seen = new Set<Function>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const cls = wrapper.metatype as Function | null;
      if (!cls || typeof cls !== 'function' || !cls.prototype || seen.has(cls)) continue;
      seen.add(cls);
      for (const name of scanner.getAllMethodNames(cls.prototype)) {
        const handler = cls.prototype[name];
        const type = Reflect.getMetadata(RESOLVER_TYPE, handler) as string | undefined;
        if (type !== 'Query' && type !== 'Mutation' && type !== 'Subscription') continue;
        const field = (Reflect.getMetadata(RESOLVER_NAME, handler) as string | undefined) ?? name;
        found.set(`${type}.${field}`, { className: cls.name, method: name, access: accessOf(handler, cls) });
      }
    }
  }
  return found;
}

export function graphqlOperations(app: INestApplication, schema: Schema): GraphqlOperation[] {
  const resolvers = resolverMethods(app);
  const ops: GraphqlOperation[] = [];
  for (const [kind, root] of [
    ['query', schema.queryType?.name],
    ['mutation', schema.mutationType?.name],
  ] as const) {
    if (!root) continue;
    const type = schema.types.find((t) => t.name === root);
    for (const f of type?.fields ?? []) {
      ops.push({ kind, field: f.name, args: f.args, returns: f.type, resolver: resolvers.get(`${kind === 'query' ? 'Query' : 'Mutation'}.${f.name}`) ?? null });
    }
  }
  return ops;
}

export function typeString(t: TypeRef): string {
  if (t.kind === 'NON_NULL') return `${typeString(t.ofType!)}!`;
  if (t.kind === 'LIST') return `[${typeString(t.ofType!)}]`;
  return t.name!;
}

export function namedType(t: TypeRef): TypeRef {
  return t.ofType ? namedType(t.ofType) : t;
}

/** The document of one operation: its arguments (all, or `only` these) as variables, `__typename` as the selection. */
export function operationDocument(op: GraphqlOperation, schema: Schema, only?: string[]): string {
  const used = op.args.filter((a) => !only || only.includes(a.name));
  const vars = used.map((a) => `$${a.name}: ${typeString(a.type)}`).join(', ');
  const args = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  const ret = schema.types.find((t) => t.name === namedType(op.returns).name);
  const selection = ret && ['OBJECT', 'INTERFACE', 'UNION'].includes(ret.kind) ? ' { __typename }' : '';
  return `${op.kind} Probe${vars ? `(${vars})` : ''} { ${op.field}${args ? `(${args})` : ''}${selection} }`;
}

/**
 * The smallest value GraphQL accepts for a type (required input fields only): lets a request
 * reach the guard and the resolver, which is what the authorization matrix checks.
 */
export function minimalValue(t: TypeRef, schema: Schema, depth = 0): unknown {
  if (t.kind === 'NON_NULL') return minimalValue(t.ofType!, schema, depth);
  if (t.kind === 'LIST') return [];
  const named = schema.types.find((x) => x.name === t.name);
  if (!named) return 'x';
  if (named.kind === 'ENUM') return named.enumValues?.[0]?.name;
  if (named.kind === 'INPUT_OBJECT') {
    if (depth > 8) return {};
    return Object.fromEntries(
      (named.inputFields ?? []).filter((f) => f.type.kind === 'NON_NULL' && f.defaultValue === null).map((f) => [f.name, minimalValue(f.type, schema, depth + 1)]),
    );
  }
  switch (named.name) {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'ID':
      return randomUUID();
    case 'DateTime':
      return new Date().toISOString();
    case 'JSON':
    case 'JSONObject':
      return {};
    default:
      return 'x';
  }
}

import type { ApolloServerPlugin } from '@apollo/server';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type DocumentNode,
  GraphQLError,
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import type { ErrorDetail } from '@oksio/kernel';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from './paging';
import { problemDocument } from './problem';

/**
 * What one GraphQL request may ask, checked after parsing and before anything executes, in every
 * environment, introspection included. Without them 3,000 aliased `customers(limit: 100)` took 8 s
 * and 2,000 aliased `__schema` stalled the event loop for 15 s.
 */
export const GRAPHQL_LIMITS = {
  /** Tokens of a document (graphql-js refuses more while parsing): bounds parsing and validation. */
  maxTokens: 5_000,
  /** Nested fields, introspection selections excepted. */
  maxDepth: 12,
  /** Aliased fields of the operation and its fragments. */
  maxAliases: 30,
  /** Estimated rows and fields: every field costs 1, a paged field multiplies what it selects by its `limit`. */
  maxCost: 50_000,
  /** A `__schema` or `__type` field, whatever it selects: one full introspection fits ten times. */
  introspectionCost: 5_000,
} as const;

export type GraphqlLimits = { [K in keyof typeof GRAPHQL_LIMITS]: number };

export interface QueryMeasure {
  cost: number;
  depth: number;
  aliases: number;
}

interface Subtotal {
  cost: number;
  depth: number;
}

/** Cost, depth and aliases of the operation to run, its fragments walked once each (memoised). */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: GraphqlLimits = GRAPHQL_LIMITS,
): QueryMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fragmentTotals = new Map<string, Subtotal>();
  let aliases = 0;

  const pageSize = (field: FieldNode, parent: GraphQLNamedType | undefined): number => {
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[field.name.value] : undefined;
    const limitArg = definition?.args.find((a) => a.name === 'limit');
    if (!limitArg) return 1;
    const node = field.arguments?.find((a) => a.name.value === 'limit')?.value;
    let size: number;
    if (node?.kind === Kind.INT) size = Number(node.value);
    else if (node?.kind === Kind.VARIABLE) {
      const given = variables[node.name.value];
      const declared = operation.variableDefinitions?.find((v) => v.variable.name.value === node.name.value)?.defaultValue;
      size = typeof given === 'number' ? given : declared?.kind === Kind.INT ? Number(declared.value) : PAGE_LIMIT_MAX;
    } else size = typeof limitArg.defaultValue === 'number' ? limitArg.defaultValue : PAGE_LIMIT_DEFAULT;
    // A limit outside 1–PAGE_LIMIT_MAX is refused when the field runs; it cannot cost more than the largest page.
    return Math.min(Math.max(Number.isFinite(size) ? size : PAGE_LIMIT_MAX, 1), PAGE_LIMIT_MAX);
  };

  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): Subtotal => {
    let cost = 0;
    let depth = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        const name = selection.name.value;
        if (name === '__schema' || name === '__type') {
          cost += limits.introspectionCost;
          depth = Math.max(depth, 1);
          continue;
        }
        const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
        const child = selection.selectionSet ? walk(selection.selectionSet, definition ? getNamedType(definition.type) : undefined) : { cost: 0, depth: 0 };
        cost += 1 + pageSize(selection, parent) * child.cost;
        depth = Math.max(depth, 1 + child.depth);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? undefined : parent;
        const inner = walk(selection.selectionSet, type);
        cost += inner.cost;
        depth = Math.max(depth, inner.depth);
      } else {
        const inner = fragmentTotal(selection.name.value);
        cost += inner.cost;
        depth = Math.max(depth, inner.depth);
      }
    }
    return { cost, depth };
  };

  const fragmentTotal = (name: string): Subtotal => {
    const known = fragmentTotals.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // A cycle or an unknown fragment never passes validation; counted as nothing while it is walked.
    fragmentTotals.set(name, { cost: 0, depth: 0 });
    const total = fragment ? walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined) : { cost: 0, depth: 0 };
    fragmentTotals.set(name, total);
    return total;
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  const total = walk(operation.selectionSet, root ?? undefined);
  return { cost: total.cost, depth: total.depth, aliases };
}

/** What the measure exceeds, each named against the request's `query`. */
export function limitViolations(measure: QueryMeasure, limits: GraphqlLimits = GRAPHQL_LIMITS): ErrorDetail[] {
  const over: ErrorDetail[] = [];
  if (measure.aliases > limits.maxAliases) over.push({ field: 'query', message: `${measure.aliases} aliased fields; at most ${limits.maxAliases}` });
  if (measure.depth > limits.maxDepth) over.push({ field: 'query', message: `nested ${measure.depth} fields deep; at most ${limits.maxDepth}` });
  if (measure.cost > limits.maxCost) {
    const cost = Number.isFinite(measure.cost) ? String(measure.cost) : 'beyond measure';
    over.push({ field: 'query', message: `cost ${cost}; at most ${limits.maxCost} (each field 1, times the limit of the paged field above it; __schema/__type ${limits.introspectionCost})` });
  }
  return over;
}

/**
 * Measures the operation once it is resolved (validation passed, variables known) and refuses it
 * before execution: a GraphQL error whose extensions are the problem document (HTTP 400).
 */
export function graphqlLimitsPlugin(limits: GraphqlLimits = GRAPHQL_LIMITS): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const over = limitViolations(measureOperation(schema, document, operation, request.variables ?? {}, limits), limits);
          if (over.length === 0) return;
          const problem = problemDocument(400, 'query_too_complex', `The query exceeds the GraphQL limits: ${over.map((o) => o.message).join('; ')}`, over);
          throw new GraphQLError(problem.detail, { extensions: { ...problem, http: { status: 400 } } });
        },
      };
    },
  };
}

/**
 * graphql-js refuses a document over `maxTokens` while parsing, as a syntax error: given the same
 * problem-like extensions as the other limits. (graphql 16 writes "more that N tokens".)
 */
export function formatGraphqlLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED' || !/contains more th(?:an|at) \d+ tokens/.test(formatted.message)) return formatted;
  const problem = problemDocument(400, 'query_too_large', formatted.message, [{ field: 'query', message: `more than ${GRAPHQL_LIMITS.maxTokens} tokens` }]);
  return { ...formatted, extensions: { ...problem } };
}

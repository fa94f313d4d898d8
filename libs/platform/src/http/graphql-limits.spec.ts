import { buildSchema, getOperationAST, parse } from 'graphql';
import { GRAPHQL_LIMITS, limitViolations, measureOperation } from './graphql-limits';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from './paging';

const schema = buildSchema(`
  type Node { id: ID! name: String child: Node children(limit: Int = ${PAGE_LIMIT_DEFAULT}): [Node!]! }
  type Page { total: Int! items: [Node!]! }
  type Query { nodes(limit: Int = ${PAGE_LIMIT_DEFAULT}, offset: Int = 0): Page! node(id: ID!): Node plain: [Node!]! }
`);

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  return measureOperation(schema, document, getOperationAST(document)!, variables);
}

describe('issue 18 item 6 — GraphQL cost, depth and aliases, measured before execution', () => {
  it('a paged field multiplies what it selects by its limit (literal, variable, variable default, schema default; bounded by the largest page)', () => {
    expect(measure('{ nodes(limit: 10) { total items { id name } } }').cost).toBe(1 + 10 * (1 + 1 + 2));
    expect(measure('query($n: Int) { nodes(limit: $n) { total } }', { n: 7 }).cost).toBe(1 + 7);
    expect(measure('query($n: Int = 3) { nodes(limit: $n) { total } }').cost).toBe(1 + 3);
    expect(measure('query($n: Int) { nodes(limit: $n) { total } }').cost).toBe(1 + PAGE_LIMIT_MAX);
    expect(measure('{ nodes { total } }').cost).toBe(1 + PAGE_LIMIT_DEFAULT);
    expect(measure('{ nodes(limit: 100000) { total } }').cost).toBe(1 + PAGE_LIMIT_MAX);
    // Nested paged fields multiply each other.
    expect(measure('{ nodes(limit: 10) { items { children(limit: 10) { id } } } }').cost).toBe(1 + 10 * (1 + 1 * (1 + 10 * 1)));
    // A list without a limit counts once (bounded lists: configuration, a row's own children).
    expect(measure('{ plain { id } }').cost).toBe(2);
  });

  it('aliases, inline fragments and named fragments are counted; a fragment is walked once however often it is spread', () => {
    const aliased = measure('{ a: node(id: 1) { id } b: node(id: 2) { id } c: nodes { total } }');
    expect(aliased.aliases).toBe(3);
    // 2^20 expansions if walked naively: F0 spreads F1 twice, F1 spreads F2 twice, …
    const chain = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Node { x: child { ...F${i + 1} } y: child { ...F${i + 1} } }`).join('\n');
    const bomb = measure(`{ node(id: 1) { ...F0 } } ${chain} fragment F20 on Node { id }`);
    expect(bomb.aliases).toBe(40);
    expect(bomb.cost).toBeGreaterThan(2 ** 20);
    expect(bomb.depth).toBe(22);
    expect(measure('{ node(id: 1) { ... on Node { name } } }').cost).toBe(2);
  });

  it('introspection costs a fixed amount whatever it selects, and is not counted for depth', () => {
    const typeRef = `${'ofType { '.repeat(12)}name${' }'.repeat(12)}`;
    const full = measure(`{ __schema { types { fields { type { ${typeRef} } } } } }`);
    expect(full).toEqual({ cost: GRAPHQL_LIMITS.introspectionCost, depth: 1, aliases: 0 });
    const many = measure(`{ ${Array.from({ length: 11 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ')} }`);
    expect(limitViolations(many).map((v) => v.message)).toEqual([expect.stringMatching(/^cost 55000; at most 50000/)]);
  });

  it('each limit exceeded is named against the query', () => {
    const deep = measure(`{ node(id: 1) { ${'child { '.repeat(GRAPHQL_LIMITS.maxDepth)}id${' }'.repeat(GRAPHQL_LIMITS.maxDepth)} } }`);
    expect(deep.depth).toBe(GRAPHQL_LIMITS.maxDepth + 2);
    expect(limitViolations(deep)).toEqual([{ field: 'query', message: `nested ${GRAPHQL_LIMITS.maxDepth + 2} fields deep; at most ${GRAPHQL_LIMITS.maxDepth}` }]);
    const aliases = measure(`{ ${Array.from({ length: GRAPHQL_LIMITS.maxAliases + 1 }, (_, i) => `n${i}: node(id: ${i}) { id }`).join(' ')} }`);
    expect(limitViolations(aliases)).toEqual([{ field: 'query', message: `${GRAPHQL_LIMITS.maxAliases + 1} aliased fields; at most ${GRAPHQL_LIMITS.maxAliases}` }]);
    expect(limitViolations(measure('{ nodes(limit: 200) { items { id name } } }'))).toEqual([]);
  });
});

import type { EntityManager } from 'typeorm';

// node-postgres' own parameter serialisation (not in its type definitions).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): string | null };

/** A parameterised SQL statement, built now and executed later (a projection batch's writes). */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

/** Executes statements in order through a transaction's manager. */
export async function runStatements(tx: EntityManager, statements: readonly SqlStatement[]): Promise<void> {
  for (const s of statements) await tx.query(s.text, s.values);
}

/**
 * One statement with its parameters written into the text, for a script sent in one round trip
 * (simple query protocol, which takes no parameters). Each value becomes what node-postgres would
 * have sent for it (`prepareValue`), as a dollar-quoted literal of unknown type: PostgreSQL infers
 * its type from the context exactly as for an untyped parameter (`$1::json`, `= $1`, `+ $1`).
 * Dollar quoting needs no escaping, only a tag absent from the value.
 */
export function inlineStatement({ text, values }: SqlStatement): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= values.length) throw new Error(`statement references $${n} but has ${values.length} values`);
    return literal(values[index]);
  });
}

function literal(value: unknown): string {
  const text = prepareValue(value) as string | null;
  if (text === null || text === undefined) return 'NULL';
  let tag = '$v$';
  for (let i = 0; text.includes(tag); i++) tag = `$v${i}$`;
  return `${tag}${text}${tag}`;
}

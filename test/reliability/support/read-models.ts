import type { Pool } from 'pg';

/**
 * A fingerprint of every read model in a database, to compare "after the chaos" with "after a
 * clean rebuild". Every table of the public schema is included except the event store itself,
 * checkpoints and the scheduler's state (compared separately), and bookkeeping timestamps: columns
 * defaulting to now()/clock_timestamp() and columns named updated_at/created_at/applied_at (a
 * projection may stamp the wall clock when it writes; the business content must still match).
 */

const INFRASTRUCTURE = new Set(['es_events', 'es_streams', 'es_commands', 'projection_checkpoints', 'due_actions', 'migrations', 'typeorm_metadata', 'reliability_probe_runs']);
const BOOKKEEPING = new Set(['updated_at', 'created_at', 'applied_at', 'projected_at', 'owner_since']);

export interface ReadModelSnapshot {
  /** table → { rows, md5 of the sorted rows (business columns only) } */
  tables: Record<string, { rows: number; digest: string; columns: string[] }>;
}

export async function snapshotReadModels(pool: Pool): Promise<ReadModelSnapshot> {
  const { rows: columns } = await pool.query<{ table_name: string; column_name: string; column_default: string | null }>(
    `SELECT c.table_name, c.column_name, c.column_default
       FROM information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of columns) {
    if (INFRASTRUCTURE.has(c.table_name)) continue;
    if (BOOKKEEPING.has(c.column_name) || /now\(\)|clock_timestamp|current_timestamp/i.test(c.column_default ?? '')) continue;
    if (/nextval\(/.test(c.column_default ?? '')) continue; // serial ids depend on insertion history
    byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
  }
  const tables: ReadModelSnapshot['tables'] = {};
  for (const [table, cols] of byTable) {
    const list = cols.map((c) => `"${c}"`).join(', ');
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '') AS digest
         FROM (SELECT (ROW(${list}))::text AS r FROM "${table}") x`,
    );
    tables[table] = { rows: rows[0].n, digest: rows[0].digest, columns: cols };
  }
  return { tables };
}

/** Due actions as the projections scheduled them (status aside: the scheduler changes it). */
export async function scheduledActions(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT key || ' ' || kind || ' ' || aggregate_id || ' ' || due_at::text || ' ' || command_id::text || ' ' || source AS a FROM due_actions ORDER BY 1`,
  );
  return rows.map((r) => r.a);
}

/** Tables whose content differs between two snapshots. */
export function differences(a: ReadModelSnapshot, b: ReadModelSnapshot): string[] {
  const names = new Set([...Object.keys(a.tables), ...Object.keys(b.tables)]);
  return [...names]
    .filter((n) => a.tables[n]?.digest !== b.tables[n]?.digest)
    .map((n) => `${n}: ${a.tables[n]?.rows ?? '-'} rows vs ${b.tables[n]?.rows ?? '-'} rows after a clean rebuild`);
}

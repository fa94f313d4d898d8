import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApp } from '../../../../test/support/app';
import { spawnTs } from '../../../../test/support/processes';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the operator CLI (`apps/cli/src/main.ts`) against the test app's database, as an operator would. */
export function runCli(t: TestApp, args: string[]): Promise<CliResult> {
  const env: Record<string, string> = { DATABASE_URL: t.db.url, NODE_ENV: 'test', CLOCK: 'test', PII_MASTER_KEY: t.runtime.config.piiMasterKey };
  return new Promise((resolve, reject) => {
    const child = spawnTs('apps/cli/src/main.ts', env, args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ExportedEvent {
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** `oksio events export --out <file>`: every event in global order, parsed from the NDJSON file. */
export async function exportEvents(t: TestApp): Promise<{ result: CliResult; events: ExportedEvent[]; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'oksio-export-'));
  try {
    const file = join(dir, 'events.ndjson');
    const result = await runCli(t, ['events', 'export', '--out', file]);
    if (result.code !== 0) return { result, events: [], text: '' };
    const text = readFileSync(file, 'utf8');
    const events = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as ExportedEvent);
    return { result, events, text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every row of every table of the database, as text, per table: a generic way to look for personal
 * data in every read model and technical table (current and future ones alike).
 */
export async function dumpTables(t: TestApp): Promise<Map<string, string>> {
  const { rows: tables } = await t.runtime.pool.query<{ name: string }>(
    `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name
     FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out = new Map<string, string>();
  for (const { name } of tables) {
    const { rows } = await t.runtime.pool.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
    out.set(name, rows.map((r) => r.row).join('\n'));
  }
  return out;
}

/** The places (table names, or a label) where any of the sentinels appears, case-insensitively. */
export function findSentinels(haystacks: Map<string, string>, sentinels: Record<string, string>): Array<{ where: string; sentinel: string; value: string }> {
  const found: Array<{ where: string; sentinel: string; value: string }> = [];
  for (const [where, text] of haystacks) {
    const lower = text.toLowerCase();
    for (const [sentinel, value] of Object.entries(sentinels)) {
      if (lower.includes(value.toLowerCase())) found.push({ where, sentinel, value });
    }
  }
  return found;
}

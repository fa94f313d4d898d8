import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Folded states are written and read back whole by their projection, never queried inside: `json`
 * (validated text) instead of `jsonb` (parsed into a binary tree at every write). Writing the
 * states was a third of a subscriptions rebuild's database time; as `json` it costs a quarter to a
 * third less (docs/performance.md).
 */
export class ProjectionStatesAsJson1764000000300 implements MigrationInterface {
  name = 'ProjectionStatesAsJson1764000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE projection_states ALTER COLUMN state TYPE json USING state::json');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE projection_states ALTER COLUMN state TYPE jsonb USING state::jsonb');
  }
}

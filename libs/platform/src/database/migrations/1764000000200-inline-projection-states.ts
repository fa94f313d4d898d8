import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Folded states (a contract's is ≈ 3 KB of JSON) stay inline and uncompressed up to a page: above
 * the default 2 KB target PostgreSQL compressed every state written, which was a large part of a
 * rebuild's database time. Disk for CPU: a state is rewritten at every batch that touches it.
 */
export class InlineProjectionStates1764000000200 implements MigrationInterface {
  name = 'InlineProjectionStates1764000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE projection_states SET (toast_tuple_target = 8160)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE projection_states RESET (toast_tuple_target)');
  }
}

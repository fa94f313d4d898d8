import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Due actions are claimed with a lease (committed at once) instead of a row lock held while the
 * handler runs: a scheduler transaction open during handlers held back the event store's read
 * watermark (ADR 0003), so events appended by those very handlers stayed invisible to projections
 * until the whole batch committed.
 */
export class DueActionClaims1764000000100 implements MigrationInterface {
  name = 'DueActionClaims1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE due_actions ADD COLUMN claimed_by text, ADD COLUMN claimed_until timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE due_actions DROP COLUMN claimed_by, DROP COLUMN claimed_until');
  }
}

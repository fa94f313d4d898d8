import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contract's row (terms and items as JSON, ≈ 2.3 KB) stays inline and uncompressed: above the
 * default 2 KB target PostgreSQL compressed it at every write, a large part of a rebuild's database
 * time (see docs/performance.md).
 */
export class InlineSubscriptionRows1764000200300 implements MigrationInterface {
  name = 'InlineSubscriptionRows1764000200300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE subscriptions SET (toast_tuple_target = 8160)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE subscriptions RESET (toast_tuple_target)');
  }
}

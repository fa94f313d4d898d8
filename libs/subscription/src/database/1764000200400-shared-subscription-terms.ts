import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contract's resolved terms are stored once per distinct content (`subscription_terms`), referred
 * to by `subscriptions.terms_id`, and the folded states of the subscriptions projection refer to
 * them the same way. The projection is rebuilt from the start to fill both: its folded states are
 * dropped and its checkpoint goes back to the start (as POST /admin/projections/subscriptions/rebuild
 * would, without emptying the rows meanwhile). Contract rows keep serving during the replay; their
 * terms read as null until the replay reaches them. Due actions are kept: the replay upserts the
 * same keys, and done ones stay done.
 */
export class SharedSubscriptionTerms1764000200400 implements MigrationInterface {
  name = 'SharedSubscriptionTerms1764000200400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE subscription_terms (terms_id text PRIMARY KEY, terms jsonb NOT NULL)`);
    await q.query(`ALTER TABLE subscriptions DROP COLUMN terms, ADD COLUMN terms_id text`);
    await this.replaySubscriptions(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE subscriptions DROP COLUMN terms_id, ADD COLUMN terms jsonb`);
    await q.query('DROP TABLE subscription_terms');
    await this.replaySubscriptions(q);
  }

  private async replaySubscriptions(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM projection_states WHERE projection = 'subscriptions'`);
    await q.query(
      `UPDATE projection_checkpoints SET commit_pos = -1, prepare_pos = -1, events_applied = 0, updated_at = now() WHERE name = 'subscriptions'`,
    );
  }
}

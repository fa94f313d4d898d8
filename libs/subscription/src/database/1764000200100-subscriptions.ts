import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of subscription contracts (projection `subscriptions`, folded with the domain's evolve). */
export class Subscriptions1764000200100 implements MigrationInterface {
  name = 'Subscriptions1764000200100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE subscriptions (
      subscription_id  uuid PRIMARY KEY,
      customer_id      uuid NOT NULL,
      service          text NOT NULL,
      status           text NOT NULL,
      order_status     text NOT NULL,
      guarantee        text NOT NULL,
      quote_date       date,
      order_amount     text,
      signed_on        date,
      activated_on     date,
      ended_on         date,
      pending_end_on   date,
      pending_end_cause text,
      pending_end_rule text,
      deliveries_suspended boolean NOT NULL DEFAULT false,
      active_suspensions integer NOT NULL DEFAULT 0,
      items            jsonb NOT NULL,
      terms            jsonb,
      revision         bigint NOT NULL,
      placed_at        timestamptz,
      updated_at       timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX subscriptions_customer ON subscriptions (customer_id, placed_at)`);
    await q.query(`CREATE INDEX subscriptions_status ON subscriptions (status, service)`);
    await q.query(`CREATE INDEX subscriptions_order_status ON subscriptions (order_status, placed_at)`);
    await q.query(`CREATE TABLE subscription_commitments (
      subscription_id  uuid NOT NULL,
      line_id          text NOT NULL,
      scope            text NOT NULL,
      customer_id      uuid NOT NULL,
      service          text NOT NULL,
      status           text NOT NULL,
      service_start_on date,
      notice_rule      text NOT NULL,
      notice_months    integer NOT NULL,
      anchor_on        date NOT NULL,
      initial_term_months integer NOT NULL,
      renewal_period_months integer NOT NULL,
      initial_end_on   date NOT NULL,
      period_index     integer NOT NULL,
      period_kind      text NOT NULL,
      period_start_on  date NOT NULL,
      period_end_on    date NOT NULL,
      notice_deadline_on date,
      renews_at_period_end boolean NOT NULL,
      pending_end_on   date,
      ended_on         date,
      updated_at       timestamptz NOT NULL,
      PRIMARY KEY (subscription_id, line_id)
    )`);
    await q.query(`CREATE INDEX subscription_commitments_period_end ON subscription_commitments (period_end_on) WHERE scope = 'contract'`);
    await q.query(`CREATE INDEX subscription_commitments_notice ON subscription_commitments (notice_deadline_on) WHERE scope = 'contract'`);
    await q.query(`CREATE INDEX subscription_commitments_customer ON subscription_commitments (customer_id)`);
    await q.query(`CREATE TABLE subscription_suspensions (
      subscription_id  uuid NOT NULL,
      suspension_id    text NOT NULL,
      customer_id      uuid NOT NULL,
      service          text NOT NULL,
      reason           text NOT NULL,
      scope            text NOT NULL,
      item_ids         jsonb NOT NULL,
      rule             text,
      conservatory     boolean,
      active           boolean NOT NULL,
      suspended_at     timestamptz NOT NULL,
      ended_at         timestamptz,
      ended_by         text,
      details          jsonb NOT NULL DEFAULT '{}',
      lost_or_stolen   jsonb,
      force_majeure    jsonb,
      reconnection_costs_billable boolean,
      new_number       text,
      PRIMARY KEY (subscription_id, suspension_id)
    )`);
    await q.query(`CREATE INDEX subscription_suspensions_active ON subscription_suspensions (active, suspended_at)`);
    await q.query(`CREATE INDEX subscription_suspensions_customer ON subscription_suspensions (customer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE subscription_suspensions, subscription_commitments, subscriptions');
  }
}

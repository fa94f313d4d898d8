import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Non-payment process manager (SUS-02, SUS-06): one case per invoice Billing allowed a measure on. */
export class NonPayment1764000200200 implements MigrationInterface {
  name = 'NonPayment1764000200200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE subscription_nonpayment_cases (
      invoice_id       text PRIMARY KEY,
      invoice_ref      text NOT NULL,
      customer_id      text NOT NULL,
      due_on           date NOT NULL,
      status           text NOT NULL,
      suspension_allowed_from date,
      subscription_ids jsonb NOT NULL DEFAULT '[]',
      deliveries_allowed_from date,
      deliveries_subscription_ids jsonb NOT NULL DEFAULT '[]',
      settled_on       date,
      round            integer NOT NULL DEFAULT 0,
      updated_at       timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX subscription_nonpayment_cases_customer ON subscription_nonpayment_cases (customer_id, due_on)`);
    await q.query(`CREATE INDEX subscription_nonpayment_cases_status ON subscription_nonpayment_cases (status, due_on)`);
    await q.query(`CREATE INDEX subscription_nonpayment_cases_subscriptions ON subscription_nonpayment_cases USING gin (subscription_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE subscription_nonpayment_cases');
  }
}

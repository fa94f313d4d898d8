import type { MigrationInterface, QueryRunner } from 'typeorm';

/** BIL-13: MOBILE handset orders, served only after their invoice is paid. */
export class BillingHandsetOrders1764000600200 implements MigrationInterface {
  name = 'BillingHandsetOrders1764000600200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE billing_handset_orders (
      order_id        text PRIMARY KEY,
      customer_id     text NOT NULL,
      subscription_id text NOT NULL,
      invoice_id      text NOT NULL UNIQUE,
      invoice_number  text,
      total_ttc       numeric(16,2),
      payment_method  text,
      status          text NOT NULL,
      lines           jsonb NOT NULL,
      ordered_on      date NOT NULL,
      paid_on         date,
      released_on     date,
      shipped_on      date,
      shipment_ref    text,
      updated_at      timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX billing_handset_orders_customer ON billing_handset_orders (customer_id, ordered_on DESC)');
    await q.query('CREATE INDEX billing_handset_orders_status ON billing_handset_orders (status)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE billing_handset_orders');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SIP rating (BIL-07, BIL-09): the SIP lines known from Subscription events, the CDRs accepted
 * (unique call id: a duplicate is detected across imports), the CDRs rejected with their reason,
 * and the rated calls per line and billing month (derived, recomputed when a line-month changes).
 */
export class SipRating1764000500000 implements MigrationInterface {
  name = 'SipRating1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rating_sip_lines (
      subscription_id    text NOT NULL,
      line_id            text NOT NULL,
      customer_id        text,
      label              text NOT NULL,
      plans              jsonb NOT NULL,
      simultaneous_lines integer NOT NULL DEFAULT 1 CHECK (simultaneous_lines >= 1),
      activated_on       date,
      ends_on            date,
      cancelled          boolean NOT NULL DEFAULT false,
      PRIMARY KEY (subscription_id, line_id)
    )`);
    await q.query(`CREATE TABLE rating_cdrs (
      call_id          text PRIMARY KEY,
      import_id        uuid NOT NULL,
      subscription_id  text NOT NULL,
      line_id          text NOT NULL,
      caller           text NOT NULL,
      called           text NOT NULL,
      called_e164      text NOT NULL,
      started_at       timestamptz NOT NULL,
      duration_seconds integer NOT NULL CHECK (duration_seconds >= 0),
      billing_month    char(7) NOT NULL,
      destination      text NOT NULL,
      price_per_minute numeric(12, 6) NOT NULL,
      rate_year        integer NOT NULL,
      allowance_category text,
      non_geographic   boolean NOT NULL,
      imported_at      timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX rating_cdrs_line_month ON rating_cdrs (subscription_id, line_id, billing_month)`);
    await q.query(`CREATE TABLE rating_rejected_cdrs (
      rejection_id     bigserial PRIMARY KEY,
      import_id        uuid NOT NULL,
      record_no        integer NOT NULL,
      call_id          text,
      subscription_id  text,
      line_id          text,
      reason           text NOT NULL,
      detail           text NOT NULL,
      raw              text NOT NULL,
      rejected_at      timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX rating_rejected_import ON rating_rejected_cdrs (import_id, record_no)`);
    await q.query(`CREATE INDEX rating_rejected_subscription ON rating_rejected_cdrs (subscription_id, rejected_at)`);
    await q.query(`CREATE TABLE rating_rated_calls (
      call_id          text PRIMARY KEY REFERENCES rating_cdrs (call_id) ON DELETE CASCADE,
      subscription_id  text NOT NULL,
      line_id          text NOT NULL,
      billing_month    char(7) NOT NULL,
      started_at       timestamptz NOT NULL,
      called           text NOT NULL,
      destination      text NOT NULL,
      plan             text NOT NULL,
      duration_seconds integer NOT NULL,
      included_seconds integer NOT NULL,
      billed_seconds   integer NOT NULL,
      price_per_minute numeric(12, 6) NOT NULL,
      amount           numeric NOT NULL,
      outcome          text NOT NULL,
      distinct_number_rank integer,
      rated_at         timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX rating_rated_subscription_month ON rating_rated_calls (subscription_id, billing_month, line_id, started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rating_rated_calls, rating_rejected_cdrs, rating_cdrs, rating_sip_lines');
  }
}

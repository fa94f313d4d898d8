import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The view's columns, as `subscription_commitments` had them (the API reads the view). */
const COMMITMENTS_VIEW = `CREATE VIEW subscription_commitments AS
  SELECT c.subscription_id, ''::text AS line_id, 'contract'::text AS scope, c.customer_id, c.service, c.status,
         c.service_start_on, c.notice_rule, c.notice_months, c.anchor_on, c.initial_term_months, c.renewal_period_months,
         c.initial_end_on, c.period_index, c.period_kind, c.period_start_on, c.period_end_on, c.notice_deadline_on,
         c.renews_at_period_end, c.pending_end_on, c.ended_on, c.updated_at
    FROM subscription_contract_commitments c
  UNION ALL
  SELECT l.subscription_id, l.line_id, 'line'::text, c.customer_id, c.service, l.status,
         l.service_start_on, c.notice_rule, c.notice_months, c.anchor_on, c.initial_term_months, c.renewal_period_months,
         c.initial_end_on, c.period_index, c.period_kind, c.period_start_on, c.period_end_on,
         CASE WHEN l.status = 'active' THEN c.notice_deadline_on END,
         c.renews_at_period_end AND l.status = 'active', c.pending_end_on, l.ended_on, c.updated_at
    FROM subscription_line_commitments l JOIN subscription_contract_commitments c USING (subscription_id)`;

/**
 * A MOBILE line's commitment row repeated its contract's whole calendar (17 of its 22 columns):
 * the calendar is now stored once per contract (`subscription_contract_commitments`), each line
 * keeps only what is its own (`subscription_line_commitments`: status, service start, end), and
 * `subscription_commitments` is a view giving the rows as before (a line renews and has a notice
 * deadline only while active, as the projection wrote them). Rows are moved, not replayed, so the
 * read model keeps serving. Indexes that were partial on `scope = 'contract'` become plain: every
 * row of the contract table is a contract.
 */
export class LineCommitments1764000200500 implements MigrationInterface {
  name = 'LineCommitments1764000200500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE subscription_commitments RENAME TO subscription_contract_commitments`);
    await q.query(`CREATE TABLE subscription_line_commitments (
      subscription_id  uuid NOT NULL,
      line_id          text NOT NULL,
      status           text NOT NULL,
      service_start_on date,
      ended_on         date,
      PRIMARY KEY (subscription_id, line_id)
    )`);
    await q.query(`INSERT INTO subscription_line_commitments (subscription_id, line_id, status, service_start_on, ended_on)
      SELECT subscription_id, line_id, status, service_start_on, ended_on FROM subscription_contract_commitments WHERE scope = 'line'`);
    await q.query(`DELETE FROM subscription_contract_commitments WHERE scope = 'line'`);
    await q.query(`DROP INDEX subscription_commitments_period_end, subscription_commitments_notice, subscription_commitments_customer`);
    await q.query(`ALTER TABLE subscription_contract_commitments DROP CONSTRAINT subscription_commitments_pkey`);
    await q.query(`ALTER TABLE subscription_contract_commitments DROP COLUMN line_id, DROP COLUMN scope`);
    await q.query(`ALTER TABLE subscription_contract_commitments ADD CONSTRAINT subscription_contract_commitments_pkey PRIMARY KEY (subscription_id)`);
    await q.query(`CREATE INDEX subscription_contract_commitments_period_end ON subscription_contract_commitments (period_end_on)`);
    await q.query(`CREATE INDEX subscription_contract_commitments_notice ON subscription_contract_commitments (notice_deadline_on)`);
    await q.query(`CREATE INDEX subscription_contract_commitments_customer ON subscription_contract_commitments (customer_id)`);
    await q.query(COMMITMENTS_VIEW);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE subscription_commitments_rows AS SELECT * FROM subscription_commitments`);
    await q.query(`DROP VIEW subscription_commitments`);
    await q.query(`DROP TABLE subscription_line_commitments, subscription_contract_commitments`);
    await q.query(`ALTER TABLE subscription_commitments_rows RENAME TO subscription_commitments`);
    for (const column of ['subscription_id', 'line_id', 'scope', 'customer_id', 'service', 'status', 'notice_rule', 'notice_months', 'anchor_on', 'initial_term_months', 'renewal_period_months', 'initial_end_on', 'period_index', 'period_kind', 'period_start_on', 'period_end_on', 'renews_at_period_end', 'updated_at']) {
      await q.query(`ALTER TABLE subscription_commitments ALTER COLUMN ${column} SET NOT NULL`);
    }
    await q.query(`ALTER TABLE subscription_commitments ADD PRIMARY KEY (subscription_id, line_id)`);
    await q.query(`CREATE INDEX subscription_commitments_period_end ON subscription_commitments (period_end_on) WHERE scope = 'contract'`);
    await q.query(`CREATE INDEX subscription_commitments_notice ON subscription_commitments (notice_deadline_on) WHERE scope = 'contract'`);
    await q.query(`CREATE INDEX subscription_commitments_customer ON subscription_commitments (customer_id)`);
  }
}

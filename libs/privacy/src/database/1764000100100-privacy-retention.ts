import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention as data (PRV-02, PRV-03): one policy per personal-data category and the legal holds,
 * seeded here (values frozen in this migration) and changed afterwards through audited commands.
 * `privacy_retention` is the read model of every subject's clocks (projection privacy-retention).
 */
const POLICIES: Array<[string, string[], string, string | null, string, boolean, string, string]> = [
  ['identity_contact', ['contract'], 'relationship_end', null, 'P5Y', false, 'PRV-02', 'Identity and contact data: until 5 years after the end of the contractual relationship'],
  ['contract', ['contract'], 'relationship_end', null, 'P5Y', false, 'PRV-02', 'Contract data: like identity data, 5 years after the end of the contractual relationship (decision)'],
  ['communications', ['contract', 'legitimate_interest'], 'last_collection', null, 'P3Y', false, 'PRV-02', 'Requests, complaints, answers, account messages: 3 years after they were made'],
  ['connection', ['contract'], 'last_collection', null, 'P1Y', false, 'PRV-07', 'Connection logs: 1 year from collection (decision: CPCE L34-1 connection data)'],
  ['financial', ['contract', 'legal_obligation'], 'last_collection', null, 'P3Y', true, 'PRV-02', 'Payment data (except IBAN): 3 years after receipt, longer while an unpaid debt is handled'],
  ['bank_details', ['contract'], 'relationship_end', null, 'P0D', true, 'PRV-02', 'IBAN/RIB: until the end of the relationship (decision), longer while an unpaid debt is handled'],
  ['satisfaction', ['legitimate_interest'], 'last_collection', null, 'P3Y', false, 'PRV-02', 'Data kept on legitimate interest (satisfaction answers): 3 years from collection'],
  ['marketing', ['legitimate_interest', 'consent'], 'relationship_end', null, 'P0D', false, 'PRV-02', 'Marketing-relationship data: until the contract ends'],
  ['hosted_pbx', ['contract'], 'service_contract_end', 'HOSTED_PBX', 'P12M', false, 'PRV-03', 'Hosted PBX customer data files: destroyed 12 months after the contract ends'],
];

export class PrivacyRetention1764000100100 implements MigrationInterface {
  name = 'PrivacyRetention1764000100100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE retention_policies (
      category      text PRIMARY KEY,
      legal_basis   text[] NOT NULL CHECK (cardinality(legal_basis) > 0),
      anchor        text NOT NULL CHECK (anchor IN ('relationship_end', 'service_contract_end', 'last_collection')),
      service       text,
      active_period text NOT NULL,
      extend_while_unpaid_debt boolean NOT NULL,
      rule          text NOT NULL,
      description   text NOT NULL,
      updated_at    timestamptz NOT NULL DEFAULT now(),
      CHECK ((anchor = 'service_contract_end') = (service IS NOT NULL))
    )`);
    for (const row of POLICIES) {
      await q.query(
        `INSERT INTO retention_policies (category, legal_basis, anchor, service, active_period, extend_while_unpaid_debt, rule, description)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        row,
      );
    }
    await q.query(`CREATE TABLE legal_hold_rules (
      kind        text PRIMARY KEY,
      period      text NOT NULL,
      categories  text[] NOT NULL CHECK (cardinality(categories) > 0),
      rule        text NOT NULL,
      description text NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `INSERT INTO legal_hold_rules (kind, period, categories, rule, description) VALUES ($1, $2, $3, $4, $5)`,
      ['invoice', 'P10Y', ['identity_contact', 'contract', 'financial'], 'PRV-02', 'Invoices and accounting records: 10 years (Code de commerce L123-22)'],
    );
    await q.query(`CREATE TABLE privacy_retention (
      subject_id   text NOT NULL,
      category     text NOT NULL,
      anchor_at    timestamptz,
      active_until timestamptz,
      hold_until   timestamptz,
      debt_open    boolean NOT NULL,
      purge_at     timestamptz,
      purged_at    timestamptz,
      erasure_requested_at timestamptz,
      restricted   boolean NOT NULL,
      restriction_reason text,
      PRIMARY KEY (subject_id, category)
    )`);
    await q.query(`CREATE INDEX privacy_retention_purge ON privacy_retention (purge_at) WHERE purge_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE privacy_retention, legal_hold_rules, retention_policies');
  }
}

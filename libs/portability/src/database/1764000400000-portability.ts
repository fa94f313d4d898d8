import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of the Portability context (rebuildable from the event store). */
export class Portability1764000400000 implements MigrationInterface {
  name = 'Portability1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE portability_porting_requests (
      porting_id text PRIMARY KEY,
      direction text NOT NULL,
      status text NOT NULL,
      queue text NOT NULL,
      customer_id text NOT NULL,
      subscription_id text NOT NULL,
      line_id text NOT NULL,
      msisdn text NOT NULL,
      holder_kind text,
      holder_name text,
      holder_erased boolean NOT NULL DEFAULT false,
      mandate_document_id text,
      contract_signed_on date,
      documents_due_on date,
      line_info_due_on date,
      porting_date date,
      file_due_on date,
      complete_on date,
      documents jsonb NOT NULL DEFAULT '{}',
      missing_documents jsonb NOT NULL DEFAULT '[]',
      outstanding_line_info jsonb NOT NULL DEFAULT '[]',
      rio text,
      rejected_rios integer NOT NULL DEFAULT 0,
      donor_operator_code text,
      previous_contract_ends_on date,
      next_deadline_on date,
      next_deadline_kind text,
      next_deadline_rule text,
      ineligibility_reasons jsonb NOT NULL DEFAULT '[]',
      fallback_cause text,
      fallback_rule text,
      fallback_reasons jsonb NOT NULL DEFAULT '[]',
      fallback_decided_on date,
      donor_refusal text,
      ported_on date,
      donor_contract_terminated_on date,
      interruption_started_at timestamptz,
      interruption_expected_end_at timestamptz,
      service_restored_at timestamptz,
      port_out jsonb,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX portability_porting_queue ON portability_porting_requests (queue, next_deadline_on)`);
    await q.query(`CREATE INDEX portability_porting_msisdn ON portability_porting_requests (msisdn)`);
    await q.query(`CREATE INDEX portability_porting_subscription ON portability_porting_requests (subscription_id, line_id)`);
    await q.query(`CREATE TABLE portability_numbers (
      msisdn text PRIMARY KEY,
      status text NOT NULL,
      customer_id text,
      subscription_id text,
      line_id text,
      sim_number text,
      source text,
      since date,
      porting_id text,
      pending_porting_id text,
      pending_direction text,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX portability_numbers_line ON portability_numbers (subscription_id, line_id)`);
    await q.query(`CREATE TABLE portability_lines (
      subscription_id text NOT NULL,
      line_id text NOT NULL,
      customer_id text NOT NULL,
      phase text NOT NULL,
      status text NOT NULL,
      service_start_on date,
      ends_on date,
      PRIMARY KEY (subscription_id, line_id)
    )`);
    await q.query(`CREATE TABLE portability_rios (
      msisdn text PRIMARY KEY,
      rio text NOT NULL UNIQUE,
      contract_ref text NOT NULL,
      replaces_rio text,
      issued_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE portability_fixed_line_mandates (
      mandate_id text PRIMARY KEY,
      customer_id text,
      subscription_id text,
      line_id text,
      service text,
      status text NOT NULL,
      access_kind text,
      local_loop_operator text,
      number text,
      refusal_reasons jsonb NOT NULL DEFAULT '[]',
      obl_rejection text,
      ndi_changes jsonb NOT NULL DEFAULT '{}',
      next_ndi_change_on date,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX portability_mandates_status ON portability_fixed_line_mandates (status, next_ndi_change_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE portability_fixed_line_mandates, portability_rios, portability_lines, portability_numbers, portability_porting_requests');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Billing read models. Amounts are numeric (exact), never floats. */
export class Billing1764000600000 implements MigrationInterface {
  name = 'Billing1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE billing_accounts (
      subscription_id text PRIMARY KEY,
      customer_id     text NOT NULL,
      service         text NOT NULL,
      status          text NOT NULL,
      state           jsonb NOT NULL,
      updated_at      timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX billing_accounts_customer ON billing_accounts (customer_id)`);
    await q.query(`CREATE TABLE billing_invoices (
      invoice_id        text PRIMARY KEY,
      kind              text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
      number            text NOT NULL UNIQUE,
      series            text NOT NULL,
      sequence          integer NOT NULL,
      customer_id       text NOT NULL,
      billing_month     text,
      related_invoice_id text,
      issued_on         date NOT NULL,
      due_on            date,
      total_ht          numeric(16,2) NOT NULL,
      total_vat         numeric(16,2) NOT NULL,
      total_ttc         numeric(16,2) NOT NULL,
      paid              numeric(16,2) NOT NULL DEFAULT 0,
      credited          numeric(16,2) NOT NULL DEFAULT 0,
      disputed          numeric(16,2) NOT NULL DEFAULT 0,
      outstanding       numeric(16,2) NOT NULL DEFAULT 0,
      payable           numeric(16,2) NOT NULL DEFAULT 0,
      status            text NOT NULL,
      overdue_since     date,
      indemnity         numeric(16,2) NOT NULL DEFAULT 0,
      interest_assessed numeric(16,2) NOT NULL DEFAULT 0,
      subscription_ids  text[] NOT NULL DEFAULT '{}',
      document          jsonb NOT NULL,
      ledger            jsonb,
      UNIQUE (series, sequence)
    )`);
    await q.query(`CREATE INDEX billing_invoices_customer ON billing_invoices (customer_id, issued_on DESC)`);
    await q.query(`CREATE INDEX billing_invoices_month ON billing_invoices (billing_month)`);
    await q.query(`CREATE INDEX billing_invoices_overdue ON billing_invoices (overdue_since) WHERE status = 'overdue'`);
    await q.query(`CREATE TABLE billing_payments (
      payment_id   text PRIMARY KEY,
      invoice_id   text NOT NULL,
      customer_id  text NOT NULL,
      amount       numeric(16,2) NOT NULL,
      method       text NOT NULL,
      mandate_id   text,
      received_on  date NOT NULL,
      rejected_on  date,
      reject_reason text
    )`);
    await q.query(`CREATE INDEX billing_payments_invoice ON billing_payments (invoice_id)`);
    await q.query(`CREATE TABLE billing_disputes (
      dispute_id        text PRIMARY KEY,
      invoice_id        text NOT NULL,
      invoice_number    text NOT NULL,
      customer_id       text NOT NULL,
      amount            numeric(16,2) NOT NULL,
      reasons           text NOT NULL,
      status            text NOT NULL,
      lrar_received_on  date NOT NULL,
      documents_due_on  date NOT NULL,
      documents_received_on date,
      closed_on         date,
      outcome           text,
      credit_amount     numeric(16,2),
      credit_note_id    text
    )`);
    await q.query(`CREATE INDEX billing_disputes_status ON billing_disputes (status, lrar_received_on)`);
    await q.query(`CREATE TABLE billing_mandates (
      mandate_id    text PRIMARY KEY,
      customer_id   text NOT NULL,
      iban_masked   text NOT NULL,
      bic           text,
      signed_on     date NOT NULL,
      status        text NOT NULL,
      superseded_by text,
      ended_on      date
    )`);
    await q.query(`CREATE INDEX billing_mandates_customer ON billing_mandates (customer_id, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE billing_mandates, billing_disputes, billing_payments, billing_invoices, billing_accounts');
  }
}

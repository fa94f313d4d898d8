import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Customers1764000200000 implements MigrationInterface {
  name = 'Customers1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE customers (
      customer_id     uuid PRIMARY KEY,
      company_name    text NOT NULL,
      siret           char(14) NOT NULL,
      billing_address jsonb NOT NULL,
      registered_at   timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX customers_siret ON customers (siret)`);
    await q.query(`CREATE INDEX customers_name ON customers (lower(company_name) text_pattern_ops)`);
    await q.query(`CREATE TABLE customer_contacts (
      contact_id   uuid PRIMARY KEY,
      customer_id  uuid NOT NULL,
      role         text NOT NULL,
      authorised_for_support boolean NOT NULL,
      name         text,
      email        text,
      phone        text,
      erased       boolean NOT NULL DEFAULT false
    )`);
    await q.query(`CREATE INDEX customer_contacts_customer ON customer_contacts (customer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_contacts, customers');
  }
}

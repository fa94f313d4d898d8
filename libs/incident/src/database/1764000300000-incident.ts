import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Incident1764000300000 implements MigrationInterface {
  name = 'Incident1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE incident_tickets (
      ticket_id              uuid PRIMARY KEY,
      reference              text UNIQUE,
      status                 text NOT NULL,
      customer_id            uuid NOT NULL,
      subscription_id        text,
      service_type           text,
      impacted_site_ids      jsonb NOT NULL DEFAULT '[]',
      caller_contact_id      text,
      declared_by_contact_id text,
      classification         text,
      sla_applies            boolean NOT NULL DEFAULT false,
      qualified_at           timestamptz,
      notified_at            timestamptz,
      received_at            timestamptz,
      opened_at              timestamptz,
      resolved_at            timestamptz,
      resolution             text,
      closed_at              timestamptz,
      closure_mode           text,
      description            text,
      location               text,
      consequences           text,
      clock                  jsonb,
      clock_basis            text,
      sla_deadline           timestamptz,
      breach_deadline        timestamptz,
      breach_recorded_at     timestamptz,
      exclusion_cause        text,
      monthly_fee            numeric(12,2),
      penalty_computed       numeric(12,2),
      penalty_tier           text,
      penalty_granted        numeric(12,2) NOT NULL DEFAULT 0,
      fees_charged           jsonb NOT NULL DEFAULT '[]',
      expertise              text NOT NULL DEFAULT 'none',
      revision               integer NOT NULL,
      updated_at             timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX incident_tickets_status ON incident_tickets (status, sla_deadline)`);
    await q.query(`CREATE INDEX incident_tickets_customer ON incident_tickets (customer_id, notified_at DESC)`);
    await q.query(`CREATE INDEX incident_tickets_subscription ON incident_tickets (subscription_id)`);
    await q.query(`CREATE INDEX incident_tickets_sites ON incident_tickets USING gin (impacted_site_ids jsonb_path_ops)`);
    await q.query(`CREATE TABLE incident_penalties (
      ticket_id        uuid PRIMARY KEY,
      reference        text NOT NULL,
      customer_id      uuid NOT NULL,
      subscription_id  text NOT NULL,
      billing_month    char(7) NOT NULL,
      notified_at      timestamptz NOT NULL,
      interruption_ms  bigint NOT NULL,
      tier_percentage  text NOT NULL,
      monthly_fee      numeric(12,2) NOT NULL,
      computed_amount  numeric(12,2) NOT NULL,
      exclusion_cause  text,
      granted_amount   numeric(12,2) NOT NULL DEFAULT 0
    )`);
    await q.query(`CREATE INDEX incident_penalties_link_month ON incident_penalties (subscription_id, billing_month)`);
    await q.query(`CREATE TABLE incident_penalty_grants (
      ticket_id        uuid NOT NULL,
      revision         integer NOT NULL,
      subscription_id  text NOT NULL,
      billing_month    char(7) NOT NULL,
      amount           numeric(12,2) NOT NULL,
      PRIMARY KEY (ticket_id, revision)
    )`);
    await q.query(`CREATE INDEX incident_penalty_grants_link_month ON incident_penalty_grants (subscription_id, billing_month)`);
    await q.query(`CREATE TABLE incident_links (
      subscription_id  text PRIMARY KEY,
      customer_id      uuid NOT NULL,
      service          text NOT NULL,
      item_ids         jsonb NOT NULL DEFAULT '[]'
    )`);
    await q.query(`CREATE INDEX incident_links_customer ON incident_links (customer_id)`);
    await q.query(`CREATE TABLE incident_ticket_references (
      reference  text PRIMARY KEY,
      year       integer NOT NULL,
      sequence   integer NOT NULL,
      ticket_id  uuid NOT NULL UNIQUE,
      UNIQUE (year, sequence)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE incident_ticket_references, incident_links, incident_penalty_grants, incident_penalties, incident_tickets');
  }
}

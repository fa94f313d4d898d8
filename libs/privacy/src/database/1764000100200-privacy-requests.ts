import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Data-subject requests (PRV-04) and their one-month deadline (projection privacy-requests). */
export class PrivacyRequests1764000100200 implements MigrationInterface {
  name = 'PrivacyRequests1764000100200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE privacy_requests (
      request_id   uuid PRIMARY KEY,
      subject_id   text NOT NULL,
      request_type text NOT NULL,
      channel      text NOT NULL,
      status       text NOT NULL CHECK (status IN ('open', 'fulfilled', 'refused')),
      received_at  timestamptz NOT NULL,
      due_at       timestamptz NOT NULL,
      extended     boolean NOT NULL DEFAULT false,
      extension_reason text,
      overdue      boolean NOT NULL DEFAULT false,
      closed_at    timestamptz,
      late         boolean,
      outcome      jsonb,
      refusal_reason text
    )`);
    await q.query(`CREATE INDEX privacy_requests_subject ON privacy_requests (subject_id)`);
    await q.query(`CREATE INDEX privacy_requests_open ON privacy_requests (due_at) WHERE status = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE privacy_requests');
  }
}

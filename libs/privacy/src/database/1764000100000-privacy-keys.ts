import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PrivacyKeys1764000100000 implements MigrationInterface {
  name = 'PrivacyKeys1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE pii_keys (
      key_id        uuid PRIMARY KEY,
      subject_id    text NOT NULL,
      category      text NOT NULL,
      wrapped       jsonb,
      master_key_id text NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now(),
      shredded_at   timestamptz,
      CHECK ((wrapped IS NULL) = (shredded_at IS NOT NULL))
    )`);
    await q.query(`CREATE UNIQUE INDEX pii_keys_active ON pii_keys (subject_id, category) WHERE shredded_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE pii_keys');
  }
}

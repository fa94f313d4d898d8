import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key claims (libs/platform/src/http/idempotency.service.ts): a claim released after a
 * 5xx is kept, marked `released`, so that only the same request can take it over (another request
 * under the key stays a 422); the stored answer keeps its ETag for the replay.
 */
export class IdempotencyClaims1764000000560 implements MigrationInterface {
  name = 'IdempotencyClaims1764000000560';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys ADD COLUMN released boolean NOT NULL DEFAULT false, ADD COLUMN response_headers jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    // The old code deleted a released claim.
    await q.query('DELETE FROM idempotency_keys WHERE released');
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN released, DROP COLUMN response_headers');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reasons support types when extending or refusing a data-subject request are free text, so
 * personal data (issue 18 item 7): events carry them sealed for the subject and the request list
 * keeps that sealed form (jsonb), opened when read. Rows written before keep their text as a JSON string.
 */
export class SealedRequestReasons1764000100500 implements MigrationInterface {
  name = 'SealedRequestReasons1764000100500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE privacy_requests
      ALTER COLUMN extension_reason TYPE jsonb USING to_jsonb(extension_reason),
      ALTER COLUMN refusal_reason TYPE jsonb USING to_jsonb(refusal_reason)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const asText = (column: string) => `(CASE WHEN jsonb_typeof(${column}) = 'string' THEN ${column} #>> '{}' ELSE ${column}::text END)`;
    await q.query(`ALTER TABLE privacy_requests
      ALTER COLUMN extension_reason TYPE text USING ${asText('extension_reason')},
      ALTER COLUMN refusal_reason TYPE text USING ${asText('refusal_reason')}`);
  }
}

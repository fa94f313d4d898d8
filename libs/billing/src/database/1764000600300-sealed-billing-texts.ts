import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dispute's reasons (the customer's letter) and a payment's reject reason are free text, so
 * personal data (issue 18 item 7): events carry them sealed for the customer and these read models
 * keep the sealed form (jsonb), opened when read. Rows written before keep their text as a JSON string.
 */
export class SealedBillingTexts1764000600300 implements MigrationInterface {
  name = 'SealedBillingTexts1764000600300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE billing_payments ALTER COLUMN reject_reason TYPE jsonb USING to_jsonb(reject_reason)');
    await q.query('ALTER TABLE billing_disputes ALTER COLUMN reasons TYPE jsonb USING to_jsonb(reasons)');
  }

  async down(q: QueryRunner): Promise<void> {
    const asText = (column: string) => `(CASE WHEN jsonb_typeof(${column}) = 'string' THEN ${column} #>> '{}' ELSE ${column}::text END)`;
    await q.query(`ALTER TABLE billing_payments ALTER COLUMN reject_reason TYPE text USING ${asText('reject_reason')}`);
    await q.query(`ALTER TABLE billing_disputes ALTER COLUMN reasons TYPE text USING ${asText('reasons')}`);
  }
}

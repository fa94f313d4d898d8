import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The local-loop operator's rejection text of a fixed-line resale is free text (issue 18 item 7):
 * the event carries it sealed for the customer and the mandates read model keeps the sealed form
 * (jsonb), opened when read. Rows written before keep their text as a JSON string.
 */
export class SealedOblRejection1764000400100 implements MigrationInterface {
  name = 'SealedOblRejection1764000400100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE portability_fixed_line_mandates ALTER COLUMN obl_rejection TYPE jsonb USING to_jsonb(obl_rejection)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE portability_fixed_line_mandates ALTER COLUMN obl_rejection TYPE text
       USING (CASE WHEN jsonb_typeof(obl_rejection) = 'string' THEN obl_rejection #>> '{}' ELSE obl_rejection::text END)`,
    );
  }
}

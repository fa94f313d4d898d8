import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The free text of a ticket is personal data (issue 18 item 7): events carry it sealed for the
 * customer, and the board keeps that sealed form (jsonb), opened by the API when read. Rows
 * written before hold the clear text, kept as a JSON string (the API shows it as it is); a
 * rebuild writes what the events hold.
 */
export class SealedTicketTexts1764000300100 implements MigrationInterface {
  name = 'SealedTicketTexts1764000300100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incident_tickets
      ALTER COLUMN description TYPE jsonb USING to_jsonb(description),
      ALTER COLUMN location TYPE jsonb USING to_jsonb(location),
      ALTER COLUMN consequences TYPE jsonb USING to_jsonb(consequences)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Sealed values go back as their JSON text: still no clear personal data in the table.
    const asText = (column: string) => `(CASE WHEN jsonb_typeof(${column}) = 'string' THEN ${column} #>> '{}' ELSE ${column}::text END)`;
    await q.query(`ALTER TABLE incident_tickets
      ALTER COLUMN description TYPE text USING ${asText('description')},
      ALTER COLUMN location TYPE text USING ${asText('location')},
      ALTER COLUMN consequences TYPE text USING ${asText('consequences')}`);
  }
}

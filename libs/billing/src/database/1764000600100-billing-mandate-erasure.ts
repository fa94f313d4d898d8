import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PRV-01 / PRV-04: the IBAN of a mandate is encrypted in its event (bank_details of customer-<id>);
 * the read model keeps its masked form, blanked when the bank details are erased.
 */
export class BillingMandateErasure1764000600100 implements MigrationInterface {
  name = 'BillingMandateErasure1764000600100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE billing_mandates ALTER COLUMN iban_masked DROP NOT NULL');
    await q.query('ALTER TABLE billing_mandates ADD COLUMN iban_erased boolean NOT NULL DEFAULT false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE billing_mandates DROP COLUMN iban_erased');
    await q.query(`UPDATE billing_mandates SET iban_masked = '' WHERE iban_masked IS NULL`);
    await q.query('ALTER TABLE billing_mandates ALTER COLUMN iban_masked SET NOT NULL');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** ACC-02: the bcrypt cost factor of portal passwords is a setting (12 by default). */
export class PortalPasswordCost1764000100400 implements MigrationInterface {
  name = 'PortalPasswordCost1764000100400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO privacy_settings (key, value, description) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
      ['portal.password_cost', '12', 'ACC-02: bcrypt cost factor of new portal password hashes (4–15; a login re-hashes older costs)'],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM privacy_settings WHERE key = 'portal.password_cost'`);
  }
}

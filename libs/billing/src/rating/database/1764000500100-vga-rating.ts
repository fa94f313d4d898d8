import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * BIL-10: FIXED_VGA lines are rated too. A line records its service (existing rows are SIP lines);
 * a CDR records which price list priced it and its per-call price (118 directory enquiries), which
 * the rated call shows on the itemised bill.
 */
export class VgaRating1764000500100 implements MigrationInterface {
  name = 'VgaRating1764000500100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rating_sip_lines ADD COLUMN service text NOT NULL DEFAULT 'FIXED_SIP' CHECK (service IN ('FIXED_SIP', 'FIXED_VGA'))`);
    await q.query(`ALTER TABLE rating_cdrs
      ADD COLUMN price_per_call numeric(12, 6) NOT NULL DEFAULT 0,
      ADD COLUMN tariff text NOT NULL DEFAULT 'annex' CHECK (tariff IN ('annex', 'vga_special', 'emergency'))`);
    await q.query(`ALTER TABLE rating_rated_calls ADD COLUMN price_per_call numeric(12, 6) NOT NULL DEFAULT 0`);
    // The lines projection skipped FIXED_VGA orders until now: its checkpoint goes back to the start
    // (as POST /admin/projections/rating-sip-lines/rebuild would) so the worker replays the history
    // and records the VGA lines ordered before this release. Its rows are kept: replaying over them
    // ends in the same rows (OrderPlaced upserts a line afresh), and SIP lines stay known meanwhile.
    // A runner mid-batch on the old checkpoint fails its compare-and-set and retries from here.
    await q.query(
      `UPDATE projection_checkpoints SET commit_pos = -1, prepare_pos = -1, events_applied = 0, updated_at = now() WHERE name = 'rating-sip-lines'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE rating_rated_calls DROP COLUMN price_per_call');
    await q.query('ALTER TABLE rating_cdrs DROP COLUMN price_per_call, DROP COLUMN tariff');
    await q.query('ALTER TABLE rating_sip_lines DROP COLUMN service');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SUB-05 contracts (MOBILE, FIXED_VGA, FIXED_SIP: notice counted from receipt) have no notice
 * deadline, but the projection used to write one for them, so they were listed by
 * `/subscriptions/notice-deadlines` (issue 18 item 9). The projection no longer writes it; this
 * clears the rows written before, in place, so the read model is right without a rebuild (a
 * rebuild gives the same rows). The view `subscription_commitments` reads the contract's column.
 */
export class NoNoticeDeadlineFromReceipt1764000200680 implements MigrationInterface {
  name = 'NoNoticeDeadlineFromReceipt1764000200680';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE subscription_contract_commitments SET notice_deadline_on = NULL
      WHERE notice_rule <> 'before_period_end' AND notice_deadline_on IS NOT NULL`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the cleared dates were wrong (rebuild the projection on the old code to recompute them).
  }
}

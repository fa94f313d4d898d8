import { createDataSource } from '../../../platform/src/database/data-source';
import { PLATFORM_MIGRATIONS } from '../../../platform/src/database/migrations';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { NoNoticeDeadlineFromReceipt1764000200680 } from './1764000200680-no-notice-deadline-from-receipt';
import { SUBSCRIPTION_MIGRATIONS } from './migrations';

const BEFORE = SUBSCRIPTION_MIGRATIONS.slice(0, SUBSCRIPTION_MIGRATIONS.indexOf(NoNoticeDeadlineFromReceipt1764000200680));

/** Contract rows as the projection wrote them before: a deadline for every active contract. */
const ROWS = `INSERT INTO subscription_contract_commitments (subscription_id, customer_id, service, status, service_start_on, notice_rule,
    notice_months, anchor_on, initial_term_months, renewal_period_months, initial_end_on, period_index, period_kind, period_start_on,
    period_end_on, notice_deadline_on, renews_at_period_end, pending_end_on, ended_on, updated_at) VALUES
  ('0190a8a4-0000-7000-8000-000000000001', '0190a8a4-0000-7000-8000-0000000000c1', 'MOBILE', 'active', '2026-03-02', 'from_receipt',
   3, '2026-04-01', 60, 12, '2031-03-31', 0, 'initial', '2026-04-01', '2031-03-31', '2030-12-31', true, NULL, NULL, now()),
  ('0190a8a4-0000-7000-8000-000000000002', '0190a8a4-0000-7000-8000-0000000000c1', 'FIXED_SIP', 'active', '2026-03-02', 'from_receipt',
   3, '2026-04-01', 60, 12, '2031-03-31', 0, 'initial', '2026-04-01', '2031-03-31', '2030-12-31', true, NULL, NULL, now()),
  ('0190a8a4-0000-7000-8000-000000000003', '0190a8a4-0000-7000-8000-0000000000c1', 'DATA', 'active', '2026-03-02', 'before_period_end',
   3, '2026-04-01', 60, 12, '2031-03-31', 0, 'initial', '2026-04-01', '2031-03-31', '2030-12-31', true, NULL, NULL, now())`;

describe('issue 18 item 9 — migration 1764000200680: SUB-05 contracts written before keep no notice deadline', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ entities: [], migrations: [...PLATFORM_MIGRATIONS, ...BEFORE] });
  });
  afterAll(async () => db?.drop());

  it('SUB-05 clears the deadline of MOBILE and FIXED_SIP rows in place (and of their lines through the view); SUB-04 DATA keeps its own', async () => {
    const ds = createDataSource(db.url, { entities: [], migrations: [] }, 3);
    await ds.initialize();
    const runner = ds.createQueryRunner();
    try {
      await ds.query(ROWS);
      await ds.query(`INSERT INTO subscription_line_commitments (subscription_id, line_id, status, service_start_on) VALUES ('0190a8a4-0000-7000-8000-000000000001', 'line-1', 'active', '2026-03-02')`);
      await new NoNoticeDeadlineFromReceipt1764000200680().up(runner);
      const rows = await ds.query(`SELECT service, scope, notice_deadline_on::text AS deadline FROM subscription_commitments ORDER BY service, scope`);
      expect(rows).toEqual([
        { service: 'DATA', scope: 'contract', deadline: '2030-12-31' },
        { service: 'FIXED_SIP', scope: 'contract', deadline: null },
        { service: 'MOBILE', scope: 'contract', deadline: null },
        { service: 'MOBILE', scope: 'line', deadline: null },
      ]);
    } finally {
      await runner.release();
      await ds.destroy();
    }
  });
});

import { given } from '@oksio/kernel/testing/decider-spec';
import { active } from '../../../subscription/src/domain/testing/fixtures';
import { customerBillingDecider, overlayReserved } from './customer-billing';
import { accountFrom, bill } from './testing';

describe('customer billing reservations', () => {
  it('BIL-01 a reserved invoice is overlaid on a lagging account: a run never bills the same item-month or charge twice', () => {
    const account = accountFrom(active('DATA'));
    const march = bill(account, '2026-03').invoice!;
    const [reserved] = given(customerBillingDecider).when({ type: 'ReserveInvoice', document: march }, new Date('2026-04-01T08:00:00Z')).events();
    const state = given(customerBillingDecider, [reserved]).state;
    // The read model has not seen the March invoice yet (`account`), but the reservation has.
    const april = bill(overlayReserved(account, state), '2026-04').invoice!;
    expect(april.lines.map((l) => [l.kind, l.amount, l.periodFrom])).toEqual([['subscription', '189.00', '2026-04-01']]);
    // Without the overlay, the catch-up would bill March and the access fee again.
    expect(bill(account, '2026-04').invoice!.lines).toHaveLength(3);
    // Reserving the same invoice again writes nothing.
    given(customerBillingDecider, [reserved]).when({ type: 'ReserveInvoice', document: march }, new Date('2026-04-01T09:00:00Z')).then([]);
  });
});

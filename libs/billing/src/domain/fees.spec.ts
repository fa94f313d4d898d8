import { active, continueWith, on } from '../../../subscription/src/domain/testing/fixtures';
import { evolveAccount, type AccountState } from './account';
import { SEED_REFERENCE } from './catalogue';
import { createChargesDecider } from './charges';
import { accountFrom, bill, source } from './testing';

const linesOf = (inv: { lines: Array<{ kind: string; label: string; amount: string; rule: string | null }> } | null) => (inv ? inv.lines.map((l) => [l.kind, l.amount, l.rule]) : []);

describe('fees (BIL-08) and resold analogue lines (BIL-10)', () => {
  it('BIL-08 the fees of the list are invoice lines: unjustified ticket 40 € and expertise 250 € (INC-07/08), SIM swap 32 € per SIM, reconnection after a suspension at the client\'s fault (SUS-01)', () => {
    // DATA SDSL-4M (189.00 € HT) active from 15 March; a misuse suspension (client at fault) from 5 to 8 April.
    const history = continueWith(active('DATA'), [
      [{ type: 'SuspendService', suspensionId: 'spam-1', reason: 'misuse', scope: 'full', misuseKind: 'spam' }, on('2026-04-05')],
      [{ type: 'LiftSuspension', suspensionId: 'spam-1' }, on('2026-04-08')],
    ]);
    let account: AccountState = accountFrom(history);
    account = evolveAccount(account, source('ticket-t1', { type: 'IncidentFeeCharged', data: { ticketId: 't1', reference: 'TK-1', customerId: 'k1', subscriptionId: 's1', fee: 'unjustified_ticket', amount: '40.00', rule: 'INC-07', chargedAt: '2026-04-10T10:00:00Z' } }))!;
    account = evolveAccount(account, source('ticket-t2', { type: 'IncidentFeeCharged', data: { ticketId: 't2', reference: 'TK-2', customerId: 'k1', subscriptionId: 's1', fee: 'unjustified_expertise', amount: '250.00', rule: 'INC-08', chargedAt: '2026-04-12T10:00:00Z' } }))!;
    const charges = createChargesDecider(SEED_REFERENCE);
    const [swap] = charges.decide({ type: 'RecordCharge', subscriptionId: 's1', chargeId: 'sw1', code: 'FEE:SIM_SWAP', quantity: 3, occurredOn: '2026-04-15' }, charges.initialState, on('2026-04-15'));
    expect(swap.data).toMatchObject({ code: 'FEE:SIM_SWAP', rule: 'BIL-08', quantity: 3 });
    expect(() => charges.decide({ type: 'RecordCharge', subscriptionId: 's1', chargeId: 'x', code: 'FEE:FREE_LUNCH', quantity: 1, occurredOn: '2026-04-15' }, charges.initialState, on('2026-04-15'))).toThrow(
      expect.objectContaining({ code: 'unknown_fee', rule: 'BIL-08', field: 'code' }),
    );
    account = evolveAccount(account, source('billingaccount-s1', swap))!;
    const april = bill(bill(account, '2026-03').account, '2026-04').invoice!;
    // Fees continue during a misuse suspension (SUS-03): April 189.00. Reconnection 60.00 (catalogue FEE:RECONNECTION, SUS-01);
    // ticket 40.00; expertise 250.00; SIM swap 3 × 32.00 = 96.00. HT 635.00; VAT 127.00; TTC 762.00.
    expect(linesOf(april)).toEqual([
      ['subscription', '189.00', 'BIL-02'],
      ['fee', '60.00', 'SUS-01'],
      ['fee', '40.00', 'INC-07'],
      ['fee', '250.00', 'INC-08'],
      ['fee', '96.00', 'BIL-08'],
    ]);
    expect(april).toMatchObject({ totalHT: '635.00', totalVAT: '127.00', totalTTC: '762.00' });
  });

  it('BIL-08 no reconnection fee after a force-majeure suspension (the client is not at fault); an address change is billed as access fees (SUB-14)', () => {
    const history = continueWith(active('DATA'), [
      [{ type: 'SuspendService', suspensionId: 'fm-1', reason: 'force_majeure', scope: 'full', forceMajeureStartedOn: '2026-04-01' }, on('2026-04-01')],
      [{ type: 'LiftSuspension', suspensionId: 'fm-1' }, on('2026-04-16')],
    ]);
    let account = accountFrom(history);
    account = evolveAccount(account, source('subscription-s1', { type: 'DataChangeCompleted', data: { subscriptionId: 's1', changeId: 'c1', itemId: 'link-1', kind: 'address', changedOn: '2026-04-20', billedAs: 'access_fees', linkTerminated: false } }))!;
    const april = bill(bill(account, '2026-03').account, '2026-04').invoice!;
    // April: 1 … 15 April without fees (SUS-05), 15 of 30 days: 189.00 × 15 / 30 = 94.50; address change 390.00 (ACCESS_CHANGE:DATA:address).
    expect(linesOf(april)).toEqual([
      ['subscription', '94.50', 'SUS-05'],
      ['access_fee', '390.00', 'SUB-14'],
    ]);
  });

  it('BIL-10 FIXED_VGA: the incumbent\'s line subscription is resold and billed by OKSIO every month in arrears, its activation fee at order', () => {
    const vga = accountFrom(active('FIXED_VGA'));
    const march = bill(vga, '2026-03');
    // Activation 49.00 (ACCESS:FIXED_VGA); line rental 24.50 × 17 / 31 = 416.50 / 31 = 13.435… → 13.44 (service from 15 March).
    expect(linesOf(march.invoice)).toEqual([
      ['subscription', '13.44', 'BIL-03'],
      ['access_fee', '49.00', 'BIL-02'],
    ]);
    expect(march.invoice!.lines[0].label).toContain('Abonnement ligne analogique (revente)');
    expect(linesOf(bill(march.account, '2026-04').invoice)).toEqual([['subscription', '24.50', 'BIL-02']]);
  });
});

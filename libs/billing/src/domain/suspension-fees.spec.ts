import { active, continueWith, on } from '../../../subscription/src/domain/testing/fixtures';
import { evolveAccount } from './account';
import { daysWithoutFees } from './invoice';
import { accountFrom, bill, source } from './testing';

const linesOf = (inv: { lines: Array<{ kind: string; itemId: string | null; amount: string; rule: string | null }> } | null) => (inv ? inv.lines.map((l) => [l.kind, l.itemId, l.amount, l.rule]) : []);
const subscriptionLines = (inv: Parameters<typeof linesOf>[0]) => linesOf(inv).filter(([kind]) => kind === 'subscription' || kind === 'option');

describe('suspensions without subscription fees (SUS-05 force majeure, prorated by days like BIL-03)', () => {
  // DATA SDSL-4M, 189.00 € HT a month, active from 15 March 2026 (fixtures of the Subscription context).
  const data = active('DATA');

  it('SUS-05 force majeure from 10 to 19 April (lifted on the 20th): those 10 days are removed from the April fee and its options', () => {
    const history = continueWith(data, [
      [{ type: 'SuspendService', suspensionId: 'fm-1', reason: 'force_majeure', scope: 'full', forceMajeureStartedOn: '2026-04-10' }, on('2026-04-10')],
      [{ type: 'LiftSuspension', suspensionId: 'fm-1' }, on('2026-04-20')],
    ]);
    let account = accountFrom(history);
    account = evolveAccount(account, source('billingaccount-s1', { type: 'BillingOptionChanged', data: { subscriptionId: 's1', optionId: 'sda', code: 'OPTION:SDA_BLOCK_10', quantity: 3, effectiveOn: '2026-04-01' } }))!;
    expect(account.feeSuspensions).toEqual([{ suspensionId: 'fm-1', itemIds: [], from: '2026-04-10', to: '2026-04-19', rule: 'SUS-05' }]);
    const march = bill(account, '2026-03');
    const { invoice } = bill(march.account, '2026-04');
    // April has 30 days; 10 … 19 April = 10 days without fees → 20 billable days.
    // Link: 189.00 × 20 / 30 = 3780 / 30 = 126.00. SDA option: 3 × 5.00 = 15.00 × 20 / 30 = 10.00.
    expect(subscriptionLines(invoice)).toEqual([
      ['subscription', 'link-1', '126.00', 'SUS-05'],
      ['option', 'sda@2026-04-01', '10.00', 'SUS-05'],
    ]);
    expect(invoice!.lines[0].detail).toBe('Prorata 20/30 jours × 189.00 € HT (10 jour(s) de suspension pour force majeure sans redevance)');
    // HT 136.00, VAT 27.20, TTC 163.20.
    expect(invoice).toMatchObject({ totalHT: '136.00', totalVAT: '27.20', totalTTC: '163.20' });
  });

  it('SUS-05 a force majeure still running when its month is billed removes the days to the month end; the next month removes the days to the lift', () => {
    const suspended = continueWith(data, [[{ type: 'SuspendService', suspensionId: 'fm-2', reason: 'force_majeure', scope: 'full', forceMajeureStartedOn: '2026-04-25' }, on('2026-04-25')]]);
    const march = bill(accountFrom(suspended), '2026-03');
    const april = bill(march.account, '2026-04');
    // April: 25 … 30 April = 6 days without fees, 24 billable: 189.00 × 24 / 30 = 4536 / 30 = 151.20.
    expect(subscriptionLines(april.invoice)).toEqual([['subscription', 'link-1', '151.20', 'SUS-05']]);
    // Lifted on 6 May: 1 … 5 May without fees, 26 of 31 days billable: 189.00 × 26 / 31 = 4914 / 31 = 158.516… → 158.52.
    const lifted = continueWith(suspended, [[{ type: 'LiftSuspension', suspensionId: 'fm-2' }, on('2026-05-06')]]);
    const liftEvent = lifted[lifted.length - 1];
    const account = evolveAccount(april.account, source('subscription-s1', liftEvent))!;
    const may = bill(account, '2026-05');
    expect(subscriptionLines(may.invoice)).toEqual([['subscription', 'link-1', '158.52', 'SUS-05']]);
    // June: no suspension any more, the whole fee.
    expect(subscriptionLines(bill(may.account, '2026-06').invoice)).toEqual([['subscription', 'link-1', '189.00', 'BIL-02']]);
  });

  it('SUS-05 a force majeure recorded after its month was invoiced (start in the past): later invoices credit the fees billed for its days, never below zero, once', () => {
    const march = bill(accountFrom(data), '2026-03');
    const april = bill(march.account, '2026-04');
    expect(subscriptionLines(april.invoice)).toEqual([['subscription', 'link-1', '189.00', 'BIL-02']]);
    // Recorded on 5 May, started on 10 April; lifted on 11 May (10 April … 10 May without fees).
    const late = continueWith(data, [
      [{ type: 'SuspendService', suspensionId: 'fm-late', reason: 'force_majeure', scope: 'full', forceMajeureStartedOn: '2026-04-10' }, on('2026-05-05')],
      [{ type: 'LiftSuspension', suspensionId: 'fm-late' }, on('2026-05-11')],
    ]);
    let account = april.account;
    for (const event of late.slice(data.length)) account = evolveAccount(account, source('subscription-s1', event))!;
    const may = bill(account, '2026-05');
    // May: 1 … 10 May off, 21 of 31 days: 189.00 × 21 / 31 = 3969 / 31 = 128.032… → 128.03.
    // April, billed 189.00: 10 … 30 April off (21 days), 9 of 30 due: 189.00 × 9 / 30 = 56.70 → credit 132.30,
    // of which 128.03 fits on the May invoice (never negative, BIL-11); 4.27 is carried.
    expect(subscriptionLines(may.invoice)).toEqual([
      ['subscription', 'link-1', '128.03', 'SUS-05'],
      ['subscription', 'link-1', '-128.03', 'SUS-05'],
    ]);
    const credit = may.invoice!.lines.find((l) => l.amount === '-128.03')!;
    expect(credit).toMatchObject({ label: expect.stringMatching(/^Régularisation — /), periodFrom: '2026-04-01', periodTo: '2026-04-30' });
    expect(credit.detail).toBe('21 jour(s) de suspension pour force majeure sans redevance, constatée après facturation : facturé 189.00 € HT, dû 56.70 € HT — partiel, solde 4.27 € reporté');
    expect(may.invoice).toMatchObject({ totalHT: '0.00' });
    expect(may.account.billedPeriods.find((p) => p.period === '2026-04')!.items['link-1']).toBe('60.97');
    // June: June in full, and the rest of the April credit; April is then billed 56.70 and credited no more.
    const june = bill(may.account, '2026-06');
    expect(subscriptionLines(june.invoice)).toEqual([
      ['subscription', 'link-1', '189.00', 'BIL-02'],
      ['subscription', 'link-1', '-4.27', 'SUS-05'],
    ]);
    expect(june.account.billedPeriods.find((p) => p.period === '2026-04')!.items['link-1']).toBe('56.70');
    expect(subscriptionLines(bill(june.account, '2026-07').invoice)).toEqual([['subscription', 'link-1', '189.00', 'BIL-02']]);
  });

  it('BIL-03 SUS-05 the first prorated month loses the force-majeure days too; a whole month suspended has no fee line', () => {
    const history = continueWith(data, [
      [{ type: 'SuspendService', suspensionId: 'fm-3', reason: 'force_majeure', scope: 'full', forceMajeureStartedOn: '2026-03-20' }, on('2026-03-20')],
      [{ type: 'LiftSuspension', suspensionId: 'fm-3' }, on('2026-03-25')],
      [{ type: 'SuspendService', suspensionId: 'fm-4', reason: 'force_majeure', scope: 'full', forceMajeureStartedOn: '2026-04-28' }, on('2026-04-28')],
      [{ type: 'LiftSuspension', suspensionId: 'fm-4' }, on('2026-06-01')],
    ]);
    const march = bill(accountFrom(history), '2026-03');
    // March: service from the 15th = 17 days, minus 20 … 24 March (5 days) = 12 days: 189.00 × 12 / 31 = 2268 / 31 = 73.161… → 73.16.
    expect(subscriptionLines(march.invoice)).toEqual([['subscription', 'link-1', '73.16', 'SUS-05']]);
    const april = bill(march.account, '2026-04');
    // April: 28 … 30 April = 3 days off, 27 billable: 189.00 × 27 / 30 = 5103 / 30 = 170.10.
    expect(subscriptionLines(april.invoice)).toEqual([['subscription', 'link-1', '170.10', 'SUS-05']]);
    // May: suspended from the 1st to the 31st (lifted on 1 June): no fee, and nothing else due: no invoice.
    const may = bill(april.account, '2026-05');
    expect(may.invoice).toBeNull();
    expect(subscriptionLines(bill(may.account, '2026-06').invoice)).toEqual([['subscription', 'link-1', '189.00', 'BIL-02']]);
  });

  it('SUS-05 a force majeure on one mobile line removes its days from that line only; SUS-03 a misuse suspension keeps the fees running', () => {
    const mobile = continueWith(active('MOBILE'), [
      [{ type: 'SuspendService', suspensionId: 'fm-5', reason: 'force_majeure', scope: 'full', itemIds: ['line-1'], forceMajeureStartedOn: '2026-04-01' }, on('2026-04-01')],
      [{ type: 'LiftSuspension', suspensionId: 'fm-5' }, on('2026-04-16')],
      [{ type: 'SuspendService', suspensionId: 'spam-1', reason: 'misuse', scope: 'full', itemIds: ['line-2'], misuseKind: 'spam' }, on('2026-04-05')],
    ]);
    const account = accountFrom(mobile);
    expect(account.feeSuspensions).toEqual([{ suspensionId: 'fm-5', itemIds: ['line-1'], from: '2026-04-01', to: '2026-04-15', rule: 'SUS-05' }]);
    const { invoice } = bill(bill(account, '2026-03').account, '2026-04');
    // line-1: 1 … 15 April off, 15 of 30 days billable: 19.90 × 15 / 30 = 298.5 / 30 = 9.95. line-2 (misuse, SUS-03): 19.90 in full.
    expect(subscriptionLines(invoice)).toEqual([
      ['subscription', 'line-1', '9.95', 'SUS-05'],
      ['subscription', 'line-2', '19.90', 'BIL-02'],
    ]);
  });

  it('SUS-05 overlapping suspensions count a day once; a suspension lifted the day it began removes no day', () => {
    const spans = [
      { suspensionId: 'a', itemIds: [], from: '2026-04-10', to: '2026-04-19', rule: 'SUS-05' },
      { suspensionId: 'b', itemIds: ['line-1'], from: '2026-04-15', to: '2026-04-24', rule: 'SUS-05' },
    ];
    // line-1: 10 … 24 April = 15 days; line-2: 10 … 19 = 10 days; options: whole-subscription suspensions only = 10 days.
    expect(daysWithoutFees(spans, 'line-1', '2026-04-01', '2026-04-30')).toBe(15);
    expect(daysWithoutFees(spans, 'line-2', '2026-04-01', '2026-04-30')).toBe(10);
    expect(daysWithoutFees(spans, null, '2026-04-01', '2026-04-30')).toBe(10);
    const sameDay = continueWith(data, [
      [{ type: 'SuspendService', suspensionId: 'fm-6', reason: 'force_majeure', scope: 'full' }, on('2026-04-10')],
      [{ type: 'LiftSuspension', suspensionId: 'fm-6' }, on('2026-04-10')],
    ]);
    const account = accountFrom(sameDay);
    expect(account.feeSuspensions).toEqual([]);
    expect(subscriptionLines(bill(bill(account, '2026-03').account, '2026-04').invoice)).toEqual([['subscription', 'link-1', '189.00', 'BIL-02']]);
  });
});

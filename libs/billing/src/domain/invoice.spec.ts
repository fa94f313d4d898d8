import { Money } from '@oksio/kernel';
import { active, continueWith, on, play, placeOrder } from '../../../subscription/src/domain/testing/fixtures';
import { earlyTerminationFee } from '../../../subscription/src/domain/early-termination';
import { evolveAccount, type AccountState } from './account';
import { draftInvoice, monthlyFee, totals } from './invoice';
import { SEED_REFERENCE } from './catalogue';
import { DEFAULT_BILLING_SETTINGS } from './settings';
import { accountFrom, bill, source } from './testing';

const linesOf = (inv: { lines: Array<{ kind: string; amount: string; rule: string | null }> } | null) => (inv ? inv.lines.map((l) => [l.kind, l.amount, l.rule]) : []);

describe('invoice drafting', () => {
  // DATA SDSL-4M (189.00 € HT/month, access 490.00 € HT), quoted 2026-02-20, activated 2026-03-15.
  const history = active('DATA');

  it('BIL-03 the first month is prorated by days; BIL-02 access fees in advance, subscription in arrears; BIL-01 VAT 20 %', () => {
    const { invoice } = bill(accountFrom(history), '2026-03');
    // March has 31 days; service from the 15th = 17 days. 189.00 × 17 / 31 = 3213 / 31 = 103.645161… → 103.65 (half-up, per line).
    // Access fee (tariff in force on the quote date 2026-02-20): 490.00.
    // HT 593.65; VAT 20 % = 118.73 exactly; TTC 712.38.
    expect(linesOf(invoice)).toEqual([
      ['subscription', '103.65', 'BIL-03'],
      ['access_fee', '490.00', 'BIL-02'],
    ]);
    expect(invoice).toMatchObject({ totalHT: '593.65', totalVAT: '118.73', totalTTC: '712.38', issuedOn: '2026-04-01', dueOn: '2026-05-01', vat: [{ rate: '20', base: '593.65', vat: '118.73' }] });
    expect(invoice!.lines[0].detail).toBe('Prorata 17/31 jours × 189.00 € HT');
  });

  it('BIL-02 a month is billed in arrears: the run of a month that is not over is refused', () => {
    expect(() => bill(accountFrom(history), '2026-03', { issuedOn: '2026-03-31' })).toThrow(expect.objectContaining({ code: 'billing_month_not_over', rule: 'BIL-02' }));
  });

  it('BIL-03 proration by days in February of a leap and a common year', () => {
    // 2028 is a leap year: 29 days; from the 20th = 10 days: 49.90 × 10 / 29 = 17.2068… → 17.21.
    expect(monthlyFee(Money.eur('49.90'), '2028-02', '2028-02-20', null, false)!.amount.toString()).toBe('17.21');
    // 2027: 28 days; 9 days: 49.90 × 9 / 28 = 16.0392… → 16.04.
    expect(monthlyFee(Money.eur('49.90'), '2027-02', '2027-02-20', null, false)!.amount.toString()).toBe('16.04');
    // A whole month is exactly the price, never a recomputed fraction.
    expect(monthlyFee(Money.eur('19.90'), '2027-02', '2026-12-03', null, false)!.amount.toString()).toBe('19.90');
  });

  it('SUB-06 the month of termination is billed in full, and SUB-07 the early-termination fee is the average of the last 3 billed periods × months remaining', () => {
    const ended = continueWith(history, [
      [{ type: 'ReceiveTerminationNotice', noticeId: 'n1', from: 'client', channel: 'registered_letter_with_ack', lrarReceivedOn: '2026-06-20', requestedEndOn: '2026-07-15' }, on('2026-06-22')],
      [{ type: 'ApplyTermination', endsOn: '2026-07-15' }, on('2026-07-16')],
    ]);
    let account = accountFrom(ended);
    const consumption: Record<string, string> = { '2026-03': '0', '2026-04': '12.34', '2026-05': '0', '2026-06': '7.50', '2026-07': '3.00' };
    const invoices = [];
    for (const month of ['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08']) {
      const r = bill(account, month, { consumption: consumption[month] });
      account = r.account;
      invoices.push(r.invoice);
    }
    const july = invoices[4]!;
    // SUB-06: service ends on 15 July, the whole month is due: 189.00 (not 189 × 15/31).
    // SUB-07: periods billed before July: April 189.00 + 12.34, May 189.00 + 0, June 189.00 + 7.50 = 586.84;
    // months remaining after July to the end of the initial period (2031-03-31): Aug 2026 … Mar 2031 = 56;
    // 586.84 × 56 / 3 = 32 863.04 / 3 = 10 954.34666… → 10 954.35 (rounded once, at the end).
    expect(linesOf(july)).toEqual([
      ['subscription', '189.00', 'SUB-06'],
      ['consumption', '3.00', 'BIL-09'],
      ['early_termination', '10954.35', 'SUB-07'],
    ]);
    // HT 11 146.35; VAT 2 229.27; TTC 13 375.62.
    expect(july).toMatchObject({ totalHT: '11146.35', totalVAT: '2229.27', totalTTC: '13375.62' });
    // The same computation as the Subscription context's SUB-07 function.
    const reference = earlyTerminationFee(
      [
        { period: '2026-04', subscription: Money.eur('189.00'), consumption: Money.eur('12.34') },
        { period: '2026-05', subscription: Money.eur('189.00'), consumption: Money.zero() },
        { period: '2026-06', subscription: Money.eur('189.00'), consumption: Money.eur('7.50') },
      ],
      56,
    );
    expect(reference.amount.toString()).toBe('10954.35');
    // After the end nothing more is billed, and the fee is never billed twice.
    expect(invoices[5]).toBeNull();
  });

  it('SUB-07 fewer than 3 billed periods: the average of those billed', () => {
    const ended = continueWith(history, [
      [{ type: 'ReceiveTerminationNotice', noticeId: 'n1', from: 'client', channel: 'registered_letter_with_ack', lrarReceivedOn: '2026-04-10', requestedEndOn: '2026-05-31' }, on('2026-04-10')],
      [{ type: 'ApplyTermination', endsOn: '2026-05-31' }, on('2026-06-01')],
    ]);
    let account = accountFrom(ended);
    account = bill(account, '2026-03').account; // 103.65
    account = bill(account, '2026-04').account; // 189.00
    const may = bill(account, '2026-05').invoice!;
    // (103.65 + 189.00) / 2 = 146.325 × 58 months (June 2026 … March 2031) = 8 486.85 exactly.
    expect(linesOf(may)).toEqual([
      ['subscription', '189.00', 'SUB-06'],
      ['early_termination', '8486.85', 'SUB-07'],
    ]);
  });

  it('SUB-14 an address change before the end of the term leaves every remaining monthly fee due, and is billed as access fees', () => {
    const changed = continueWith(history, [
      [{ type: 'RequestDataChange', changeId: 'c1', itemId: 'link-1', kind: 'address', channel: 'electronic', details: 'Déménagement' }, on('2026-05-04')],
      [{ type: 'RecordDataChangeFeasibility', changeId: 'c1', feasible: true }, on('2026-05-06')],
      [{ type: 'CompleteDataChange', changeId: 'c1', changedOn: '2026-05-20' }, on('2026-05-20')],
    ]);
    let account = accountFrom(changed);
    account = bill(account, '2026-03').account;
    account = bill(account, '2026-04').account;
    const may = bill(account, '2026-05').invoice!;
    const remaining = may.lines.find((l) => l.kind === 'remaining_fees');
    const ended = changed.find((e) => e.type === 'ItemTerminated')!.data as { monthsRemaining: number };
    // June 2026 … March 2031 = 58 months × 189.00 = 10 962.00.
    expect(ended.monthsRemaining).toBe(58);
    expect(remaining).toMatchObject({ amount: '10962.00', rule: 'SUB-14', quantity: '58', unitPrice: '189.00' });
    expect(may.lines.find((l) => l.kind === 'access_fee')).toMatchObject({ amount: '390.00', rule: 'SUB-14' });
  });

  it('BIL-11 an SLA penalty is a credit on the next invoice; BIL-08 incident fees and a SIM swap are invoice lines', () => {
    let account: AccountState | null = accountFrom(history);
    account = evolveAccount(account, source('ticket-t1', { type: 'SlaPenaltyGranted', data: { ticketId: 't1', reference: 'TK-1', customerId: 'k1', subscriptionId: 's1', billingMonth: '2026-04', amount: '75.60', grantedAt: '2026-04-20T10:00:00Z' } }));
    account = evolveAccount(account, source('ticket-t2', { type: 'IncidentFeeCharged', data: { ticketId: 't2', reference: 'TK-2', customerId: 'k1', subscriptionId: 's1', fee: 'unjustified_ticket', amount: '40.00', rule: 'INC-07', chargedAt: '2026-04-21T10:00:00Z' } }));
    account = evolveAccount(account, source('billingaccount-s1', { type: 'ChargeRecorded', data: { subscriptionId: 's1', chargeId: 'sw1', code: 'FEE:SIM_SWAP', label: 'Changement de réseau sur carte SIM', quantity: 2, occurredOn: '2026-04-22', itemId: null, rule: 'BIL-08', note: null } }));
    let a = bill(account!, '2026-03').account;
    const april = bill(a, '2026-04');
    expect(linesOf(april.invoice)).toEqual([
      ['subscription', '189.00', 'BIL-02'],
      ['fee', '40.00', 'INC-07'],
      ['fee', '64.00', 'BIL-08'],
      ['credit', '-75.60', 'BIL-11'],
    ]);
    // 189 + 40 + 64 − 75.60 = 217.40 HT; VAT 43.48; TTC 260.88.
    expect(april.invoice).toMatchObject({ totalHT: '217.40', totalVAT: '43.48', totalTTC: '260.88' });
    a = april.account;
    // Used once: the May invoice carries no credit or fee again.
    expect(linesOf(bill(a, '2026-05').invoice)).toEqual([['subscription', '189.00', 'BIL-02']]);
  });

  it('BIL-11 a credit larger than the invoice is used up to its total and the rest carried to the next invoice', () => {
    let account: AccountState | null = accountFrom(history);
    account = bill(account!, '2026-03').account;
    account = evolveAccount(account, source('ticket-t1', { type: 'SlaPenaltyGranted', data: { ticketId: 't1', reference: 'TK-1', customerId: 'k1', subscriptionId: 's1', billingMonth: '2026-04', amount: '300.00', grantedAt: '2026-04-20T10:00:00Z' } }));
    const april = bill(account!, '2026-04');
    expect(linesOf(april.invoice)).toEqual([
      ['subscription', '189.00', 'BIL-02'],
      ['credit', '-189.00', 'BIL-11'],
    ]);
    expect(april.invoice!.totalTTC).toBe('0.00');
    const may = bill(april.account, '2026-05');
    expect(linesOf(may.invoice)).toEqual([
      ['subscription', '189.00', 'BIL-02'],
      ['credit', '-111.00', 'BIL-11'],
    ]);
  });

  it('BIL-01 VAT is computed per rate on the rounded lines and rounded half-up once per rate', () => {
    // 3 × 0.05 + 0.025 … lines are already cents; 0.15 + 0.03 = 0.18 × 20 % = 0.036 → 0.04.
    expect(totals([{ amount: '0.15', vatRate: '20' }, { amount: '0.03', vatRate: '20' }])).toEqual({ totalHT: '0.18', totalVAT: '0.04', totalTTC: '0.22', vat: [{ rate: '20', base: '0.18', vat: '0.04' }] });
    // 19.90 × 3 = 59.70 → VAT 11.94 exactly (a float would give 11.940000000000001).
    expect(totals([{ amount: '19.90', vatRate: '20' }, { amount: '19.90', vatRate: '20' }, { amount: '19.90', vatRate: '20' }]).totalTTC).toBe('71.64');
  });

  it('POR-06 a port-out ends the line with its month billed in full and bills SUB-07 on that line', () => {
    const mobile = play([
      [placeOrder('MOBILE'), on('2026-02-20')],
      [{ type: 'RecordFeasibilityResult', feasible: true }, on('2026-02-25')],
      [{ type: 'SignSubscription', signedOn: '2026-03-02' }, on('2026-03-02')],
      [{ type: 'ActivateMobileLine', lineId: 'line-1', simActivatedOn: '2026-03-02' }, on('2026-03-02')],
      [{ type: 'ActivateMobileLine', lineId: 'line-2', simActivatedOn: '2026-03-02' }, on('2026-03-02')],
    ]);
    let account: AccountState | null = accountFrom(mobile);
    for (const m of ['2026-03', '2026-04', '2026-05']) account = bill(account!, m).account;
    account = evolveAccount(account, source('porting-p1', { type: 'LineContractTerminatedByPortOut', data: { portingId: 'p1', subscriptionId: 's1', lineId: 'line-2', msisdn: '0698765432', effectiveOn: '2026-06-10', insideCommitment: true, commitmentPeriodLastDay: '2031-03-31' } }));
    account = evolveAccount(account, source('porting-p1', { type: 'PortOutEarlyTerminationFeeDue', data: { portingId: 'p1', customerId: 'k1', subscriptionId: 's1', lineId: 'line-2', terminationEffectiveOn: '2026-06-10', commitmentPeriodLastDay: '2031-03-31', feeRule: 'SUB-07' } }));
    const june = bill(account!, '2026-06').invoice!;
    // line-2 billed: March 19.90 × 30/31 = 19.2580… → 19.26, April 19.90, May 19.90 = 59.06;
    // months remaining after June to 2031-03-31: July 2026 … March 2031 = 57; 59.06 × 57 / 3 = 3 366.42 / 3 = 1 122.14.
    expect(linesOf(june)).toEqual([
      ['subscription', '19.90', 'BIL-02'],
      ['subscription', '19.90', 'SUB-06'],
      ['early_termination', '1122.14', 'SUB-07'],
    ]);
  });

  it('POR-06 SUB-07 a port-out told by both Portability and Subscription (ItemTerminated, cause port_out) bills one early-termination fee for the line', () => {
    const mobile = play([
      [placeOrder('MOBILE'), on('2026-02-20')],
      [{ type: 'RecordFeasibilityResult', feasible: true }, on('2026-02-25')],
      [{ type: 'SignSubscription', signedOn: '2026-03-02' }, on('2026-03-02')],
      [{ type: 'ActivateMobileLine', lineId: 'line-1', simActivatedOn: '2026-03-02' }, on('2026-03-02')],
      [{ type: 'ActivateMobileLine', lineId: 'line-2', simActivatedOn: '2026-03-02' }, on('2026-03-02')],
    ]);
    let before: AccountState = accountFrom(mobile);
    for (const m of ['2026-03', '2026-04', '2026-05']) before = bill(before, m).account;
    const portedOut = play([
      [placeOrder('MOBILE'), on('2026-02-20')],
      [{ type: 'RecordFeasibilityResult', feasible: true }, on('2026-02-25')],
      [{ type: 'SignSubscription', signedOn: '2026-03-02' }, on('2026-03-02')],
      [{ type: 'ActivateMobileLine', lineId: 'line-1', simActivatedOn: '2026-03-02' }, on('2026-03-02')],
      [{ type: 'ActivateMobileLine', lineId: 'line-2', simActivatedOn: '2026-03-02' }, on('2026-03-02')],
      [{ type: 'TerminateLineByPortOut', portingId: 'p1', lineId: 'line-2', portedOn: '2026-06-10' }, on('2026-06-10')],
    ]);
    const itemTerminated = portedOut[portedOut.length - 1];
    expect(itemTerminated).toMatchObject({ type: 'ItemTerminated', data: { cause: 'port_out', feeBasis: 'early_termination_average' } });
    const porting = [
      source('porting-p1', { type: 'LineContractTerminatedByPortOut', data: { portingId: 'p1', subscriptionId: 's1', lineId: 'line-2', msisdn: '0698765432', effectiveOn: '2026-06-10', insideCommitment: true, commitmentPeriodLastDay: '2031-03-31' } }),
      source('porting-p1', { type: 'PortOutEarlyTerminationFeeDue', data: { portingId: 'p1', customerId: 'k1', subscriptionId: 's1', lineId: 'line-2', terminationEffectiveOn: '2026-06-10', commitmentPeriodLastDay: '2031-03-31', feeRule: 'SUB-07' } }),
    ];
    const subscription = source('subscription-s1', itemTerminated);
    // Either order of arrival: one SUB-07 line (59.06 × 57 / 3 = 1 122.14, as above).
    for (const order of [[...porting, subscription], [subscription, ...porting]]) {
      const account = order.reduce<AccountState | null>((s, e) => evolveAccount(s, e), before)!;
      expect(account.charges.filter((c) => c.kind === 'early_termination')).toHaveLength(1);
      expect(linesOf(bill(account, '2026-06').invoice).filter(([kind]) => kind === 'early_termination')).toEqual([['early_termination', '1122.14', 'SUB-07']]);
    }
  });

  it('BIL-02 a fact recorded after its month was invoiced is billed on the next invoice, never twice; late CDRs as a complement', () => {
    const signedOnly = play([
      [placeOrder('MOBILE'), on('2026-02-20')],
      [{ type: 'RecordFeasibilityResult', feasible: true }, on('2026-02-25')],
      [{ type: 'SignSubscription', signedOn: '2026-03-02' }, on('2026-03-02')],
      [{ type: 'ActivateMobileLine', lineId: 'line-1', simActivatedOn: '2026-03-02' }, on('2026-03-02')],
    ]);
    let account = accountFrom(signedOnly);
    const march = bill(account, '2026-03', { consumption: '4.20' });
    // line-1: 19.90 × 30/31 = 19.2580… → 19.26; two SIM access fees 10.00; consumption 4.20.
    expect(linesOf(march.invoice)).toEqual([
      ['subscription', '19.26', 'BIL-03'],
      ['consumption', '4.20', 'BIL-09'],
      ['access_fee', '10.00', 'BIL-02'],
      ['access_fee', '10.00', 'BIL-02'],
    ]);
    account = march.account;
    // line-2's activation on 10 March is only recorded in April, after the March invoice.
    account = evolveAccount(account, source('subscription-s1', { type: 'MobileLineActivated', data: { subscriptionId: 's1', lineId: 'line-2', simActivatedOn: '2026-03-10', serviceStartOn: '2026-03-10' } }))!;
    const aprilInvoice = draftInvoiceFor(account, '2026-04', { '2026-03': '6.00', '2026-04': '1.00' });
    // March: line-2 19.90 × 22/31 = 14.1225… → 14.12; March CDRs now 6.00, 4.20 billed → 1.80 complement; April: 2 × 19.90 + 1.00.
    expect(linesOf(aprilInvoice)).toEqual([
      ['subscription', '14.12', 'BIL-03'],
      ['consumption', '1.80', 'BIL-09'],
      ['subscription', '19.90', 'BIL-02'],
      ['subscription', '19.90', 'BIL-02'],
      ['consumption', '1.00', 'BIL-09'],
    ]);
  });
});

function draftInvoiceFor(account: AccountState, month: string, consumption: Record<string, string>) {
  return draftInvoice({
    invoiceId: `inv-${month}`,
    customerId: account.customerId,
    month,
    issuedOn: '2026-05-01',
    accounts: [account],
    reference: SEED_REFERENCE,
    consumption: { [account.subscriptionId]: Object.fromEntries(Object.entries(consumption).map(([m, v]) => [m, Money.eur(v)])) },
    settings: DEFAULT_BILLING_SETTINGS,
    buyer: { customerId: account.customerId, companyName: 'Client SARL', siret: null, address: null },
    mandateId: null,
  });
}

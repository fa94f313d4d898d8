import { BusinessCalendar } from '@oksio/kernel';
import { given } from '@oksio/kernel/testing/decider-spec';
import { LEGAL_INTEREST_RATES_O } from './legal-interest';
import { createLedgerDecider, lateInterestOf, outstanding, payableNow, type IssuedFacts, type LedgerEvent } from './ledger';
import { DEFAULT_BILLING_SETTINGS } from './settings';

const at = (date: string) => new Date(`${date}T10:00:00Z`);
const issued: IssuedFacts = {
  invoiceId: 'i1',
  number: 'FA2026-000001',
  customerId: 'k1',
  issuedOn: '2026-04-01',
  dueOn: '2026-05-01',
  totalTTC: '1200.00',
  vatRate: '20',
  subscriptionIds: ['s-data', 's-mobile'],
  services: { 's-data': 'DATA', 's-mobile': 'MOBILE' },
};
const options = { settings: DEFAULT_BILLING_SETTINGS, legalRates: LEGAL_INTEREST_RATES_O, calendar: new BusinessCalendar() };
const ledger = createLedgerDecider(issued, options);
const base = { invoiceId: 'i1', invoiceNumber: 'FA2026-000001', customerId: 'k1' };
const dispute = (over: Record<string, unknown> = {}) =>
  ({ type: 'OpenDispute', disputeId: 'd1', channel: 'registered_letter_with_ack', lrarReceivedOn: '2026-04-20', reasons: 'Ligne facturée deux fois', amount: '240.00', ...over }) as const;

describe('invoice ledger', () => {
  it('BIL-04 payments reduce what is owed; the last one settles the invoice; overpayment and future dates are refused', () => {
    const first = given(ledger).when({ type: 'RecordPayment', paymentId: 'p1', amount: '200.00', receivedOn: '2026-04-25', method: 'sepa_direct_debit', mandateId: 'RUM-1' }, at('2026-04-26')).events();
    expect(first).toEqual([{ type: 'PaymentRecorded', data: { ...base, paymentId: 'p1', amount: '200.00', receivedOn: '2026-04-25', method: 'sepa_direct_debit', mandateId: 'RUM-1', outstandingAfter: '1000.00' } }]);
    const settled = given(ledger, first).when({ type: 'RecordPayment', paymentId: 'p2', amount: '1000.00', receivedOn: '2026-04-30', method: 'bank_transfer', mandateId: null }, at('2026-04-30')).events();
    expect(settled.map((e) => e.type)).toEqual(['PaymentRecorded', 'InvoiceSettled']);
    given(ledger, first).when({ type: 'RecordPayment', paymentId: 'p2', amount: '1000.01', receivedOn: '2026-04-30', method: 'bank_transfer', mandateId: null }, at('2026-04-30')).thenRejects('overpayment', 'BIL-04');
    given(ledger).when({ type: 'RecordPayment', paymentId: 'p2', amount: '10.00', receivedOn: '2026-05-02', method: 'bank_transfer', mandateId: null }, at('2026-04-30')).thenRejects('date_in_future', 'BIL-04');
    given(ledger).when({ type: 'RecordPayment', paymentId: 'p2', amount: '10.001', receivedOn: '2026-04-30', method: 'bank_transfer', mandateId: null }, at('2026-04-30')).thenRejects('invalid_amount', 'BIL-04');
    given(ledger, first).when({ type: 'RecordPayment', paymentId: 'p1', amount: '10.00', receivedOn: '2026-04-30', method: 'bank_transfer', mandateId: null }, at('2026-04-30')).thenRejects('payment_exists');
  });

  it('BIL-05 the day after the due date an unpaid invoice is overdue with a 40 € recovery indemnity, once', () => {
    given(ledger).when({ type: 'MarkOverdue' }, new Date('2026-05-01T21:00:00Z')).thenRejects('not_yet_overdue', 'BIL-05'); // 23:00 in Paris, still the due date
    const overdue = given(ledger).when({ type: 'MarkOverdue' }, new Date('2026-05-01T22:00:00Z')).events();
    expect(overdue).toEqual([
      {
        type: 'InvoiceBecameOverdue',
        data: { ...base, dueOn: '2026-05-01', overdueSince: '2026-05-02', outstanding: '1200.00', payableNow: '1200.00', recoveryIndemnity: '40.00', subscriptionIds: ['s-data', 's-mobile'], rule: 'BIL-05' },
      },
    ]);
    given(ledger, overdue).when({ type: 'MarkOverdue' }, at('2026-05-03')).then([]);
    const paid = given(ledger).when({ type: 'RecordPayment', paymentId: 'p1', amount: '1200.00', receivedOn: '2026-05-01', method: 'bank_transfer', mandateId: null }, at('2026-05-01')).events();
    given(ledger, paid).when({ type: 'MarkOverdue' }, at('2026-05-02')).then([]);
  });

  it('SUS-02 suspension for non-payment is signalled no earlier than 7 days after the due date, with the invoice reference', () => {
    given(ledger).when({ type: 'CheckNonPaymentSuspension' }, at('2026-05-07')).thenRejects('suspension_too_early', 'SUS-02');
    expect(given(ledger).when({ type: 'CheckNonPaymentSuspension' }, at('2026-05-08')).events()).toEqual([
      { type: 'NonPaymentSuspensionAllowed', data: { ...base, invoiceRef: 'FA2026-000001', dueOn: '2026-05-01', allowedFrom: '2026-05-08', outstanding: '1200.00', subscriptionIds: ['s-data', 's-mobile'], rule: 'SUS-02' } },
    ]);
  });

  it('SUS-06 deliveries may be suspended when unpaid more than 8 business days after the due date (MOBILE contracts)', () => {
    // Due Friday 1 May 2026 (a holiday anyway). Business days after: 4, 5, 6, 7 May; 8 May holiday; 11, 12, 13, 14 May: the 8th is
    // Thursday 14 May (Ascension) — a holiday, so 15 May is the 8th; "more than 8" → from the 9th: Monday 18 May.
    given(ledger).when({ type: 'CheckDeliverySuspension' }, at('2026-05-15')).thenRejects('deliveries_suspension_too_early', 'SUS-06');
    const [e] = given(ledger).when({ type: 'CheckDeliverySuspension' }, at('2026-05-18')).events();
    expect(e.data).toMatchObject({ allowedFrom: '2026-05-18', businessDaysAfterDue: 9, subscriptionIds: ['s-mobile'], rule: 'SUS-06', invoiceRef: 'FA2026-000001' });
  });

  it('BIL-04 a rejected direct debit leaves the invoice unpaid; past its dates, overdue and suspension are signalled at once', () => {
    const paid = given(ledger).when({ type: 'RecordPayment', paymentId: 'p1', amount: '1200.00', receivedOn: '2026-04-28', method: 'sepa_direct_debit', mandateId: 'RUM-1' }, at('2026-04-28')).events();
    const rejected = given(ledger, paid).when({ type: 'RejectPayment', paymentId: 'p1', rejectedOn: '2026-05-10', reason: 'AM04 insufficient funds' }, at('2026-05-10')).events();
    expect(rejected.map((e) => e.type)).toEqual(['PaymentRejected', 'InvoiceBecameOverdue', 'NonPaymentSuspensionAllowed']);
    expect(rejected[0].data).toMatchObject({ outstandingAfter: '1200.00' });
    given(ledger, [...paid, ...rejected]).when({ type: 'RejectPayment', paymentId: 'p1', rejectedOn: '2026-05-10', reason: 'again' }, at('2026-05-10')).thenRejects('payment_already_rejected');
  });

  it('BIL-05 late interest: 20 × the legal rate on the late amount, from the day after the due date to the payment', () => {
    // 1 200.00 late from 2 May; 600.00 paid on 11 May; the rest on 31 May (2026 H1: 2.62 % × 20 = 52.4 %).
    // 2 … 11 May: 10 days on 1 200 → 1200 × 10 × 52.4 / 36 500 = 17.2273972…
    // 12 … 31 May: 20 days on 600 → 600 × 20 × 52.4 / 36 500 = 17.2273972…  → total 34.4547945… → 34.45.
    const history: LedgerEvent[] = [
      ...given(ledger).when({ type: 'RecordPayment', paymentId: 'p1', amount: '600.00', receivedOn: '2026-05-11', method: 'bank_transfer', mandateId: null }, at('2026-05-11')).events(),
    ];
    history.push(...given(ledger, history).when({ type: 'RecordPayment', paymentId: 'p2', amount: '600.00', receivedOn: '2026-05-31', method: 'bank_transfer', mandateId: null }, at('2026-05-31')).events());
    const state = given(ledger, history).state;
    expect(lateInterestOf(state, '2026-05-31', options).amount.toString()).toBe('34.45');
    const [assessed] = given(ledger, history).when({ type: 'AssessLateInterest', asOf: '2026-05-31' }, at('2026-06-01')).events();
    expect(assessed.data).toMatchObject({ from: '2026-05-02', to: '2026-05-31', amount: '34.45', totalAssessed: '34.45', rule: 'BIL-05' });
    // An unpaid invoice still late in 2026 H2, for which the data has no rate: a clear error.
    given(ledger).when({ type: 'AssessLateInterest', asOf: '2026-07-02' }, at('2026-07-03')).thenRejects('legal_rate_missing', 'BIL-05');
  });

  it('BIL-06 a dispute by LRAR within 30 days of receipt suspends only the disputed amount; the rest is due at once', () => {
    const [opened] = given(ledger).when(dispute(), at('2026-04-21')).events();
    expect(opened).toEqual({
      type: 'DisputeOpened',
      data: { ...base, disputeId: 'd1', amount: '240.00', reasons: 'Ligne facturée deux fois', lrarReceivedOn: '2026-04-20', invoiceReceivedOn: '2026-04-01', documentsDueOn: '2026-05-20', payableNow: '960.00', rule: 'BIL-06' },
    });
    const state = given(ledger, [opened]).state;
    expect([outstanding(state).toString(), payableNow(state).toString()]).toEqual(['1200.00', '960.00']);
    // Paying the undisputed part leaves nothing overdue.
    const paid = given(ledger, [opened]).when({ type: 'RecordPayment', paymentId: 'p1', amount: '960.00', receivedOn: '2026-04-30', method: 'bank_transfer', mandateId: null }, at('2026-04-30')).events();
    given(ledger, [opened, ...paid]).when({ type: 'MarkOverdue' }, at('2026-05-02')).then([]);
  });

  it('BIL-06 refusals: not by LRAR, without reasons, after 30 days (the invoice is final), beyond 1 year, more than owed', () => {
    given(ledger).when(dispute({ channel: 'email' }), at('2026-04-21')).thenRejects('dispute_requires_registered_letter', 'BIL-06');
    given(ledger).when(dispute({ reasons: '  ' }), at('2026-04-21')).thenRejects('dispute_reasons_required', 'BIL-06');
    // Received 1 April: the 30th day is 1 May; 2 May is too late.
    given(ledger).when(dispute({ lrarReceivedOn: '2026-05-01' }), at('2026-05-02')).events();
    given(ledger).when(dispute({ lrarReceivedOn: '2026-05-02' }), at('2026-05-02')).thenRejects('dispute_window_closed', 'BIL-06');
    // A late receipt of the invoice moves the window, but never beyond 1 year after the invoice date.
    given(ledger).when(dispute({ invoiceReceivedOn: '2027-03-20', lrarReceivedOn: '2027-04-01' }), at('2027-04-02')).events();
    given(ledger).when(dispute({ invoiceReceivedOn: '2027-03-20', lrarReceivedOn: '2027-04-02' }), at('2027-04-02')).thenRejects('claim_time_barred', 'BIL-06');
    given(ledger).when(dispute({ amount: '1200.01' }), at('2026-04-21')).thenRejects('disputed_amount_too_high', 'BIL-06');
  });

  it('BIL-06 documents within 30 days of the dispute, else the dispute lapses and the amount is payable; resolution by credit note', () => {
    const [opened] = given(ledger).when(dispute(), at('2026-04-21')).events();
    given(ledger, [opened]).when({ type: 'RecordDisputeDocuments', disputeId: 'd1', receivedOn: '2026-05-21' }, at('2026-05-21')).thenRejects('documents_too_late', 'BIL-06');
    given(ledger, [opened]).when({ type: 'LapseDispute', disputeId: 'd1' }, at('2026-05-20')).thenRejects('documents_still_expected', 'BIL-06');
    const [lapsed] = given(ledger, [opened]).when({ type: 'LapseDispute', disputeId: 'd1' }, at('2026-05-21')).events();
    expect(lapsed.data).toMatchObject({ closedOn: '2026-05-21', amountNowPayable: '240.00' });
    expect(payableNow(given(ledger, [opened, lapsed]).state).toString()).toBe('1200.00');

    const [docs] = given(ledger, [opened]).when({ type: 'RecordDisputeDocuments', disputeId: 'd1', receivedOn: '2026-05-20' }, at('2026-05-20')).events();
    given(ledger, [opened, docs]).when({ type: 'LapseDispute', disputeId: 'd1' }, at('2026-05-21')).then([]);
    const [resolved] = given(ledger, [opened, docs]).when({ type: 'ResolveDispute', disputeId: 'd1', outcome: 'partially_upheld', creditAmount: '120.00', creditNoteId: 'cn1' }, at('2026-05-25')).events();
    // 120.00 TTC = 100.00 HT + 20.00 VAT.
    expect(resolved.data).toMatchObject({ outcome: 'partially_upheld', creditAmountTTC: '120.00', creditAmountHT: '100.00', creditNoteId: 'cn1' });
    const after = given(ledger, [opened, docs, resolved]).state;
    expect([outstanding(after).toString(), payableNow(after).toString()]).toEqual(['1080.00', '1080.00']);
    given(ledger, [opened, docs]).when({ type: 'ResolveDispute', disputeId: 'd1', outcome: 'partially_upheld', creditAmount: '240.00', creditNoteId: 'cn1' }, at('2026-05-25')).thenRejects('partial_credit_too_high', 'BIL-06');
    given(ledger, [opened, docs]).when({ type: 'ResolveDispute', disputeId: 'd1', outcome: 'rejected', creditNoteId: 'cn1' }, at('2026-05-25')).events();
  });

  it('BIL-06 disputed days accrue no late interest while suspended (BIL-05 on the undisputed part only)', () => {
    const [opened] = given(ledger).when(dispute({ lrarReceivedOn: '2026-04-30' }), at('2026-04-30')).events();
    // 960.00 late 2 … 11 May (10 days): 960 × 10 × 52.4 / 36 500 = 13.7819… → 13.78.
    expect(lateInterestOf(given(ledger, [opened]).state, '2026-05-11', options).amount.toString()).toBe('13.78');
  });
});

import request from 'supertest';
import { newId } from '@oksio/kernel';
import type { CommandContext } from '@oksio/platform';
import { subscriptionDecider, subscriptionStream, type SubscriptionCommand } from '@oksio/subscription';
import { KEYS, settle, startTestApp, type TestApp, requestEventCount } from '../../../test/support/app';
import { PiiVault } from '@oksio/privacy';
import { InvoiceRegisterService } from './application/register.service';
import type { InvoiceDocument } from './domain';

const at = (date: string, time = '10:00:00') => new Date(`${date}T${time}Z`);
const ctx = (): CommandContext => ({ actor: { id: 'test', role: 'system' }, correlationId: newId(), causationId: null, commandId: newId(), reason: null });

describe('Billing API (REST + GraphQL on real PostgreSQL)', () => {
  let t: TestApp;
  let customerId: string;
  const dataSub = newId();
  const mobileSub = newId();
  let invoiceId: string;

  // Billing's streams, written by requests: schedulers (e.g. the SUB-15 line-info deadline) append on their own as the test clock moves.
  const eventCount = () => requestEventCount(t, ['invoice', 'billing', 'handsetorder']);
  const eventsOf = async (type: string) => (await t.runtime.pool.query('SELECT data FROM es_events WHERE type = $1 ORDER BY global_position', [type])).rows.map((r) => r.data);
  const setClock = (instant: string) => request(t.http).post('/admin/clock').set('X-API-Key', KEYS.admin).send({ instant }).expect(200);
  const subscription = async (id: string, steps: Array<[SubscriptionCommand, Date]>) => {
    for (const [command, now] of steps) await t.runtime.repository.execute(subscriptionDecider, subscriptionStream(id), command, ctx(), now);
  };
  /**
   * Retries an assertion until it holds: a due action (e.g. the month's run firing when the test
   * clock moves) makes its events readable to projections only once its scheduler transaction commits.
   */
  const eventually = async <T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await settle(t);
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  /** Waits until the scheduler has appended an event of this type (due actions run on the test clock). */
  const waitFor = async (type: string, count = 1) => {
    const deadline = Date.now() + 20_000;
    while ((await eventsOf(type)).length < count) {
      if (Date.now() > deadline) throw new Error(`no ${type} event`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await settle(t);
  };

  beforeAll(async () => {
    t = await startTestApp();
    await setClock('2026-02-20T09:00:00Z');
    const res = await request(t.http)
      .post('/customers')
      .set('X-API-Key', KEYS.system)
      .send({
        companyName: 'Boulangerie Martin SARL',
        siret: '73282932000074',
        billingAddress: { line1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
        contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Jeanne Martin', email: 'jeanne@example.fr', phone: '0612345678' }],
      })
      .expect(201);
    customerId = res.body.customerId;
    // Subscriptions are created through the Subscription context's decider (its REST API is written concurrently).
    await subscription(dataSub, [
      [{ type: 'PlaceOrder', subscriptionId: dataSub, customerId, service: 'DATA', items: [{ itemId: 'link-1', label: 'SDSL Paris', plan: 'SDSL-4M' }], quoteDate: '2026-02-20', orderAmount: '490.00' }, at('2026-02-20')],
      [{ type: 'RecordFeasibilityResult', feasible: true, studyReference: 'EF-1' }, at('2026-02-25')],
      [{ type: 'SignSubscription', signedOn: '2026-03-02' }, at('2026-03-02')],
      [{ type: 'ActivateService', activatedOn: '2026-03-15' }, at('2026-03-15')],
    ]);
    await subscription(mobileSub, [
      [
        {
          type: 'PlaceOrder',
          subscriptionId: mobileSub,
          customerId,
          service: 'MOBILE',
          items: [
            { itemId: 'line-1', label: '0612345678' },
            { itemId: 'line-2', label: '0698765432' },
          ],
          quoteDate: '2026-02-20',
          orderAmount: '20.00',
        },
        at('2026-02-20'),
      ],
      [{ type: 'RecordFeasibilityResult', feasible: true }, at('2026-02-25')],
      [{ type: 'SignSubscription', signedOn: '2026-03-02' }, at('2026-03-02')],
      [{ type: 'ActivateMobileLine', lineId: 'line-1', simActivatedOn: '2026-03-02' }, at('2026-03-02')],
      [{ type: 'ActivateMobileLine', lineId: 'line-2', simActivatedOn: '2026-03-02' }, at('2026-03-02')],
    ]);
    // An SLA penalty granted by the Incident context (its event, as the ticket stream records it).
    await t.runtime.store.append(
      `ticket-${newId()}`,
      [
        {
          type: 'SlaPenaltyGranted',
          data: { ticketId: 't1', reference: 'TK-2026-0001', customerId, subscriptionId: dataSub, billingMonth: '2026-03', amount: '50.00', computedAmount: '50.00', monthlyCap: '189.00', alreadyGrantedInMonth: '0.00', requestedByContactId: 'c1', grantedAt: '2026-03-25T10:00:00.000Z' },
          metadata: { occurredAt: '2026-03-25T10:00:00.000Z', actor: { id: 'incident', role: 'system' }, correlationId: newId(), causationId: null, commandId: newId(), reason: null },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await setClock('2026-03-20T09:00:00Z');
    await request(t.http)
      .post(`/billing/customers/${customerId}/mandates`)
      .set('X-API-Key', KEYS.support)
      .send({ mandateId: 'RUM-MARTIN-001', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', signedOn: '2026-03-20' })
      .expect(201);
    await settle(t);
  });
  afterAll(async () => t?.close());

  it('BIL-02 a month not over cannot be billed (422), a malformed month is a 400: nothing appended', async () => {
    const before = await eventCount();
    const early = await request(t.http).post('/billing/runs').set('X-API-Key', KEYS.admin).send({ month: '2026-03' }).expect(422);
    expect(early.body).toMatchObject({ code: 'billing_month_not_over', errors: [{ field: 'month', rule: 'BIL-02' }] });
    const bad = await request(t.http).post('/billing/runs').set('X-API-Key', KEYS.admin).send({ month: '2026-13', extra: 1 }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['month', 'extra']));
    await request(t.http).post('/billing/runs').set('X-API-Key', KEYS.auditor).send({ month: '2026-03' }).expect(403);
    expect(await eventCount()).toBe(before);
  });

  it('BIL-03 / BIL-02 / BIL-11 / BIL-01 the March run issues one invoice per customer: prorated fees, access fees, SLA credit, VAT 20 %', async () => {
    await setClock('2026-04-01T06:00:00Z'); // 08:00 in Paris; the run's due action may fire too: it bills nothing twice
    const run = await request(t.http).post('/billing/runs').set('X-API-Key', KEYS.admin).send({ month: '2026-03' }).expect(201);
    expect([...run.body.issued, ...run.body.alreadyIssued].map((i: { customerId: string }) => i.customerId)).toEqual([customerId]);
    expect(run.body.failed).toEqual([]);
    const list = await eventually(async () => {
      const res = await request(t.http).get(`/billing/invoices?customerId=${customerId}&month=2026-03`).set('X-API-Key', KEYS.auditor).expect(200);
      expect(res.body.total).toBe(1);
      return res;
    });
    invoiceId = list.body.items[0].invoiceId;
    // DATA: SDSL-4M 189.00 × 17/31 = 103.645… → 103.65; access 490.00; SLA credit −50.00.
    // MOBILE: two lines 19.90 × 30/31 = 19.258… → 19.26 each; two SIM access fees 10.00.
    // HT = 103.65 + 490.00 − 50.00 + 19.26 + 19.26 + 10.00 + 10.00 = 602.17; VAT 120.434 → 120.43; TTC 722.60.
    expect(list.body.items[0]).toMatchObject({ number: 'FA2026-000001', issuedOn: '2026-04-01', dueOn: '2026-05-01', totalHT: '602.17', totalVAT: '120.43', totalTTC: '722.60', status: 'issued', outstanding: '722.60' });
    const detail = await request(t.http).get(`/billing/invoices/${invoiceId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(detail.body.lines.map((l: { kind: string; amount: string; rule: string }) => [l.kind, l.amount, l.rule])).toEqual([
      ['subscription', '103.65', 'BIL-03'],
      ['access_fee', '490.00', 'BIL-02'],
      ['subscription', '19.26', 'BIL-03'],
      ['subscription', '19.26', 'BIL-03'],
      ['access_fee', '10.00', 'BIL-02'],
      ['access_fee', '10.00', 'BIL-02'],
      ['credit', '-50.00', 'BIL-11'],
    ]);
    expect(detail.body.buyer).toMatchObject({ companyName: 'Boulangerie Martin SARL', siret: '73282932000074' });
    expect(detail.body.payment).toMatchObject({ method: 'sepa_direct_debit', mandateId: 'RUM-MARTIN-001' });
  });

  it('BIL-01 re-running a billing month bills nothing twice and appends nothing', async () => {
    await settle(t);
    const before = await eventCount();
    const again = await request(t.http).post('/billing/runs').set('X-API-Key', KEYS.system).send({ month: '2026-03' }).expect(201);
    expect(again.body.issued).toEqual([]);
    expect(again.body.alreadyIssued).toEqual([{ invoiceId, number: 'FA2026-000001', customerId }]);
    expect(await eventCount()).toBe(before);
    const [twice] = await Promise.all([
      request(t.http).post('/billing/runs').set('X-API-Key', KEYS.system).send({ month: '2026-03' }),
      request(t.http).post('/billing/runs').set('X-API-Key', KEYS.admin).send({ month: '2026-03' }),
    ]);
    expect(twice.status).toBe(201);
    const list = await request(t.http).get(`/billing/invoices?customerId=${customerId}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(list.body.total).toBe(1);
  });

  it('the invoice is readable HTML with the legal mentions of a French B2B invoice', async () => {
    const html = await request(t.http).get(`/billing/invoices/${invoiceId}.html`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    for (const mention of ['Facture n° FA2026-000001', 'SIREN 732829320', 'FR44732829320', 'Boulangerie Martin SARL', 'SIRET 73282932000074', "Date d'échéance : <strong>01/05/2026", 'Total HT', 'TVA 20 %', 'Total TTC', '20 fois le taux de l', 'indemnité forfaitaire pour frais de recouvrement', 'RUM-MARTIN-001']) {
      expect(html.text).toContain(mention);
    }
    expect(html.text).toMatch(/722,60\s€/);
    expect(html.text).toMatch(/40,00\s€/);
    const doc = await request(t.http).get(`/billing/invoices/${invoiceId}/document`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(doc.text).toBe(html.text);
    await request(t.http).get(`/billing/invoices/${newId()}.html`).set('X-API-Key', KEYS.auditor).expect(404);
  });

  it('BIL-06 disputes over HTTP: refusals name field and rule and append nothing; documents, resolution by credit note', async () => {
    await setClock('2026-04-10T09:00:00Z');
    const before = await eventCount();
    const byEmail = await request(t.http)
      .post(`/billing/invoices/${invoiceId}/disputes`)
      .set('X-API-Key', KEYS.support)
      .send({ channel: 'email', lrarReceivedOn: '2026-04-09', reasons: 'SLA credit too low', amount: '100.00' })
      .expect(422);
    expect(byEmail.body).toMatchObject({ code: 'dispute_requires_registered_letter', errors: [{ field: 'channel', rule: 'BIL-06' }] });
    const tooMuch = await request(t.http)
      .post(`/billing/invoices/${invoiceId}/disputes`)
      .set('X-API-Key', KEYS.support)
      .send({ channel: 'registered_letter_with_ack', lrarReceivedOn: '2026-04-09', reasons: 'x', amount: '722.61' })
      .expect(422);
    expect(tooMuch.body.errors[0]).toMatchObject({ field: 'amount', rule: 'BIL-06' });
    await request(t.http).post(`/billing/invoices/${newId()}/disputes`).set('X-API-Key', KEYS.support).send({ channel: 'registered_letter_with_ack', lrarReceivedOn: '2026-04-09', reasons: 'x', amount: '1.00' }).expect(404);
    expect(await eventCount()).toBe(before);

    const opened = await request(t.http)
      .post(`/billing/invoices/${invoiceId}/disputes`)
      .set('X-API-Key', KEYS.support)
      .send({ channel: 'registered_letter_with_ack', lrarReceivedOn: '2026-04-09', reasons: 'Frais d’accès SDSL facturés au mauvais tarif', amount: '120.00' })
      .expect(201);
    expect(opened.body.documentsDueOn).toBe('2026-05-09');
    await settle(t);
    const { disputeId } = opened.body;
    const open = await request(t.http).get('/billing/disputes?status=open').set('X-API-Key', KEYS.auditor).expect(200);
    expect(open.body.items).toEqual([expect.objectContaining({ disputeId, invoiceNumber: 'FA2026-000001', amount: '120.00', status: 'open' })]);
    const inv = await request(t.http).get(`/billing/invoices/${invoiceId}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(inv.body).toMatchObject({ disputed: '120.00', payable: '602.60', status: 'disputed' });

    await request(t.http).post(`/billing/disputes/${disputeId}/documents`).set('X-API-Key', KEYS.support).send({ receivedOn: '2026-04-10' }).expect(201);
    await request(t.http).post(`/billing/disputes/${disputeId}/resolution`).set('X-API-Key', KEYS.support).send({ outcome: 'partially_upheld', creditAmount: '60.00' }).expect(201);
    await waitFor('CreditNoteIssued');
    const notes = await eventually(async () => {
      const res = await request(t.http).get(`/billing/invoices?customerId=${customerId}&kind=credit_note`).set('X-API-Key', KEYS.auditor).expect(200);
      expect(res.body.total).toBe(1);
      return res;
    });
    // 60.00 TTC = 50.00 HT + 10.00 VAT, numbered in its own gap-free series.
    expect(notes.body.items).toEqual([expect.objectContaining({ number: 'AV2026-000001', relatedInvoiceId: invoiceId, totalHT: '50.00', totalVAT: '10.00', totalTTC: '60.00' })]);
    const noteHtml = await request(t.http).get(`/billing/invoices/${notes.body.items[0].invoiceId}.html`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(noteHtml.text).toContain('Avoir n° AV2026-000001');
    const after = await request(t.http).get(`/billing/invoices/${invoiceId}`).set('X-API-Key', KEYS.auditor).expect(200);
    // The issued invoice itself never changes: the credit note reduces what is owed.
    expect(after.body).toMatchObject({ totalTTC: '722.60', credited: '60.00', disputed: '0.00', outstanding: '662.60', payable: '662.60', status: 'issued' });
  });

  it('BIL-05 / SUS-02 / SUS-06 overdue the day after the due date with the 40 € indemnity, then the suspension signals Subscription consumes', async () => {
    await setClock('2026-05-02T06:00:00Z');
    await waitFor('InvoiceBecameOverdue');
    const [overdue] = await eventsOf('InvoiceBecameOverdue');
    expect(overdue).toMatchObject({ invoiceId, invoiceNumber: 'FA2026-000001', dueOn: '2026-05-01', recoveryIndemnity: '40.00', payableNow: '662.60', rule: 'BIL-05' });
    const list = await eventually(async () => {
      const res = await request(t.http).get('/billing/overdue').set('X-API-Key', KEYS.support).expect(200);
      expect(res.body.total).toBe(1);
      return res;
    });
    // 662.60 late on 2 May: 1 day × 20 × 2.62 % → 662.60 × 1 × 52.4 / 36 500 = 0.9512… → 0.95.
    expect(list.body.items).toEqual([expect.objectContaining({ invoiceId, daysLate: 1, indemnity: '40.00', accruedInterest: '0.95', interestError: null })]);
    expect((await eventsOf('NonPaymentSuspensionAllowed')).length).toBe(0);

    await setClock('2026-05-08T06:00:00Z');
    await waitFor('NonPaymentSuspensionAllowed');
    expect((await eventsOf('NonPaymentSuspensionAllowed'))[0]).toMatchObject({ invoiceRef: 'FA2026-000001', dueOn: '2026-05-01', allowedFrom: '2026-05-08', subscriptionIds: [dataSub, mobileSub].sort(), rule: 'SUS-02' });
    await setClock('2026-05-18T06:00:00Z');
    await waitFor('DeliveriesSuspensionAllowed');
    expect((await eventsOf('DeliveriesSuspensionAllowed'))[0]).toMatchObject({ invoiceRef: 'FA2026-000001', allowedFrom: '2026-05-18', subscriptionIds: [mobileSub], rule: 'SUS-06' });

    // Meanwhile the April run fired at its due time (1 May, Paris): DATA 189.00 + 2 × 19.90 = 228.80 HT, VAT 45.76, TTC 274.56, due 1 June.
    const april = await eventually(async () => {
      const res = await request(t.http).get(`/billing/invoices?customerId=${customerId}&month=2026-04`).set('X-API-Key', KEYS.auditor).expect(200);
      expect(res.body.total).toBe(1);
      return res;
    });
    expect(april.body.items).toEqual([expect.objectContaining({ number: 'FA2026-000002', issuedOn: '2026-05-02', dueOn: '2026-06-01', totalTTC: '274.56', status: 'issued' })]);
    const balance = await request(t.http).get(`/billing/balances?customerId=${customerId}`).set('X-API-Key', KEYS.auditor).expect(200);
    // Invoiced 722.60 + 274.56 = 997.16; credited 60.00; outstanding 937.16, of which 662.60 overdue; balance 937.16 + 40.00 indemnity = 977.16.
    expect(balance.body.items[0]).toMatchObject({ customerId, invoiced: '997.16', credited: '60.00', outstanding: '937.16', overdue: '662.60', indemnities: '40.00', balance: '977.16' });
  });

  it('BIL-04 a SEPA payment under the active mandate settles the invoice; BIL-05 interest owed to the payment date', async () => {
    const before = await eventCount();
    const wrongMandate = await request(t.http)
      .post(`/billing/invoices/${invoiceId}/payments`)
      .set('X-API-Key', KEYS.system)
      .send({ amount: '662.60', receivedOn: '2026-05-18', method: 'sepa_direct_debit', mandateId: 'RUM-OLD' })
      .expect(422);
    expect(wrongMandate.body.errors[0]).toMatchObject({ field: 'mandateId', rule: 'BIL-04' });
    await request(t.http).post(`/billing/invoices/${invoiceId}/payments`).set('X-API-Key', KEYS.system).send({ amount: '662.6O', receivedOn: '2026-05-18', method: 'sepa_direct_debit' }).expect(400);
    expect(await eventCount()).toBe(before);
    const paid = await request(t.http).post(`/billing/invoices/${invoiceId}/payments`).set('X-API-Key', KEYS.system).set('Idempotency-Key', 'pay-fa-1').send({ amount: '662.60', receivedOn: '2026-05-18', method: 'sepa_direct_debit' }).expect(201);
    expect(paid.body.events).toEqual(['PaymentRecorded', 'InvoiceSettled']);
    await settle(t);
    const interest = await request(t.http).get(`/billing/invoices/${invoiceId}/late-interest?asOf=2026-05-18`).set('X-API-Key', KEYS.auditor).expect(200);
    // 662.60 late 2 … 18 May = 17 days at 52.4 %: 662.60 × 17 × 52.4 / 36 500 = 16.1711… → 16.17.
    expect(interest.body).toMatchObject({ amount: '16.17', recoveryIndemnity: '40.00', pieces: [expect.objectContaining({ halfYear: '2026-H1', days: 17, base: '662.60', appliedRate: '52.4' })] });
    const inv = await request(t.http).get(`/billing/invoices/${invoiceId}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(inv.body).toMatchObject({ status: 'paid', outstanding: '0.00', paid: '662.60' });
    expect(inv.body.payments).toEqual([expect.objectContaining({ amount: '662.60', method: 'sepa_direct_debit', mandateId: 'RUM-MARTIN-001', receivedOn: '2026-05-18' })]);
  });

  it('BIL-05 late interest spanning two half-years: a half-year without a legal rate is a clear error until the rate is published as data', async () => {
    // The April invoice (274.56 TTC, due 1 June) is still unpaid on 3 July: its interest runs into 2026 H2, which has no rate yet.
    await setClock('2026-07-03T08:00:00Z');
    // The scheduler catches up on the jump: April's overdue and suspension signals, and the May and June runs.
    await waitFor('InvoiceBecameOverdue', 2);
    await waitFor('NonPaymentSuspensionAllowed', 2);
    await waitFor('DeliveriesSuspensionAllowed', 2);
    await waitFor('InvoiceIssued', 4);
    await eventually(async () => expect((await request(t.http).get(`/billing/invoices?customerId=${customerId}&kind=invoice`).set('X-API-Key', KEYS.auditor)).body.total).toBe(4));
    const april = (await request(t.http).get(`/billing/invoices?customerId=${customerId}&month=2026-04`).set('X-API-Key', KEYS.auditor).expect(200)).body.items[0];
    const ledgerEvents = async () => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events WHERE stream_id = $1', [`invoice-${april.invoiceId}`])).rows[0].count);
    const before = await ledgerEvents();
    const refused = await request(t.http).get(`/billing/invoices/${april.invoiceId}/late-interest`).set('X-API-Key', KEYS.auditor).expect(422);
    expect(refused.body).toMatchObject({ code: 'legal_rate_missing', errors: [{ field: 'halfYear', rule: 'BIL-05', message: expect.stringContaining('no legal rate for 2026 H2') }] });
    const assess = await request(t.http).post(`/billing/invoices/${april.invoiceId}/late-interest`).set('X-API-Key', KEYS.support).send({}).expect(422);
    expect(assess.body.code).toBe('legal_rate_missing');
    expect(await ledgerEvents()).toBe(before);
    const overdue = await request(t.http).get(`/billing/overdue?customerId=${customerId}`).set('X-API-Key', KEYS.support).expect(200);
    expect(overdue.body.items.find((i: { invoiceId: string }) => i.invoiceId === april.invoiceId)).toMatchObject({ accruedInterest: null, interestError: expect.stringContaining('no legal rate for 2026 H2') });

    await request(t.http).post('/billing/legal-interest-rates').set('X-API-Key', KEYS.admin).send({ halfYear: '2026-H2', rate: '2.41' }).expect(201);
    const computed = await request(t.http).get(`/billing/invoices/${april.invoiceId}/late-interest`).set('X-API-Key', KEYS.auditor).expect(200);
    // 274.56 late from 2 June: 2026 H1 (2.62 % × 20 = 52.4 %) 2 … 30 June = 29 days → 274.56 × 29 × 52.4 / 36 500 = 11.4307…;
    // 2026 H2 (2.41 % × 20 = 48.2 %) 1 … 3 July = 3 days → 274.56 × 3 × 48.2 / 36 500 = 1.0877…; total 12.5184… → 12.52.
    expect(computed.body).toMatchObject({
      amount: '12.52',
      pieces: [
        expect.objectContaining({ halfYear: '2026-H1', from: '2026-06-02', to: '2026-06-30', days: 29, appliedRate: '52.4' }),
        expect.objectContaining({ halfYear: '2026-H2', from: '2026-07-01', to: '2026-07-03', days: 3, appliedRate: '48.2' }),
      ],
    });
    const assessed = await request(t.http).post(`/billing/invoices/${april.invoiceId}/late-interest`).set('X-API-Key', KEYS.support).send({}).expect(201);
    expect(assessed.body.assessed).toMatchObject({ amount: '12.52', rule: 'BIL-05' });
  });

  it('GraphQL: invoices, invoice, balances, overdueInvoices and disputes (paginated), and a mutation refused for an auditor', async () => {
    const q = await request(t.http)
      .post('/graphql')
      .set('X-API-Key', KEYS.support)
      .send({
        query: `query($c: String) {
          invoices(customerId: $c, kind: "invoice", limit: 1) { total limit items { number totalTTC status } }
          balances(customerId: $c) { total items { customerId invoiced balance } }
          overdueInvoices { total items { number daysLate accruedInterest interestError } }
          disputes(customerId: $c) { total items { status outcome creditAmount invoiceNumber } }
          billingCatalogue
        }`,
        variables: { c: customerId },
      })
      .expect(200);
    expect(q.body.errors).toBeUndefined();
    const all = await request(t.http).get(`/billing/invoices?customerId=${customerId}&kind=invoice&limit=100`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(q.body.data.invoices).toMatchObject({ total: all.body.total, limit: 1, items: [{ number: all.body.items[0].number }] });
    // Numbers follow issue order without gaps (the scheduler issued the later months as the test clock moved).
    expect(all.body.items.map((i: { number: string }) => i.number).reverse()).toEqual(all.body.items.map((_: unknown, k: number) => `FA2026-${String(k + 1).padStart(6, '0')}`));
    expect(q.body.data.disputes.items).toEqual([{ status: 'resolved', outcome: 'partially_upheld', creditAmount: '60.00', invoiceNumber: 'FA2026-000001' }]);
    expect(q.body.data.billingCatalogue.find((c: { code: string }) => c.code === 'FEE:SIM_SWAP').current.price).toBe('32.00');
    const one = await request(t.http).post('/graphql').set('X-API-Key', KEYS.auditor).send({ query: `{ invoice(id: "${invoiceId}") { number status lines creditNotes { number } } }` }).expect(200);
    expect(one.body.data.invoice).toMatchObject({ number: 'FA2026-000001', status: 'paid', creditNotes: [{ number: 'AV2026-000001' }] });
    const denied = await request(t.http).post('/graphql').set('X-API-Key', KEYS.auditor).send({ query: `mutation { runBillingMonth(input: { month: "2026-05" }) }` }).expect(200);
    expect(denied.body.errors[0].extensions).toMatchObject({ code: 'forbidden', status: 403 });
  });

  it('CON-02 a price change needs 2 months of notice; BIL-08 a SIM swap (32 € HT per SIM) and SDA blocks of ten are billed on the next run', async () => {
    await setClock('2026-09-03T08:00:00Z');
    // The July and August runs fire on this jump (each run schedules the next month's).
    await waitFor('InvoiceIssued', 6);
    await eventually(async () => expect((await request(t.http).get(`/billing/invoices?customerId=${customerId}&kind=invoice`).set('X-API-Key', KEYS.auditor)).body.total).toBe(6));
    const before = await eventCount();
    const tooSoon = await request(t.http).post('/billing/catalogue/prices').set('X-API-Key', KEYS.admin).send({ code: 'MONTHLY:MOBILE:DEFAULT', price: '21.90', effectiveFrom: '2026-11-02' }).expect(422);
    expect(tooSoon.body).toMatchObject({ code: 'price_change_notice_too_short', errors: [{ field: 'effectiveFrom', rule: 'CON-02' }] });
    const unknownFee = await request(t.http).post(`/billing/accounts/${mobileSub}/charges`).set('X-API-Key', KEYS.support).send({ code: 'FEE:FREE_LUNCH', quantity: 1, occurredOn: '2026-09-02' }).expect(422);
    expect(unknownFee.body.errors[0]).toMatchObject({ field: 'code', rule: 'BIL-08' });
    await request(t.http).post(`/billing/accounts/${newId()}/charges`).set('X-API-Key', KEYS.support).send({ code: 'FEE:SIM_SWAP', quantity: 1, occurredOn: '2026-09-02' }).expect(404);
    expect(await eventCount()).toBe(before);

    const published = await request(t.http).post('/billing/catalogue/prices').set('X-API-Key', KEYS.admin).send({ code: 'MONTHLY:MOBILE:DEFAULT', price: '21.90', effectiveFrom: '2026-11-03' }).expect(201);
    expect(published.body).toMatchObject({ notifiedOn: '2026-09-03', effectiveFrom: '2026-11-03', version: 'MONTHLY:MOBILE:DEFAULT@2026-11-03' });
    await request(t.http).post(`/billing/accounts/${mobileSub}/charges`).set('X-API-Key', KEYS.support).send({ code: 'FEE:SIM_SWAP', quantity: 2, occurredOn: '2026-09-02', note: 'Changement de réseau, 2 SIM' }).expect(201);
    await request(t.http).post(`/billing/accounts/${dataSub}/options`).set('X-API-Key', KEYS.support).send({ optionId: 'sda', code: 'OPTION:SDA_BLOCK_10', quantity: 3, effectiveOn: '2026-09-01' }).expect(201);
    await settle(t);
    await setClock('2026-10-01T06:00:00Z'); // the September run fires at the start of October
    const september = await eventually(async () => {
      const res = await request(t.http).get(`/billing/invoices?customerId=${customerId}&month=2026-09`).set('X-API-Key', KEYS.auditor).expect(200);
      expect(res.body.total).toBe(1);
      return (await request(t.http).get(`/billing/invoices/${res.body.items[0].invoiceId}`).set('X-API-Key', KEYS.auditor).expect(200)).body;
    });
    const lines = september.lines.map((l: { kind: string; amount: string; rule: string }) => [l.kind, l.amount, l.rule]);
    // 3 blocks × 5.00 = 15.00 for September; SIM swap 2 × 32.00 = 64.00; the mobile price is still 19.90 (the new one applies from 3 November).
    expect(lines).toEqual(expect.arrayContaining([['option', '15.00', 'BIL-02'], ['fee', '64.00', 'BIL-08'], ['subscription', '19.90', 'BIL-02']]));
    // September: DATA 189.00 + SDA 15.00 + 2 × 19.90 + 64.00 = 307.80 HT; VAT 61.56; TTC 369.36.
    expect(september).toMatchObject({ totalHT: '307.80', totalVAT: '61.56', totalTTC: '369.36' });
    const cap = await request(t.http).get(`/billing/accounts/${dataSub}/liability-cap?eventOn=2026-09-20`).set('X-API-Key', KEYS.auditor).expect(200);
    // BIL-12 (CG 13): the monthly sum billed for September (189.00 + 15.00); the annual sum from activation (15 March) to date.
    expect(cap.body).toMatchObject({ basis: 'monthly_sum_paid', cap: '204.00', annualPeriod: { from: '2026-03-15', to: '2027-03-14' } });
  });

  it('BIL-01 gap-free invoice numbers under concurrency: 40 concurrent issues (and retries of the same documents) get 1…40 exactly once', async () => {
    const register = t.app.get(InvoiceRegisterService);
    const doc = (i: number): InvoiceDocument => ({
      invoiceId: `concurrency-${i}`,
      customerId: 'k-concurrency',
      billingMonth: '2029-12',
      issuedOn: '2030-01-05',
      dueOn: '2030-02-04',
      seller: { legalName: 'OKSIO', legalForm: 'SAS', shareCapital: '1', siren: '732829320', rcs: 'RCS Paris', vatNumber: 'FR44732829320', address: { line1: 'x', postalCode: '75009', city: 'Paris', country: 'FR' }, email: 'x', sepaCreditorId: 'x' },
      buyer: { customerId: 'k-concurrency', companyName: 'C', siret: null, address: null },
      lines: [],
      totalHT: '10.00',
      totalVAT: '2.00',
      totalTTC: '12.00',
      vat: [{ rate: '20', base: '10.00', vat: '2.00' }],
      subscriptionIds: [],
      services: {},
      payment: { method: 'bank_transfer', mandateId: null, creditorId: 'x' },
      lateTerms: { multiplier: '20', indemnity: '40.00', text: '' },
      accounts: [],
    });
    const now = new Date('2030-01-05T10:00:00Z');
    const attempts = [...Array.from({ length: 40 }, (_, i) => i), 3, 17, 29, 3];
    const results = await Promise.all(attempts.map((i) => register.issueInvoice(doc(i), ctx(), now)));
    const firsts = results.filter((r) => !r.duplicate);
    expect(firsts).toHaveLength(40);
    expect(firsts.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // A retried document keeps its first number.
    const byDoc = new Map<number, string>();
    results.forEach((r, k) => {
      const i = attempts[k];
      if (byDoc.has(i)) expect(r.number).toBe(byDoc.get(i));
      else byDoc.set(i, r.number);
    });
    const stored = await t.runtime.pool.query(`SELECT (data->>'sequence')::int AS seq FROM es_events WHERE stream_id = 'invoiceregister-FA2030' ORDER BY revision`);
    expect(stored.rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('BIL-13 a MOBILE handset order is invoiced at once and released for delivery only when its invoice is paid; shipping before is refused', async () => {
    const before = await eventCount();
    const lines = [{ model: 'Fairphone 5', label: 'Smartphone', quantity: 2, unitPrice: '449.00' }];
    const notMobile = await request(t.http).post('/billing/handset-orders').set('X-API-Key', KEYS.support).send({ subscriptionId: dataSub, lines }).expect(422);
    expect(notMobile.body).toMatchObject({ code: 'not_a_mobile_subscription', errors: [{ field: 'subscriptionId', rule: 'BIL-13' }] });
    const badLine = await request(t.http).post('/billing/handset-orders').set('X-API-Key', KEYS.support).send({ subscriptionId: mobileSub, lines: [{ ...lines[0], quantity: 0 }] }).expect(400);
    expect(badLine.body.errors.map((e: { field: string }) => e.field)).toEqual([expect.stringContaining('quantity')]);
    await request(t.http).post('/billing/handset-orders').set('X-API-Key', KEYS.support).send({ subscriptionId: mobileSub, lines: [] }).expect(400);
    await request(t.http).post('/billing/handset-orders').set('X-API-Key', KEYS.support).send({ subscriptionId: newId(), lines }).expect(404);
    await request(t.http).post('/billing/handset-orders').set('X-API-Key', KEYS.auditor).send({ subscriptionId: mobileSub, lines }).expect(403);
    expect(await eventCount()).toBe(before);

    const placed = await request(t.http).post('/billing/handset-orders').set('X-API-Key', KEYS.support).set('Idempotency-Key', 'handset-1').send({ subscriptionId: mobileSub, lines }).expect(201);
    // 2 × 449.00 = 898.00 HT; VAT 20 % = 179.60; TTC 1 077.60, due on the order date (BIL-02), by direct debit under the active mandate.
    expect(placed.body).toMatchObject({ status: 'awaiting_payment', totalTTC: '1077.60', dueOn: '2026-10-01', payment: { method: 'sepa_direct_debit', mandateId: 'RUM-MARTIN-001' } });
    const { orderId, invoiceId: handsetInvoiceId } = placed.body;
    const again = await request(t.http).post('/billing/handset-orders').set('X-API-Key', KEYS.support).set('Idempotency-Key', 'handset-1').send({ subscriptionId: mobileSub, lines }).expect(201);
    expect(again.body).toEqual(placed.body);
    await settle(t);
    const order = await request(t.http).get(`/billing/handset-orders/${orderId}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(order.body).toMatchObject({ orderId, subscriptionId: mobileSub, customerId, status: 'awaiting_payment', invoiceNumber: placed.body.invoiceNumber, totalTTC: '1077.60' });
    const invoice = await request(t.http).get(`/billing/invoices/${handsetInvoiceId}`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(invoice.body.lines.map((l: { kind: string; amount: string; rule: string }) => [l.kind, l.amount, l.rule])).toEqual([['equipment', '898.00', 'BIL-02']]);

    const ship = () => request(t.http).post(`/billing/handset-orders/${orderId}/shipment`).set('X-API-Key', KEYS.support).send({ shipmentRef: 'COL-0001', shippedOn: '2026-10-01' });
    const beforeShip = await eventCount();
    const refused = await ship().expect(422);
    expect(refused.body).toMatchObject({ code: 'handset_order_not_paid', errors: [{ field: 'orderId', rule: 'BIL-13' }] });
    // A partial payment does not release the order.
    await request(t.http).post(`/billing/invoices/${handsetInvoiceId}/payments`).set('X-API-Key', KEYS.system).send({ amount: '500.00', receivedOn: '2026-10-01', method: 'sepa_direct_debit' }).expect(201);
    // The payment check the payment scheduled has run (and released nothing).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await t.runtime.pool.query(`SELECT status FROM due_actions WHERE key LIKE $1`, [`billing.handset_payment:${orderId}:%`]);
      if (rows.length === 1 && rows[0].status === 'done') break;
      if (Date.now() > deadline) throw new Error(`payment check not run: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await settle(t);
    expect((await request(t.http).get(`/billing/handset-orders/${orderId}`).set('X-API-Key', KEYS.auditor).expect(200)).body.status).toBe('awaiting_payment');
    expect((await ship().expect(422)).body.code).toBe('handset_order_not_paid');
    expect(await eventCount()).toBe(beforeShip + 1); // the payment only

    await request(t.http).post(`/billing/invoices/${handsetInvoiceId}/payments`).set('X-API-Key', KEYS.system).send({ amount: '577.60', receivedOn: '2026-10-01', method: 'sepa_direct_debit' }).expect(201);
    await waitFor('HandsetOrderReleasedForDelivery');
    const [released] = await eventsOf('HandsetOrderReleasedForDelivery');
    expect(released).toMatchObject({ orderId, invoiceId: handsetInvoiceId, customerId, subscriptionId: mobileSub, paidOn: '2026-10-01', rule: 'BIL-13' });
    expect((await request(t.http).get(`/billing/handset-orders/${orderId}`).set('X-API-Key', KEYS.auditor).expect(200)).body).toMatchObject({ status: 'released', paidOn: '2026-10-01' });
    await ship().expect(201);
    await settle(t);
    const gql = await request(t.http).post('/graphql').set('X-API-Key', KEYS.auditor).send({ query: `{ handsetOrders(customerId: "${customerId}") }` }).expect(200);
    expect(gql.body.data.handsetOrders).toMatchObject({ total: 1, items: [{ orderId, status: 'shipped', shipmentRef: 'COL-0001', shippedOn: '2026-10-01' }] });
    // Not chased like a service invoice (no overdue, no suspension signal for it).
    const dueKinds = await t.runtime.pool.query(`SELECT kind FROM due_actions WHERE aggregate_id = $1`, [handsetInvoiceId]);
    expect(dueKinds.rows).toEqual([]);
  });

  it('BIL-04 PRV-01 the mandate IBAN is encrypted in its event (bank_details of the customer), masked in the read model, revealed in the access export and erased with its key', async () => {
    const IBAN = 'FR7630006000011234567890189';
    const raw = await t.runtime.pool.query(`SELECT type, data::text AS data, data AS json FROM es_events WHERE stream_id = $1 ORDER BY revision`, [`billingcustomer-${customerId}`]);
    expect(raw.rows.map((r) => r.type)).toEqual(['SepaMandateSigned']);
    for (const clear of [IBAN, '30006000011234567890189', '3000 6000']) expect(raw.rows[0].data).not.toContain(clear);
    expect(raw.rows[0].json).toMatchObject({ ibanMasked: 'FR76 **** **** 0189', iban: { $pii: 1, subject: `customer-${customerId}`, category: 'bank_details' } });
    const mandates = await request(t.http).get(`/billing/customers/${customerId}/mandates`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(mandates.body).toEqual([expect.objectContaining({ mandateId: 'RUM-MARTIN-001', ibanMasked: 'FR76 **** **** 0189', ibanErased: false, status: 'active' })]);
    // An invalid IBAN is refused before anything is encrypted or appended.
    const before = await eventCount();
    const bad = await request(t.http).post(`/billing/customers/${customerId}/mandates`).set('X-API-Key', KEYS.support).send({ mandateId: 'RUM-BAD', iban: 'FR7630006000011234567890188', signedOn: '2026-09-01' }).expect(422);
    expect(bad.body).toMatchObject({ code: 'invalid_iban', errors: [{ field: 'iban', rule: 'BIL-04' }] });
    expect(await eventCount()).toBe(before);

    // PRV-04 access: the customer's data lists the mandate and reveals the IBAN from the mandate's event.
    const subject = `customer-${customerId}`;
    const access = await request(t.http).get(`/privacy/subjects/${subject}/data`).set('X-API-Key', KEYS.support).expect(200);
    expect(access.body.data.records).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'billing.billing_mandates', category: 'bank_details', data: expect.objectContaining({ ibanMasked: 'FR76 **** **** 0189' }) })]));
    const signed = access.body.data.events.find((e: { type: string }) => e.type === 'SepaMandateSigned');
    expect(signed.data.iban).toEqual({ $pii: 'bank_details', value: IBAN });

    // Erasure of the customer's data: the key is shredded, the read model keeps no trace of the account.
    const received = await request(t.http).post('/privacy/requests').set('X-API-Key', KEYS.system).send({ subjectId: subject, type: 'erasure', channel: 'email' }).expect(201);
    const fulfilled = await request(t.http).post(`/privacy/requests/${received.body.requestId}/fulfil`).set('X-API-Key', KEYS.support).send({}).expect(200);
    expect(fulfilled.body.outcome.erased).toEqual(expect.arrayContaining(['bank_details']));
    await settle(t);
    const erased = await request(t.http).get(`/billing/customers/${customerId}/mandates`).set('X-API-Key', KEYS.auditor).expect(200);
    expect(erased.body).toEqual([expect.objectContaining({ mandateId: 'RUM-MARTIN-001', ibanMasked: null, ibanErased: true })]);
    expect(await t.app.get(PiiVault).revealDeep(raw.rows[0].json.iban)).toEqual({ $erased: true, category: 'bank_details' });
  });
});

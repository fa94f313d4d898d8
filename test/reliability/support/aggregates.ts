import { randomUUID } from 'node:crypto';
import { newId } from '@oksio/kernel';
import { WorkerService, type CommandContext } from '../../../libs/platform/src';
import { subscriptionDecider, subscriptionStream, type SubscriptionCommand } from '../../../libs/subscription/src';
import { issueRio } from '../../../libs/portability/src/domain';
import { lastMessage, linkToken, smsCode, registration, usePasswordCost, login } from '../../../libs/privacy/src/testing/portal';
import { settle } from '../../support/app';
import { call, type ListeningApp, type Reply, type RoleKey } from './api';
import type { RestRoute } from './routes';

/**
 * One aggregate of every kind a REST command addresses, made through the API (the Subscription
 * contracts through their decider, as the other suites do), and a valid request for every command
 * route over them. The route list is not here: it is discovered from the application
 * (`restRoutes`); a discovered route this file gives no body for gets `{}`, which fails the test
 * that uses it (400 instead of the expected answer) — a new route cannot slip through unnoticed.
 */

/** A valid ICCID (89…, Luhn) from digits. */
export function iccid(body: string): string {
  const digits = `89${body}`.padEnd(18, '0').slice(0, 18);
  for (let check = 0; check <= 9; check++) {
    const s = digits + check;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let d = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

export interface World {
  customerId: string;
  signatoryId: string;
  technicalId: string;
  dataSub: string;
  mobileSub: string;
  ticketId: string;
  portingId: string;
  /** The number asked for by the inbound porting case (the donor's). */
  portedMsisdn: string;
  /** A number OKSIO serves (assigned to line-2 of the MOBILE contract). */
  ownedMsisdn: string;
  fixedMandateId: string;
  orderId: string;
  invoiceId: string;
  paymentId: string;
  disputeId: string;
  sepaMandateId: string;
  subjectId: string;
  requestId: string;
  retentionCategory: string;
  legalHoldKind: string;
  accountId: string;
  session: string;
}

const CLOCK = '2026-03-02T09:00:00Z';
const TODAY = '2026-03-02';

async function must(reply: Promise<Reply>, status: number, what: string): Promise<Reply> {
  const r = await reply;
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 400)}`);
  return r;
}

export async function buildWorld(t: ListeningApp): Promise<World> {
  const post = (path: string, body: unknown, role: RoleKey = 'admin', headers: Record<string, string> = {}) => call(t.baseUrl, { method: 'POST', path, role, body, headers });
  const get = (path: string, role: RoleKey = 'admin') => call(t.baseUrl, { method: 'GET', path, role });
  await must(post('/admin/clock', { instant: CLOCK }), 200, 'clock');
  await usePasswordCost(t, 4);

  const customerId = randomUUID();
  await must(
    post('/customers', {
      customerId,
      companyName: 'If-Match SAS',
      siret: '73282932000074',
      billingAddress: { line1: '8 rue de la Fiabilité', postalCode: '69002', city: 'Lyon', country: 'FR' },
      contacts: [
        { role: 'signatory', authorisedForSupport: true, name: 'Claire Durand', email: 'claire@example.fr', phone: '0612345678' },
        { role: 'technical', authorisedForSupport: false, name: 'Paul Petit', email: 'paul@example.fr', phone: '0698765432' },
      ],
    }),
    201,
    'customer',
  );

  // Contracts through the decider (PlaceOrder … SignSubscription), as the portability suite does.
  const ctx = (): CommandContext => ({ actor: { id: 'test-setup', role: 'system' }, correlationId: newId(), causationId: null, commandId: newId(), reason: null });
  const now = t.runtime.clock.now();
  const contract = async (service: 'DATA' | 'MOBILE', items: string[]) => {
    const id = newId();
    const run = (command: SubscriptionCommand) => t.runtime.repository.execute(subscriptionDecider, subscriptionStream(id), command, ctx(), now);
    await run({ type: 'PlaceOrder', subscriptionId: id, customerId, service, items: items.map((itemId) => ({ itemId, label: itemId })), quoteDate: '2026-02-20', orderAmount: '100.00' });
    await run({ type: 'RecordFeasibilityResult', feasible: true, studyReference: 'EF-1' });
    await run({ type: 'SignSubscription', signedOn: TODAY });
    return id;
  };
  const dataSub = await contract('DATA', ['site-lyon', 'site-paris']);
  const mobileSub = await contract('MOBILE', ['line-1', 'line-2', 'line-3', 'line-4']);
  await settle(t);
  const contacts = (await must(get(`/customers/${customerId}`), 200, 'customer read')).body.contacts as Array<{ contactId: string; role: string }>;
  const signatoryId = contacts.find((c) => c.role === 'signatory')!.contactId;
  const technicalId = contacts.find((c) => c.role === 'technical')!.contactId;

  const ticketId = (await must(post('/tickets/calls', { customerId, callerContactId: signatoryId, impactedSiteIds: ['site-lyon'] }, 'support'), 201, 'ticket')).body.ticketId;

  const portedMsisdn = '0612345601';
  const portingId = (
    await must(
      post('/porting', {
        customerId,
        subscriptionId: mobileSub,
        lineId: 'line-1',
        msisdn: portedMsisdn,
        rio: issueRio('02', `donor-${portedMsisdn}`, portedMsisdn),
        holder: { kind: 'customer' },
        simNumber: iccid('3315031900000001'),
      }),
      201,
      'porting',
    )
  ).body.portingId;
  await must(post(`/porting/${portingId}/porting-form`, { documentId: 'form-1', portingDate: '2026-04-15' }), 200, 'porting form');
  const ownedMsisdn = '0612345699';
  await must(post('/numbers', { msisdn: ownedMsisdn, subscriptionId: mobileSub, lineId: 'line-2', simNumber: iccid('3315031900000002') }), 201, 'number');

  const fixedMandateId = newId();
  await must(post('/fixed-line-mandates', fixedMandateBody(customerId, dataSub, fixedMandateId)), 201, 'fixed-line mandate');

  const sepaMandateId = 'RUM-IFMATCH-001';
  await must(post(`/billing/customers/${customerId}/mandates`, { mandateId: sepaMandateId, iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', signedOn: TODAY }), 201, 'SEPA mandate');
  await settle(t);
  const order = (await must(post('/billing/handset-orders', { subscriptionId: mobileSub, lines: [{ model: 'Fairphone 5', label: 'Smartphone', quantity: 1, unitPrice: '449.00' }] }), 201, 'handset order')).body;
  await settle(t);
  const paymentId = (await must(post(`/billing/invoices/${order.invoiceId}/payments`, { amount: '10.00', receivedOn: TODAY, method: 'bank_transfer' }, 'system'), 201, 'payment')).body.paymentId;
  const disputeId = (
    await must(post(`/billing/invoices/${order.invoiceId}/disputes`, { channel: 'registered_letter_with_ack', lrarReceivedOn: TODAY, reasons: 'Montant contesté', amount: '1.00' }), 201, 'dispute')
  ).body.disputeId;

  const subjectId = `contact-${randomUUID()}`;
  await must(post(`/privacy/subjects/${subjectId}/facts`, { kind: 'data_collected', category: 'marketing', source: 'if-match-test' }), 201, 'subject');
  const requestId = (await must(post('/privacy/requests', { subjectId, type: 'access', channel: 'email' }), 201, 'data-subject request')).body.requestId;
  const retentionCategory = (await must(get('/privacy/retention-policies'), 200, 'policies')).body[0].category;
  const legalHoldKind = (await must(get('/privacy/legal-holds'), 200, 'legal holds')).body[0].kind;

  const account = await activeAccount(t, customerId);
  await settle(t);
  await runScheduler(t);
  return {
    customerId,
    signatoryId,
    technicalId,
    dataSub,
    mobileSub,
    ticketId,
    portingId,
    portedMsisdn,
    ownedMsisdn,
    fixedMandateId,
    orderId: order.orderId,
    invoiceId: order.invoiceId,
    paymentId,
    disputeId,
    sepaMandateId,
    subjectId,
    requestId,
    retentionCategory,
    legalHoldKind,
    accountId: account.accountId,
    session: account.session,
  };
}

/** Registers a portal account, activates it through both channels and logs in (the outbox plays the gateways). */
async function activeAccount(t: ListeningApp, customerId: string): Promise<{ accountId: string; session: string }> {
  const body = registration({ customerId, services: ['DATA', 'HOSTED_PBX'] });
  const { accountId } = (await must(call(t.baseUrl, { method: 'POST', path: '/portal/registrations', role: 'system', body }), 201, 'portal registration')).body;
  const code = smsCode(await lastMessage(t, { accountId, channel: 'sms' }));
  await must(call(t.baseUrl, { method: 'POST', path: `/portal/registrations/${accountId}/confirm-sms`, role: 'system', body: { code } }), 200, 'portal sms');
  const token = linkToken(await lastMessage(t, { accountId, channel: 'email' }));
  await must(call(t.baseUrl, { method: 'POST', path: '/portal/activation-links/confirm', role: 'system', body: { token } }), 200, 'portal link');
  const session = (await login(t, body.email as string).expect(201)).body.sessionToken as string;
  return { accountId, session };
}

/** Runs what is due now, so that the scheduler writes nothing while a test counts events. */
export async function runScheduler(t: ListeningApp): Promise<void> {
  await settle(t);
  for (let i = 0; i < 100; i++) {
    await t.app.get(WorkerService).scheduler.tick();
    const { rows } = await t.runtime.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM due_actions WHERE status = 'pending' AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= now())`,
      [t.runtime.clock.now()],
    );
    if (rows[0].n === 0) break;
  }
  await settle(t);
}

function fixedMandateBody(customerId: string, subscriptionId: string, mandateId?: string) {
  return {
    ...(mandateId ? { mandateId } : {}),
    customerId,
    subscriptionId,
    lineId: 'site-lyon',
    service: 'FIXED_SIP',
    localLoopOperator: 'Orange',
    accessKind: 'existing_line',
    ndi: '0145678901',
    holderKind: 'customer',
    mandateDocumentId: 'mandate-doc-1',
    signedOn: TODAY,
    accessFacts: { orangeInternalPost: false, groupHeadLine: false, pendingOperation: 'none', temporaryAccess: false, cabinOrPayphone: false, siteNumerisOffers: [] },
  };
}

export interface RouteRequest {
  path: string;
  body?: unknown;
  raw?: string;
  headers: Record<string, string>;
  role: RoleKey;
}

/** Path parameters by name, from the world. */
function pathValues(w: World): Record<string, string> {
  return {
    customerId: w.customerId,
    contactId: w.technicalId,
    subscriptionId: w.dataSub,
    ticketId: w.ticketId,
    portingId: w.portingId,
    mandateId: w.fixedMandateId,
    invoiceId: w.invoiceId,
    paymentId: w.paymentId,
    disputeId: w.disputeId,
    orderId: w.orderId,
    subjectId: w.subjectId,
    requestId: w.requestId,
    accountId: w.accountId,
    category: w.retentionCategory,
    kind: w.legalHoldKind,
    purpose: 'newsletter',
    key: 'portal.session_inactivity',
    userId: randomUUID(),
    fileId: 'extensions',
    messageId: randomUUID(),
    name: 'customers',
  };
}

/** Path parameters a route needs differently from the rest (the contract kind a command is for). */
const PATH_OVERRIDES: Record<string, (w: World) => Record<string, string>> = {
  'POST /billing/accounts/:subscriptionId/charges': (w) => ({ subscriptionId: w.mobileSub }),
  'POST /billing/accounts/:subscriptionId/options': (w) => ({ subscriptionId: w.mobileSub }),
  'POST /billing/customers/:customerId/mandates/:mandateId/revocation': (w) => ({ mandateId: w.sepaMandateId }),
};

/** A body the route's validation accepts, on the world's aggregates. */
function bodies(w: World): Record<string, unknown> {
  const lineDate = '2026-03-10';
  return {
    'POST /admin/clock': { instant: CLOCK },
    'POST /billing/accounts/:subscriptionId/charges': { code: 'FEE:SIM_SWAP', quantity: 1, occurredOn: lineDate },
    'POST /billing/accounts/:subscriptionId/options': { optionId: 'sda-1', code: 'OPTION:SDA_BLOCK_10', quantity: 1, effectiveOn: '2026-04-01' },
    'POST /billing/catalogue/prices': { code: 'MONTHLY:MOBILE:DEFAULT', price: '21.90', effectiveFrom: '2026-09-01' },
    'POST /billing/customers/:customerId/mandates': { mandateId: 'RUM-IFMATCH-002', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', signedOn: TODAY },
    'POST /billing/customers/:customerId/mandates/:mandateId/revocation': { reason: 'Client request' },
    'POST /billing/disputes/:disputeId/documents': { receivedOn: TODAY },
    'POST /billing/disputes/:disputeId/resolution': { outcome: 'rejected' },
    'POST /billing/handset-orders': { subscriptionId: w.mobileSub, lines: [{ model: 'Fairphone 5', label: 'Smartphone', quantity: 1, unitPrice: '449.00' }] },
    'POST /billing/handset-orders/:orderId/shipment': { shipmentRef: 'COL-1', shippedOn: TODAY },
    'POST /billing/invoices/:invoiceId/credits': { amountHT: '5.00', reason: 'Geste commercial' },
    'POST /billing/invoices/:invoiceId/disputes': { channel: 'registered_letter_with_ack', lrarReceivedOn: TODAY, reasons: 'Deuxième contestation', amount: '1.00' },
    'POST /billing/invoices/:invoiceId/late-interest': { asOf: TODAY },
    'POST /billing/invoices/:invoiceId/payments': { amount: '1.00', receivedOn: TODAY, method: 'bank_transfer' },
    'POST /billing/legal-interest-rates': { halfYear: '2026-H2', rate: '2.41' },
    'POST /billing/payments/:paymentId/rejection': { rejectedOn: TODAY, reason: 'AM04 insufficient funds' },
    'POST /billing/runs': { month: '2026-02' },
    'POST /customers': {
      companyName: 'Autre SAS',
      siret: '73282932000074',
      billingAddress: { line1: '1 rue A', postalCode: '75001', city: 'Paris', country: 'FR' },
      contacts: [{ role: 'signatory', authorisedForSupport: true, name: 'Anne Autre', email: 'anne@example.fr', phone: '0612345678' }],
    },
    'POST /customers/:customerId/contacts': { role: 'billing', authorisedForSupport: false, name: 'Luc Compta', email: 'luc@example.fr', phone: '0612345678' },
    'POST /fixed-line-mandates': fixedMandateBody(w.customerId, w.dataSub),
    'POST /fixed-line-mandates/:mandateId/ndi-change-notices': { noticeId: 'notice-1', newNdi: '0145678902', notifiedOn: TODAY, effectiveOn: '2026-05-01' },
    'POST /fixed-line-mandates/:mandateId/obl-acceptance': { acceptedOn: TODAY },
    'POST /fixed-line-mandates/:mandateId/obl-rejection': { reason: 'Ligne inconnue', rejectedOn: TODAY },
    'POST /fixed-line-mandates/:mandateId/submit': { on: TODAY },
    'PUT /non-payment/policy': { serviceSuspension: 'manual', deliveriesSuspension: 'manual', reason: 'If-Match test' },
    'POST /numbers': { msisdn: '0612345698', subscriptionId: w.mobileSub, lineId: 'line-4', simNumber: iccid('3315031900000004') },
    'POST /portal/accounts/:accountId/block': { reason: 'client_request', writtenRequestReference: 'LRAR 1' },
    'POST /portal/accounts/:accountId/close': { writtenRequestReference: 'Courrier du 02/03/2026' },
    'POST /portal/activation-links/confirm': { token: `${randomUUID()}.${'a'.repeat(43)}` },
    'POST /portal/invitations/accept': { token: `${randomUUID()}.${'a'.repeat(43)}`, password: 'Correct horse 42!' },
    'POST /portal/me/address-changes': { kind: 'email', email: 'nouvelle@example.fr', effectiveOn: '2026-04-15' },
    'POST /portal/me/delegations': { name: 'Cabinet Leroy', email: 'compta@leroy.example' },
    'PATCH /portal/me/delegations/:userId': { expiresAt: '2027-06-30T22:00:00Z' },
    'PUT /portal/me/e-correspondence': { optIn: true },
    'POST /portal/me/pbx/administrator': { name: 'Admin Standard', email: 'admin@example.fr' },
    'PUT /portal/me/pbx/files/:fileId': { content: { extension: '201', forwardTo: '0612345678' } },
    'POST /portal/me/pbx/users': { name: 'Utilisateur Standard', email: 'user@example.fr', access: 'internal' },
    'POST /portal/me/terms': { version: '2026-02-10' },
    'POST /portal/registrations': registration({ customerId: w.customerId }),
    'POST /portal/registrations/:accountId/confirm-sms': { code: '000000' },
    'POST /portal/registrations/:accountId/resend': { channel: 'sms' },
    'POST /portal/sessions': { login: 'nobody@example.fr', password: 'Correct horse 42!' },
    'PUT /portal/settings/:key': { value: 'PT20M' },
    'POST /portal/terms': { version: '2027-01-01', title: 'Conditions 2027' },
    'POST /porting': {
      customerId: w.customerId,
      subscriptionId: w.mobileSub,
      lineId: 'line-3',
      msisdn: '0612345603',
      holder: { kind: 'customer' },
      simNumber: iccid('3315031900000003'),
    },
    'POST /porting/port-out': { msisdn: w.ownedMsisdn, rio: '38E123456ABC', recipientOperatorCode: '02', plannedPortingDate: '2026-04-01' },
    'POST /porting/:portingId/documents': { kind: 'previous_contracts', documentId: 'doc-1' },
    'POST /porting/:portingId/donor-acceptance': { answeredOn: TODAY },
    'POST /porting/:portingId/donor-refusal': { reasonCode: 'other', reason: 'Refus', answeredOn: TODAY },
    'POST /porting/:portingId/eligibility': { numberStatusOnPortingDay: 'active' },
    'POST /porting/:portingId/execute': {},
    'POST /porting/:portingId/failure': { cause: 'other_operator', detail: 'Incident opérateur' },
    'POST /porting/:portingId/holder-mandate': { mandateDocumentId: 'mandate-1' },
    'POST /porting/:portingId/new-number': { msisdn: '0712345678', simNumber: iccid('3315031900000005') },
    'POST /porting/:portingId/port-out/cancel': { reason: 'Annulation' },
    'POST /porting/:portingId/port-out/confirm': { portedOn: '2026-04-01' },
    'POST /porting/:portingId/porting-form': { documentId: 'form-2', portingDate: '2026-04-20' },
    'POST /porting/:portingId/previous-contract-end': { endsOn: '2026-12-31' },
    'POST /porting/:portingId/rio': { rio: issueRio('02', `donor-${w.portedMsisdn}`, w.portedMsisdn) },
    'POST /porting/:portingId/service-restored': { restoredAt: '2026-04-15T10:00:00Z' },
    'PUT /privacy/legal-holds/:kind': { period: 'P10Y', categories: ['financial'], description: 'If-Match test' },
    'POST /privacy/requests': { subjectId: w.subjectId, type: 'access', channel: 'post' },
    'POST /privacy/requests/:requestId/extend': { months: 2, reason: 'Demande complexe' },
    'POST /privacy/requests/:requestId/fulfil': { format: 'json' },
    'POST /privacy/requests/:requestId/refuse': { reason: 'Identité non prouvée' },
    'PUT /privacy/retention-policies/:category': { legalBasis: ['contract'], anchor: 'relationship_end', activePeriod: 'P5Y', extendWhileUnpaidDebt: false, description: 'If-Match test' },
    'POST /privacy/subjects/:subjectId/consents': { purpose: 'newsletter', source: 'web_form' },
    'POST /privacy/subjects/:subjectId/consents/:purpose/withdraw': { source: 'web_form' },
    'PUT /privacy/subjects/:subjectId/directory': { listed: false, hideFullAddress: true, noMarketingUse: true, source: 'web_form' },
    'POST /privacy/subjects/:subjectId/facts': { kind: 'data_collected', category: 'marketing', source: 'if-match-test' },
    'POST /privacy/subjects/:subjectId/restrictions/lift': { categories: ['marketing'], reason: 'Litige clos' },
    'POST /rio': { msisdn: w.ownedMsisdn, simNumber: iccid('3315031900000002'), siret: '73282932000074' },
    'POST /rio/check': { rio: '02E123456TZE', msisdn: '0612345678' },
    'POST /subscriptions': { customerId: w.customerId, service: 'DATA', items: [{ itemId: 'site-nantes', label: 'Nantes' }], quoteDate: '2026-02-20', orderAmount: '100.00' },
    'POST /subscriptions/:subscriptionId/activate': { activatedOn: lineDate },
    'POST /subscriptions/:subscriptionId/capacity-changes': { itemId: 'site-lyon', change: 'speed', from: '4M', to: '8M', changedOn: lineDate },
    'POST /subscriptions/:subscriptionId/data-changes': { itemId: 'site-lyon', kind: 'address', channel: 'electronic', details: 'Nouvelle adresse' },
    'POST /subscriptions/:subscriptionId/data-changes/complete': { changeId: 'change-1', changedOn: lineDate },
    'POST /subscriptions/:subscriptionId/data-changes/feasibility': { changeId: 'change-1', feasible: true },
    'POST /subscriptions/:subscriptionId/deadlines/passed': { key: 'deadline-1' },
    'POST /subscriptions/:subscriptionId/deliveries/suspend': { invoiceRef: 'FA2026-000001', invoiceDueOn: '2026-02-01' },
    'POST /subscriptions/:subscriptionId/equipment-modifications': { channel: 'electronic', description: 'Changer le routeur' },
    'POST /subscriptions/:subscriptionId/equipment-modifications/answer': { requestId: 'request-1', approved: true },
    'POST /subscriptions/:subscriptionId/feasibility': { feasible: true },
    'POST /subscriptions/:subscriptionId/guarantee/answer': { provided: true },
    'POST /subscriptions/:subscriptionId/guarantee/request': { insolvencyRiskReason: 'Retards de paiement' },
    'POST /subscriptions/:subscriptionId/lines/activate': { lineId: 'line-1', simActivatedOn: lineDate },
    'POST /subscriptions/:subscriptionId/lines/info': { lineId: 'line-1', rio: '02E123456TZE' },
    'POST /subscriptions/:subscriptionId/lines/local-loop-ended': { lineId: 'site-lyon', endedOn: lineDate, change: 'cancelled' },
    'POST /subscriptions/:subscriptionId/lines/port-out': { lineId: 'line-1', portingId: w.portingId, portedOn: lineDate },
    'POST /subscriptions/:subscriptionId/order/cancel-by-client': { withOksioWrittenAgreement: false },
    'POST /subscriptions/:subscriptionId/plan-migrations': { itemId: 'site-lyon', targetPlan: 'FIBRE-1G', targetRange: 'DATA', requestedOn: lineDate },
    'POST /subscriptions/:subscriptionId/plan-migrations/answer': { migrationId: 'migration-1', outcome: 'accepted', plannedOn: '2026-04-01' },
    'POST /subscriptions/:subscriptionId/plan-migrations/cancel': { migrationId: 'migration-1' },
    'POST /subscriptions/:subscriptionId/plan-migrations/complete': { migrationId: 'migration-1', migratedOn: '2026-04-01', speedChanged: true },
    'POST /subscriptions/:subscriptionId/renewals': { periodLastDay: '2029-03-01' },
    'POST /subscriptions/:subscriptionId/saturations': { itemId: 'site-lyon', triggeredOn: lineDate },
    'POST /subscriptions/:subscriptionId/saturations/notify-delay': { saturationId: 'saturation-1' },
    'POST /subscriptions/:subscriptionId/sign': { signedOn: TODAY },
    'POST /subscriptions/:subscriptionId/sip-rate-change-notices': { noticeOn: TODAY, effectiveOn: '2027-01-01', description: 'Nouveaux tarifs' },
    'POST /subscriptions/:subscriptionId/software-withdrawal': { serviceEndsOn: '2027-01-01' },
    'POST /subscriptions/:subscriptionId/suspensions': { reason: 'legal_obligation', scope: 'full' },
    'POST /subscriptions/:subscriptionId/suspensions/lift': { suspensionId: 'suspension-1' },
    'POST /subscriptions/:subscriptionId/suspensions/lost-or-stolen-sim': { lineId: 'line-1', kind: 'lost', factsOn: TODAY },
    'POST /subscriptions/:subscriptionId/suspensions/lost-or-stolen-sim/confirm': { suspensionId: 'suspension-1', lrarReceivedOn: TODAY, policeReportEnclosed: false },
    'POST /subscriptions/:subscriptionId/tariff-change-notices': { noticeOn: TODAY, effectiveOn: '2026-06-01', description: 'Hausse' },
    'POST /subscriptions/:subscriptionId/termination-notices': { from: 'client', channel: 'registered_letter_with_ack', lrarReceivedOn: TODAY },
    'POST /subscriptions/:subscriptionId/terminations/apply': { endsOn: '2026-06-01' },
    'POST /subscriptions/:subscriptionId/terminations/force-majeure': { by: 'client' },
    'POST /subscriptions/:subscriptionId/terminations/immediate': { reason: 'client_breach', details: 'Manquement grave' },
    'POST /subscriptions/:subscriptionId/terminations/non-payment': { invoiceRef: 'FA2026-000001', invoiceDueOn: '2026-01-01', lrarReceivedOn: TODAY },
    'POST /subscriptions/:subscriptionId/terms-change-notices': { noticeOn: TODAY, effectiveOn: '2026-06-01', termsVersion: 'CG-2026.2', description: 'Nouvelles CG' },
    'POST /tickets/calls': { customerId: w.customerId, callerContactId: w.signatoryId, impactedSiteIds: ['site-lyon'] },
    'PUT /tickets/links/:subscriptionId/terms': { guaranteedLink: true, monthlyFee: '450.00' },
    'POST /tickets/:ticketId/classification': { totalUnavailability: true, attributableToNetworkOnly: true },
    'POST /tickets/:ticketId/closure': { clientInformedVia: 'email' },
    'POST /tickets/:ticketId/confirmation': { contactId: w.signatoryId },
    'POST /tickets/:ticketId/exclusion': { cause: 'force_majeure' },
    'POST /tickets/:ticketId/expertise-outcome': { justified: true },
    'POST /tickets/:ticketId/expertise-requests': { requestedByContactId: w.signatoryId },
    'POST /tickets/:ticketId/open': {
      notifiedAt: CLOCK,
      declaredByContactId: w.signatoryId,
      serviceType: 'DATA',
      subscriptionId: w.dataSub,
      description: 'Lien coupé',
      location: 'Lyon',
      consequences: 'Agence sans internet',
    },
    'POST /tickets/:ticketId/penalty-requests': { requestedByContactId: w.signatoryId },
    'POST /tickets/:ticketId/reopen': { requestedByContactId: w.signatoryId, reason: 'Toujours en panne' },
    'POST /tickets/:ticketId/restoration': { via: 'email' },
    'POST /tickets/:ticketId/site-access-obtained': {},
    'POST /tickets/:ticketId/site-access-requests': { siteId: 'site-lyon' },
    'POST /tickets/:ticketId/unjustified': { finding: 'abnormal_use' },
  };
}

/** A CDR document the import parses (rated or rejected: either way the batch is recorded). */
const CDRS = JSON.stringify([{ callId: 'call-1', subscriptionId: randomUUID(), lineId: 'line-1', caller: '0145678901', called: '0612345678', startedAt: '2026-03-01T10:00:00Z', durationSeconds: 60 }]);

const routeKey = (route: Pick<RestRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** The request of a route on the world: path filled, a valid body, the portal session when the route needs one, a role it allows. */
export function requestFor(route: RestRoute, w: World): RouteRequest {
  const key = routeKey(route);
  const values = { ...pathValues(w), ...(PATH_OVERRIDES[key]?.(w) ?? {}) };
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(values[name] ?? randomUUID()));
  const headers: Record<string, string> = route.path.startsWith('/portal/me') || route.path === '/portal/sessions/current' ? { 'X-Portal-Session': w.session } : {};
  const role: RoleKey = route.access.kind === 'roles' ? (route.access.roles.includes('admin') ? 'admin' : (route.access.roles[0] as RoleKey)) : 'admin';
  if (key === 'POST /billing/cdrs') return { path: `${path}?format=json`, raw: CDRS, headers: { ...headers, 'Content-Type': 'application/json' }, role };
  const body = bodies(w)[key];
  return { path, body: body ?? (route.method === 'DELETE' ? undefined : {}), headers, role };
}

export { routeKey };

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PiiVault } from '../crypto/pii-vault';
import { dumpTables, findSentinels } from '../testing/cli';
import { travelTo } from '../testing/helpers';
import { PASSWORD, acceptInvitation, activeAccount, login, portal, usePasswordCost } from '../testing/portal';
import { KEYS, settle, startTestApp, type TestApp } from '../../../../test/support/app';

/**
 * No personal data in clear in the event store (PRV-01): every flow that takes personal data is
 * driven with recognisable sentinel values, then `es_events.data` and `es_events.metadata` are
 * scanned as text. To cover a new flow (e.g. porting holder identity, SEPA mandates), add its
 * sentinels to SENTINELS and a `Flow` to FLOWS: the test checks both that the values reached the
 * event store (they are found once the events are decrypted through the vault, so the scan is
 * not vacuous) and that none of them is readable in the raw rows.
 */
const tag = randomUUID().slice(0, 6);
/** A valid French IBAN (ISO 13616 mod 97) whose account number carries the tag: a SEPA mandate sentinel. */
function sentinelIban(account: string): string {
  const bban = `3000400821${account}42`;
  const digits = `${bban}FR00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98 - Number([...digits].reduce((r, d) => (r * 10n + BigInt(d)) % 97n, 0n));
  return `FR${String(check).padStart(2, '0')}${bban}`;
}
const mandateAccount = `00000${tag.toUpperCase()}`;
const SENTINELS = {
  // customer directory (subscription context)
  contactName: `Zéphyrine Quasimodo-${tag}`,
  contactEmail: `zephyrine.${tag}@sentinel-pii.example`,
  contactPhone: '0687654321',
  // customer portal
  holderName: `Anatole Brindezingue-${tag}`,
  holderEmail: `anatole.${tag}@sentinel-pii.example`,
  holderPhone: '0776543210',
  loginIp: '198.51.100.231',
  loginUserAgent: `SentinelBrowser/${tag}`,
  newPostalAddress: `17 impasse des Sentinelles ${tag}`,
  delegateName: `Cunégonde Pamplemousse-${tag}`,
  delegateEmail: `cunegonde.${tag}@sentinel-pii.example`,
  pbxAdminName: `Barnabé Tournesol-${tag}`,
  pbxForwardTo: '0699887766',
  // consents and data-subject requests (privacy context)
  consentEvidence: `formulaire signé par Zéphyrine Quasimodo-${tag}`,
  rectifiedEmail: `zephyrine.rectified.${tag}@sentinel-pii.example`,
  rectifiedIban: 'FR7630006000011234567890189',
  // porting (portability context): a third party holds the donor contract
  portingHolderName: `Hippolyte Bergamote-${tag}`,
  portingHolderPosition: `Gérant de la SCI Sentinelle ${tag}`,
  // incident tickets: the person to keep informed
  keepInformedName: `Philomène Craquelin-${tag}`,
  keepInformedEmail: `philomene.${tag}@sentinel-pii.example`,
  keepInformedPhone: '0145998877',
  // SEPA mandate (billing context): the IBAN, and its account number alone
  mandateIban: sentinelIban(mandateAccount),
  mandateIbanAccount: mandateAccount,
} as const;
type Sentinel = keyof typeof SENTINELS;

interface FlowContext {
  t: TestApp;
  /** Subjects created by earlier flows (e.g. the contact registered by the customer flow). */
  subjects: Record<string, string>;
  /** The customer and its support-authorised contact, registered by the first flow. */
  customerId?: string;
  contactId?: string;
}

interface Flow {
  name: string;
  /** The sentinels this flow hands to the API. */
  sentinels: Sentinel[];
  run(ctx: FlowContext): Promise<void>;
}

const api = (t: TestApp, key: string = KEYS.system) => ({
  post: (path: string, body: object) => request(t.http).post(path).set('X-API-Key', key).send(body),
});

const FLOWS: Flow[] = [
  {
    name: 'customer registration with contacts (POST /customers)',
    sentinels: ['contactName', 'contactEmail', 'contactPhone'],
    async run(ctx) {
      const { t, subjects } = ctx;
      const contactId = randomUUID();
      const created = await api(t)
        .post('/customers', {
          companyName: `Sentinel Industries ${tag}`,
          siret: '73282932000074',
          billingAddress: { line1: '1 place de la Bourse', postalCode: '75002', city: 'Paris', country: 'FR' },
          contacts: [{ contactId, role: 'signatory', authorisedForSupport: true, name: SENTINELS.contactName, email: SENTINELS.contactEmail, phone: SENTINELS.contactPhone }],
        })
        .expect(201);
      subjects.contact = `contact-${contactId}`;
      ctx.customerId = created.body.customerId;
      ctx.contactId = contactId;
    },
  },
  {
    name: 'portal registration, activation, login with IP and user agent, address change, delegation',
    sentinels: ['holderName', 'holderEmail', 'holderPhone', 'loginIp', 'loginUserAgent', 'newPostalAddress', 'delegateName', 'delegateEmail'],
    async run({ t }) {
      const a = await activeAccount(t, { name: SENTINELS.holderName, email: SENTINELS.holderEmail, phone: SENTINELS.holderPhone, services: ['DATA'] });
      // A failed and a successful login, both logged with their connection data.
      await login(t, SENTINELS.holderEmail, 'Wrong password 42!', { clientIp: SENTINELS.loginIp, userAgent: SENTINELS.loginUserAgent }).expect(401);
      await login(t, SENTINELS.holderEmail, PASSWORD, { clientIp: SENTINELS.loginIp, userAgent: SENTINELS.loginUserAgent }).expect(201);
      const p = portal(t, a.session);
      await p
        .post('/portal/me/address-changes', { kind: 'postal', postalAddress: { line1: SENTINELS.newPostalAddress, postalCode: '33000', city: 'Bordeaux', country: 'FR' }, effectiveOn: '2026-06-01' })
        .expect(201);
      const { userId } = (await p.post('/portal/me/delegations', { name: SENTINELS.delegateName, email: SENTINELS.delegateEmail }).expect(201)).body;
      await acceptInvitation(t, userId, SENTINELS.delegateEmail);
    },
  },
  {
    name: 'hosted PBX: administrator designated, PBX file updated',
    sentinels: ['pbxAdminName', 'pbxForwardTo'],
    async run({ t }) {
      const client = await activeAccount(t, { services: ['HOSTED_PBX'] });
      const adminEmail = `pbx.admin.${tag}@example.fr`;
      const designated = await portal(t, client.session).post('/portal/me/pbx/administrator', { name: SENTINELS.pbxAdminName, email: adminEmail }).expect(201);
      const admin = portal(t, await acceptInvitation(t, designated.body.userId, adminEmail));
      await admin.put('/portal/me/pbx/files/reception', { content: { extension: '201', forwardTo: SENTINELS.pbxForwardTo } }).expect(200);
    },
  },
  {
    name: 'consent with proof (POST /privacy/subjects/{id}/consents)',
    sentinels: ['consentEvidence'],
    async run({ t, subjects }) {
      await api(t).post(`/privacy/subjects/${subjects.contact}/consents`, { purpose: 'prospecting_email', source: 'web_form', evidence: SENTINELS.consentEvidence }).expect(201);
    },
  },
  {
    name: 'data-subject request with rectification, fulfilled (POST /privacy/requests)',
    sentinels: ['rectifiedEmail', 'rectifiedIban'],
    async run({ t, subjects }) {
      const received = await api(t)
        .post('/privacy/requests', {
          subjectId: subjects.contact,
          type: 'rectification',
          channel: 'email',
          corrections: [
            { category: 'identity_contact', field: 'email', value: SENTINELS.rectifiedEmail },
            { category: 'bank_details', field: 'iban', value: SENTINELS.rectifiedIban },
          ],
        })
        .expect(201);
      await api(t, KEYS.support).post(`/privacy/requests/${received.body.requestId}/fulfil`, {}).expect(200);
    },
  },
  {
    name: 'inbound porting with a third-party holder (POST /porting)',
    sentinels: ['portingHolderName', 'portingHolderPosition'],
    async run({ t, customerId }) {
      const subscriptionId = await order(t, customerId!, 'MOBILE', 'line-1');
      await api(t, KEYS.support).post(`/subscriptions/${subscriptionId}/feasibility`, { feasible: true, studyReference: 'EF-PII' }).expect(200);
      await api(t, KEYS.support).post(`/subscriptions/${subscriptionId}/sign`, { signedOn: '2026-05-04' }).expect(200);
      await api(t, KEYS.support)
        .post('/porting', {
          customerId,
          subscriptionId,
          lineId: 'line-1',
          msisdn: '0612345699',
          holder: { kind: 'third_party', name: SENTINELS.portingHolderName, position: SENTINELS.portingHolderPosition },
        })
        .expect(201);
    },
  },
  {
    name: 'incident ticket with a person to keep informed (POST /tickets/{id}/open)',
    sentinels: ['keepInformedName', 'keepInformedEmail', 'keepInformedPhone'],
    async run({ t, customerId, contactId }) {
      const subscriptionId = await order(t, customerId!, 'DATA', 'site-sentinel');
      await settle(t);
      const call = await api(t, KEYS.support).post('/tickets/calls', { customerId, callerContactId: contactId, impactedSiteIds: ['site-sentinel'] }).expect(201);
      await api(t, KEYS.support)
        .post(`/tickets/${call.body.ticketId}/open`, {
          notifiedAt: '2026-05-04T07:30:00Z', // before the test clock (08:00): never 'in the future'
          declaredByContactId: contactId,
          serviceType: 'DATA',
          subscriptionId,
          description: 'Lien coupé',
          location: 'Baie 1',
          consequences: 'Pas d\'accès internet',
          terms: { guaranteedLink: true, monthlyFee: '450.00' },
          keepInformed: { name: SENTINELS.keepInformedName, email: SENTINELS.keepInformedEmail, phone: SENTINELS.keepInformedPhone },
        })
        .expect(201);
    },
  },
  {
    name: 'SEPA mandate registered with the customer\'s IBAN (POST /billing/customers/{id}/mandates)',
    sentinels: ['mandateIban', 'mandateIbanAccount'],
    async run({ t, customerId }) {
      // Typed as on the signed form, in groups of four.
      const typed = SENTINELS.mandateIban.replace(/(.{4})/g, '$1 ').trim();
      const res = await api(t, KEYS.support).post(`/billing/customers/${customerId}/mandates`, { mandateId: `RUM-PII-${tag}`, iban: typed, bic: 'AGRIFRPP', signedOn: '2026-05-04' }).expect(201);
      expect(res.body.ibanMasked).toBe(`${SENTINELS.mandateIban.slice(0, 4)} **** **** ${SENTINELS.mandateIban.slice(-4)}`);
    },
  },
];

/** An order for the customer through the Subscription API; returns the subscription id. */
async function order(t: TestApp, customerId: string, service: 'MOBILE' | 'DATA', itemId: string): Promise<string> {
  const placed = await api(t, KEYS.support)
    .post('/subscriptions', { customerId, service, items: [{ itemId, label: itemId }], quoteDate: '2026-05-01', orderAmount: '100.00' })
    .expect(201);
  return placed.body.subscriptionId as string;
}

describe('No personal data in clear in the event store (PRV-01)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await usePasswordCost(t, 4);
    await travelTo(t, '2026-05-04T08:00:00Z');
  });
  afterAll(async () => t?.close());

  it('PRV-01 flows taking personal data (customers, portal, PBX, consents, requests, porting, incidents, SEPA mandates) store none of it in clear in es_events data or metadata', async () => {
    const ctx: FlowContext = { t, subjects: {} };
    const ran: string[] = [];
    for (const flow of FLOWS) {
      const before = Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);
      await flow.run(ctx);
      const after = Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);
      expect({ flow: flow.name, appended: after > before }).toEqual({ flow: flow.name, appended: true });
      ran.push(flow.name);
    }
    expect(ran).toHaveLength(FLOWS.length);
    // Every sentinel is handed to the API by some flow.
    expect(new Set(FLOWS.flatMap((f) => f.sentinels))).toEqual(new Set(Object.keys(SENTINELS)));
    await settle(t);

    const { rows } = await t.runtime.pool.query<{ stream_id: string; type: string; data: string; metadata: string; raw_data: unknown }>(
      'SELECT stream_id, type, data::text AS data, metadata::text AS metadata, data AS raw_data FROM es_events ORDER BY global_position',
    );
    const raw = new Map<string, string>();
    for (const r of rows) {
      raw.set(`${r.stream_id} ${r.type} data`, r.data);
      raw.set(`${r.stream_id} ${r.type} metadata`, r.metadata);
    }
    // The scan: no sentinel in clear, in any event's data or metadata.
    const values = SENTINELS as unknown as Record<string, string>;
    expect(findSentinels(raw, values)).toEqual([]);
    // Not vacuous: decrypted through the vault, the same events do hold every sentinel.
    const decrypted = JSON.stringify(await t.app.get(PiiVault).revealDeep(rows.map((r) => r.raw_data)));
    const missing = Object.entries(SENTINELS).filter(([, v]) => !decrypted.toLowerCase().includes(v.toLowerCase())).map(([k]) => k);
    expect(missing).toEqual([]);
    // Passwords are not personal data in events, even encrypted, nor anywhere in clear.
    expect(decrypted).not.toContain(PASSWORD);
    expect(findSentinels(await dumpTables(t), { password: PASSWORD })).toEqual([]);
  });
});

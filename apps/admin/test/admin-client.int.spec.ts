import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { newId } from '@oksio/kernel';
import { issueRio } from '@oksio/portability';
import { subscriptionDecider, subscriptionStream, type SubscriptionCommand } from '@oksio/subscription';
import { KEYS, settle, startTestApp, type TestApp } from '../../../test/support/app';
import { ensureAdminBuilt, launchChromium } from './browser';

/**
 * Screenshots of the main screens (1280×800): into .tmp/ by default so a test run leaves the tree
 * clean; `ADMIN_SCREENSHOTS_DIR=docs/admin npx jest apps/admin/test` refreshes the documented ones.
 */
const ROOT = join(__dirname, '..', '..', '..');
const SHOTS = process.env.ADMIN_SCREENSHOTS_DIR ? resolve(ROOT, process.env.ADMIN_SCREENSHOTS_DIR) : join(ROOT, '.tmp', 'admin-screenshots');

const customer = (over: Record<string, unknown> = {}) => ({
  companyName: 'Boulangerie Martin SARL',
  siret: '73282932000074',
  billingAddress: { line1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
  contacts: [
    { role: 'signatory', authorisedForSupport: true, name: 'Jeanne Martin', email: 'jeanne@example.fr', phone: '0612345678' },
    { role: 'technical', authorisedForSupport: true, name: 'Karim Benali', email: 'karim@example.fr', phone: '0698765432' },
  ],
  ...over,
});

describe('Admin client (SPA served at /admin, driven in headless Chromium)', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let customerId: string;
  const eventCount = async () => Number((await t.runtime.pool.query('SELECT count(*) FROM es_events')).rows[0].count);
  const gql = (key: string, query: string, variables: Record<string, unknown> = {}) =>
    request(t.http).post('/graphql').set('X-API-Key', key).send({ query, variables });

  const login = async (key: string) => {
    await page.goto(`${base}/admin/customers`);
    await page.getByLabel("Clé d'API").fill(key);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('navigation', { name: 'Écrans' }));
  };
  const logout = async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await visible(page.getByLabel("Clé d'API"));
  };
  /** The Query fields the running server offers (introspection). */
  const queryFields = async (): Promise<string[]> => {
    const res = await gql(KEYS.admin, '{ __schema { queryType { fields { name } } } }').expect(200);
    return res.body.data.__schema.queryType.fields.map((f: { name: string }) => f.name);
  };
  /** Waits for a locator; on timeout the error carries what the page shows. */
  const visible = async (locator: Locator) => {
    await locator.waitFor().catch(async (error: Error) => {
      throw new Error(`${error.message}\n--- page shows ---\n${await page.locator('body').innerText().catch(() => '?')}`);
    });
    return locator;
  };
  /** Readable on a small laptop: no horizontal scrolling at 1024 px. */
  const fitsLaptop = async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(overflow).toBeLessThanOrEqual(0);
  };
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    ensureAdminBuilt();
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const res = await request(t.http).post('/customers').set('X-API-Key', KEYS.support).set('X-Reason', 'signature%20du%20contrat').send(customer()).expect(201);
    customerId = res.body.customerId;
    await request(t.http).post('/customers').set('X-API-Key', KEYS.support).send(customer({ companyName: 'Martin Transports SAS', siret: '55210055400013' })).expect(201);
    const order = await gql(
      KEYS.support,
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { subscriptionId } }',
      { input: { customerId, service: 'DATA', items: [{ itemId: 'site-paris-2', label: 'SDSL Paris 2e' }], quoteDate: '2026-11-20', orderAmount: '1200.00' } },
    );
    expect(order.body.errors).toBeUndefined();
    await settle(t);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the SPA shell at /admin and its client routes, without shadowing /admin/clock and /admin/projections', async () => {
    const shell = await request(t.http).get('/admin').expect(200);
    expect(shell.headers['content-type']).toMatch(/text\/html/);
    expect(shell.headers['content-security-policy']).toContain("script-src 'self'");
    expect(shell.text).toContain('<div id="app">');
    await request(t.http).get('/admin/').expect(200);
    const deep = await request(t.http).get(`/admin/customers/${customerId}`).expect(200);
    expect(deep.text).toBe(shell.text);
    const asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(shell.text)![1];
    const js = await request(t.http).get(asset).expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    // API routes under /admin stay the API's: authentication, JSON, problem+json.
    const clockAnon = await request(t.http).get('/admin/clock').expect(401);
    expect(clockAnon.headers['content-type']).toMatch(/application\/problem\+json/);
    const clock = await request(t.http).get('/admin/clock').set('X-API-Key', KEYS.admin).expect(200);
    expect(clock.body).toEqual(expect.objectContaining({ now: expect.any(String), frozen: expect.any(Boolean) }));
    await request(t.http).get('/admin/projections').set('X-API-Key', KEYS.support).expect(200);
    await request(t.http).post('/admin/clock').set('X-API-Key', KEYS.support).send({ advance: 'PT1H' }).expect(403);
    // Unknown paths and traversal attempts are not served from the file system.
    const unknown = await request(t.http).get('/admin/not-a-screen').expect(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    await request(t.http).get('/admin/assets/..%2F..%2Fpackage.json').expect(404);
    await request(t.http).get('/admin/assets/missing.js').expect(404);
  });

  it('GraphQL adminSession names the caller; setTestClock is admin-only, validated, and writes no event', async () => {
    const before = await eventCount();
    const session = await gql(KEYS.support, '{ adminSession { actorId role environment now testClockEnabled clockFrozen } }').expect(200);
    expect(session.body.data.adminSession).toEqual(expect.objectContaining({ actorId: 'dev-support', role: 'support', environment: 'test', testClockEnabled: true }));
    const anon = await request(t.http).post('/graphql').send({ query: '{ adminSession { role } }' });
    expect(anon.body.errors[0].extensions).toEqual(expect.objectContaining({ status: 401, code: 'unauthenticated' }));
    const denied = await gql(KEYS.support, 'mutation { setTestClock(advance: "PT1H") { now } }');
    expect(denied.body.errors[0].extensions).toEqual(expect.objectContaining({ status: 403, code: 'forbidden' }));
    const bad = await gql(KEYS.admin, 'mutation { setTestClock(advance: "one month") { now } }');
    expect(bad.body.errors[0].extensions).toEqual(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ field: 'advance' })] }));
    const both = await gql(KEYS.admin, 'mutation { setTestClock(advance: "PT1H", instant: "2031-02-01T08:00:00Z") { now } }');
    expect(both.body.errors[0].extensions.status).toBe(400);
    const naive = await gql(KEYS.admin, 'mutation { setTestClock(instant: "2031-02-01T08:00:00") { now } }');
    expect(naive.body.errors[0].extensions.errors[0].field).toBe('instant');
    const set = await gql(KEYS.admin, 'mutation { setTestClock(instant: "2031-02-03T08:00:00Z", frozen: true) { now frozen offsetMs } }').expect(200);
    expect(set.body.data.setTestClock).toEqual(expect.objectContaining({ now: '2031-02-03T08:00:00.000Z', frozen: true }));
    const advanced = await gql(KEYS.admin, 'mutation { setTestClock(advance: "P1M") { now } }').expect(200);
    expect(advanced.body.data.setTestClock.now).toBe('2031-03-03T08:00:00.000Z');
    expect(await eventCount()).toBe(before);
    await t.runtime.testClock!.reset();
  });

  it('login: a wrong key is refused with the server message; the key lives in memory only', async () => {
    await page.goto(`${base}/admin`);
    await shot('01-login');
    await page.getByLabel("Clé d'API").fill('not-a-key');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const alert = page.getByRole('alert');
    await visible(alert);
    expect(await alert.textContent()).toContain("The API key is not recognised");
    expect(await alert.textContent()).toContain('Authentification refusée');

    await page.getByLabel("Clé d'API").fill(KEYS.system);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await visible(page.getByText('réservée aux rôles support, admin et auditor'));

    await page.getByLabel("Clé d'API").fill(KEYS.support);
    await page.keyboard.press('Enter');
    await visible(page.getByTestId('who'));
    expect(await page.getByTestId('who').textContent()).toBe('dev-support');
    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    expect(stored).not.toContain(KEYS.support);
    expect((await context.cookies()).length).toBe(0);
    // A reload forgets the key.
    await page.reload();
    await visible(page.getByLabel("Clé d'API"));
  });

  it('finds a customer by name and SIRET, opens it with its contracts (or says plainly that the Subscription API is missing)', async () => {
    await login(KEYS.support);
    await page.getByLabel('Raison sociale ou début de SIRET').fill('martin');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    const results = page.getByRole('table');
    await visible(results.getByText('Boulangerie Martin SARL'));
    expect(await results.getByRole('row').count()).toBe(3); // header + 2 customers
    expect(await page.getByText('732 829 320 00074').count()).toBe(1);
    await shot('02-customer-search');

    await page.getByLabel('Raison sociale ou début de SIRET').fill('5521005');
    await page.keyboard.press('Enter');
    await visible(page.getByRole('link', { name: 'Martin Transports SAS' }));
    // Martin Transports was already listed by the previous search: wait for the new results to replace them.
    await page.getByRole('link', { name: 'Boulangerie Martin SARL' }).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.getByRole('link', { name: 'Boulangerie Martin SARL' }).count()).toBe(0);

    await page.getByLabel('Raison sociale ou début de SIRET').fill('martin');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Boulangerie Martin SARL' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Boulangerie Martin SARL' }));
    // Focus moves to the page title for screen readers and keyboard users.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-title');
    await visible(page.getByRole('cell', { name: 'jeanne@example.fr' }));
    expect(page.url()).toBe(`${base}/admin/customers/${customerId}`);
    const subscriptions = page.getByRole('region', { name: 'Abonnements et lignes' });
    if ((await queryFields()).includes('subscriptions')) {
      const row = await visible(subscriptions.getByRole('row', { name: /Data/ }).first());
      expect(await row.textContent()).toContain('SDSL Paris 2e');
      expect(await row.textContent()).toContain('Commandé');
    } else {
      // No Subscription GraphQL API on this server: the screen says so instead of showing anything.
      expect(await (await visible(subscriptions.getByRole('status'))).textContent()).toContain("n'existe pas encore sur ce serveur");
    }
    await shot('03-customer');
    await fitsLaptop();
  });

  it('event timeline: forbidden for support (server message shown), then who/when/why and a verified hash chain for an auditor; a tampered event breaks it', async () => {
    await page.getByRole('link', { name: "Journal d'événements du client" }).click();
    const alert = page.getByRole('alert');
    await visible(alert);
    expect(await alert.textContent()).toContain('Role support may not do this (allowed: auditor, admin)');
    await logout();

    await page.goto(`${base}/admin/events/customer-${customerId}`);
    await page.getByLabel("Clé d'API").fill(KEYS.auditor);
    await page.keyboard.press('Enter');
    const chain = page.getByTestId('chain-check');
    await visible(chain);
    const inStream = Number((await t.runtime.pool.query('SELECT count(*) FROM es_events WHERE stream_id = $1', [`customer-${customerId}`])).rows[0].count);
    expect(await chain.textContent()).toContain(`intègre (${inStream} événement`);
    const timeline = page.getByRole('list', { name: `Événements du flux customer-${customerId}` });
    expect(await timeline.getByRole('listitem').count()).toBe(inStream);
    const first = timeline.getByRole('listitem').first();
    expect(await first.textContent()).toContain('CustomerRegistered');
    expect(await first.textContent()).toContain('dev-support');
    expect(await first.textContent()).toContain('signature du contrat');
    await shot('06-event-timeline');
    await fitsLaptop();

    await t.runtime.pool.query(`UPDATE es_events SET data = jsonb_set(data, '{companyName}', '"Forged SARL"') WHERE stream_id = $1 AND revision = 0`, [`customer-${customerId}`]);
    await page.reload();
    await page.getByLabel("Clé d'API").fill(KEYS.auditor);
    await page.keyboard.press('Enter');
    const broken = page.getByTestId('chain-check');
    await visible(broken);
    expect(await broken.getAttribute('role')).toBe('alert');
    expect(await broken.textContent()).toContain('Chaîne de hachage rompue à la révision 0');
    await shot('07-event-timeline-tampered');
    await logout();
  });

  it('privacy: a data-subject request and the retention of the person, with their French deadlines', async () => {
    const { body } = await gql(KEYS.support, 'query($id: ID!) { customer(customerId: $id) { contacts { contactId name } } }', { id: customerId }).expect(200);
    const jeanne = body.data.customer.contacts.find((c: { name: string }) => c.name === 'Jeanne Martin').contactId;
    const fact = await gql(KEYS.system, 'mutation($s: String!) { recordSubjectFact(subjectId: $s, input: { kind: "data_collected", category: "communications", source: "support-ticket" }) { recorded } }', { s: `contact-${jeanne}` });
    expect(fact.body.errors).toBeUndefined();
    const received = await gql(
      KEYS.system,
      'mutation($input: PrivacyRequestInput!) { receiveDataSubjectRequest(input: $input) { requestId dueAt } }',
      { input: { subjectId: `contact-${jeanne}`, type: 'access', channel: 'email', receivedAt: '2026-03-02T10:00:00+01:00' } },
    ).expect(200);
    expect(received.body.errors).toBeUndefined();
    await settle(t);

    await login(KEYS.support);
    await page.getByRole('link', { name: 'Données personnelles' }).first().click();
    await page.getByLabel('Personne concernée').fill(`contact-${jeanne}`);
    await page.keyboard.press('Enter');
    const requests = page.getByRole('region', { name: /Demandes des personnes concernées/ });
    await visible(requests.getByRole('row', { name: /Accès/ }));
    const row = await requests.getByRole('row', { name: /Accès/ }).textContent();
    expect(row).toContain('2 mars 2026'); // received, Paris time
    expect(row).toContain('2 avr. 2026'); // one month later (PRV-04)
    expect(row).toContain('Ouverte');
    const retention = page.getByRole('region', { name: /Conservation et purges/ });
    await visible(retention.getByRole('table'));
    expect(await retention.getByRole('row').count()).toBeGreaterThan(1);
    await shot('05-privacy');
    await logout();
  });

  it('test clock: an admin travels in time from the browser; business time ticks in the header unless frozen', async () => {
    await login(KEYS.admin);
    await page.getByRole('link', { name: 'Horloge de test' }).click();
    await page.getByLabel("Figer l'horloge à l'instant choisi").check();
    await page.getByLabel('Aller à (heure de Paris)').fill('2031-02-03T09:30');
    await page.getByRole('button', { name: 'Régler' }).click();
    await visible(page.getByText('Horloge de test réglée sur lundi 3 février 2031 à 09:30:00 (figée).'));
    const session = await gql(KEYS.support, '{ adminSession { now clockFrozen } }').expect(200);
    expect(session.body.data.adminSession).toEqual({ now: '2031-02-03T08:30:00.000Z', clockFrozen: true });
    await page.getByRole('button', { name: '+1 jour' }).click();
    await visible(page.getByText('Horloge de test réglée sur mardi 4 février 2031 à 09:30:00 (figée).'));
    expect(await page.getByTestId('server-time').textContent()).toBe('mardi 4 février 2031 à 09:30:00');
    await shot('08-test-clock');

    await page.getByLabel("Figer l'horloge à l'instant choisi").uncheck();
    await page.getByRole('button', { name: '+1 heure' }).click();
    await visible(page.getByText(/Horloge de test réglée sur mardi 4 février 2031 à 10:30:\d\d \(elle avance\)/));
    const first = await page.getByTestId('server-time').getAttribute('datetime');
    await page.waitForFunction((previous) => document.querySelector('[data-testid="server-time"]')?.getAttribute('datetime') !== previous, first, { timeout: 5000 });
    const second = await page.getByTestId('server-time').getAttribute('datetime');
    expect(new Date(second!).getTime()).toBeGreaterThan(new Date(first!).getTime());
    await logout();

    await login(KEYS.support);
    await page.getByRole('link', { name: 'Horloge de test' }).click();
    await visible(page.getByText('Votre rôle (support) peut lire'));
    expect(await page.getByRole('button', { name: 'Régler' }).count()).toBe(0);
    await logout();
    await t.runtime.testClock!.reset();
  });

  it('incidents: open a ticket from the customer, watch its SLA clock tick, freeze and resume it, restore and close; the ticket stream is chained', async () => {
    expect(await queryFields()).toEqual(expect.arrayContaining(['ticketBoard', 'ticket']));
    // Tuesday 4 February 2031, 10:00 in Paris, business time running: the deadline is 4 business hours later (INC-10).
    await gql(KEYS.admin, 'mutation { setTestClock(instant: "2031-02-04T10:00:00+01:00", frozen: false) { now } }').expect(200);
    await login(KEYS.support);
    await page.goto(`${base}/admin/customers/${customerId}`);
    await page.getByLabel("Clé d'API").fill(KEYS.support);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Ouvrir un ticket' }).click();
    const form = await visible(page.getByRole('form', { name: /Ouvrir un ticket/ }));
    await form.getByLabel('Appelant').selectOption({ label: 'Jeanne Martin' });
    await form.getByLabel('Abonnement concerné').selectOption({ index: 1 });
    await form.getByLabel('Site impacté').selectOption('site-paris-2');
    expect(await form.getByLabel('Signalé par le client le').inputValue()).toMatch(/^2031-02-04T10:0\d$/);
    await form.getByLabel('Signalé par le client le').fill('2031-02-04T10:00');
    await form.getByLabel('Description').fill('Lien coupé, aucun trafic');
    await form.getByLabel('Localisation').fill('Paris 2e, baie 1');
    await form.getByLabel('Conséquences').fill('Agence sans accès internet');
    await form.getByLabel('Redevance mensuelle HT').fill('450,00');
    await shot('04-incident-open');
    await form.getByRole('button', { name: 'Ouvrir le ticket' }).click();
    await visible(page.getByRole('heading', { level: 1, name: /Ticket INC-2031-/ }));
    const ticketId = new URL(page.url()).pathname.split('/incidents/')[1];

    await page.getByRole('button', { name: 'Interruption totale (réseau)' }).click();
    const left = await visible(page.getByRole('timer', { name: 'Temps restant avant l’échéance SLA' }));
    expect(await page.getByTestId('clock-status').textContent()).toBe('en cours');
    expect(await page.getByTestId('ticket-clock').textContent()).toContain('échéance 4 févr. 2031, 14:00');
    const first = await left.textContent();
    await page.waitForFunction((previous) => document.querySelector('[role="timer"]')?.textContent !== previous, first, { timeout: 5000 });
    const second = await left.textContent();
    expect(first).toMatch(/^3 h 5\d min \d\d s$/);
    expect(second).not.toBe(first);

    await page.getByRole('link', { name: 'Incidents', exact: true }).click();
    const card = await visible(page.getByRole('listitem').filter({ hasText: /INC-2031-/ }));
    expect(await card.textContent()).toContain('en cours');
    await shot('09-incident-board');
    await card.getByRole('link', { name: /INC-2031-/ }).click();

    await page.getByLabel('Motif (gardé dans le journal)').fill('Technicien attend l’accès à la baie');
    await page.getByRole('button', { name: 'Geler l’horloge (accès au site demandé)' }).click();
    await visible(page.getByRole('button', { name: 'Reprendre l’horloge (accès obtenu)' }));
    expect(await page.getByTestId('clock-status').textContent()).toBe('gelée');
    expect(await page.getByRole('timer').count()).toBe(0);
    expect(await page.getByTestId('ticket-clock').textContent()).toContain('recalculée quand l’accès sera obtenu');
    await shot('10-incident-frozen');
    await fitsLaptop();

    await page.getByLabel('Motif (gardé dans le journal)').fill('');
    await page.getByRole('button', { name: 'Reprendre l’horloge (accès obtenu)' }).click();
    await visible(page.getByRole('timer'));
    expect(await page.getByTestId('clock-status').textContent()).toBe('en cours');
    await page.getByLabel('Client informé par').selectOption('email');
    await page.getByRole('button', { name: 'Rétablir (client prévenu)' }).click();
    await visible(page.getByRole('button', { name: 'Clôturer' }));
    expect(await page.getByTestId('clock-status').textContent()).toBe('arrêtée');
    await page.getByRole('button', { name: 'Clôturer' }).click();
    await visible(page.getByText('Clôturé le'));
    await logout();

    await page.goto(`${base}/admin/events/ticket-${ticketId}`);
    await page.getByLabel("Clé d'API").fill(KEYS.auditor);
    await page.keyboard.press('Enter');
    expect(await (await visible(page.getByTestId('chain-check'))).textContent()).toContain('intègre');
    const timeline = page.getByRole('list', { name: `Événements du flux ticket-${ticketId}` });
    const text = await timeline.textContent();
    expect(text).toContain('Technicien attend l’accès à la baie');
    expect(text).toContain('Accès au site obtenu');
    expect(text).toContain('dev-support');
    expect(await timeline.getByRole('listitem').count()).toBe(Number((await t.runtime.pool.query('SELECT count(*) FROM es_events WHERE stream_id = $1', [`ticket-${ticketId}`])).rows[0].count));
    await logout();
    await t.runtime.testClock!.reset();
  });

  it('porting queue: an inbound porting with its missing documents and POR-01 deadline', async () => {
    await gql(KEYS.admin, 'mutation { setTestClock(instant: "2027-03-02T09:00:00Z", frozen: true) { now } }').expect(200);
    // A signed MOBILE contract for the customer, set up with the Subscription domain's own commands.
    const subscriptionId = newId();
    const ctx = { actor: { id: 'test-setup', role: 'system' as const }, correlationId: newId(), causationId: null, commandId: '', reason: null };
    const run = (command: SubscriptionCommand) =>
      t.runtime.repository.execute(subscriptionDecider, subscriptionStream(subscriptionId), command, { ...ctx, commandId: newId() }, t.runtime.clock.now());
    await run({ type: 'PlaceOrder', subscriptionId, customerId, service: 'MOBILE', items: [{ itemId: 'line-1', label: 'Ligne 1' }], quoteDate: '2027-02-20', orderAmount: '100.00' });
    await run({ type: 'RecordFeasibilityResult', feasible: true, studyReference: 'EF-1' });
    await run({ type: 'SignSubscription', signedOn: '2027-03-02' });
    await settle(t);
    const porting = await gql(
      KEYS.support,
      'mutation($input: InboundPortingInput!) { requestInboundPorting(input: $input) { portingId status } }',
      { input: { customerId, subscriptionId, lineId: 'line-1', msisdn: '0612345601', rio: issueRio('02', 'donor-contract-0612345601', '0612345601'), holder: { kind: 'customer' } } },
    );
    expect(porting.body.errors).toBeUndefined();
    await settle(t);

    await login(KEYS.support);
    await page.getByRole('link', { name: 'Portabilité' }).click();
    const row = await visible(page.getByRole('row', { name: /06 12 34 56 01/ }));
    const text = await row.textContent();
    expect(text).toContain('Pièces manquantes');
    expect(text).toContain('contrats précédents');
    expect(text).toContain('pièces avant le 1 avr. 2027 (POR-01)');
    await page.getByLabel('File', { exact: true }).selectOption('scheduled');
    await visible(page.getByText('Aucun dossier de portage dans cette file.'));
    await page.getByLabel('File', { exact: true }).selectOption('documents_missing');
    await visible(page.getByRole('row', { name: /06 12 34 56 01/ }));
    await shot('11-porting-queue');
    await fitsLaptop();
    await logout();
    await t.runtime.testClock!.reset();
  });

  it('billing: invoices, overdue invoices and disputes come from the Billing GraphQL API (empty states said plainly)', async () => {
    expect(await queryFields()).toEqual(expect.arrayContaining(['invoices', 'overdueInvoices', 'disputes']));
    await login(KEYS.support);
    await page.getByRole('link', { name: 'Facturation' }).click();
    for (const name of [/Impayés \(\d+\)/, /Contestations \(\d+\)/, /Factures et avoirs \(\d+\)/]) await visible(page.getByRole('heading', { name }));
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByText("n'existe pas encore").count()).toBe(0);
    await visible(page.getByText('Aucune facture impayée.'));
    await shot('12-billing');
    await logout();
  });
});

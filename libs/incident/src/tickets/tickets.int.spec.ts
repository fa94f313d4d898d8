import request from 'supertest';
import { newId } from '@oksio/kernel';
import { WorkerService, type CommandContext, type DueAction } from '@oksio/platform';
import { subscriptionDecider, subscriptionStream } from '@oksio/subscription';
import { KEYS, settle, startTestApp, type TestApp, requestEventCount } from '../../../../test/support/app';
import { TicketsService } from './tickets.service';

const HOUR = 3_600_000;

describe('Incident tickets API (REST + GraphQL, live clocks, due actions, penalties and fees)', () => {
  let t: TestApp;
  let customerId: string;
  let jeanne: string; // authorised for support
  let paul: string; // not authorised
  let dataLink: string;
  let e2eTicket: string;
  let e2eRevision: number;

  const eventCount = () => requestEventCount(t);
  const streamEvents = async (ticketId: string) =>
    (await t.runtime.pool.query(`SELECT type, data FROM es_events WHERE stream_id = $1 ORDER BY revision`, [`ticket-${ticketId}`])).rows as Array<{ type: string; data: Record<string, any> }>;
  const api = (method: 'get' | 'post', path: string, key: string = KEYS.support) => request(t.http)[method](path).set('X-API-Key', key);
  const gql = async (query: string, variables: Record<string, unknown> = {}, key: string = KEYS.support) =>
    (await request(t.http).post('/graphql').set('X-API-Key', key).send({ query, variables }).expect(200)).body;

  async function travelTo(instant: string): Promise<void> {
    await api('post', '/admin/clock', KEYS.admin).send({ instant }).expect(200);
    await runDueActions();
  }

  /** Projections caught up, then the scheduler run until nothing due is pending, then projections again. */
  async function runDueActions(): Promise<void> {
    await settle(t);
    for (let i = 0; i < 200; i++) {
      await t.app.get(WorkerService).scheduler.tick();
      const { rows } = await t.runtime.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM due_actions WHERE status = 'pending' AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= now())`,
        [t.runtime.clock.now()],
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await settle(t);
  }

  async function placeOrder(service: string, items: string[]): Promise<string> {
    const subscriptionId = newId();
    const ctx: CommandContext = { actor: { id: 'test', role: 'system' }, correlationId: newId(), causationId: null, commandId: newId(), reason: null };
    await t.runtime.repository.execute(
      subscriptionDecider,
      subscriptionStream(subscriptionId),
      { type: 'PlaceOrder', subscriptionId, customerId, service: service as 'DATA', items: items.map((itemId) => ({ itemId, label: itemId })), quoteDate: '2026-05-01', orderAmount: '100.00' },
      ctx,
      t.runtime.clock.now(),
    );
    return subscriptionId;
  }

  const openBody = (over: Record<string, unknown> = {}) => ({
    notifiedAt: t.runtime.clock.now().toISOString(),
    declaredByContactId: jeanne,
    serviceType: 'DATA',
    subscriptionId: dataLink,
    description: 'Lien coupé, aucun trafic',
    location: 'Lyon, baie 2',
    consequences: 'Agence sans accès internet',
    terms: { guaranteedLink: true, monthlyFee: '450.00' },
    ...over,
  });

  /** Qualify + open + classify as an Interruption; returns the ticket id and revision. */
  async function openInterruption(over: Record<string, unknown> = {}): Promise<{ ticketId: string; reference: string; revision: number }> {
    const call = await api('post', '/tickets/calls').send({ customerId, callerContactId: jeanne, impactedSiteIds: ['site-lyon'] }).expect(201);
    const opened = await api('post', `/tickets/${call.body.ticketId}/open`).send(openBody(over)).expect(201);
    const classified = await api('post', `/tickets/${call.body.ticketId}/classification`)
      .send({ totalUnavailability: true, attributableToNetworkOnly: true })
      .expect(200);
    return { ticketId: call.body.ticketId, reference: opened.body.reference, revision: classified.body.revision };
  }

  beforeAll(async () => {
    t = await startTestApp();
    await api('post', '/admin/clock', KEYS.admin).send({ instant: '2026-05-11T08:00:00Z' }).expect(200);
    const registered = await api('post', '/customers', KEYS.system)
      .send({
        companyName: 'Boulangerie Martin SARL',
        siret: '73282932000074',
        billingAddress: { line1: '12 rue de la Paix', postalCode: '69002', city: 'Lyon', country: 'FR' },
        contacts: [
          { role: 'signatory', authorisedForSupport: true, name: 'Jeanne Martin', email: 'jeanne@example.fr', phone: '0612345678' },
          { role: 'technical', authorisedForSupport: false, name: 'Paul Durand', email: 'paul@example.fr', phone: '0145678901' },
        ],
      })
      .expect(201);
    customerId = registered.body.customerId;
    dataLink = await placeOrder('DATA', ['site-lyon', 'site-paris']);
    await settle(t);
    const customer = await api('get', `/customers/${customerId}`).expect(200);
    jeanne = customer.body.contacts.find((c: { name: string }) => c.name === 'Jeanne Martin').contactId;
    paul = customer.body.contacts.find((c: { name: string }) => c.name === 'Paul Durand').contactId;
  });
  afterAll(async () => t?.close());

  it('INC-02 an unknown or unauthorised caller, or a site not of the customer → 422 naming INC-02; nothing appended', async () => {
    const before = await eventCount();
    const unknown = await api('post', '/tickets/calls').send({ customerId, callerContactId: newId(), impactedSiteIds: ['site-lyon'] }).expect(422);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body).toMatchObject({ code: 'caller_unknown', errors: [{ field: 'callerContactId', rule: 'INC-02' }] });
    const unauthorised = await api('post', '/tickets/calls').send({ customerId, callerContactId: paul, impactedSiteIds: ['site-lyon'] }).expect(422);
    expect(unauthorised.body).toMatchObject({ code: 'caller_not_authorised', errors: [{ field: 'callerContactId', rule: 'INC-02' }] });
    const site = await api('post', '/tickets/calls').send({ customerId, callerContactId: jeanne, impactedSiteIds: ['site-marseille'] }).expect(422);
    expect(site.body).toMatchObject({ code: 'unknown_site', errors: [{ rule: 'INC-02' }] });
    const noCustomer = await api('post', '/tickets/calls').send({ customerId: newId(), callerContactId: jeanne, impactedSiteIds: ['site-lyon'] }).expect(422);
    expect(noCustomer.body).toMatchObject({ code: 'unknown_customer', errors: [{ field: 'customerId', rule: 'INC-02' }] });
    const invalid = await api('post', '/tickets/calls').send({ customerId, callerContactId: jeanne, impactedSiteIds: [] }).expect(400);
    expect(invalid.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'impactedSiteIds', rule: 'INC-02' })]));
    expect(await eventCount()).toBe(before);
  });

  it('INC-04 missing or wrong ticket information → 400/422 naming the field and INC-04; no reference consumed, nothing appended', async () => {
    const call = await api('post', '/tickets/calls').send({ customerId, callerContactId: jeanne, impactedSiteIds: ['site-paris'] }).expect(201);
    const before = await eventCount();
    const missing = await api('post', `/tickets/${call.body.ticketId}/open`).send(openBody({ description: '', location: undefined })).expect(400);
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'description', rule: 'INC-04' }), expect.objectContaining({ field: 'location', rule: 'INC-04' })]));
    const otherLink = await api('post', `/tickets/${call.body.ticketId}/open`).send(openBody({ subscriptionId: newId() })).expect(422);
    expect(otherLink.body).toMatchObject({ code: 'unknown_subscription', errors: [{ field: 'subscriptionId', rule: 'INC-04' }] });
    const wrongService = await api('post', `/tickets/${call.body.ticketId}/open`).send(openBody({ serviceType: 'FIXED_SIP', terms: undefined })).expect(422);
    expect(wrongService.body).toMatchObject({ code: 'service_type_mismatch', errors: [{ field: 'serviceType', rule: 'INC-04' }] });
    const future = await api('post', `/tickets/${call.body.ticketId}/open`).send(openBody({ notifiedAt: '2026-05-11T12:00:00+02:00' })).expect(422);
    expect(future.body).toMatchObject({ code: 'notification_in_future', errors: [{ field: 'notifiedAt', rule: 'INC-13' }] });
    expect(await eventCount()).toBe(before);
    expect((await t.runtime.pool.query('SELECT count(*)::int AS n FROM incident_ticket_references')).rows[0].n).toBe(0);
    const opened = await api('post', `/tickets/${call.body.ticketId}/open`).send(openBody({ keepInformed: { name: 'Luc Petit', email: 'luc@example.fr' } })).expect(201);
    expect(opened.body).toMatchObject({ reference: 'INC-2026-000001', status: 'open', revision: 1, events: ['TicketOpened'] });
    const raw = JSON.stringify((await streamEvents(call.body.ticketId))[1].data);
    expect(raw).not.toContain('Luc Petit');
  });

  it('INC-03 INC-10 INC-06 INC-13 INC-11 INC-15 end to end over HTTP: Friday 17:00 → deadline Monday 12:00 on the board; freeze, resume, restore, request the penalty', async () => {
    await travelTo('2026-05-15T15:00:00Z'); // Friday 17:00 Paris
    const call = await api('post', '/tickets/calls').send({ customerId, callerContactId: jeanne, impactedSiteIds: ['site-lyon'] }).expect(201);
    expect(call.body).toMatchObject({ status: 'qualified', revision: 0, events: ['CallQualified'] });
    const ticketId = call.body.ticketId;
    e2eTicket = ticketId;
    const opened = await api('post', `/tickets/${ticketId}/open`).set('If-Match', '"0"').send(openBody({ notifiedAt: '2026-05-15T17:00:00+02:00' })).expect(201);
    expect(opened.body.reference).toMatch(/^INC-2026-\d{6}$/);
    await api('post', `/tickets/${ticketId}/classification`).set('If-Match', '"1"').send({ totalUnavailability: true, attributableToNetworkOnly: true }).expect(200);
    await settle(t);

    const board = await api('get', '/tickets/board').expect(200);
    const row = board.body.items.find((i: { ticketId: string }) => i.ticketId === ticketId);
    expect(row.clock).toMatchObject({ status: 'running', basis: 'business_hours', elapsedMs: 0, deadline: '2026-05-18T10:00:00.000Z', remainingMs: 4 * HOUR, breached: false });

    // Live clock: 30 minutes later, no new event, the board reads 0:30 elapsed.
    await travelTo('2026-05-15T15:30:00Z');
    const later = (await api('get', `/tickets/${ticketId}`).expect(200)).body;
    expect(later.clock).toMatchObject({ status: 'running', elapsedMs: 0.5 * HOUR, elapsed: '0:30:00', remainingMs: 3.5 * HOUR, deadline: '2026-05-18T10:00:00.000Z' });

    const frozen = await api('post', `/tickets/${ticketId}/site-access-requests`).set('If-Match', `"${later.revision}"`).send({ siteId: 'site-lyon' }).expect(200);
    expect(frozen.body.events).toEqual(['InterruptionClockFrozen']);
    await settle(t);
    const whileFrozen = (await api('get', `/tickets/${ticketId}`).expect(200)).body;
    expect(whileFrozen.clock).toMatchObject({ status: 'frozen', deadline: null });
    const pending = await t.runtime.pool.query(`SELECT kind FROM due_actions WHERE aggregate_id = $1 AND status = 'pending'`, [ticketId]);
    expect(pending.rows).toEqual([]); // INC-06: no breach action while frozen

    await travelTo('2026-05-18T07:00:00Z'); // Monday 09:00
    await api('post', `/tickets/${ticketId}/site-access-obtained`).send({}).expect(200);
    await settle(t);
    const resumed = (await api('get', `/tickets/${ticketId}`).expect(200)).body;
    // 30 min counted on Friday, the frozen Friday 17:30–18:00 extends the deadline by 30 min.
    expect(resumed.clock).toMatchObject({ status: 'running', elapsedMs: 0.5 * HOUR, deadline: '2026-05-18T10:30:00.000Z' });
    const due = await t.runtime.pool.query(`SELECT kind, due_at FROM due_actions WHERE aggregate_id = $1 AND status = 'pending'`, [ticketId]);
    expect(due.rows).toEqual([{ kind: 'incident.sla_breach', due_at: new Date('2026-05-18T10:30:00.000Z') }]);

    await travelTo('2026-05-18T13:00:00Z'); // Monday 15:00: the scheduler recorded the breach at 12:30
    const restored = await api('post', `/tickets/${ticketId}/restoration`).send({ via: 'phone' }).expect(200);
    expect(restored.body.events).toEqual(['RestorationNotified', 'SlaPenaltyComputed']);
    const events = await streamEvents(ticketId);
    expect(events.filter((e) => e.type === 'SlaBreached')).toHaveLength(1);
    const computed = events.find((e) => e.type === 'SlaPenaltyComputed')!.data;
    expect(computed).toMatchObject({ interruptionMs: 6.5 * HOUR, tierPercentage: '20', amount: '90.00', billingMonth: '2026-05' });

    const before = await eventCount();
    const granted = await api('post', `/tickets/${ticketId}/penalty-requests`).send({ requestedByContactId: jeanne }).expect(200);
    expect(granted.body.events).toEqual(['SlaPenaltyGranted']);
    e2eRevision = granted.body.revision;
    expect(await eventCount()).toBe(before + 1);
    const grant = (await streamEvents(ticketId)).find((e) => e.type === 'SlaPenaltyGranted')!.data;
    expect(grant).toMatchObject({ customerId, subscriptionId: dataLink, billingMonth: '2026-05', amount: '90.00', monthlyCap: '450.00', alreadyGrantedInMonth: '0.00' });
    await settle(t);
    const penalties = await api('get', `/tickets/penalties?subscriptionId=${dataLink}&month=2026-05`).expect(200);
    expect(penalties.body[0]).toMatchObject({ billingMonth: '2026-05', monthlyCap: '450.00', grantedTotal: '90.00', remainingCap: '360.00', capReached: false });
    const history = await api('get', `/tickets?customerId=${customerId}&siteId=site-lyon`).expect(200);
    expect(history.body.items.map((i: { ticketId: string }) => i.ticketId)).toContain(ticketId);
    const stopped = (await api('get', `/tickets/${ticketId}`).expect(200)).body;
    expect(stopped.clock).toMatchObject({ status: 'stopped', breached: true, elapsedMs: 6.5 * HOUR });
  });

  it('INC-06 a freeze on a stopped clock → 409 naming INC-06; a stale If-Match → 409; nothing appended', async () => {
    const before = await eventCount();
    const stopped = await api('post', `/tickets/${e2eTicket}/site-access-requests`).send({ siteId: 'site-lyon' }).expect(409);
    expect(stopped.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stopped.body).toMatchObject({ code: 'clock_stopped', errors: [{ rule: 'INC-06' }] });
    const stale = await api('post', `/tickets/${e2eTicket}/closure`).set('If-Match', `"${e2eRevision - 1}"`).send({ clientInformedVia: 'email' }).expect(409);
    expect(stale.body).toMatchObject({ code: 'revision_mismatch', errors: [{ field: 'If-Match' }] });
    await api('post', `/tickets/${e2eTicket}/closure`).set('If-Match', 'abc').send({ clientInformedVia: 'email' }).expect(400);
    expect(await eventCount()).toBe(before);
  });

  it('INC-06 a second freeze while frozen → 409 naming INC-06', async () => {
    await travelTo('2026-05-19T07:30:00Z');
    const { ticketId } = await openInterruption();
    await api('post', `/tickets/${ticketId}/site-access-requests`).send({ siteId: 'site-lyon' }).expect(200);
    const before = await eventCount();
    const again = await api('post', `/tickets/${ticketId}/site-access-requests`).send({ siteId: 'site-lyon' }).expect(409);
    expect(again.body).toMatchObject({ code: 'clock_already_frozen', errors: [{ rule: 'INC-06' }] });
    expect(await eventCount()).toBe(before);
    await api('post', `/tickets/${ticketId}/site-access-obtained`).send({}).expect(200);
    await api('post', `/tickets/${ticketId}/restoration`).send({ via: 'email' }).expect(200);
  });

  it('unknown ticket → 404 on commands and queries, nothing appended', async () => {
    const before = await eventCount();
    const missing = newId();
    const res = await api('post', `/tickets/${missing}/site-access-requests`).send({ siteId: 'site-lyon' }).expect(404);
    expect(res.body).toMatchObject({ code: 'ticket_not_found', errors: [{ field: 'ticketId' }] });
    await api('post', `/tickets/${missing}/open`).send(openBody()).expect(404);
    await api('post', `/tickets/${missing}/penalty-requests`).send({ requestedByContactId: jeanne }).expect(404);
    await api('get', `/tickets/${missing}`).expect(404);
    await api('get', '/tickets/not-a-uuid').expect(400);
    expect(await eventCount()).toBe(before);
  });

  it('INC-10 the SLA deadline passing emits SlaBreached exactly once, with the scheduler run twice and the action dispatched again', async () => {
    await travelTo('2026-05-19T08:00:00Z'); // Tuesday 10:00 Paris → deadline 14:00
    const { ticketId } = await openInterruption();
    await settle(t);
    const { rows } = await t.runtime.pool.query(`SELECT key, kind, aggregate_id, due_at, payload, command_id, attempts FROM due_actions WHERE aggregate_id = $1 AND status = 'pending'`, [ticketId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'incident.sla_breach', due_at: new Date('2026-05-19T12:00:00.000Z') });

    await travelTo('2026-05-19T11:59:59Z');
    expect((await streamEvents(ticketId)).filter((e) => e.type === 'SlaBreached')).toHaveLength(0);

    await api('post', '/admin/clock', KEYS.admin).send({ instant: '2026-05-19T12:00:00Z' }).expect(200);
    await settle(t);
    const scheduler = t.app.get(WorkerService).scheduler;
    await scheduler.tick();
    await scheduler.tick();
    await runDueActions();
    const action: DueAction = { key: rows[0].key, kind: rows[0].kind, aggregateId: rows[0].aggregate_id, dueAt: rows[0].due_at, payload: rows[0].payload, commandId: rows[0].command_id, attempts: 1 };
    await t.app.get(TicketsService).runDueAction(action); // a duplicate dispatch of the same occurrence
    await t.app.get(TicketsService).runDueAction({ ...action, commandId: newId() }); // even under another command id
    const breaches = (await streamEvents(ticketId)).filter((e) => e.type === 'SlaBreached');
    expect(breaches).toHaveLength(1);
    expect(breaches[0].data).toMatchObject({ ticketId, subscriptionId: dataLink, deadline: '2026-05-19T12:00:00.000Z' });
    const status = await t.runtime.pool.query(`SELECT status FROM due_actions WHERE key = $1`, [rows[0].key]);
    expect(status.rows[0].status).toBe('done');
    await settle(t);
    const view = (await api('get', `/tickets/${ticketId}`).expect(200)).body;
    expect(view).toMatchObject({ breachDeadline: '2026-05-19T12:00:00.000Z', clock: { status: 'running', breached: true, remainingMs: 0 } });
    await api('post', `/tickets/${ticketId}/restoration`).send({ via: 'phone' }).expect(200);
  });

  it('INC-07 INC-08 BIL-08 fees: unjustified expertise 250.00 and unjustified ticket 40.00 become IncidentFeeCharged for Billing', async () => {
    await travelTo('2026-05-20T08:00:00Z');
    const { ticketId } = await openInterruption();
    await api('post', `/tickets/${ticketId}/expertise-requests`).send({ requestedByContactId: jeanne }).expect(200);
    const outcome = await api('post', `/tickets/${ticketId}/expertise-outcome`).send({ justified: false, note: 'ligne conforme' }).expect(200);
    expect(outcome.body.events).toEqual(['IncumbentExpertiseConcluded', 'IncidentFeeCharged']);
    const unjustified = await api('post', `/tickets/${ticketId}/unjustified`).send({ finding: 'outside_oksio_responsibility' }).expect(200);
    expect(unjustified.body).toMatchObject({ status: 'resolved', events: ['TicketFoundUnjustified', 'IncidentFeeCharged'] });
    const fees = (await streamEvents(ticketId)).filter((e) => e.type === 'IncidentFeeCharged').map((e) => e.data);
    expect(fees).toEqual([
      expect.objectContaining({ customerId, subscriptionId: dataLink, fee: 'unjustified_expertise', amount: '250.00', rule: 'INC-08', billingMonth: '2026-05' }),
      expect.objectContaining({ customerId, subscriptionId: dataLink, fee: 'unjustified_ticket', amount: '40.00', rule: 'INC-07' }),
    ]);
    await settle(t);
    const view = (await api('get', `/tickets/${ticketId}`).expect(200)).body;
    expect(view).toMatchObject({ status: 'resolved', resolution: 'unjustified', slaApplies: false, feesCharged: ['unjustified_expertise', 'unjustified_ticket'] });
  });

  it('INC-12 penalties per subscription and month: the cap of one monthly fee applies over several interruptions; INC-14 an excluded one counts nothing', async () => {
    await travelTo('2026-05-20T08:00:00Z'); // Wednesday 10:00, calendar basis
    const calendar = { terms: { guaranteedLink: true, monthlyFee: '450.00', clockBasis: 'calendar' } };
    const a = await openInterruption(calendar);
    const b = await openInterruption(calendar);
    const c = await openInterruption(calendar);
    await travelTo('2026-05-21T14:00:00Z'); // +30 h: 60 % → 270.00 each
    for (const x of [a, b, c]) await api('post', `/tickets/${x.ticketId}/restoration`).send({ via: 'email' }).expect(200);
    await api('post', `/tickets/${c.ticketId}/exclusion`).send({ cause: 'force_majeure', note: 'orage' }).expect(200);
    const first = await api('post', `/tickets/${a.ticketId}/penalty-requests`).send({ requestedByContactId: jeanne }).expect(200);
    expect(first.body.events).toEqual(['SlaPenaltyGranted']);
    await api('post', `/tickets/${b.ticketId}/penalty-requests`).send({ requestedByContactId: jeanne }).expect(200);
    const grants = await Promise.all([a, b].map(async (x) => (await streamEvents(x.ticketId)).find((e) => e.type === 'SlaPenaltyGranted')!.data));
    // 90.00 already granted this month on the link (end-to-end test) + 270.00 → only 90.00 left for b.
    expect(grants.map((g) => g.amount)).toEqual(['270.00', '90.00']);
    const before = await eventCount();
    const excluded = await api('post', `/tickets/${c.ticketId}/penalty-requests`).send({ requestedByContactId: jeanne }).expect(422);
    expect(excluded.body).toMatchObject({ code: 'penalty_excluded', errors: [{ rule: 'INC-14' }] });
    expect(await eventCount()).toBe(before);
    await settle(t);
    const month = (await api('get', `/tickets/penalties?subscriptionId=${dataLink}&month=2026-05`).expect(200)).body[0];
    expect(month).toMatchObject({ monthlyCap: '450.00', computedTotal: '900.00', dueTotal: '630.00', cappedTotal: '450.00', grantedTotal: '450.00', remainingCap: '0.00', capReached: true });
    expect(month.tickets.find((l: { ticketId: string }) => l.ticketId === c.ticketId)).toMatchObject({ exclusionCause: 'force_majeure', dueAmount: '0.00', cappedAmount: '0.00' });
    await api('get', `/tickets/penalties?subscriptionId=${dataLink}&month=May`).expect(400);
  });

  it('GraphQL round trip on the same application layer: qualify, open, freeze, resume, restore, close; board, ticket with clock, history, penalties; errors with codes', async () => {
    await travelTo('2026-05-22T08:00:00Z'); // Friday 10:00
    const result = 'ticketId reference status revision events';
    const q = await gql(`mutation($input: QualifyCallInput!) { qualifyCall(input: $input) { ${result} } }`, {
      input: { customerId, callerContactId: jeanne, impactedSiteIds: ['site-paris'] },
    });
    const ticketId = q.data.qualifyCall.ticketId;
    const open = await gql(`mutation($id: ID!, $input: OpenTicketInput!, $rev: Int) { openTicket(ticketId: $id, input: $input, expectedRevision: $rev) { ${result} } }`, {
      id: ticketId,
      rev: 0,
      input: openBody({ notifiedAt: '2026-05-22T10:00:00+02:00' }),
    });
    expect(open.data.openTicket).toMatchObject({ status: 'open', revision: 1 });
    const classified = await gql(`mutation($id: ID!) { classifyIncident(ticketId: $id, input: { totalUnavailability: true, attributableToNetworkOnly: true }) { ${result} } }`, { id: ticketId });
    expect(classified.data.classifyIncident.events).toEqual(['IncidentClassified']);
    const stale = await gql(`mutation($id: ID!) { requestSiteAccess(ticketId: $id, input: { siteId: "site-paris" }, expectedRevision: 0) { revision } }`, { id: ticketId });
    expect(stale.errors[0].extensions).toMatchObject({ code: 'revision_mismatch', status: 409, errors: [{ field: 'expectedRevision' }] });
    await gql(`mutation($id: ID!) { requestSiteAccess(ticketId: $id, input: { siteId: "site-paris" }, expectedRevision: 2) { revision } }`, { id: ticketId });
    await api('post', '/admin/clock', KEYS.admin).send({ instant: '2026-05-22T09:00:00Z' }).expect(200);
    const resumed = await gql(`mutation($id: ID!) { recordSiteAccessObtained(ticketId: $id) { ${result} } }`, { id: ticketId });
    expect(resumed.data.recordSiteAccessObtained).toMatchObject({ revision: 4, events: ['InterruptionClockResumed'] });
    await api('post', '/admin/clock', KEYS.admin).send({ instant: '2026-05-22T09:30:00Z' }).expect(200);
    await settle(t);
    const clockFields = 'clock { status basis elapsedMs elapsed deadline remainingMs breached frozen { from to reason } }';
    const one = await gql(`query($id: ID!) { ticket(ticketId: $id) { reference status revision ${clockFields} } }`, { id: ticketId });
    expect(one.data.ticket).toMatchObject({
      status: 'open',
      revision: 4,
      clock: { status: 'running', elapsedMs: 0.5 * HOUR, elapsed: '0:30:00', deadline: '2026-05-22T13:00:00.000Z', remainingMs: 3.5 * HOUR, breached: false },
    });
    expect(one.data.ticket.clock.frozen).toEqual([{ from: '2026-05-22T08:00:00.000Z', to: '2026-05-22T09:00:00.000Z', reason: 'site_access' }]);
    const board = await gql(`{ ticketBoard(limit: 50) { total items { ticketId ${clockFields} } } }`);
    expect(board.data.ticketBoard.items.map((i: { ticketId: string }) => i.ticketId)).toContain(ticketId);
    const restored = await gql(`mutation($id: ID!) { notifyRestoration(ticketId: $id, input: { via: "phone" }) { ${result} } }`, { id: ticketId });
    expect(restored.data.notifyRestoration.events).toEqual(['RestorationNotified', 'SlaPenaltyComputed']);
    const closed = await gql(`mutation($id: ID!) { closeTicket(ticketId: $id, input: { clientInformedVia: "email" }) { ${result} } }`, { id: ticketId });
    expect(closed.data.closeTicket).toMatchObject({ status: 'closed' });
    await settle(t);
    const history = await gql(`query($c: ID!) { tickets(customerId: $c, status: "closed", limit: 10) { total items { ticketId closureMode } } }`, { c: customerId });
    expect(history.data.tickets.items).toEqual(expect.arrayContaining([{ ticketId, closureMode: 'support' }]));
    const penalties = await gql(`query($s: String!) { penalties(subscriptionId: $s, month: "2026-05") { billingMonth capReached grantedTotal tickets { reference cappedAmount } } }`, { s: dataLink });
    expect(penalties.data.penalties[0]).toMatchObject({ billingMonth: '2026-05', capReached: true, grantedTotal: '450.00' });
    const missing = await gql(`query($id: ID!) { ticket(ticketId: $id) { reference } }`, { id: newId() });
    expect(missing.errors[0].extensions).toMatchObject({ code: 'ticket_not_found', status: 404 });
    const denied = await gql(`mutation($id: ID!) { closeTicket(ticketId: $id, input: { clientInformedVia: "email" }) { revision } }`, { id: ticketId }, KEYS.auditor);
    expect(denied.errors[0].extensions).toMatchObject({ code: 'forbidden', status: 403 });
  });

  it('INC-09 a resolved ticket the client does not confirm closes automatically after 3 days with an e-mail confirmation request', async () => {
    await travelTo('2026-05-26T08:00:00Z');
    const { ticketId } = await openInterruption();
    await api('post', `/tickets/${ticketId}/restoration`).send({ via: 'phone' }).expect(200);
    await travelTo('2026-05-29T07:59:59Z');
    expect((await api('get', `/tickets/${ticketId}`).expect(200)).body.status).toBe('resolved');
    await travelTo('2026-05-29T08:00:00Z');
    const events = (await streamEvents(ticketId)).map((e) => e.type);
    expect(events.slice(-2)).toEqual(['TicketClosed', 'ClosureConfirmationEmailRequested']);
    expect((await api('get', `/tickets/${ticketId}`).expect(200)).body).toMatchObject({ status: 'closed', closureMode: 'automatic' });
    const reopened = await api('post', `/tickets/${ticketId}/reopen`).send({ requestedByContactId: jeanne, reason: 'coupure revenue' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'open', events: ['TicketReopened'] });
  });
  it('INC-03 a retried opening (same Idempotency-Key, REST or GraphQL) answers with its first reference; references follow each other without gaps', async () => {
    await travelTo('2026-06-01T08:00:00Z');
    const references = (await t.runtime.pool.query('SELECT reference FROM incident_ticket_references ORDER BY sequence')).rows.map((r) => r.reference);
    expect(references).toEqual(references.map((_, i) => `INC-2026-${String(i + 1).padStart(6, '0')}`));
    const call = await api('post', '/tickets/calls').send({ customerId, callerContactId: jeanne, impactedSiteIds: ['site-lyon'] }).expect(201);
    const mutation = `mutation($id: ID!, $input: OpenTicketInput!) { openTicket(ticketId: $id, input: $input) { reference revision events } }`;
    const send = () =>
      request(t.http)
        .post('/graphql')
        .set('X-API-Key', KEYS.support)
        .set('Idempotency-Key', `open-${call.body.ticketId}`)
        .send({ query: mutation, variables: { id: call.body.ticketId, input: openBody() } })
        .expect(200);
    const first = (await send()).body.data.openTicket;
    const again = (await send()).body.data.openTicket;
    expect(first).toMatchObject({ reference: `INC-2026-${String(references.length + 1).padStart(6, '0')}`, revision: 1, events: ['TicketOpened'] });
    expect(again).toEqual(first);
    expect((await streamEvents(call.body.ticketId)).filter((e) => e.type === 'TicketOpened')).toHaveLength(1);
    const restSend = () => api('post', `/tickets/${call.body.ticketId}/classification`).set('Idempotency-Key', `classify-${call.body.ticketId}`).send({ totalUnavailability: true, attributableToNetworkOnly: true });
    const c1 = (await restSend().expect(200)).body;
    const c2 = (await restSend().expect(200)).body;
    expect(c2).toEqual(c1);
    expect((await streamEvents(call.body.ticketId)).map((e) => e.type)).toEqual(['CallQualified', 'TicketOpened', 'IncidentClassified']);
  });

  it("CON-01 INC-10 INC-11 INC-16 a link's contract terms are recorded once and every ticket opened on it takes them; refused terms, unknown link, wrong role → 4xx, nothing appended", async () => {
    const link = await placeOrder('DATA', ['site-lyon']);
    const mobile = await placeOrder('MOBILE', ['line-1']);
    await settle(t);
    const terms = (id: string, body: Record<string, unknown>, key: string = KEYS.admin) => request(t.http).put(`/tickets/links/${id}/terms`).set('X-API-Key', key).send(body);
    expect((await api('get', `/tickets/links/${link}/terms`).expect(200)).body).toMatchObject({ subscriptionId: link, service: 'DATA', recorded: false, terms: { guaranteedLink: false, monthlyFee: null } });

    const before = await eventCount();
    const noFee = await terms(link, { guaranteedLink: true }).expect(422);
    expect(noFee.body).toMatchObject({ code: 'monthly_fee_required', errors: [{ field: 'terms.monthlyFee', rule: 'INC-11' }] });
    expect((await terms(mobile, { guaranteedLink: true, monthlyFee: '19.90' }).expect(422)).body.errors[0]).toMatchObject({ rule: 'INC-16' });
    expect((await terms(link, { clockBasis: 'sundial' }).expect(400)).body.errors[0]).toMatchObject({ field: 'clockBasis', rule: 'INC-10' });
    await terms(newId(), { guaranteedLink: false }).expect(404);
    await terms('not-a-uuid', { guaranteedLink: false }).expect(400);
    await terms(link, { guaranteedLink: true, monthlyFee: '450.00' }, KEYS.support).expect(403);
    expect(await eventCount()).toBe(before);

    const set = await terms(link, { guaranteedLink: true, monthlyFee: '450.00', alsaceMoselle: false }).expect(200);
    expect(set.body).toMatchObject({ recorded: true, overrides: { guaranteedLink: true, monthlyFee: '450.00' }, terms: { guaranteedLink: true, monthlyFee: '450.00', clockBasis: 'business_hours' } });
    await terms(link, { monthlyFee: '450.00', alsaceMoselle: false, guaranteedLink: true }).expect(200);
    expect(await eventCount()).toBe(before + 1); // the same terms again record nothing

    // A ticket opened on the link without terms carries the contract's: the SLA applies, 450.00 is the penalty base.
    const call = await api('post', '/tickets/calls').send({ customerId, callerContactId: jeanne, impactedSiteIds: ['site-lyon'] }).expect(201);
    const { terms: _none, ...withoutTerms } = openBody({ subscriptionId: link });
    await api('post', `/tickets/${call.body.ticketId}/open`).send(withoutTerms).expect(201);
    const opened = (await streamEvents(call.body.ticketId)).find((e) => e.type === 'TicketOpened')!;
    expect(opened.data.terms).toMatchObject({ guaranteedLink: true, monthlyFee: '450.00', clockBasis: 'business_hours' });
    // What an opening states explicitly still wins, key by key.
    const other = await api('post', '/tickets/calls').send({ customerId, callerContactId: jeanne, impactedSiteIds: ['site-lyon'] }).expect(201);
    await api('post', `/tickets/${other.body.ticketId}/open`).send(openBody({ subscriptionId: link, terms: { clockBasis: 'calendar' } })).expect(201);
    expect((await streamEvents(other.body.ticketId)).find((e) => e.type === 'TicketOpened')!.data.terms).toMatchObject({ guaranteedLink: true, monthlyFee: '450.00', clockBasis: 'calendar' });

    // GraphQL: the same application layer.
    const read = await gql(`{ linkIncidentTerms(subscriptionId: "${link}") { recorded overrides terms } }`, {}, KEYS.auditor);
    expect(read.data.linkIncidentTerms).toMatchObject({ recorded: true, overrides: { guaranteedLink: true, monthlyFee: '450.00' } });
    const refused = await gql(`mutation { setLinkIncidentTerms(subscriptionId: "${mobile}", input: { guaranteedLink: true, monthlyFee: "19.90" }) { recorded } }`, {}, KEYS.system);
    expect(refused.errors[0].extensions).toMatchObject({ status: 422, errors: [{ rule: 'INC-16' }] });
  });
});

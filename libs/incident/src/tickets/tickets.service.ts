import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock, ConflictError, DomainError, Money, NotFoundError, ValidationError, isYearMonth, newId, yearMonthProblem, type Decider } from '@oksio/kernel';
import { type CommandContext, type DueAction, EventSourcedRepository, type PageArgs, PersonalTextSealer, RUNTIME, type Runtime, checkPrecondition, pageOf } from '@oksio/platform';
import { PiiVault } from '@oksio/privacy';
import {
  allowanceMs,
  billingMonthOf,
  breached,
  clockStatus,
  commandForDueAction,
  elapsedMs,
  formatTicketReference,
  linkTermsDecider,
  linkTermsStream,
  type LinkTermsState,
  remainingMs,
  resolveIncidentTerms,
  slaDeadline,
  ticketDecider,
  ticketStream,
  type ClockStatus,
  type FrozenPeriod,
  type IncidentTerms,
  type TicketCommand,
  type TicketEvent,
  type TicketState,
} from '../domain';
import type {
  ClassifyIncidentDto,
  CloseTicketDto,
  ConfirmResolutionDto,
  ExpertiseOutcomeDto,
  ExpertiseRequestDto,
  FactInstantDto,
  IncidentTermsDto,
  OpenTicketDto,
  PenaltyRequestDto,
  QualifyCallDto,
  ReopenTicketDto,
  RestorationDto,
  SiteAccessRequestDto,
  SlaExclusionDto,
  UnjustifiedTicketDto,
} from './tickets.dto';
import { PenaltyGrantRow, PenaltyRow, TicketRow } from './ticket.entities';

export interface TicketCommandResult {
  ticketId: string;
  reference: string | null;
  status: string;
  /** The stream revision after the command: the next expected revision (If-Match / expectedRevision). */
  revision: number;
  /** Event types the command recorded (empty when it changed nothing). */
  events: string[];
}

export interface ClockView {
  asOf: Date;
  status: ClockStatus;
  basis: string;
  notifiedAt: Date;
  /** Counted interruption time at `asOf` (business or calendar basis, freezes excluded). */
  elapsedMs: number;
  elapsed: string;
  /** INC-10 (SLA tickets only): the allowance, the deadline (null while frozen), what is left. */
  allowanceMs: number | null;
  deadline: Date | null;
  remainingMs: number | null;
  remaining: string | null;
  breached: boolean;
  frozen: Array<{ from: Date; to: Date | null; reason: string }>;
}

/** A ticket as the API shows it: its free text opened (`[erased]` once the customer's key is shredded). */
export type TicketView = Omit<TicketRow, 'clock' | TicketText> & { clock: ClockView | null } & { [K in TicketText]: string | null };

/** The board's sealed free-text columns (TICKET_FREE_TEXT). */
type TicketText = 'description' | 'location' | 'consequences';
const TICKET_TEXTS: TicketText[] = ['description', 'location', 'consequences'];

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface TicketFilter {
  status?: string;
  customerId?: string;
  siteId?: string;
  subscriptionId?: string;
  limit?: number | null;
  offset?: number | null;
}

export interface PenaltyLine {
  ticketId: string;
  reference: string;
  notifiedAt: Date;
  interruptionMs: number;
  tierPercentage: string;
  computedAmount: string;
  exclusionCause: string | null;
  /** After INC-14: 0 when excluded. */
  dueAmount: string;
  /** After INC-12, allotting the month's cap to the interruptions in notification order. */
  cappedAmount: string;
  grantedAmount: string;
}

export interface PenaltyMonth {
  subscriptionId: string;
  billingMonth: string;
  /** One monthly fee HT (INC-12). */
  monthlyCap: string;
  computedTotal: string;
  dueTotal: string;
  /** min(dueTotal, monthlyCap). */
  cappedTotal: string;
  grantedTotal: string;
  /** What may still be granted this month on this link. */
  remainingCap: string;
  capReached: boolean;
  tickets: PenaltyLine[];
}

type Counted = { s: TicketState; n: number };
type Guard = (state: TicketState) => void;

const SYSTEM_ACTOR = { id: 'incident-scheduler', role: 'system' };
/** Refusals of the clock's state that are conflicts with the current state (HTTP 409), INC-06. */
const CONFLICT_CODES = new Set(['clock_already_frozen', 'clock_not_frozen']);

const notFound = (ticketId: string) =>
  new NotFoundError('ticket_not_found', `No ticket ${ticketId}`, [{ field: 'ticketId', message: 'unknown ticket' }]);

/**
 * Application service of incident tickets, shared by REST and GraphQL. Loads what the decider
 * needs (contacts, sites, already-granted penalties), allocates references, encrypts personal
 * data, runs the decider with the caller's expected revision, and reads the projections.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly vault: PiiVault,
    private readonly personalText: PersonalTextSealer,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  // ---- commands ----------------------------------------------------------------------------------

  /** INC-02: the caller must be a contact of the customer authorised for support; the sites the customer's. */
  async qualifyCall(dto: QualifyCallDto, ctx: CommandContext): Promise<TicketCommandResult> {
    const ticketId = dto.ticketId ?? newId();
    const customer = await this.dataSource.query('SELECT 1 FROM customers WHERE customer_id = $1', [dto.customerId]);
    if (customer.length === 0) throw new DomainError('unknown_customer', `No customer ${dto.customerId}`, 'INC-02', 'customerId');
    const contacts: Array<{ contact_id: string; authorised_for_support: boolean }> = await this.dataSource.query(
      'SELECT contact_id, authorised_for_support FROM customer_contacts WHERE customer_id = $1',
      [dto.customerId],
    );
    const sites: Array<{ site: string }> = await this.dataSource.query(
      'SELECT DISTINCT jsonb_array_elements_text(item_ids) AS site FROM incident_links WHERE customer_id = $1',
      [dto.customerId],
    );
    return this.run(
      ticketId,
      {
        type: 'QualifyCall',
        ticketId,
        customerId: dto.customerId,
        callerContactId: dto.callerContactId,
        authorisedCallers: contacts.map((c) => ({ contactId: c.contact_id, kind: 'contact' as const, authorisedForSupport: c.authorised_for_support })),
        customerSiteIds: sites.map((s) => s.site),
        impactedSiteIds: dto.impactedSiteIds,
      },
      ctx,
      { mustExist: false },
    );
  }

  /**
   * CON-01 "per contract": records the incident terms of a link (guaranteed link, clock basis,
   * monthly fee HT, tiers, fees, windows) once; every ticket opened on it takes them. Checked as a
   * ticket would check them, against the link's service.
   */
  async setLinkTerms(subscriptionId: string, dto: IncidentTermsDto, ctx: CommandContext): Promise<LinkTermsView> {
    const link = await this.requireLink(subscriptionId);
    const overrides = toTerms(dto) ?? {};
    const { state } = await this.repository.execute(linkTermsDecider, linkTermsStream(subscriptionId), { type: 'SetLinkIncidentTerms', subscriptionId, service: link.service, overrides }, ctx, this.clock.now());
    return linkTermsView(subscriptionId, link.service, state);
  }

  /** The link's incident terms: what its contract overrides, and the terms a ticket opened now takes. */
  async linkTerms(subscriptionId: string): Promise<LinkTermsView> {
    const link = await this.requireLink(subscriptionId);
    const { state } = await this.repository.load(linkTermsDecider, linkTermsStream(subscriptionId));
    return linkTermsView(subscriptionId, link.service, state);
  }

  private async requireLink(subscriptionId: string): Promise<{ service: string }> {
    const [link] = await this.dataSource.query('SELECT service FROM incident_links WHERE subscription_id = $1', [subscriptionId]);
    if (!link) throw new NotFoundError('unknown_subscription', `No subscription ${subscriptionId}`, [{ field: 'subscriptionId', message: 'unknown subscription', rule: 'INC-04' }]);
    return link;
  }

  /** INC-03/04/13: opens the qualified call's ticket with a unique reference; the notification starts the clock. */
  async openTicket(ticketId: string, dto: OpenTicketDto, ctx: CommandContext): Promise<TicketCommandResult> {
    const { state, revision } = await this.repository.load(ticketDecider, ticketStream(ticketId));
    if (revision < 0) throw notFound(ticketId);
    // If-Match before a reference is allocated (the repository checks it again at the append).
    if (!(await this.runtime.store.commandResult?.(ctx.commandId))) checkPrecondition(ctx, ticketStream(ticketId), revision);
    // The link's contract terms, then what this opening states explicitly (it wins, key by key).
    const contractTerms = typeof dto.subscriptionId === 'string' ? (await this.repository.load(linkTermsDecider, linkTermsStream(dto.subscriptionId))).state.overrides : {};
    const explicit = toTerms(dto.terms);
    const command = (reference: string, keepInformed: Record<string, unknown> | null): TicketCommand => ({
      type: 'OpenTicket',
      reference,
      notifiedAt: dto.notifiedAt,
      declaredByContactId: dto.declaredByContactId,
      serviceType: dto.serviceType,
      subscriptionId: dto.subscriptionId,
      description: dto.description,
      location: dto.location,
      consequences: dto.consequences,
      keepInformed,
      terms: explicit || Object.keys(contractTerms).length > 0 ? { ...contractTerms, ...explicit } : undefined,
    });
    // A retried command (same Idempotency-Key) answers with its first outcome, whatever the state now.
    if (await this.runtime.store.commandResult?.(ctx.commandId)) {
      const [allocated] = await this.dataSource.query('SELECT reference FROM incident_ticket_references WHERE ticket_id = $1', [ticketId]);
      return this.run(ticketId, command(allocated?.reference ?? '', null), ctx, {});
    }
    const now = this.clock.now();
    // Refusals first, so that a refused opening allocates no reference (the sequence stays gap-free).
    const dryRunYear = Number(billingMonthOf(now).slice(0, 4));
    ticketDecider.decide(command(formatTicketReference(dryRunYear, 1), dto.keepInformed ? { ...dto.keepInformed } : null), state, now);
    await this.checkLink(state, dto);
    const keepInformed = dto.keepInformed
      ? ((await this.vault.protect(`ticket-${ticketId}`, 'identity_contact', { ...dto.keepInformed })) as unknown as Record<string, unknown>)
      : null;
    const reference = await this.allocateReference(ticketId, Number(billingMonthOf(dto.notifiedAt).slice(0, 4)));
    return this.run(ticketId, command(reference, keepInformed), ctx, {});
  }

  classify(ticketId: string, dto: ClassifyIncidentDto, ctx: CommandContext) {
    return this.run(
      ticketId,
      { type: 'ClassifyIncident', totalUnavailability: dto.totalUnavailability, attributableToNetworkOnly: dto.attributableToNetworkOnly, minorSymptom: dto.minorSymptom ?? null },
      ctx,
      {},
    );
  }

  /** INC-06: freeze. A stopped clock (restoration notified) cannot be frozen: 409. */
  requestSiteAccess(ticketId: string, dto: SiteAccessRequestDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'RequestSiteAccess', siteId: dto.siteId, at: dto.at }, ctx, { guard: clockRunning });
  }

  /** INC-06: resume. */
  recordSiteAccessObtained(ticketId: string, dto: FactInstantDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'RecordSiteAccessObtained', at: dto?.at }, ctx, { guard: clockRunning });
  }

  /** INC-13: restoration notified; INC-11 penalty computed; INC-10 breach recorded if late. */
  notifyRestoration(ticketId: string, dto: RestorationDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'NotifyRestoration', via: dto.via, at: dto.at }, ctx, {});
  }

  recordExclusion(ticketId: string, dto: SlaExclusionDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'RecordSlaExclusion', cause: dto.cause, note: dto.note }, ctx, {});
  }

  /**
   * INC-15 on the client's request; INC-12 capped per link and billing month. Grants of one link
   * and month are serialised by an advisory lock, and the already-granted total is read from the
   * grants table the service itself writes right after each append (the projection writes the
   * same rows idempotently), so concurrent requests cannot exceed the cap.
   */
  async requestPenalty(ticketId: string, dto: PenaltyRequestDto, ctx: CommandContext): Promise<TicketCommandResult> {
    const { state, revision } = await this.repository.load(ticketDecider, ticketStream(ticketId));
    if (revision < 0) throw notFound(ticketId);
    const month = state.clock ? billingMonthOf(state.clock.notifiedAt) : '';
    const subscriptionId = state.subscriptionId ?? '';
    return this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`incident-penalty:${subscriptionId}:${month}`]);
      const [{ total }] = await tx.query(
        'SELECT coalesce(sum(amount), 0)::text AS total FROM incident_penalty_grants WHERE subscription_id = $1 AND billing_month = $2',
        [subscriptionId, month],
      );
      const { result, events } = await this.runWithEvents(
        ticketId,
        { type: 'GrantSlaPenalty', requestedByContactId: dto.requestedByContactId, alreadyGranted: { billingMonth: month, amount: Money.fromJSON(total).toString() } },
        ctx,
        {},
      );
      await recordGrants(tx, ticketId, events);
      return result;
    });
  }

  declareUnjustified(ticketId: string, dto: UnjustifiedTicketDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'DeclareTicketUnjustified', finding: dto.finding, chargeFee: dto.chargeFee, note: dto.note }, ctx, {});
  }

  requestExpertise(ticketId: string, dto: ExpertiseRequestDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'RequestExpertise', requestedByContactId: dto.requestedByContactId }, ctx, {});
  }

  recordExpertiseOutcome(ticketId: string, dto: ExpertiseOutcomeDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'RecordExpertiseOutcome', justified: dto.justified, note: dto.note }, ctx, {});
  }

  close(ticketId: string, dto: CloseTicketDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'CloseTicket', clientInformedVia: dto.clientInformedVia }, ctx, {});
  }

  confirmResolution(ticketId: string, dto: ConfirmResolutionDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'ConfirmResolution', contactId: dto.contactId }, ctx, {});
  }

  reopen(ticketId: string, dto: ReopenTicketDto, ctx: CommandContext) {
    return this.run(ticketId, { type: 'ReopenTicket', requestedByContactId: dto.requestedByContactId, reason: dto.reason }, ctx, {});
  }

  /**
   * Due-action handler ('incident.sla_breach', 'incident.auto_close'). The action's deterministic
   * command id makes a second dispatch of the same occurrence write nothing; the decider itself
   * returns no events for a breach already recorded (exactly once per ticket).
   */
  async runDueAction(action: DueAction): Promise<void> {
    const ticketId = String(action.payload.ticketId);
    const ctx: CommandContext = {
      actor: SYSTEM_ACTOR,
      correlationId: action.commandId,
      causationId: null,
      commandId: action.commandId,
      reason: `due action ${action.kind} (${action.key})`,
    };
    await this.repository.execute(ticketDecider, ticketStream(ticketId), commandForDueAction(action.kind, action.payload), ctx, this.clock.now());
  }

  // ---- queries -----------------------------------------------------------------------------------

  async get(ticketId: string): Promise<TicketView> {
    const row = await this.dataSource.getRepository(TicketRow).findOneBy({ ticketId });
    if (!row) throw notFound(ticketId);
    return (await this.views([row], this.clock.now()))[0];
  }

  async list(filter: TicketFilter): Promise<Page<TicketView>> {
    const { limit, offset } = pageOf(filter);
    const qb = this.dataSource.getRepository(TicketRow).createQueryBuilder('t');
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    if (filter.customerId) qb.andWhere('t.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.subscriptionId) qb.andWhere('t.subscription_id = :subscriptionId', { subscriptionId: filter.subscriptionId });
    if (filter.siteId) qb.andWhere('t.impacted_site_ids @> :site::jsonb', { site: JSON.stringify([filter.siteId]) });
    qb.orderBy('coalesce(t.notified_at, t.qualified_at)', 'DESC', 'NULLS LAST').addOrderBy('t.ticket_id').skip(offset).take(limit);
    const [rows, total] = await qb.getManyAndCount();
    return { items: await this.views(rows, this.clock.now()), total, limit, offset };
  }

  /** Tickets not closed (open or resolved), with live clocks, most urgent deadline first. */
  async board(page: PageArgs): Promise<Page<TicketView>> {
    const { limit, offset } = pageOf(page);
    const [rows, total] = await this.dataSource
      .getRepository(TicketRow)
      .createQueryBuilder('t')
      .where(`t.status IN ('open', 'resolved')`)
      .orderBy(`CASE t.status WHEN 'open' THEN 0 ELSE 1 END`)
      .addOrderBy('t.sla_deadline', 'ASC', 'NULLS LAST')
      .addOrderBy('t.notified_at', 'ASC')
      .addOrderBy('t.ticket_id')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    return { items: await this.views(rows, this.clock.now()), total, limit, offset };
  }

  /** INC-11/12/14/15: penalties of a link per billing month, with the monthly cap applied. */
  async penalties(subscriptionId: string, month: string | undefined, page: PageArgs): Promise<PenaltyMonth[]> {
    if (month !== undefined && !isYearMonth(month)) {
      throw new ValidationError('validation_failed', `month ${yearMonthProblem(month)}`, [{ field: 'month', rule: 'INC-12', message: 'YYYY-MM' }]);
    }
    const { limit, offset } = pageOf(page);
    const rows = await this.dataSource
      .getRepository(PenaltyRow)
      .find({ where: month ? { subscriptionId, billingMonth: month } : { subscriptionId }, order: { billingMonth: 'DESC', notifiedAt: 'ASC', ticketId: 'ASC' } });
    const grants: Array<{ billing_month: string; total: string }> = await this.dataSource.query(
      `SELECT billing_month, sum(amount)::text AS total FROM incident_penalty_grants WHERE subscription_id = $1 ${month ? 'AND billing_month = $2' : ''} GROUP BY billing_month`,
      month ? [subscriptionId, month] : [subscriptionId],
    );
    const granted = new Map(grants.map((g) => [g.billing_month, Money.fromJSON(g.total)]));
    const months = [...new Set(rows.map((r) => r.billingMonth))];
    return months.slice(offset, offset + limit).map((m) => summarise(subscriptionId, m, rows.filter((r) => r.billingMonth === m), granted.get(m) ?? Money.zero()));
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** The rows as shown: free text opened for the whole page at once, live clocks computed at `now`. */
  private async views(rows: TicketRow[], now: Date): Promise<TicketView[]> {
    const opened = await this.personalText.revealRows(rows, TICKET_TEXTS);
    return opened.map((row) => this.view(row as unknown as Omit<TicketRow, TicketText> & Record<TicketText, string | null>, now));
  }

  private view(row: Omit<TicketRow, TicketText> & Record<TicketText, string | null>, now: Date): TicketView {
    const { clock, ...rest } = row;
    if (!clock) return { ...rest, clock: null };
    const sla = row.slaApplies;
    const elapsed = elapsedMs(clock, now);
    const remaining = sla ? remainingMs(clock, now) : null;
    return {
      ...rest,
      clock: {
        asOf: now,
        status: clockStatus(clock, now),
        basis: clock.basis,
        notifiedAt: new Date(clock.notifiedAt),
        elapsedMs: elapsed,
        elapsed: duration(elapsed),
        allowanceMs: sla ? allowanceMs(clock) : null,
        deadline: sla ? slaDeadline(clock) : null,
        remainingMs: remaining,
        remaining: remaining === null ? null : duration(remaining),
        breached: sla && (row.breachDeadline !== null || breached(clock, now)),
        frozen: clock.frozen.map((f: FrozenPeriod) => ({ from: new Date(f.from), to: f.to === null ? null : new Date(f.to), reason: f.reason })),
      },
    };
  }

  /** INC-04: the impacted subscription is one of the customer's links, of the stated service type. */
  private async checkLink(state: TicketState, dto: OpenTicketDto): Promise<void> {
    const links: Array<{ customer_id: string; service: string }> = await this.dataSource.query(
      'SELECT customer_id, service FROM incident_links WHERE subscription_id = $1',
      [dto.subscriptionId],
    );
    const link = links[0];
    if (!link || link.customer_id !== state.customerId) {
      throw new DomainError('unknown_subscription', `Subscription ${dto.subscriptionId} is not a subscription of the customer`, 'INC-04', 'subscriptionId');
    }
    if (link.service !== dto.serviceType) {
      throw new DomainError('service_type_mismatch', `Subscription ${dto.subscriptionId} is a ${link.service} service, not ${dto.serviceType}`, 'INC-04', 'serviceType');
    }
  }

  /**
   * INC-03: `INC-<year>-<6 digits>`, per Paris year of the notification, the next number after the
   * year's last one, under an advisory lock. One reference per ticket: a retried opening reuses it.
   */
  private async allocateReference(ticketId: string, year: number): Promise<string> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`incident-reference:${year}`]);
      const existing: Array<{ reference: string }> = await tx.query('SELECT reference FROM incident_ticket_references WHERE ticket_id = $1', [ticketId]);
      if (existing[0]) return existing[0].reference;
      const [{ next }] = await tx.query('SELECT coalesce(max(sequence), 0) + 1 AS next FROM incident_ticket_references WHERE year = $1', [year]);
      const reference = formatTicketReference(year, Number(next));
      await tx.query('INSERT INTO incident_ticket_references (reference, year, sequence, ticket_id) VALUES ($1, $2, $3, $4)', [reference, year, Number(next), ticketId]);
      return reference;
    });
  }

  private async run(ticketId: string, command: TicketCommand, ctx: CommandContext, options: RunOptions): Promise<TicketCommandResult> {
    return (await this.runWithEvents(ticketId, command, ctx, options)).result;
  }

  /**
   * Runs the decider through the repository with a wrapper that also counts the events folded, so
   * the expected revision, the existence check and the 409 guards are decided on exactly the
   * state the append is made against (the repository appends at the revision it read).
   */
  private async runWithEvents(ticketId: string, command: TicketCommand, ctx: CommandContext, options: RunOptions) {
    const result = await this.repository.execute(guarded(ticketId, options), ticketStream(ticketId), command, ctx, this.clock.now());
    const state = result.state.s;
    return {
      result: {
        ticketId,
        reference: state.reference,
        status: state.status,
        revision: result.nextExpectedRevision,
        events: result.events.map((e) => e.type),
      } satisfies TicketCommandResult,
      events: result.events,
    };
  }
}

interface RunOptions {
  /** false for the first command of a stream (QualifyCall). */
  mustExist?: boolean;
  guard?: Guard;
}

function guarded(ticketId: string, options: RunOptions): Decider<TicketCommand, TicketEvent, Counted> {
  return {
    initialState: { s: ticketDecider.initialState, n: 0 },
    evolve: (state, event) => ({ s: ticketDecider.evolve(state.s, event), n: state.n + 1 }),
    decide(command, state, now) {
      const revision = state.n - 1;
      if (options.mustExist !== false && revision < 0) throw notFound(ticketId);
      options.guard?.(state.s);
      try {
        return ticketDecider.decide(command, state.s, now);
      } catch (error) {
        if (error instanceof DomainError && CONFLICT_CODES.has(error.code)) throw new ConflictError(error.code, error.message, error.details);
        throw error;
      }
    },
  };
}

/** INC-06: once the restoration is notified (or the ticket found unjustified), the clock is stopped. */
function clockRunning(state: TicketState): void {
  if ((state.status === 'resolved' || state.status === 'closed') && state.clock?.stoppedAt) {
    throw new ConflictError('clock_stopped', `The interruption clock of ${state.reference} stopped at ${state.clock.stoppedAt}: site access can no longer freeze or resume it`, [
      { field: 'ticketId', rule: 'INC-06', message: `ticket is ${state.status}, its clock is stopped` },
    ]);
  }
}

async function recordGrants(tx: EntityManager, ticketId: string, events: Array<{ type: string; revision: number; data: Record<string, unknown> }>): Promise<void> {
  for (const e of events) {
    if (e.type !== 'SlaPenaltyGranted') continue;
    await tx
      .createQueryBuilder()
      .insert()
      .into(PenaltyGrantRow)
      .values({ ticketId, revision: e.revision, subscriptionId: String(e.data.subscriptionId), billingMonth: String(e.data.billingMonth), amount: String(e.data.amount) })
      .orIgnore()
      .execute();
  }
}

function summarise(subscriptionId: string, month: string, rows: PenaltyRow[], granted: Money): PenaltyMonth {
  const cap = Money.fromJSON(rows[rows.length - 1].monthlyFee);
  let room = cap;
  let computed = Money.zero();
  let due = Money.zero();
  const tickets = rows.map((r): PenaltyLine => {
    const c = Money.fromJSON(r.computedAmount);
    const d = r.exclusionCause ? Money.zero() : c;
    const capped = Money.min(d, Money.max(room, Money.zero()));
    room = room.subtract(capped);
    computed = computed.add(c);
    due = due.add(d);
    return {
      ticketId: r.ticketId,
      reference: r.reference,
      notifiedAt: r.notifiedAt,
      interruptionMs: Number(r.interruptionMs),
      tierPercentage: r.tierPercentage,
      computedAmount: c.toString(),
      exclusionCause: r.exclusionCause,
      dueAmount: d.toString(),
      cappedAmount: capped.toString(),
      grantedAmount: Money.fromJSON(r.grantedAmount).toString(),
    };
  });
  const capped = Money.min(due, cap);
  const remaining = Money.max(cap.subtract(granted), Money.zero());
  return {
    subscriptionId,
    billingMonth: month,
    monthlyCap: cap.toString(),
    computedTotal: computed.toString(),
    dueTotal: due.toString(),
    cappedTotal: capped.toString(),
    grantedTotal: granted.toString(),
    remainingCap: remaining.toString(),
    capReached: !remaining.isPositive(),
    tickets,
  };
}

function toTerms(dto: IncidentTermsDto | undefined): Partial<IncidentTerms> | undefined {
  if (!dto) return undefined;
  const terms: Partial<IncidentTerms> = {};
  if (dto.guaranteedLink !== undefined) terms.guaranteedLink = dto.guaranteedLink;
  if (dto.clockBasis !== undefined) terms.clockBasis = dto.clockBasis;
  if (dto.commitment !== undefined) terms.commitment = { hours: dto.commitment.hours, outsideHoursRestoreBeforeHour: dto.commitment.outsideHoursRestoreBeforeHour };
  if (dto.alsaceMoselle !== undefined) terms.alsaceMoselle = dto.alsaceMoselle;
  if (dto.monthlyFee !== undefined) terms.monthlyFee = dto.monthlyFee;
  if (dto.penaltyTiers !== undefined) terms.penaltyTiers = dto.penaltyTiers.map((t) => ({ overHours: t.overHours, upToHours: t.upToHours ?? null, percentage: t.percentage }));
  if (dto.unjustifiedTicketFee !== undefined) terms.unjustifiedTicketFee = dto.unjustifiedTicketFee;
  if (dto.unjustifiedExpertiseFee !== undefined) terms.unjustifiedExpertiseFee = dto.unjustifiedExpertiseFee;
  if (dto.reopenWindowDays !== undefined) terms.reopenWindowDays = dto.reopenWindowDays;
  if (dto.autoCloseAfterDays !== undefined) terms.autoCloseAfterDays = dto.autoCloseAfterDays;
  return terms;
}

/** 'h:mm:ss' of a duration (hours may exceed 24). */
function duration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

function linkTermsView(subscriptionId: string, service: string, state: LinkTermsState): LinkTermsView {
  return { subscriptionId, service, recorded: state.subscriptionId !== null, overrides: state.overrides, terms: resolveIncidentTerms(state.overrides) };
}

export interface LinkTermsView {
  subscriptionId: string;
  service: string;
  /** False while the contract's terms were never recorded (the defaults apply: no SLA). */
  recorded: boolean;
  overrides: Partial<IncidentTerms>;
  terms: IncidentTerms;
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder, type ObjectLiteral } from 'typeorm';
import { CLOCK, type Clock, type Decider, DomainError, NotFoundError, ValidationError, deterministicId } from '@oksio/kernel';
import { EVENT_STORE, type EventStore } from '@oksio/event-store';
import { type CommandContext, type DueAction, EventSourcedRepository, type PageArgs, pageOf } from '@oksio/platform';
import { customerStream } from '../customers/customer.decider';
import type { SubscriptionCommand, SubscriptionCommandType } from '../domain/commands';
import { commitmentBindingOn, monthsRemaining } from '../domain/commitment';
import { commandForDueAction } from '../domain/due-dates';
import { subscriptionStream, type SubscriptionEvent } from '../domain/events';
import { isAfter, isLocalDate, localDateOf } from '../domain/local-date';
import type { SubscriptionState } from '../domain/state';
import type { ResolvedTerms } from '../domain/terms';
import { subscriptionDecider } from '../domain/subscription.decider';
import type { CommitmentsQueryDto, DateRangeQueryDto, OrdersQueryDto, PlaceOrderDto, SubscriptionsQueryDto, SuspensionsQueryDto } from './subscriptions.dto';
import { readTerms } from './contract-terms.store';
import { CommitmentRow, SubscriptionRow, SuspensionRow } from './subscription.entities';

export interface CommandResult {
  subscriptionId: string;
  /** Revision of the stream after the command: send it back as If-Match / expectedRevision. */
  revision: number;
  /** Types of the events the command recorded (empty when it changed nothing). */
  events: string[];
  /** True when the same command id had already been executed (a retry). */
  duplicate: boolean;
  /** The id the command created (notice, migration, change, suspension …), when it creates one. */
  createdId: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface CommitmentView extends CommitmentRow {
  /** SUB-07 convention: whole calendar months after the current month to the end of the binding period, as of `asOf`. */
  monthsRemaining: number;
  /** Number of tacit renewals (SUB-03) of the current commitment. */
  renewalCount: number;
  /** The date (Europe/Paris, from the injected clock) `monthsRemaining` is computed for. */
  asOf: string;
}

/** A contract as the API shows it: its row with its resolved terms (CON-01) instead of their id. */
export type ContractView = Omit<SubscriptionRow, 'termsId'> & { terms: ResolvedTerms | null };

export interface SubscriptionView extends ContractView {
  commitment: CommitmentView | null;
}

/** Commands that create a sub-entity whose id is derived from the command id when the caller gives none. */
const CREATED_ID_FIELD: Partial<Record<SubscriptionCommandType, string>> = {
  ReceiveTerminationNotice: 'noticeId',
  RequestPlanMigration: 'migrationId',
  RequestDataChange: 'changeId',
  RequestEquipmentModification: 'requestId',
  RecordSaturation: 'saturationId',
  SuspendService: 'suspensionId',
  ReportLostOrStolenSim: 'suspensionId',
  NotifyTariffChange: 'changeId',
  NotifyTermsChange: 'changeId',
  NotifySipRateChange: 'changeId',
};

/**
 * The decider run by the repository, with the existence check (404) decided on exactly the state
 * the repository then appends after. The caller's If-Match / expectedRevision is the repository's
 * (CommandContext.precondition).
 */
function guardedDecider(subscriptionId: string): Decider<SubscriptionCommand, SubscriptionEvent, SubscriptionState> {
  return {
    ...subscriptionDecider,
    decide(command, state, now) {
      if (!state.subscriptionId && command.type !== 'PlaceOrder') {
        throw new NotFoundError('subscription_not_found', `No subscription ${subscriptionId}`, [{ field: 'subscriptionId', message: 'unknown subscription' }]);
      }
      return subscriptionDecider.decide(command, state, now);
    },
  };
}

/**
 * Application service of subscription contracts, shared by REST and GraphQL: every command of the
 * decider on stream `subscription-<id>`, the read models (subscriptions, commitments, renewals
 * due, notice deadlines, suspensions, orders) and the due-action handler of the scheduler.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ---- commands ----------------------------------------------------------------------------------

  async placeOrder(dto: PlaceOrderDto, ctx: CommandContext): Promise<CommandResult> {
    const subscriptionId = dto.subscriptionId ?? deterministicId(ctx.commandId, 'subscription');
    const customer = await this.store.readStream(customerStream(dto.customerId), { maxCount: 1 });
    if (customer.length === 0) {
      throw new DomainError('customer_not_found', `No customer ${dto.customerId}: register the customer before ordering`, undefined, 'customerId');
    }
    const command: SubscriptionCommand = {
      type: 'PlaceOrder',
      subscriptionId,
      customerId: dto.customerId,
      service: dto.service,
      items: dto.items.map((i) => ({ ...stripNulls(i) })) as never,
      contractOverrides: dto.contractOverrides as never,
      quoteDate: dto.quoteDate,
      orderAmount: dto.orderAmount,
    };
    return this.execute(subscriptionId, command, ctx);
  }

  /** Any other command: the DTO's fields are the command's fields. */
  async command<T extends Exclude<SubscriptionCommandType, 'PlaceOrder'>>(
    subscriptionId: string,
    type: T,
    input: object,
    ctx: CommandContext,
  ): Promise<CommandResult> {
    const fields: Record<string, unknown> = stripNulls(input);
    const idField = CREATED_ID_FIELD[type];
    if (idField && fields[idField] === undefined) fields[idField] = deterministicId(ctx.commandId, type, idField);
    if (type === 'RecordLineInfo' && fields.previousContractEndsOn === undefined) fields.previousContractEndsOn = null;
    const result = await this.execute(subscriptionId, { ...fields, type } as SubscriptionCommand, ctx);
    return { ...result, createdId: idField ? String(fields[idField]) : null };
  }

  /** Due-action handler: the command listed by `dueDates`, under the action's deterministic command id. */
  async runDueAction(action: DueAction): Promise<void> {
    const command = commandForDueAction(action.kind, action.payload);
    const subscriptionId = String(action.payload.subscriptionId);
    const ctx: CommandContext = {
      actor: { id: 'subscription-scheduler', role: 'system' },
      correlationId: action.commandId,
      causationId: null,
      commandId: action.commandId,
      reason: `due action ${action.key}`,
    };
    await this.repository.execute(subscriptionDecider, subscriptionStream(subscriptionId), command, ctx, this.clock.now());
  }

  private async execute(subscriptionId: string, command: SubscriptionCommand, ctx: CommandContext): Promise<CommandResult> {
    const result = await this.repository.execute(guardedDecider(subscriptionId), subscriptionStream(subscriptionId), command, ctx, this.clock.now());
    return {
      subscriptionId,
      revision: result.nextExpectedRevision,
      events: result.events.map((e) => e.type),
      duplicate: result.duplicateCommand,
      createdId: command.type === 'PlaceOrder' ? subscriptionId : null,
    };
  }

  // ---- queries -----------------------------------------------------------------------------------

  /** Today in Europe/Paris according to the injected clock (test clock included). */
  today(): string {
    return localDateOf(this.clock.now());
  }

  async get(subscriptionId: string): Promise<SubscriptionView> {
    const row = await this.dataSource.getRepository(SubscriptionRow).findOneBy({ subscriptionId });
    if (!row) throw new NotFoundError('subscription_not_found', `No subscription ${subscriptionId}`, [{ field: 'subscriptionId', message: 'unknown subscription' }]);
    const commitment = await this.dataSource.getRepository(CommitmentRow).findOneBy({ subscriptionId, lineId: '' });
    const [view] = await this.withTerms([row]);
    return { ...view, commitment: commitment ? this.commitmentView(commitment, this.today()) : null };
  }

  /** Rows with their resolved terms (one query for the distinct terms of the page). */
  private async withTerms(rows: SubscriptionRow[]): Promise<ContractView[]> {
    const terms = await readTerms(this.dataSource, rows.flatMap((r) => (r.termsId ? [r.termsId] : [])));
    return rows.map(({ termsId, ...row }) => ({ ...row, terms: termsId ? terms.get(termsId)! : null }));
  }

  private async contractPage(qb: SelectQueryBuilder<SubscriptionRow>, q: PageArgs): Promise<Page<ContractView>> {
    const rows = await page(qb, q);
    return { ...rows, items: await this.withTerms(rows.items) };
  }

  async list(q: SubscriptionsQueryDto): Promise<Page<ContractView>> {
    const qb = this.dataSource.getRepository(SubscriptionRow).createQueryBuilder('s');
    if (q.customerId) qb.andWhere('s.customer_id = :customerId', { customerId: q.customerId });
    if (q.status) qb.andWhere('s.status = :status', { status: q.status });
    if (q.service) qb.andWhere('s.service = :service', { service: q.service });
    return this.contractPage(qb.orderBy('s.placed_at', 'DESC').addOrderBy('s.subscription_id'), q);
  }

  /** Orders by status (SUB-09): pending feasibility, accepted, refused, cancelled, delivered. */
  async orders(q: OrdersQueryDto): Promise<Page<ContractView>> {
    const qb = this.dataSource.getRepository(SubscriptionRow).createQueryBuilder('s');
    if (q.status) qb.andWhere('s.order_status = :status', { status: q.status });
    if (q.customerId) qb.andWhere('s.customer_id = :customerId', { customerId: q.customerId });
    if (q.service) qb.andWhere('s.service = :service', { service: q.service });
    return this.contractPage(qb.orderBy('s.placed_at', 'ASC').addOrderBy('s.subscription_id'), q);
  }

  async commitments(q: CommitmentsQueryDto): Promise<Page<CommitmentView>> {
    const qb = this.dataSource.getRepository(CommitmentRow).createQueryBuilder('c');
    if (q.subscriptionId) qb.andWhere('c.subscription_id = :subscriptionId', { subscriptionId: q.subscriptionId });
    if (q.customerId) qb.andWhere('c.customer_id = :customerId', { customerId: q.customerId });
    if (q.service) qb.andWhere('c.service = :service', { service: q.service });
    if (q.scope) qb.andWhere('c.scope = :scope', { scope: q.scope });
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    return this.commitmentPage(qb.orderBy('c.subscription_id').addOrderBy('c.line_id'), q);
  }

  /** SUB-03: contracts whose current period ends in [from, to] and renews tacitly (no termination by then). */
  async renewalsDue(q: DateRangeQueryDto): Promise<Page<CommitmentView>> {
    const { from, to } = range(q);
    const qb = this.contractCommitments(q)
      .andWhere('c.renews_at_period_end = true')
      .andWhere('c.period_end_on BETWEEN :from AND :to', { from, to });
    return this.commitmentPage(qb.orderBy('c.period_end_on').addOrderBy('c.subscription_id'), q);
  }

  /** SUB-04: latest receipt dates of a termination letter (for the current period) falling in [from, to]. */
  async noticeDeadlines(q: DateRangeQueryDto): Promise<Page<CommitmentView>> {
    const { from, to } = range(q);
    const qb = this.contractCommitments(q).andWhere('c.notice_deadline_on BETWEEN :from AND :to', { from, to });
    return this.commitmentPage(qb.orderBy('c.notice_deadline_on').addOrderBy('c.subscription_id'), q);
  }

  async suspensions(q: SuspensionsQueryDto): Promise<Page<SuspensionRow>> {
    const qb = this.dataSource.getRepository(SuspensionRow).createQueryBuilder('x');
    const state = q.state ?? 'all';
    if (state !== 'all') qb.andWhere('x.active = :active', { active: state === 'active' });
    if (q.subscriptionId) qb.andWhere('x.subscription_id = :subscriptionId', { subscriptionId: q.subscriptionId });
    if (q.customerId) qb.andWhere('x.customer_id = :customerId', { customerId: q.customerId });
    if (q.reason) qb.andWhere('x.reason = :reason', { reason: q.reason });
    return page(qb.orderBy('x.suspended_at', 'DESC').addOrderBy('x.suspension_id'), q);
  }

  private contractCommitments(q: DateRangeQueryDto) {
    const qb = this.dataSource.getRepository(CommitmentRow).createQueryBuilder('c').where(`c.scope = 'contract'`).andWhere(`c.status = 'active'`);
    if (q.customerId) qb.andWhere('c.customer_id = :customerId', { customerId: q.customerId });
    if (q.service) qb.andWhere('c.service = :service', { service: q.service });
    return qb;
  }

  private async commitmentPage(qb: SelectQueryBuilder<CommitmentRow>, q: PageArgs): Promise<Page<CommitmentView>> {
    const result = await page(qb, q);
    const today = this.today();
    return { ...result, items: result.items.map((row) => this.commitmentView(row, today)) };
  }

  /**
   * Months remaining are computed now, from the injected clock and the commitment calendar
   * (never stored, so they cannot go stale): whole months after the current month to the last
   * day of the period binding today — none in a renewal period under SUB-05 (decision 6).
   */
  private commitmentView(row: CommitmentRow, today: string): CommitmentView {
    let months = 0;
    if (row.status === 'active') {
      const schedule = { firstDay: row.anchorOn, initialTermMonths: row.initialTermMonths, renewalPeriodMonths: row.renewalPeriodMonths };
      const binding = commitmentBindingOn(schedule, today, row.noticeRule);
      const end = binding && row.pendingEndOn && isAfter(binding.lastDay, row.pendingEndOn) ? row.pendingEndOn : binding?.lastDay;
      months = end ? monthsRemaining(today, end) : 0;
    }
    return { ...row, monthsRemaining: months, renewalCount: row.periodIndex, asOf: today };
  }
}

function range(q: { from: string; to: string }): { from: string; to: string } {
  if (!isLocalDate(q.from) || !isLocalDate(q.to)) {
    throw new ValidationError('validation_failed', 'from and to must be calendar dates YYYY-MM-DD', [{ field: isLocalDate(q.from) ? 'to' : 'from', message: 'expected YYYY-MM-DD' }]);
  }
  if (isAfter(q.from, q.to)) throw new ValidationError('invalid_range', `from ${q.from} is after to ${q.to}`, [{ field: 'from', message: 'must not be after to' }]);
  return q;
}

async function page<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, q: PageArgs): Promise<Page<T>> {
  const { limit, offset } = pageOf(q);
  const [items, total] = await qb.take(limit).skip(offset).getManyAndCount();
  return { items, total, limit, offset };
}

/** GraphQL passes omitted nullable fields as null; the domain expects them absent. */
function stripNulls(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
}

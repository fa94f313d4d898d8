import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, ConflictError, deterministicId } from '@oksio/kernel';
import { EVENT_STORE, type EventStore } from '@oksio/event-store';
import { type CommandContext, type DueAction, EventSourcedRepository, pageOf } from '@oksio/platform';
import { subscriptionStream } from '../domain/events';
import { subscriptionDecider } from '../domain/subscription.decider';
import { NonPaymentCaseRow } from './non-payment.entities';
import {
  INVOICE_STREAM_CATEGORY,
  NON_PAYMENT_POLICY_STREAM,
  nonPaymentPolicyDecider,
  policyFromEnv,
  settledFromInvoiceEvents,
  stepsFor,
  type NonPaymentActionKind,
  type NonPaymentActionPayload,
  type NonPaymentPolicy,
} from './non-payment.process';

export interface NonPaymentPolicyView extends NonPaymentPolicy {
  /** `operator`: set through the API (audited on its stream); `default`: the installation default (env). */
  source: 'operator' | 'default';
  setAt: string | null;
  defaultPolicy: NonPaymentPolicy;
}

export interface NonPaymentCasesQuery {
  status?: string;
  customerId?: string;
  subscriptionId?: string;
  limit?: number | null;
  offset?: number | null;
}

/**
 * The non-payment process manager's application side (SUS-02, SUS-06): the due-action handler that
 * turns a case's action into subscription commands, the operator's policy, and the cases read model.
 * Shared by REST and GraphQL.
 */
@Injectable()
export class NonPaymentService {
  private readonly logger = new Logger('NonPayment');
  private readonly defaultPolicy: NonPaymentPolicy = policyFromEnv(process.env);

  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Runs one action of a case: the steps are decided on the contract's state, the policy in force
   * and Billing's invoice stream as they are now (a payment recorded a moment ago stops a
   * suspension). One command per step, under the action's command id (a lift: derived from it and
   * the suspension), so a replayed action records nothing twice. A concurrent write on the contract
   * is decided again on the new state.
   */
  async runDueAction(action: DueAction): Promise<void> {
    const payload = action.payload as NonPaymentActionPayload;
    const kind = action.kind as NonPaymentActionKind;
    const stream = subscriptionStream(payload.subscriptionId);
    for (let attempt = 1; ; attempt++) {
      const policy = await this.currentPolicy();
      const invoiceEvents = await this.store.readStream(`${INVOICE_STREAM_CATEGORY}-${payload.invoiceId}`);
      const { state } = await this.repository.load(subscriptionDecider, stream);
      if (!state.subscriptionId) {
        this.logger.warn(`${action.key}: no subscription ${payload.subscriptionId}`);
        return;
      }
      try {
        for (const step of stepsFor(kind, payload, state, policy, settledFromInvoiceEvents(invoiceEvents))) {
          if ('skip' in step) {
            this.logger.log(`${action.key}: nothing sent (${step.skip})`);
            continue;
          }
          const commandId = step.send.type === 'LiftSuspension' ? deterministicId(action.commandId, 'lift', step.send.suspensionId) : action.commandId;
          const ctx: CommandContext = {
            actor: { id: 'subscription-nonpayment', role: 'system' },
            correlationId: action.commandId,
            causationId: null,
            commandId,
            reason: `${step.why} (due action ${action.key})`,
          };
          await this.repository.execute(subscriptionDecider, stream, step.send, ctx, this.clock.now());
        }
        return;
      } catch (error) {
        if (!(error instanceof ConflictError) || error.code !== 'concurrency_conflict' || attempt >= 5) throw error;
      }
    }
  }

  // ---- policy ------------------------------------------------------------------------------------

  async currentPolicy(): Promise<NonPaymentPolicy> {
    const { state } = await this.repository.load(nonPaymentPolicyDecider, NON_PAYMENT_POLICY_STREAM);
    return state.policy ?? this.defaultPolicy;
  }

  async policy(): Promise<NonPaymentPolicyView> {
    const { state } = await this.repository.load(nonPaymentPolicyDecider, NON_PAYMENT_POLICY_STREAM);
    return { ...(state.policy ?? this.defaultPolicy), source: state.policy ? 'operator' : 'default', setAt: state.setAt, defaultPolicy: this.defaultPolicy };
  }

  async setPolicy(input: NonPaymentPolicy & { reason: string }, ctx: CommandContext): Promise<NonPaymentPolicyView & { events: string[] }> {
    const result = await this.repository.execute(
      nonPaymentPolicyDecider,
      NON_PAYMENT_POLICY_STREAM,
      { type: 'SetNonPaymentPolicy', serviceSuspension: input.serviceSuspension, deliveriesSuspension: input.deliveriesSuspension, reason: input.reason },
      ctx,
      this.clock.now(),
    );
    return { ...(await this.policy()), events: result.events.map((e) => e.type) };
  }

  // ---- cases -------------------------------------------------------------------------------------

  async cases(q: NonPaymentCasesQuery): Promise<{ items: NonPaymentCaseRow[]; total: number; limit: number; offset: number }> {
    const qb = this.dataSource.getRepository(NonPaymentCaseRow).createQueryBuilder('c');
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    if (q.customerId) qb.andWhere('c.customer_id = :customerId', { customerId: q.customerId });
    if (q.subscriptionId) qb.andWhere('c.subscription_ids @> :sub::jsonb', { sub: JSON.stringify([q.subscriptionId]) });
    const { limit, offset } = pageOf(q);
    const [items, total] = await qb.orderBy('c.due_on', 'ASC').addOrderBy('c.invoice_id').take(limit).skip(offset).getManyAndCount();
    return { items, total, limit, offset };
  }
}

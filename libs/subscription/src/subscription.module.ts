import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditService, WorkerService } from '@oksio/platform';
import { SubscriptionsController } from './contracts/subscriptions.controller';
import { createSubscriptionsProjection } from './contracts/subscriptions.projection';
import { SubscriptionsResolver } from './contracts/subscriptions.resolver';
import { SubscriptionsService } from './contracts/subscriptions.service';
import { customerDecider } from './customers/customer.decider';
import { CustomersController } from './customers/customers.controller';
import { CustomersProjection } from './customers/customers.projection';
import { CustomersResolver } from './customers/customers.resolver';
import { CustomersService } from './customers/customers.service';
import { DUE_ACTION_KINDS } from './domain/due-dates';
import { subscriptionDecider } from './domain/subscription.decider';

/** Subscription context: customers, orders, contracts, commitments, terminations, suspensions. */
@Module({
  controllers: [CustomersController, SubscriptionsController],
  providers: [CustomersService, CustomersResolver, CustomersProjection, SubscriptionsService, SubscriptionsResolver],
  exports: [CustomersService, SubscriptionsService],
})
export class SubscriptionModule implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly audit: AuditService,
    private readonly customersProjection: CustomersProjection,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  onModuleInit(): void {
    this.worker.registerProjection(this.customersProjection);
    this.audit.registerStreamCategory('customer', customerDecider as never);
    // Read models and due actions of contracts, folded with the domain's evolve.
    this.worker.registerProjection(createSubscriptionsProjection());
    // One handler per due-action kind: the listed command, under the action's deterministic command id.
    for (const kind of DUE_ACTION_KINDS) this.worker.registerDueActionHandler(kind, (action) => this.subscriptions.runDueAction(action));
    this.audit.registerStreamCategory('subscription', subscriptionDecider as never);
  }
}

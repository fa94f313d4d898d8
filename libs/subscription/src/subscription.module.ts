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
import { NonPaymentController } from './non-payment/non-payment.controller';
import { NON_PAYMENT_ACTION_KIND_LIST, nonPaymentPolicyDecider } from './non-payment/non-payment.process';
import { createNonPaymentProjection } from './non-payment/non-payment.projection';
import { NonPaymentResolver } from './non-payment/non-payment.resolver';
import { NonPaymentService } from './non-payment/non-payment.service';

/** Subscription context: customers, orders, contracts, commitments, terminations, suspensions. */
@Module({
  controllers: [CustomersController, SubscriptionsController, NonPaymentController],
  providers: [CustomersService, CustomersResolver, CustomersProjection, SubscriptionsService, SubscriptionsResolver, NonPaymentService, NonPaymentResolver],
  exports: [CustomersService, SubscriptionsService, NonPaymentService],
})
export class SubscriptionModule implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly audit: AuditService,
    private readonly customersProjection: CustomersProjection,
    private readonly subscriptions: SubscriptionsService,
    private readonly nonPayment: NonPaymentService,
  ) {}

  onModuleInit(): void {
    this.worker.registerProjection(this.customersProjection);
    this.audit.registerStreamCategory('customer', customerDecider as never);
    // Read models and due actions of contracts, folded with the domain's evolve.
    this.worker.registerProjection(createSubscriptionsProjection());
    // One handler per due-action kind: the listed command, under the action's deterministic command id.
    for (const kind of DUE_ACTION_KINDS) this.worker.registerDueActionHandler(kind, (action) => this.subscriptions.runDueAction(action));
    this.audit.registerStreamCategory('subscription', subscriptionDecider as never);
    // Non-payment process manager (SUS-02, SUS-06): Billing's invoice events → cases → due actions → subscription commands.
    this.worker.registerProjection(createNonPaymentProjection());
    for (const kind of NON_PAYMENT_ACTION_KIND_LIST) this.worker.registerDueActionHandler(kind, (action) => this.nonPayment.runDueAction(action));
    this.audit.registerStreamCategory('subscriptionpolicy', nonPaymentPolicyDecider as never);
  }
}

import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditService, WorkerService } from '@oksio/platform';
import { customerDecider } from './customers/customer.decider';
import { CustomersController } from './customers/customers.controller';
import { CustomersProjection } from './customers/customers.projection';
import { CustomersResolver } from './customers/customers.resolver';
import { CustomersService } from './customers/customers.service';

/** Subscription context: customers, orders, contracts, commitments, terminations, suspensions. */
@Module({
  controllers: [CustomersController],
  providers: [CustomersService, CustomersResolver, CustomersProjection],
  exports: [CustomersService],
})
export class SubscriptionModule implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly audit: AuditService,
    private readonly customersProjection: CustomersProjection,
  ) {}

  onModuleInit(): void {
    this.worker.registerProjection(this.customersProjection);
    this.audit.registerStreamCategory('customer', customerDecider as never);
  }
}

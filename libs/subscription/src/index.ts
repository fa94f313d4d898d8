export * from './subscription.module';
export * from './database/migrations';
export * from './database/entities';
export * from './customers/customer.decider';
export * from './customers/customers.service';
export * from './domain';

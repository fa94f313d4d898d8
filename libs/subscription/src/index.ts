export * from './subscription.module';
export * from './database/migrations';
export * from './database/entities';
export * from './customers/customer.decider';
export * from './customers/customers.service';
export * from './contracts/subscriptions.service';
export * from './contracts/subscription.entities';
export { SUBSCRIPTIONS_PROJECTION } from './contracts/subscriptions.projection';
export * from './domain';

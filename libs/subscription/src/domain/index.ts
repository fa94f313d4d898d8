/**
 * Public API of the subscription domain: pure code only (no Nest, TypeORM or event store).
 */
export * from './local-date';
export * from './terms';
export * from './commitment';
export * from './early-termination';
export * from './notices';
export * from './eligibility';
export * from './commands';
export * from './events';
export { evolve as evolveSubscription, initialSubscriptionState, acceptedOrdersInProgress } from './state';
export type { SubscriptionState, Phase, ItemState, PendingTermination, MigrationState, DataChangeState, SuspensionState } from './state';
export { bindingCommitmentLastDay } from './termination';
export { dueDates, commandForDueAction, DUE_ACTION_KINDS } from './due-dates';
export type { SubscriptionDueDate, DueActionKind } from './due-dates';
export { createSubscriptionDecider, subscriptionDecider } from './subscription.decider';
export type { SubscriptionDecider, SubscriptionDeciderOptions } from './subscription.decider';

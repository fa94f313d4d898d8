/**
 * Public API of the incident domain (pure: no Nest, TypeORM or event store).
 */
export * from './commands';
export * from './events';
export * from './state';
export * from './terms';
export * from './reference';
export * from './support-hours';
export * from './penalties';
export * from './due-dates';
export { ticketDecider, ticketStream } from './ticket.decider';
export * from './link-terms';
export {
  DEFAULT_COMMITMENT,
  allowanceMs,
  breached,
  elapsedMs,
  freeze,
  isFrozen,
  outsideHoursDeadline,
  remainingMs,
  restart,
  resume,
  slaDeadline,
  startClock,
  status as clockStatus,
  stop,
  type ClockBasis,
  type ClockStatus,
  type FreezeReason,
  type FrozenPeriod,
  type InterruptionClock,
  type RestorationCommitment,
  type StartClockInput,
} from './interruption-clock';
export { parisMonth as billingMonthOf } from './time';

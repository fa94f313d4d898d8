import { BILLING_CORE_ENTITIES, BILLING_CORE_MIGRATIONS } from './database';
import { RATING_ENTITIES, RATING_MIGRATIONS } from './rating';

export * from './billing.module';
export * from './free-text';
export * from './domain';
export { BillingService, CONSUMPTION_SOURCE, type RunResult } from './application/billing.service';
export { BillingQueries } from './application/billing-queries.service';
export { InvoiceRegisterService } from './application/register.service';
export { BILLING_SETTINGS, DUE as BILLING_DUE_ACTIONS } from './application/tokens';
export * from './database';
export { SipRatingModule, RatingService, RATING_ENTITIES, RATING_MIGRATIONS } from './rating';

/** Billing's database parts, SIP rating included. */
export const BILLING_MIGRATIONS = [...RATING_MIGRATIONS, ...BILLING_CORE_MIGRATIONS];
export const BILLING_ENTITIES = [...RATING_ENTITIES, ...BILLING_CORE_ENTITIES];

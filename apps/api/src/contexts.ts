import { PLATFORM_MIGRATIONS, type RuntimeParts } from '@oksio/platform';
import { BILLING_ENTITIES, BILLING_FREE_TEXT, BILLING_MIGRATIONS, BillingModule } from '@oksio/billing';
import { INCIDENT_ENTITIES, INCIDENT_MIGRATIONS, IncidentModule, TICKET_FREE_TEXT } from '@oksio/incident';
import { PORTABILITY_ENTITIES, PORTABILITY_FREE_TEXT, PORTABILITY_MIGRATIONS, PortabilityModule } from '@oksio/portability';
import { PRIVACY_ENTITIES, PRIVACY_FREE_TEXT, PRIVACY_MIGRATIONS, PrivacyCoreModule, PrivacyModule } from '@oksio/privacy';
import { SUBSCRIPTION_ENTITIES, SUBSCRIPTION_FREE_TEXT, SUBSCRIPTION_MIGRATIONS, SubscriptionModule } from '@oksio/subscription';

/** The bounded contexts this deployment runs: their Nest modules and their database parts. */
export const CONTEXT_MODULES = [PrivacyCoreModule, PrivacyModule, SubscriptionModule, IncidentModule, PortabilityModule, BillingModule];

export const DATABASE_PARTS: RuntimeParts = {
  entities: [...PRIVACY_ENTITIES, ...SUBSCRIPTION_ENTITIES, ...INCIDENT_ENTITIES, ...PORTABILITY_ENTITIES, ...BILLING_ENTITIES],
  migrations: [...PLATFORM_MIGRATIONS, ...PRIVACY_MIGRATIONS, ...SUBSCRIPTION_MIGRATIONS, ...INCIDENT_MIGRATIONS, ...PORTABILITY_MIGRATIONS, ...BILLING_MIGRATIONS],
  // The event fields people type free text into: sealed for the stream's data subject (issue 18 item 7).
  freeText: [...PRIVACY_FREE_TEXT, ...SUBSCRIPTION_FREE_TEXT, TICKET_FREE_TEXT, ...PORTABILITY_FREE_TEXT, ...BILLING_FREE_TEXT],
};

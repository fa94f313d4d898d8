import type { FreeTextFields } from '@oksio/kernel';
import type { SubscriptionEvent } from './domain/events';
import type { NonPaymentPolicyEvent } from './non-payment/non-payment.process';

/**
 * The Subscription context's free-text event fields (issue 18 item 7): what support types about a
 * customer's order (why a study refused it, why a guarantee is asked — an insolvency risk), its
 * data changes and equipment requests, and the text of change notices. Sealed at append for the
 * customer; none of them is kept by a read model. The non-payment policy's reason belongs to no
 * customer (sealed for the platform subject).
 */
export const SUBSCRIPTION_FREE_TEXT: ReadonlyArray<FreeTextFields<any>> = [
  {
    OrderRefused: ['reason'],
    GuaranteeRequested: ['insolvencyRiskReason'],
    DataChangeRequested: ['details'],
    DataChangeFeasibilityConcluded: ['reason'],
    EquipmentModificationRequested: ['description'],
    TariffChangeNotified: ['description'],
    TermsChangeNotified: ['description'],
    SipRateChangeNotified: ['description'],
  } satisfies FreeTextFields<SubscriptionEvent>,
  { NonPaymentPolicySet: ['reason'] } satisfies FreeTextFields<NonPaymentPolicyEvent>,
];

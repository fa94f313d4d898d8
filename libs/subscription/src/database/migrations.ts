import { Customers1764000200000 } from './1764000200000-customers';
import { Subscriptions1764000200100 } from './1764000200100-subscriptions';
import { NonPayment1764000200200 } from './1764000200200-nonpayment';
import { InlineSubscriptionRows1764000200300 } from './1764000200300-inline-subscription-rows';
import { SharedSubscriptionTerms1764000200400 } from './1764000200400-shared-subscription-terms';
import { LineCommitments1764000200500 } from './1764000200500-line-commitments';
import { NoNoticeDeadlineFromReceipt1764000200680 } from './1764000200680-no-notice-deadline-from-receipt';

export const SUBSCRIPTION_MIGRATIONS = [Customers1764000200000, Subscriptions1764000200100, NonPayment1764000200200, InlineSubscriptionRows1764000200300, SharedSubscriptionTerms1764000200400, LineCommitments1764000200500, NoNoticeDeadlineFromReceipt1764000200680];

import { CommitmentRow, SubscriptionRow, SuspensionRow } from '../contracts/subscription.entities';
import { CustomerContactRow, CustomerRow } from '../customers/customer.entities';

export const SUBSCRIPTION_ENTITIES = [CustomerRow, CustomerContactRow, SubscriptionRow, CommitmentRow, SuspensionRow];

import { CommitmentRow, ContractCommitmentRow, LineCommitmentRow, SubscriptionRow, SubscriptionTermsRow, SuspensionRow } from '../contracts/subscription.entities';
import { CustomerContactRow, CustomerRow } from '../customers/customer.entities';
import { NonPaymentCaseRow } from '../non-payment/non-payment.entities';

export const SUBSCRIPTION_ENTITIES = [CustomerRow, CustomerContactRow, SubscriptionRow, SubscriptionTermsRow, CommitmentRow, ContractCommitmentRow, LineCommitmentRow, SuspensionRow, NonPaymentCaseRow];

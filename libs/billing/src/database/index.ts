import { Billing1764000600000 } from './1764000600000-billing';
import { BillingMandateErasure1764000600100 } from './1764000600100-billing-mandate-erasure';
import { BillingAccountRow, BillingDisputeRow, BillingInvoiceRow, BillingMandateRow, BillingPaymentRow } from './entities';

export const BILLING_CORE_MIGRATIONS = [Billing1764000600000, BillingMandateErasure1764000600100];
export const BILLING_CORE_ENTITIES = [BillingAccountRow, BillingInvoiceRow, BillingPaymentRow, BillingDisputeRow, BillingMandateRow];
export * from './entities';

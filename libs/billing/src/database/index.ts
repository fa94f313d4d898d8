import { Billing1764000600000 } from './1764000600000-billing';
import { BillingMandateErasure1764000600100 } from './1764000600100-billing-mandate-erasure';
import { BillingHandsetOrders1764000600200 } from './1764000600200-billing-handset-orders';
import { SealedBillingTexts1764000600300 } from './1764000600300-sealed-billing-texts';
import { BillingAccountRow, BillingDisputeRow, BillingHandsetOrderRow, BillingInvoiceRow, BillingMandateRow, BillingPaymentRow } from './entities';

export const BILLING_CORE_MIGRATIONS = [Billing1764000600000, BillingMandateErasure1764000600100, BillingHandsetOrders1764000600200, SealedBillingTexts1764000600300];
export const BILLING_CORE_ENTITIES = [BillingAccountRow, BillingInvoiceRow, BillingPaymentRow, BillingDisputeRow, BillingMandateRow, BillingHandsetOrderRow];
export * from './entities';

import type { Decider, DomainEvent } from '@oksio/kernel';
import { applyInvoiceToAccount, type AccountState } from './account';
import type { InvoiceDocument } from './invoice';

/**
 * What has been invoiced to one customer (stream `billingledger-<customerId>`): each invoice is
 * first reserved here, with its full document, at the revision the run read, and only then
 * numbered in the register. The run overlays the reserved documents on the billing accounts
 * before drafting, so a read model that lags (e.g. events of a run still in flight) can never
 * make an item-month, a consumption or a charge billed twice: a concurrent run for the same
 * customer fails on the revision and drafts again; a reserved document not yet numbered is
 * numbered by the next run (crash between the two appends).
 */
export interface CustomerBillingState {
  drafts: Record<string, { billingMonth: string; document: InvoiceDocument }>;
}

export type CustomerBillingCommand = { type: 'ReserveInvoice'; document: InvoiceDocument };
export type CustomerBillingEvent = DomainEvent<'InvoiceDrafted', { customerId: string; invoiceId: string; billingMonth: string; document: InvoiceDocument & Record<string, unknown> }>;

export const customerBillingStream = (customerId: string): string => `billingledger-${customerId}`;

export const customerBillingDecider: Decider<CustomerBillingCommand, CustomerBillingEvent, CustomerBillingState> = {
  initialState: { drafts: {} },
  decide(command, state) {
    const doc = command.document;
    if (state.drafts[doc.invoiceId]) return [];
    return [{ type: 'InvoiceDrafted', data: { customerId: doc.customerId, invoiceId: doc.invoiceId, billingMonth: doc.billingMonth, document: doc as InvoiceDocument & Record<string, unknown> } }];
  },
  evolve(state, event) {
    return { drafts: { ...state.drafts, [event.data.invoiceId]: { billingMonth: event.data.billingMonth, document: event.data.document } } };
  },
};

/** The account as if every reserved invoice were already folded in (those the projection has not seen yet). */
export function overlayReserved(account: AccountState, state: CustomerBillingState): AccountState {
  let out = account;
  for (const { document } of Object.values(state.drafts)) {
    const facts = document.accounts.find((f) => f.subscriptionId === account.subscriptionId);
    if (facts) out = applyInvoiceToAccount(out, document.invoiceId, facts);
  }
  return out;
}

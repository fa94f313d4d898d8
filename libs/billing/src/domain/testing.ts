import { Money } from '@oksio/kernel';
import { applyInvoiceToAccount, evolveAccount, type AccountState, type SourceEvent } from './account';
import { SEED_REFERENCE, type ReferenceState } from './catalogue';
import { draftInvoice, type InvoiceDocument } from './invoice';
import { DEFAULT_BILLING_SETTINGS } from './settings';

/** Test helpers for the billing domain (pure). */
let sequence = 0;
export function source(streamId: string, event: { type: string; data: Record<string, unknown> }, occurredAt = '2026-01-01T10:00:00Z'): SourceEvent {
  sequence += 1;
  return { type: event.type, data: event.data as Record<string, any>, streamId, eventId: `e-${sequence}`, occurredAt };
}

/** Folds subscription events (as the projection would) into a billing account. */
export function accountFrom(events: Array<{ type: string; data: Record<string, unknown> }>, streamId = 'subscription-s1'): AccountState {
  const state = events.reduce<AccountState | null>((s, e) => evolveAccount(s, source(streamId, e)), null);
  if (!state) throw new Error('no account');
  return state;
}

export function bill(
  account: AccountState,
  month: string,
  options: { issuedOn?: string; consumption?: string; reference?: ReferenceState } = {},
): { invoice: InvoiceDocument | null; account: AccountState } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const invoice = draftInvoice({
    invoiceId: `inv-${month}`,
    customerId: account.customerId,
    month,
    issuedOn: options.issuedOn ?? `${next}-01`,
    accounts: [account],
    reference: options.reference ?? SEED_REFERENCE,
    consumption: options.consumption ? { [account.subscriptionId]: { [month]: Money.eur(options.consumption) } } : {},
    settings: DEFAULT_BILLING_SETTINGS,
    buyer: { customerId: account.customerId, companyName: 'Client SARL', siret: '73282932000074', address: null },
    mandateId: null,
  });
  if (!invoice) return { invoice, account };
  const facts = invoice.accounts.find((f) => f.subscriptionId === account.subscriptionId);
  return { invoice, account: facts ? applyInvoiceToAccount(account, invoice.invoiceId, facts) : account };
}

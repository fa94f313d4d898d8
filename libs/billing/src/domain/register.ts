import { DomainError, Money, type Decider, type DomainEvent } from '@oksio/kernel';
import type { LocalDate } from './calendar';
import type { InvoiceDocument, InvoiceLine, Party, Totals } from './invoice';
import type { SellerIdentity } from './settings';

/**
 * The invoice register: one stream per numbering series and year (`invoiceregister-FA2026`,
 * `invoiceregister-AV2026` for credit notes). Issuing IS appending to the register, with the
 * expected revision that was read: the number (last + 1) and the document are written in the same
 * append, i.e. the same database transaction, so a number exists exactly when its invoice does —
 * no gap, no duplicate (a concurrent issuer gets a revision conflict and retries with the next
 * number). An issued document is never changed: corrections are credit notes.
 */
export type Series = 'FA' | 'AV';

export interface CreditNoteDocument extends Totals {
  creditNoteId: string;
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  issuedOn: LocalDate;
  reason: string;
  disputeId: string | null;
  seller: SellerIdentity;
  buyer: Party;
  lines: InvoiceLine[];
}

export type RegisterCommand =
  | { type: 'IssueInvoice'; document: InvoiceDocument }
  | { type: 'IssueCreditNote'; document: CreditNoteDocument };

type Numbered = { series: string; sequence: number; number: string };

export type RegisterEvent =
  | DomainEvent<'InvoiceIssued', InvoiceDocument & Numbered & Record<string, unknown>>
  | DomainEvent<'CreditNoteIssued', CreditNoteDocument & Numbered & Record<string, unknown>>;

export const REGISTER_EVENT_TYPES = ['InvoiceIssued', 'CreditNoteIssued'] as const;

export interface RegisterState {
  lastSequence: number;
}

export const seriesOf = (prefix: Series, issuedOn: LocalDate): string => `${prefix}${issuedOn.slice(0, 4)}`;
export const registerStream = (series: string): string => `invoiceregister-${series}`;
export const formatNumber = (series: string, sequence: number): string => `${series}-${String(sequence).padStart(6, '0')}`;

function next(state: RegisterState, series: string): Numbered {
  const sequence = state.lastSequence + 1;
  return { series, sequence, number: formatNumber(series, sequence) };
}

export function createRegisterDecider(series: string): Decider<RegisterCommand, RegisterEvent, RegisterState> {
  return {
    initialState: { lastSequence: 0 },
    decide(command, state) {
      const doc = command.document;
      if (!doc.issuedOn.startsWith(series.slice(2))) throw new DomainError('wrong_series', `A document of ${doc.issuedOn} is not numbered in ${series}`, 'BIL-01', 'issuedOn');
      if (Money.eur(doc.totalTTC).isNegative()) throw new DomainError('negative_total', 'An invoice or credit note total cannot be negative', 'BIL-01', 'totalTTC');
      if (command.type === 'IssueInvoice') {
        if (!series.startsWith('FA')) throw new DomainError('wrong_series', 'Invoices are numbered in the FA series', 'BIL-01', 'series');
        return [{ type: 'InvoiceIssued', data: { ...command.document, ...next(state, series) } }];
      }
      if (!series.startsWith('AV')) throw new DomainError('wrong_series', 'Credit notes are numbered in the AV series', 'BIL-01', 'series');
      return [{ type: 'CreditNoteIssued', data: { ...command.document, ...next(state, series) } }];
    },
    evolve(state, event) {
      return { lastSequence: Math.max(state.lastSequence, (event.data as Numbered).sequence) };
    },
  };
}

/** For audit replay of any register stream. */
export const registerDecider = createRegisterDecider('FA0000');

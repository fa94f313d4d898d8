import type { Decider, DomainEvent } from '@oksio/kernel';
import type { CdrFormat } from './domain/cdr-parsing';

/**
 * The record of one CDR import (BIL-07): counts and totals only. Called and calling numbers are
 * personal data and never enter the event history (which cannot be rewritten); the CDRs and the
 * rated calls live in deletable rows (retention: 1 year, REFERENCE.md).
 */
export interface LineMonthTotal {
  subscriptionId: string;
  lineId: string;
  billingMonth: string;
  /** Rated calls of the line-month after this import (re-rated as a whole). */
  calls: number;
  billedSeconds: number;
  /** Exact EUR HT amount, decimal string. */
  amount: string;
}

export type CdrBatchImportedData = {
  importId: string;
  format: CdrFormat;
  received: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Rate-table years used by the accepted calls (CON-04). */
  rateYears: number[];
  lineMonths: LineMonthTotal[];
};

export type CdrBatchEvent = DomainEvent<'CdrBatchImported', CdrBatchImportedData>;
export type CdrBatchCommand = { type: 'RecordCdrBatch'; batch: CdrBatchImportedData };
export interface CdrBatchState {
  recorded: boolean;
}

export const cdrBatchStream = (importId: string) => `cdrbatch-${importId}`;

export const cdrBatchDecider: Decider<CdrBatchCommand, CdrBatchEvent, CdrBatchState> = {
  initialState: { recorded: false },
  decide: (command, state) => (state.recorded ? [] : [{ type: 'CdrBatchImported', data: command.batch }]),
  evolve: (_state, event) => (event.type === 'CdrBatchImported' ? { recorded: true } : _state),
};

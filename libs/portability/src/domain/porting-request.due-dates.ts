import { FILE_DOCUMENTS, POR01_DOCUMENTS, type PortingCommand } from './porting-request.commands';
import { OPEN_INBOUND_STATUSES, type PortingState } from './porting-request.state';
import { addDays, endOfLocalDay, startOfLocalDay, type LocalDate } from './local-date';

/**
 * Time-driven actions of a porting case (ARCHITECTURE property 5). The projection feeding the
 * due-actions table calls `portingDueDates(state)` after each event and syncs the table: a key no
 * longer listed is cancelled, a moved date gives a new key. Each entry carries the command the
 * scheduler sends to `streamId`; those commands are idempotent.
 *
 * `dueOn` is the local (Europe/Paris) date concerned; `dueAt` the instant the command is sent:
 * the end of the last allowed day for a deadline, the start of the day for the porting itself.
 */
export const PORTING_DUE_ACTION_KINDS = [
  'portability.documents_deadline',
  'portability.file_deadline',
  'portability.sub15_deadline',
  'portability.execute',
] as const;
export type PortingDueActionKind = (typeof PORTING_DUE_ACTION_KINDS)[number];

export interface PortingDueDate {
  kind: PortingDueActionKind;
  /** `<kind>:<portingId>:<dueOn>`: unique across the shared due-actions table, stable per occurrence. */
  key: string;
  rule: string;
  dueOn: LocalDate;
  dueAt: Date;
  streamId: string;
  command: PortingCommand;
}

export const portingStream = (portingId: string): string => `porting-${portingId}`;

/**
 * Documents that had not reached OKSIO by the POR-01 deadline (a first receipt after it does not
 * count). POR-01 names the RIO, previous contracts, last 3 invoices and termination letters;
 * decision: the subscription documents and the porting form, which CP Mobile 11.1 says travel with
 * them, are expected by the same day — otherwise a case without a porting form would stay open
 * for ever, with no porting date to count POR-05 from.
 */
export function missingByDocumentsDeadline(state: PortingState): string[] {
  const asOf = state.documentsDueOn;
  return FILE_DOCUMENTS.filter((kind) => {
    const receipt = state.documents[kind];
    return !receipt || (asOf !== null && receipt.firstReceivedOn > asOf);
  });
}

/** The POR-01 documents among them. */
export function missingPor01Documents(state: PortingState): string[] {
  const missing = missingByDocumentsDeadline(state);
  return POR01_DOCUMENTS.filter((kind) => missing.includes(kind));
}

export function missingFileDocuments(state: PortingState): string[] {
  return FILE_DOCUMENTS.filter((kind) => !state.documents[kind]);
}

/** SUB-15: what is still to collect for the line (RIO, previous contract's end date). */
export function outstandingLineInfo(state: PortingState): string[] {
  const out: string[] = [];
  if (!state.rio) out.push('rio');
  if (!state.previousContractEndsOn) out.push('previous_contract_end_date');
  return out;
}

/** POR-05: the last day on which the complete file may reach OKSIO for the porting date stated. */
export const lastFileDayFor = (portingDate: LocalDate): LocalDate => addDays(portingDate, -30);

export function portingDueDates(state: PortingState): PortingDueDate[] {
  const id = state.portingId;
  if (!id || state.direction !== 'inbound' || !OPEN_INBOUND_STATUSES.includes(state.status)) return [];
  const out: PortingDueDate[] = [];
  const add = (kind: PortingDueActionKind, rule: string, dueOn: LocalDate, dueAt: Date, command?: PortingCommand) => {
    const key = `${kind}:${id}:${dueOn}`;
    out.push({ kind, key, rule, dueOn, dueAt, streamId: portingStream(id), command: command ?? { type: 'RecordDeadlinePassed', key } });
  };

  if (state.status === 'collecting') {
    // POR-01: RIO, previous contracts, last 3 invoices, termination letters (and the subscription
    // documents with the porting form) within 30 days of signature.
    if (state.documentsDueOn && missingByDocumentsDeadline(state).length > 0) {
      add('portability.documents_deadline', 'POR-01', state.documentsDueOn, endOfLocalDay(state.documentsDueOn));
    }
    // POR-05: the whole file at least 30 days before the porting date stated on the form.
    if (state.portingDate && missingFileDocuments(state).length > 0) {
      const last = lastFileDayFor(state.portingDate);
      add('portability.file_deadline', 'POR-05', last, endOfLocalDay(last));
    }
  }
  // SUB-15: RIO and end-of-contract date collected within 15 calendar days of signature.
  if (state.lineInfoDueOn && outstandingLineInfo(state).length > 0) {
    const key = `portability.sub15_deadline:${id}:${state.lineInfoDueOn}`;
    if (!state.passedDeadlines.includes(key)) add('portability.sub15_deadline', 'SUB-15', state.lineInfoDueOn, endOfLocalDay(state.lineInfoDueOn));
  }
  // POR-04 / POR-02: the port itself, on the porting date, once eligible.
  if ((state.status === 'eligible' || state.status === 'donor_accepted') && state.portingDate) {
    add('portability.execute', 'POR-04', state.portingDate, startOfLocalDay(state.portingDate), { type: 'ExecutePorting', portingDate: state.portingDate });
  }
  return out;
}

/**
 * Public API of the portability domain: pure code only (no Nest, TypeORM, pg or event store).
 * Rules: POR-01…09, SUB-15, SUB-17 — see RULES-COVERAGE.md.
 */
import { fixedLineMandateDueDates, type FixedLineDueDate, type FixedLineMandateState } from './fixed-line-mandate.decider';
import { portingDueDates, type PortingDueDate } from './porting-request.due-dates';
import type { PortingState } from './porting-request.state';
import type { RioRequestState } from './rio-request.decider';
import type { NumberRegistryState } from './number-registry.decider';

export * from './local-date';
export * from './mobile-number';
export * from './identifiers';
export * from './rio';
export * from './porting-request.commands';
export * from './porting-request.events';
export { evolvePorting, initialPortingState, OPEN_INBOUND_STATUSES } from './porting-request.state';
export type { PortingState, PortingStatus } from './porting-request.state';
export { portingRequestDecider, decidePorting, INTERRUPTION_EXPECTED_MINUTES } from './porting-request.decider';
export {
  portingDueDates,
  portingStream,
  missingPor01Documents,
  missingByDocumentsDeadline,
  missingFileDocuments,
  outstandingLineInfo,
  lastFileDayFor,
  PORTING_DUE_ACTION_KINDS,
} from './porting-request.due-dates';
export type { PortingDueDate, PortingDueActionKind } from './porting-request.due-dates';
export * from './rio-request.decider';
export * from './fixed-line-mandate.decider';
export * from './number-registry.decider';

export type PortabilityState = PortingState | FixedLineMandateState | RioRequestState | NumberRegistryState;
export type PortabilityDueDate = PortingDueDate | FixedLineDueDate;

export const PORTABILITY_DUE_ACTION_KINDS = [
  'portability.documents_deadline',
  'portability.file_deadline',
  'portability.sub15_deadline',
  'portability.execute',
  'portability.ndi_change',
] as const;

/**
 * The time-driven actions of any aggregate of this context, by its state's `aggregate` tag:
 * porting cases (documents, file and SUB-15 deadlines, the port itself), fixed-line mandates (NDI
 * changes); a RIO stream has none. Each entry names the stream and the command the scheduler sends.
 */
export function dueDates(state: PortabilityState): PortabilityDueDate[] {
  switch (state.aggregate) {
    case 'porting':
      return portingDueDates(state);
    case 'fixed_line_mandate':
      return fixedLineMandateDueDates(state);
    case 'mobile_rio':
    case 'number':
      return [];
  }
}

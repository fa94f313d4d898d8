import { DomainError, type Decider } from '@oksio/kernel';
import {
  requireBoolean,
  requireOneOf,
  requireOperatorCode,
  requireText,
  pastOrToday,
} from './guards';
import { addDays, daysBetween, localDateOf, requireInstant, requireLocalDate, type LocalDate } from './local-date';
import { parseMobileNumber } from './mobile-number';
import type { DonorRefusalCode, HolderDeclaration, NumberStatus, PlainDocument, PortingCommand, PortingCommandOf } from './porting-request.commands';
import { FILE_DOCUMENTS } from './porting-request.commands';
import { lastFileDayFor, missingByDocumentsDeadline, missingFileDocuments, outstandingLineInfo, portingDueDates } from './porting-request.due-dates';
import type { FallbackCause, LiabilityExclusion, PortingEvent, Reason } from './porting-request.events';
import { evolvePorting, initialPortingState, type PortingState, type PortingStatus } from './porting-request.state';
import { normalizeRio, validateRio } from './rio';

/**
 * Mobile number portability, one number per stream `porting-<portingId>`.
 *
 * Inbound (CP Mobile 6.1, 10, 11.1):
 *   RequestInboundPorting → documents (ProvideRio, ReceiveDocument, ReceivePortingForm) →
 *   PortingFileCompleted (POR-05 checked) → CheckEligibility (POR-03) → donor answer →
 *   ExecutePorting on the porting date (POR-04, POR-02).
 *   Any failure ends in `PortingReplacedByNewNumber` with its reasons (POR-01/03/05/09): the line is
 *   created with a new number, the client is told why, it is not a termination at OKSIO's fault.
 * Outbound (CP Mobile 6.2): NotifyPortOut → ConfirmPortOut (the OKSIO contract for the number ends
 *   on the actual porting date, POR-06) or CancelPortOut.
 */

export const INTERRUPTION_EXPECTED_MINUTES = 4 * 60;
const DONOR_REFUSAL_CODES: readonly DonorRefusalCode[] = [
  'requester_not_holder_nor_mandated',
  'incomplete_or_wrong_request',
  'number_inactive_on_porting_day',
  'porting_request_already_pending',
  'other',
];
const NUMBER_STATUSES: readonly NumberStatus[] = ['active', 'suspended', 'inactive'];
const PLAIN_DOCUMENTS: readonly PlainDocument[] = ['previous_contracts', 'last_three_invoices', 'signed_termination_letters', 'subscription_documents'];

const fold = (state: PortingState, events: PortingEvent[]): PortingState => events.reduce(evolvePorting, state);

function requireStatus(state: PortingState, allowed: PortingStatus[], action: string, rule?: string): string {
  if (!state.portingId) throw new DomainError('porting_not_found', 'No such porting request', rule, 'portingId');
  if (!allowed.includes(state.status)) {
    throw new DomainError('porting_state_conflict', `Cannot ${action}: porting ${state.portingId} is ${state.status}`, rule, 'status');
  }
  return state.portingId;
}

function requireHolder(value: unknown): HolderDeclaration {
  const h = value as HolderDeclaration | undefined;
  if (h?.kind === 'customer') return { kind: 'customer' };
  if (h?.kind === 'third_party') {
    const mandate = h.mandateDocumentId;
    if (mandate !== null && mandate !== undefined && (typeof mandate !== 'string' || mandate.trim() === '')) {
      throw new DomainError('invalid_value', 'holder.mandateDocumentId must be a document id or null', 'POR-03', 'holder.mandateDocumentId');
    }
    const identity = h.identity === undefined || h.identity === null ? null : h.identity;
    if (identity !== null && (typeof identity !== 'object' || Array.isArray(identity))) {
      throw new DomainError('invalid_value', 'holder.identity must be an (encrypted) object or null', 'POR-03', 'holder.identity');
    }
    return {
      kind: 'third_party',
      holderReference: requireText(h.holderReference, 'holder.holderReference', 'POR-03'),
      mandateDocumentId: mandate ? mandate.trim() : null,
      identity,
    };
  }
  throw new DomainError('invalid_value', "holder.kind must be 'customer' or 'third_party'", 'POR-03', 'holder.kind');
}

/** The new-number fallback, with every reason the client is to be told (POR-03) and POR-09's exclusion. */
function replacedByNewNumber(
  state: PortingState,
  cause: FallbackCause,
  rule: string,
  reasons: Reason[],
  decidedOn: LocalDate,
  liabilityExclusion: LiabilityExclusion,
): PortingEvent {
  return {
    type: 'PortingReplacedByNewNumber',
    data: {
      portingId: state.portingId as string,
      customerId: state.customerId as string,
      subscriptionId: state.subscriptionId as string,
      lineId: state.lineId as string,
      msisdn: state.msisdn as string,
      cause,
      rule,
      reasons,
      decidedOn,
      newNumberToBeAssigned: true,
      terminationAtOksioFault: false,
      oksioLiable: false,
      liabilityExclusion,
      donorContractTerminatedByOksio: false,
    },
  };
}

function documentsMissingReasons(state: PortingState): Reason[] {
  const missing = missingByDocumentsDeadline(state);
  const reasons: Reason[] = [
    {
      code: 'documents_missing',
      rule: 'POR-01',
      message: `Not received within 30 days of the contract signature (by ${state.documentsDueOn}): ${missing.join(', ')}`,
    },
  ];
  if (missing.includes('rio') && state.rejectedRios > 0) {
    reasons.push({ code: 'incomplete_or_wrong_request', rule: 'POR-03', message: 'The RIO given does not match the number to port' });
  }
  return reasons;
}

function fileLateReason(state: PortingState, completeOn: LocalDate | null): Reason {
  const portingDate = state.portingDate as string;
  const last = lastFileDayFor(portingDate);
  return {
    code: 'file_late_for_porting_date',
    rule: 'POR-05',
    message: completeOn
      ? `The file was complete on ${completeOn}, ${daysBetween(completeOn, portingDate)} days before the porting date ${portingDate}; at least 30 are required (by ${last})`
      : `The file was not complete by ${last}, 30 days before the porting date ${portingDate}; missing: ${missingFileDocuments(state).join(', ')}`,
  };
}

/**
 * After a document is received on `receivedOn` (events already produced in `events`): a receipt
 * past a deadline finds it missed (POR-01, POR-05) even before the scheduler comes; a receipt that
 * completes the file checks POR-05 against the porting date.
 */
function afterReceipt(state: PortingState, events: PortingEvent[], receivedOn: LocalDate): PortingEvent[] {
  const next = fold(state, events);
  if (next.documentsDueOn && receivedOn > next.documentsDueOn && missingByDocumentsDeadline(next).length > 0) {
    return [...events, replacedByNewNumber(next, 'documents_missing', 'POR-01', documentsMissingReasons(next), receivedOn, 'late_or_incomplete_file')];
  }
  if (missingFileDocuments(next).length === 0) {
    const completeOn = FILE_DOCUMENTS.map((k) => next.documents[k]?.receivedOn as string).reduce((a, b) => (a > b ? a : b));
    const portingDate = next.portingDate as string;
    const days = daysBetween(completeOn, portingDate);
    if (days < 30) {
      return [...events, replacedByNewNumber(next, 'file_late_for_porting_date', 'POR-05', [fileLateReason(next, completeOn)], receivedOn, 'late_or_incomplete_file')];
    }
    return [...events, { type: 'PortingFileCompleted', data: { portingId: next.portingId as string, completeOn, portingDate, daysBeforePortingDate: days } }];
  }
  if (next.portingDate && receivedOn > lastFileDayFor(next.portingDate)) {
    return [...events, replacedByNewNumber(next, 'file_late_for_porting_date', 'POR-05', [fileLateReason(next, null)], receivedOn, 'late_or_incomplete_file')];
  }
  return events;
}

// ---- inbound ------------------------------------------------------------------------------------

function requestInbound(c: PortingCommandOf<'RequestInboundPorting'>, state: PortingState, now: Date): PortingEvent[] {
  if (state.portingId) throw new DomainError('porting_exists', `Porting ${state.portingId} already exists`, undefined, 'portingId');
  const portingId = requireText(c.portingId, 'portingId');
  const number = parseMobileNumber(c.msisdn, 'msisdn');
  const signedOn = pastOrToday(requireLocalDate(c.contractSignedOn, 'contractSignedOn', 'POR-01'), now, 'contractSignedOn', 'POR-01');
  const requested: PortingEvent = {
    type: 'InboundPortingRequested',
    data: {
      portingId,
      customerId: requireText(c.customerId, 'customerId'),
      subscriptionId: requireText(c.subscriptionId, 'subscriptionId'),
      lineId: requireText(c.lineId, 'lineId'),
      msisdn: number.e164,
      holder: requireHolder(c.holder),
      contractSignedOn: signedOn,
      documentsDueOn: addDays(signedOn, 30),
      lineInfoDueOn: addDays(signedOn, 15),
      mandateToPortAndTerminate: true,
      requestedAt: now.toISOString(),
    },
  };
  if (c.rio === undefined || c.rio === null || c.rio === '') return [requested];
  return [requested, ...provideRio({ type: 'ProvideRio', rio: c.rio }, fold(state, [requested]), now)];
}

function provideRio(c: PortingCommandOf<'ProvideRio'>, state: PortingState, now: Date): PortingEvent[] {
  const portingId = requireStatus(state, ['collecting'], 'receive a RIO', 'POR-01');
  if (typeof c.rio !== 'string') throw new DomainError('required', 'rio is required', 'POR-07', 'rio');
  const receivedOn = pastOrToday(c.receivedOn, now, 'receivedOn', 'POR-01');
  const check = validateRio(c.rio, state.msisdn);
  if (!check.valid) {
    const rejected: PortingEvent = {
      type: 'PortingRioRejected',
      data: { portingId, submitted: normalizeRio(c.rio).slice(0, 32), reason: check.reason, message: check.message, receivedOn },
    };
    return afterReceipt(state, [rejected], receivedOn);
  }
  if (state.rio === check.rio) return [];
  // POR-07: one RIO per number; a different valid one means two donor contracts are mixed up.
  if (state.rio) throw new DomainError('rio_already_received', `The RIO of this number (${state.rio}) was already received; one RIO per number`, 'POR-07', 'rio');
  const received: PortingEvent = {
    type: 'PortingRioReceived',
    data: {
      portingId,
      rio: check.rio,
      rioQualifier: check.parts.qualifier,
      donorOperatorCode: check.parts.operatorCode,
      receivedOn,
      late: receivedOn > (state.documentsDueOn as string),
    },
  };
  return afterReceipt(state, [received], receivedOn);
}

function receiveDocument(c: PortingCommandOf<'ReceiveDocument'>, state: PortingState, now: Date): PortingEvent[] {
  const portingId = requireStatus(state, ['collecting'], 'receive a document', 'POR-01');
  const kind = requireOneOf(c.kind, PLAIN_DOCUMENTS, 'kind', 'POR-01');
  const documentId = requireText(c.documentId, 'documentId');
  const receivedOn = pastOrToday(c.receivedOn, now, 'receivedOn', 'POR-01');
  const late = receivedOn > (state.documentsDueOn as string);
  // A second copy is recorded for the file, but the first receipt is the one that counts.
  return afterReceipt(state, [{ type: 'PortingDocumentReceived', data: { portingId, kind, documentId, receivedOn, late } }], receivedOn);
}

/**
 * POR-05, decided exactly: "documents and porting form must reach OKSIO at least 30 days before the
 * porting date" — the porting date minus the day the file became complete is ≥ 30 calendar days
 * (complete on 1 March → porting on 31 March at the earliest). A form stating a date less than 30
 * days after its own receipt can never be met: it is refused at the door (with the earliest date)
 * instead of being turned at once into a new number, so a typing slip costs no ported number.
 */
function receivePortingForm(c: PortingCommandOf<'ReceivePortingForm'>, state: PortingState, now: Date): PortingEvent[] {
  // A new form may move the date until eligibility is checked (the donor then knows the date).
  const portingId = requireStatus(state, ['collecting', 'file_complete'], 'receive a porting form', 'POR-05');
  const documentId = requireText(c.documentId, 'documentId');
  const receivedOn = pastOrToday(c.receivedOn, now, 'receivedOn', 'POR-05');
  const portingDate = requireLocalDate(c.portingDate, 'portingDate', 'POR-05');
  const earliest = addDays(receivedOn, 30);
  if (portingDate < earliest) {
    throw new DomainError(
      'porting_date_too_early',
      `The porting form must reach OKSIO at least 30 days before the porting date: received on ${receivedOn}, the earliest porting date is ${earliest}, got ${portingDate}`,
      'POR-05',
      'portingDate',
    );
  }
  return afterReceipt(
    state,
    [{ type: 'PortingFormReceived', data: { portingId, documentId, portingDate, receivedOn, previousPortingDate: state.portingDate } }],
    receivedOn,
  );
}

function recordHolderMandate(c: PortingCommandOf<'RecordHolderMandate'>, state: PortingState): PortingEvent[] {
  const portingId = requireStatus(state, ['collecting', 'file_complete'], 'record a holder mandate', 'POR-03');
  if (state.holder?.kind !== 'third_party') throw new DomainError('holder_is_customer', 'The customer holds the donor contract: no mandate needed', 'POR-03', 'mandateDocumentId');
  const mandateDocumentId = requireText(c.mandateDocumentId, 'mandateDocumentId', 'POR-03');
  if (state.holder.mandateDocumentId === mandateDocumentId) return [];
  return [{ type: 'PortingHolderMandateRecorded', data: { portingId, mandateDocumentId } }];
}

/** SUB-15: the donor contract's end date, collected within 15 days of signature, then firm and final. */
function recordPreviousContractEnd(c: PortingCommandOf<'RecordPreviousContractEnd'>, state: PortingState, now: Date): PortingEvent[] {
  const portingId = requireStatus(state, ['collecting', 'file_complete', 'eligible', 'donor_accepted'], 'record the previous contract end', 'SUB-15');
  const endsOn = requireLocalDate(c.endsOn, 'endsOn', 'SUB-15');
  const collectedOn = pastOrToday(c.collectedOn, now, 'collectedOn', 'SUB-15');
  if (state.previousContractEndsOn === endsOn) return [];
  if (state.previousContractEndsOn) {
    throw new DomainError(
      'previous_contract_end_is_final',
      `The previous contract end date ${state.previousContractEndsOn} was collected and is firm and final`,
      'SUB-15',
      'endsOn',
    );
  }
  return [{ type: 'PreviousContractEndRecorded', data: { portingId, endsOn, collectedOn, withinCollectionWindow: collectedOn <= (state.lineInfoDueOn as string) } }];
}

/**
 * POR-03: the only grounds of ineligibility, all checked (the client is told every reason).
 * A temporarily suspended number is an active number. Re-run after confirmation (the donor reports
 * a change before the porting day), a failure is a loss of eligibility (POR-09).
 */
function checkEligibility(c: PortingCommandOf<'CheckEligibility'>, state: PortingState, now: Date): PortingEvent[] {
  const portingId = requireStatus(state, ['file_complete', 'eligible', 'donor_accepted'], 'check eligibility before the file is complete', 'POR-03');
  const otherPending = requireBoolean(c.otherPendingRequestForNumber, 'otherPendingRequestForNumber', 'POR-03');
  const numberStatus = requireOneOf(c.numberStatusOnPortingDay, NUMBER_STATUSES, 'numberStatusOnPortingDay', 'POR-03');
  const today = localDateOf(now);
  const reasons: Reason[] = [];
  if (state.holder?.kind === 'third_party' && !state.holder.mandateDocumentId) {
    reasons.push({
      code: 'requester_not_holder_nor_mandated',
      rule: 'POR-03',
      message: 'The request must come from the holder of the donor contract or a person duly mandated by the holder',
    });
  }
  const rio = validateRio(state.rio, state.msisdn);
  if (!state.msisdn || !rio.valid) {
    reasons.push({ code: 'incomplete_or_wrong_request', rule: 'POR-03', message: `The request needs the number and its matching RIO: ${rio.message}` });
  }
  if (numberStatus === 'inactive') {
    reasons.push({
      code: 'number_inactive_on_porting_day',
      rule: 'POR-03',
      message: `The number is not active on the porting day ${state.portingDate} (a temporarily suspended number would count as active)`,
    });
  }
  if (otherPending) {
    reasons.push({ code: 'porting_request_already_pending', rule: 'POR-03', message: 'Another porting request for this number is pending and not yet executed' });
  }
  if (reasons.length === 0) {
    return [{ type: 'PortingEligibilityConfirmed', data: { portingId, checkedOn: today, numberStatusOnPortingDay: numberStatus } }];
  }
  const lost = state.status === 'eligible' || state.status === 'donor_accepted';
  return [
    { type: 'PortingDeclaredIneligible', data: { portingId, reasons, decidedOn: today } },
    replacedByNewNumber(state, 'ineligible', 'POR-03', reasons, today, lost ? 'loss_of_eligibility' : 'ineligibility'),
  ];
}

function recordDonorAcceptance(c: PortingCommandOf<'RecordDonorAcceptance'>, state: PortingState, now: Date): PortingEvent[] {
  if (state.status === 'donor_accepted') return [];
  const portingId = requireStatus(state, ['eligible'], 'record the donor acceptance', 'POR-03');
  return [{ type: 'DonorAcceptedPorting', data: { portingId, answeredOn: pastOrToday(c.answeredOn, now, 'answeredOn') } }];
}

/** POR-03: "refus motivé de l'opérateur donneur" — a refusal without a motive is not recorded. */
function recordDonorRefusal(c: PortingCommandOf<'RecordDonorRefusal'>, state: PortingState, now: Date): PortingEvent[] {
  const portingId = requireStatus(state, ['eligible', 'donor_accepted'], 'record a donor refusal', 'POR-03');
  const reasonCode = requireOneOf(c.reasonCode, DONOR_REFUSAL_CODES, 'reasonCode', 'POR-03');
  if (typeof c.reason !== 'string' || c.reason.trim() === '') {
    throw new DomainError('donor_refusal_unreasoned', 'A donor refusal must state its reason (refus motivé)', 'POR-03', 'reason');
  }
  const reason = c.reason.trim();
  const answeredOn = pastOrToday(c.answeredOn, now, 'answeredOn', 'POR-03');
  const reasons: Reason[] = [{ code: 'donor_refusal', rule: 'POR-03', message: `The donor operator refused the porting: ${reason}` }];
  if (reasonCode !== 'other') reasons.push({ code: reasonCode, rule: 'POR-03', message: `Ground given by the donor: ${reasonCode}` });
  return [
    { type: 'DonorRefusedPorting', data: { portingId, reasonCode, reason, answeredOn } },
    replacedByNewNumber(state, 'donor_refusal', 'POR-03', reasons, answeredOn, reasonCode === 'other' ? 'other_operator' : 'ineligibility'),
  ];
}

/**
 * POR-04 / POR-02: the port on the porting date. The service is interrupted for about 4 hours
 * (the window is recorded; its real end comes with RecordServiceRestored), and the donor contract
 * ends the same day under the client's mandate. The dates are the actual day of the port.
 */
function executePorting(c: PortingCommandOf<'ExecutePorting'>, state: PortingState, now: Date): PortingEvent[] {
  if (state.status === 'ported_in') return [];
  const portingId = requireStatus(state, ['eligible', 'donor_accepted'], 'execute the porting', 'POR-03');
  const plannedOn = requireLocalDate(c.portingDate, 'portingDate', 'POR-05');
  // A due action left over from a previous porting date does nothing.
  if (plannedOn !== state.portingDate) return [];
  const today = localDateOf(now);
  if (today < plannedOn) throw new DomainError('porting_date_not_reached', `The porting is set for ${plannedOn}; today is ${today}`, 'POR-04', 'portingDate');
  const startedAt = c.interruptionStartedAt === undefined ? now.toISOString() : requireInstant(c.interruptionStartedAt, 'interruptionStartedAt', 'POR-04');
  const expectedEndAt = new Date(Date.parse(startedAt) + INTERRUPTION_EXPECTED_MINUTES * 60_000).toISOString();
  const msisdn = state.msisdn as string;
  return [
    {
      type: 'NumberPortedIn',
      data: {
        portingId,
        msisdn,
        subscriptionId: state.subscriptionId as string,
        lineId: state.lineId as string,
        portedOn: today,
        plannedOn,
        interruption: { startedAt, expectedEndAt, expectedMinutes: INTERRUPTION_EXPECTED_MINUTES },
      },
    },
    { type: 'DonorContractTerminated', data: { portingId, msisdn, donorOperatorCode: state.donorOperatorCode as string, effectiveOn: today, underClientMandate: true } },
  ];
}

function recordServiceRestored(c: PortingCommandOf<'RecordServiceRestored'>, state: PortingState): PortingEvent[] {
  const portingId = requireStatus(state, ['ported_in'], 'record the end of the porting interruption', 'POR-04');
  const restoredAt = requireInstant(c.restoredAt, 'restoredAt', 'POR-04');
  const window = state.portedIn!;
  if (window.restoredAt === restoredAt) return [];
  if (window.restoredAt) throw new DomainError('already_restored', `Service was restored at ${window.restoredAt}`, 'POR-04', 'restoredAt');
  const minutes = Math.round((Date.parse(restoredAt) - Date.parse(window.interruption.startedAt)) / 60_000);
  if (minutes < 0) throw new DomainError('restored_before_start', 'The service cannot be restored before the interruption started', 'POR-04', 'restoredAt');
  return [{ type: 'PortingInterruptionEnded', data: { portingId, restoredAt, durationMinutes: minutes, longerThanExpected: minutes > INTERRUPTION_EXPECTED_MINUTES } }];
}

function recordPortingFailure(c: PortingCommandOf<'RecordPortingFailure'>, state: PortingState, now: Date): PortingEvent[] {
  requireStatus(state, ['eligible', 'donor_accepted'], 'record a porting failure', 'POR-09');
  const cause = requireOneOf(c.cause, ['other_operator', 'loss_of_eligibility'] as const, 'cause', 'POR-09');
  const detail = requireText(c.detail, 'detail', 'POR-09');
  const reasons: Reason[] = [{ code: cause, rule: 'POR-09', message: detail }];
  return [replacedByNewNumber(state, 'porting_failed', 'POR-09', reasons, localDateOf(now), cause)];
}

/** A deadline listed by `portingDueDates` is over. Idempotent: a key no longer listed gives nothing. */
function recordDeadlinePassed(c: PortingCommandOf<'RecordDeadlinePassed'>, state: PortingState, now: Date): PortingEvent[] {
  const key = requireText(c.key, 'key');
  const action = portingDueDates(state).find((a) => a.key === key && a.command.type === 'RecordDeadlinePassed');
  if (!action) return [];
  if (now < action.dueAt) throw new DomainError('deadline_not_reached', `${key} is due at ${action.dueAt.toISOString()}`, action.rule, 'key');
  const portingId = state.portingId as string;
  const today = localDateOf(now);
  const passed = (outstanding: string[]): PortingEvent => ({
    type: 'PortingDeadlinePassed',
    data: { portingId, key, kind: action.kind, rule: action.rule, dueOn: action.dueOn, outstanding },
  });
  switch (action.kind) {
    case 'portability.documents_deadline':
      return [
        passed(missingByDocumentsDeadline(state)),
        replacedByNewNumber(state, 'documents_missing', 'POR-01', documentsMissingReasons(state), today, 'late_or_incomplete_file'),
      ];
    case 'portability.file_deadline':
      return [passed(missingFileDocuments(state)), replacedByNewNumber(state, 'file_late_for_porting_date', 'POR-05', [fileLateReason(state, null)], today, 'late_or_incomplete_file')];
    case 'portability.sub15_deadline':
      return [passed(outstandingLineInfo(state))];
    default:
      return [];
  }
}

// ---- outbound -----------------------------------------------------------------------------------

/**
 * POR-06: a port-out request is the termination of the OKSIO contract for the number, effective on
 * the actual porting date. OKSIO, as donor, checks the RIO presented: it must be one of OKSIO's
 * (its operator code, qualifier E), match the number and, when the registry knows it, be the RIO
 * issued. Otherwise OKSIO refuses with that reason (POR-03 "incomplete or wrong request").
 */
function notifyPortOut(c: PortingCommandOf<'NotifyPortOut'>, state: PortingState, now: Date): PortingEvent[] {
  if (state.portingId) throw new DomainError('porting_exists', `Porting ${state.portingId} already exists`, undefined, 'portingId');
  const portingId = requireText(c.portingId, 'portingId');
  const number = parseMobileNumber(c.msisdn, 'msisdn');
  const oksioCode = requireOperatorCode(c.oksioOperatorCode, 'oksioOperatorCode');
  const recipient = requireOperatorCode(c.recipientOperatorCode, 'recipientOperatorCode');
  if (recipient === oksioCode) throw new DomainError('recipient_is_oksio', 'The recipient operator cannot be OKSIO itself', 'POR-06', 'recipientOperatorCode');
  const plannedPortingDate = requireLocalDate(c.plannedPortingDate, 'plannedPortingDate', 'POR-06');
  if (typeof c.rio !== 'string') throw new DomainError('required', 'rio is required', 'POR-07', 'rio');
  const today = localDateOf(now);
  const check = validateRio(c.rio, number.e164, { expectedQualifier: 'E', expectedOperatorCode: oksioCode });
  const rio = check.rio ?? normalizeRio(c.rio).slice(0, 32);
  const requested: PortingEvent = {
    type: 'PortOutRequested',
    data: {
      portingId,
      customerId: requireText(c.customerId, 'customerId'),
      subscriptionId: requireText(c.subscriptionId, 'subscriptionId'),
      lineId: requireText(c.lineId, 'lineId'),
      msisdn: number.e164,
      rio,
      recipientOperatorCode: recipient,
      plannedPortingDate,
      terminationRequested: true,
      requestedAt: now.toISOString(),
    },
  };
  let refusal: string | null = null;
  if (!check.valid) refusal = `${check.message} [${check.reason}]`;
  else if (c.issuedRio && normalizeRio(c.issuedRio) !== check.rio) refusal = `The RIO ${check.rio} is not the RIO OKSIO issued for ${number.national}`;
  if (refusal === null) return [requested];
  return [requested, { type: 'PortOutRefused', data: { portingId, code: 'incomplete_or_wrong_request', reason: refusal, decidedOn: today } }];
}

function cancelPortOut(c: PortingCommandOf<'CancelPortOut'>, state: PortingState, now: Date): PortingEvent[] {
  const portingId = requireStatus(state, ['port_out_requested'], 'cancel the port-out', 'POR-06');
  return [{ type: 'PortOutCancelled', data: { portingId, reason: requireText(c.reason, 'reason', 'POR-06'), cancelledOn: localDateOf(now) } }];
}

/**
 * POR-06: the contract for the number ends on the actual porting date. Inside a commitment period
 * (the porting day is on or before the last day of the period in force) Billing applies the
 * early-termination fee of SUB-07.
 */
function confirmPortOut(c: PortingCommandOf<'ConfirmPortOut'>, state: PortingState, now: Date): PortingEvent[] {
  const portedOn = pastOrToday(requireLocalDate(c.portedOn, 'portedOn', 'POR-06'), now, 'portedOn', 'POR-06');
  if (state.status === 'ported_out' && state.portOut?.portedOn === portedOn) return [];
  const portingId = requireStatus(state, ['port_out_requested'], 'confirm the port-out', 'POR-06');
  const last = c.commitmentPeriodLastDay === null ? null : requireLocalDate(c.commitmentPeriodLastDay, 'commitmentPeriodLastDay', 'POR-06');
  const insideCommitment = last !== null && portedOn <= last;
  const events: PortingEvent[] = [
    { type: 'NumberPortedOut', data: { portingId, msisdn: state.msisdn as string, portedOn } },
    {
      type: 'LineContractTerminatedByPortOut',
      data: {
        portingId,
        subscriptionId: state.subscriptionId as string,
        lineId: state.lineId as string,
        msisdn: state.msisdn as string,
        effectiveOn: portedOn,
        insideCommitment,
        commitmentPeriodLastDay: last,
      },
    },
  ];
  if (insideCommitment) {
    events.push({
      type: 'PortOutEarlyTerminationFeeDue',
      data: {
        portingId,
        customerId: state.customerId as string,
        subscriptionId: state.subscriptionId as string,
        lineId: state.lineId as string,
        terminationEffectiveOn: portedOn,
        commitmentPeriodLastDay: last as string,
        feeRule: 'SUB-07',
      },
    });
  }
  return events;
}

export function decidePorting(command: PortingCommand, state: PortingState, now: Date): PortingEvent[] {
  switch (command.type) {
    case 'RequestInboundPorting':
      return requestInbound(command, state, now);
    case 'ProvideRio':
      return provideRio(command, state, now);
    case 'ReceiveDocument':
      return receiveDocument(command, state, now);
    case 'ReceivePortingForm':
      return receivePortingForm(command, state, now);
    case 'RecordHolderMandate':
      return recordHolderMandate(command, state);
    case 'RecordPreviousContractEnd':
      return recordPreviousContractEnd(command, state, now);
    case 'CheckEligibility':
      return checkEligibility(command, state, now);
    case 'RecordDonorAcceptance':
      return recordDonorAcceptance(command, state, now);
    case 'RecordDonorRefusal':
      return recordDonorRefusal(command, state, now);
    case 'ExecutePorting':
      return executePorting(command, state, now);
    case 'RecordServiceRestored':
      return recordServiceRestored(command, state);
    case 'RecordPortingFailure':
      return recordPortingFailure(command, state, now);
    case 'RecordDeadlinePassed':
      return recordDeadlinePassed(command, state, now);
    case 'NotifyPortOut':
      return notifyPortOut(command, state, now);
    case 'CancelPortOut':
      return cancelPortOut(command, state, now);
    case 'ConfirmPortOut':
      return confirmPortOut(command, state, now);
    default:
      throw new DomainError('unknown_command', `Unknown porting command ${(command as { type?: unknown }).type}`, undefined, 'type');
  }
}

export const portingRequestDecider: Decider<PortingCommand, PortingEvent, PortingState> = {
  initialState: initialPortingState,
  decide: decidePorting,
  evolve: evolvePorting,
};

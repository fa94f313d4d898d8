import { DateTime } from 'luxon';
import { DomainError, type Decider, type DomainEvent, type FreeTextFields, type PersonalText } from '@oksio/kernel';
import type { PiiCategory } from '../crypto/pii';

/**
 * A data-subject request (PRV-04), stream `dsr-<requestId>`: access, portability, rectification,
 * objection, restriction or erasure, received by e-mail or post, answered within one month of
 * receipt (extendable once by up to two further months, with a reason — GDPR art. 12(3)).
 * Overdue requests are flagged by a due action at the deadline.
 */
export const REQUEST_TYPES = ['access', 'portability', 'rectification', 'objection', 'restriction', 'erasure'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const REQUEST_CHANNELS = ['email', 'post'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export type Protected = Record<string, unknown>;

export interface Correction {
  category: PiiCategory;
  field: string;
  /** Encrypted corrected value (personal data of the subject). */
  value: Protected;
}

export type RequestOutcome =
  | { type: 'access' | 'portability'; format: 'json' | 'csv' }
  | { type: 'rectification'; rectified: Array<{ category: PiiCategory; field: string }> }
  | { type: 'objection'; scope: 'prospecting' }
  | { type: 'restriction'; restricted: PiiCategory[] }
  | { type: 'erasure'; erased: PiiCategory[]; restricted: Array<{ category: PiiCategory; until: string | null; reason: string; rule: string }> };

export type RequestCommand =
  | {
      type: 'ReceiveRequest';
      requestId: string;
      subjectId: string;
      requestType: RequestType;
      channel: RequestChannel;
      receivedAt: string;
      categories: PiiCategory[] | null;
      corrections: Correction[] | null;
    }
  | { type: 'ExtendDeadline'; months: number; reason: string }
  | { type: 'FulfilRequest'; outcome: RequestOutcome }
  | { type: 'RefuseRequest'; reason: string }
  | { type: 'MarkOverdue' };

export type RequestEvent =
  | DomainEvent<
      'DataSubjectRequestReceived',
      {
        requestId: string;
        subjectId: string;
        requestType: RequestType;
        channel: RequestChannel;
        receivedAt: string;
        dueAt: string;
        categories: PiiCategory[] | null;
        corrections: Correction[] | null;
      }
    >
  | DomainEvent<'DataSubjectRequestDeadlineExtended', { requestId: string; subjectId: string; dueAt: string; reason: PersonalText }>
  | DomainEvent<'DataSubjectRequestFulfilled', { requestId: string; subjectId: string; outcome: RequestOutcome; fulfilledAt: string; late: boolean }>
  | DomainEvent<'DataSubjectRequestRefused', { requestId: string; subjectId: string; reason: PersonalText; refusedAt: string; late: boolean }>
  | DomainEvent<'DataSubjectRequestOverdue', { requestId: string; subjectId: string; dueAt: string; detectedAt: string }>;

export interface RequestState {
  requestId: string | null;
  subjectId: string | null;
  requestType: RequestType | null;
  channel: RequestChannel | null;
  status: 'none' | 'open' | 'fulfilled' | 'refused';
  receivedAt: string | null;
  dueAt: string | null;
  extended: boolean;
  overdue: boolean;
  categories: PiiCategory[] | null;
  corrections: Correction[] | null;
}

export const REQUEST_EVENT_TYPES: ReadonlyArray<RequestEvent['type']> = [
  'DataSubjectRequestReceived',
  'DataSubjectRequestDeadlineExtended',
  'DataSubjectRequestFulfilled',
  'DataSubjectRequestRefused',
  'DataSubjectRequestOverdue',
];

export const requestStream = (requestId: string) => `dsr-${requestId}`;

/** Reasons typed by support (why the deadline is extended, why the request is refused): sealed for the subject (issue 18 item 7). */
export const REQUEST_FREE_TEXT: FreeTextFields<RequestEvent> = {
  DataSubjectRequestDeadlineExtended: ['reason'],
  DataSubjectRequestRefused: ['reason'],
};

/** One month after receipt on the Paris calendar (31 January → 28/29 February). */
export function answerDeadline(receivedAt: string, months = 1): string {
  return DateTime.fromISO(receivedAt, { zone: 'Europe/Paris' }).plus({ months }).toUTC().toISO()!;
}

function requireOpen(state: RequestState): { requestId: string; subjectId: string; dueAt: string } {
  if (state.status === 'none') throw new DomainError('request_not_found', 'No such request', undefined, 'requestId');
  if (state.status !== 'open') throw new DomainError('request_closed', `The request is already ${state.status}`, 'PRV-04', 'requestId');
  return { requestId: state.requestId!, subjectId: state.subjectId!, dueAt: state.dueAt! };
}

export const requestDecider: Decider<RequestCommand, RequestEvent, RequestState> = {
  initialState: {
    requestId: null,
    subjectId: null,
    requestType: null,
    channel: null,
    status: 'none',
    receivedAt: null,
    dueAt: null,
    extended: false,
    overdue: false,
    categories: null,
    corrections: null,
  },

  decide(command, state, now) {
    const at = now.toISOString();
    switch (command.type) {
      case 'ReceiveRequest': {
        if (state.status !== 'none') throw new DomainError('request_exists', `Request ${state.requestId} exists`, undefined, 'requestId');
        const received = Date.parse(command.receivedAt);
        if (received > now.getTime()) throw new DomainError('received_in_future', 'A request cannot be received in the future', 'PRV-04', 'receivedAt');
        if (command.requestType === 'rectification' && !command.corrections?.length) {
          throw new DomainError('corrections_required', 'A rectification request states the corrections', 'PRV-04', 'corrections');
        }
        const receivedAt = new Date(received).toISOString();
        return [
          {
            type: 'DataSubjectRequestReceived',
            data: {
              requestId: command.requestId,
              subjectId: command.subjectId,
              requestType: command.requestType,
              channel: command.channel,
              receivedAt,
              dueAt: answerDeadline(receivedAt),
              categories: command.categories,
              corrections: command.corrections,
            },
          },
        ];
      }
      case 'ExtendDeadline': {
        const open = requireOpen(state);
        if (state.extended) throw new DomainError('already_extended', 'The deadline was already extended once', 'PRV-04', 'months');
        if (command.months < 1 || command.months > 2) throw new DomainError('extension_too_long', 'The deadline may be extended by two further months at most', 'PRV-04', 'months');
        if (now.getTime() > Date.parse(open.dueAt)) {
          throw new DomainError('extension_too_late', 'An extension is notified within the first month, before the deadline', 'PRV-04', 'months');
        }
        return [{ type: 'DataSubjectRequestDeadlineExtended', data: { ...open, dueAt: answerDeadline(state.receivedAt!, 1 + command.months), reason: command.reason } }];
      }
      case 'FulfilRequest': {
        const open = requireOpen(state);
        if (command.outcome.type !== state.requestType) {
          throw new DomainError('outcome_mismatch', `A ${state.requestType} request cannot be answered as ${command.outcome.type}`, 'PRV-04', 'type');
        }
        return [
          {
            type: 'DataSubjectRequestFulfilled',
            data: { requestId: open.requestId, subjectId: open.subjectId, outcome: command.outcome, fulfilledAt: at, late: now.getTime() > Date.parse(open.dueAt) },
          },
        ];
      }
      case 'RefuseRequest': {
        const open = requireOpen(state);
        if (!command.reason.trim()) throw new DomainError('reason_required', 'A refusal states its reason', 'PRV-04', 'reason');
        return [
          {
            type: 'DataSubjectRequestRefused',
            data: { requestId: open.requestId, subjectId: open.subjectId, reason: command.reason, refusedAt: at, late: now.getTime() > Date.parse(open.dueAt) },
          },
        ];
      }
      case 'MarkOverdue': {
        const open = requireOpen(state);
        if (now.getTime() < Date.parse(open.dueAt)) throw new DomainError('not_overdue', `The request is due on ${open.dueAt}`, 'PRV-04', 'dueAt');
        if (state.overdue) return [];
        return [{ type: 'DataSubjectRequestOverdue', data: { ...open, detectedAt: at } }];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'DataSubjectRequestReceived':
        return {
          ...state,
          requestId: event.data.requestId,
          subjectId: event.data.subjectId,
          requestType: event.data.requestType,
          channel: event.data.channel,
          status: 'open',
          receivedAt: event.data.receivedAt,
          dueAt: event.data.dueAt,
          categories: event.data.categories,
          corrections: event.data.corrections,
        };
      case 'DataSubjectRequestDeadlineExtended':
        return { ...state, dueAt: event.data.dueAt, extended: true, overdue: false };
      case 'DataSubjectRequestFulfilled':
        return { ...state, status: 'fulfilled' };
      case 'DataSubjectRequestRefused':
        return { ...state, status: 'refused' };
      case 'DataSubjectRequestOverdue':
        return { ...state, overdue: true };
      default:
        return state;
    }
  },
};

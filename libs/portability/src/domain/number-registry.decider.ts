import { DomainError, type Decider, type DomainEvent, type PersonalText } from '@oksio/kernel';
import { requireOneOf, requireText } from './guards';
import { localDateOf, requireLocalDate, type LocalDate } from './local-date';
import { parseMobileNumber } from './mobile-number';
import { normalizeIccid, isValidIccid } from './identifiers';

/**
 * The number registry, one stream per number `msisdn-<E.164 digits>` (POR-03, POR-06, POR-07):
 * who owns the number at OKSIO (at most one active owner: a subscription line) and which porting
 * request is pending on it (at most one: POR-03 "une demande de portabilité pour ce numéro est déjà
 * en cours"). The guarantee comes from the stream itself: every reservation is appended with the
 * revision that was read, so of two concurrent requests exactly one is written; the other, decided
 * again on the new state, is refused with POR-03.
 */
export type NumberSource = 'ported_in' | 'oksio_range';

export type NumberOwner = {
  customerId: string;
  subscriptionId: string;
  lineId: string;
  /** ICCID of the SIM serving the number (POR-06: asked to give a RIO). */
  simNumber: string;
  since: LocalDate;
  source: NumberSource;
};

export type PendingPorting = {
  portingId: string;
  direction: 'inbound' | 'outbound';
  customerId: string;
  subscriptionId: string;
  lineId: string;
  /** ICCID of the SIM OKSIO put on the line for the ported number, when known at the request. */
  simNumber: string | null;
  since: string;
};

export type NumberRegistryCommand =
  | { type: 'ReserveForInboundPorting'; msisdn: string; portingId: string; customerId: string; subscriptionId: string; lineId: string; simNumber?: string | null }
  | { type: 'ReserveForPortOut'; msisdn: string; portingId: string }
  /** The porting ended without a port (fallback, refusal, cancellation): the number is free again. */
  | { type: 'ReleaseReservation'; portingId: string; reason: string }
  /** A number put in service on a line: ported in (ends the inbound reservation) or from OKSIO's ranges. */
  | {
      type: 'AssignNumber';
      msisdn: string;
      customerId: string;
      subscriptionId: string;
      lineId: string;
      /** Defaults, for a ported number, to the SIM given with the porting request. */
      simNumber?: string | null;
      source: NumberSource;
      portingId?: string | null;
      assignedOn?: LocalDate;
    }
  /** POR-06: the number left OKSIO on the actual porting date. */
  | { type: 'RecordPortedOut'; portingId: string; portedOn: LocalDate }
  /** The line serving the number ended otherwise (termination of the contract or the line). */
  | { type: 'ReleaseNumber'; reason: string; releasedOn?: LocalDate };

type E<T extends string, D extends object> = DomainEvent<T, D & { msisdn: string }>;

export type NumberRegistryEvent =
  | E<'NumberReservedForPorting', PendingPorting>
  | E<'NumberReservationReleased', { portingId: string; reason: string }>
  | E<'NumberAssigned', NumberOwner & { portingId: string | null }>
  | E<'NumberPortedOutOfOksio', { portingId: string; portedOn: LocalDate; previousOwner: NumberOwner }>
  | E<'NumberReleased', { reason: PersonalText; releasedOn: LocalDate; previousOwner: NumberOwner }>;

export interface NumberRegistryState {
  aggregate: 'number';
  msisdn: string | null;
  owner: NumberOwner | null;
  pending: PendingPorting | null;
  /** 'ported_out' / 'released' once it had an owner and lost it. */
  status: 'unknown' | 'reserved' | 'active' | 'ported_out' | 'released';
}

export const initialNumberRegistryState: NumberRegistryState = { aggregate: 'number', msisdn: null, owner: null, pending: null, status: 'unknown' };

export const numberStream = (e164: string): string => `msisdn-${e164.replace(/^\+/, '')}`;

function alreadyPending(state: NumberRegistryState): DomainError {
  return new DomainError(
    'porting_request_already_pending',
    `A porting request for ${state.msisdn} is already pending (${state.pending?.direction} ${state.pending?.portingId}); it must end before another one`,
    'POR-03',
    'msisdn',
  );
}

function requireIccid(value: unknown): string {
  const simNumber = normalizeIccid(requireText(value, 'simNumber', 'POR-06'));
  if (!isValidIccid(simNumber)) {
    throw new DomainError('invalid_sim_number', 'The SIM card number (ICCID) must be 19–20 digits starting 89 with a valid check digit', 'POR-06', 'simNumber');
  }
  return simNumber;
}

function sameNumber(state: NumberRegistryState, input: unknown): string {
  const e164 = parseMobileNumber(input, 'msisdn').e164;
  if (state.msisdn && state.msisdn !== e164) throw new DomainError('wrong_stream', `This stream is for ${state.msisdn}`, undefined, 'msisdn');
  return e164;
}

export function decideNumberRegistry(c: NumberRegistryCommand, state: NumberRegistryState, now: Date): NumberRegistryEvent[] {
  const today = localDateOf(now);
  switch (c.type) {
    case 'ReserveForInboundPorting': {
      const msisdn = sameNumber(state, c.msisdn);
      const portingId = requireText(c.portingId, 'portingId');
      if (state.pending?.portingId === portingId) return [];
      if (state.pending) throw alreadyPending(state);
      if (state.owner) {
        throw new DomainError(
          'number_already_served_by_oksio',
          `${msisdn} is already an OKSIO number (line ${state.owner.lineId}): it cannot be ported in`,
          'POR-03',
          'msisdn',
        );
      }
      return [
        {
          type: 'NumberReservedForPorting',
          data: {
            msisdn,
            portingId,
            direction: 'inbound',
            customerId: requireText(c.customerId, 'customerId'),
            subscriptionId: requireText(c.subscriptionId, 'subscriptionId'),
            lineId: requireText(c.lineId, 'lineId'),
            simNumber: c.simNumber === undefined || c.simNumber === null ? null : requireIccid(c.simNumber),
            since: now.toISOString(),
          },
        },
      ];
    }
    case 'ReserveForPortOut': {
      const msisdn = sameNumber(state, c.msisdn);
      const portingId = requireText(c.portingId, 'portingId');
      if (state.pending?.portingId === portingId) return [];
      if (!state.owner) throw new DomainError('number_not_served_by_oksio', `${msisdn} is not an active OKSIO number`, 'POR-06', 'msisdn');
      if (state.pending) throw alreadyPending(state);
      const o = state.owner;
      return [
        {
          type: 'NumberReservedForPorting',
          data: {
            msisdn,
            portingId,
            direction: 'outbound',
            customerId: o.customerId,
            subscriptionId: o.subscriptionId,
            lineId: o.lineId,
            simNumber: o.simNumber,
            since: now.toISOString(),
          },
        },
      ];
    }
    case 'ReleaseReservation': {
      if (!state.pending || state.pending.portingId !== c.portingId) return [];
      return [{ type: 'NumberReservationReleased', data: { msisdn: state.msisdn as string, portingId: c.portingId, reason: requireText(c.reason, 'reason') } }];
    }
    case 'AssignNumber': {
      const msisdn = sameNumber(state, c.msisdn);
      const source = requireOneOf(c.source, ['ported_in', 'oksio_range'] as const, 'source');
      const lineId = requireText(c.lineId, 'lineId');
      const subscriptionId = requireText(c.subscriptionId, 'subscriptionId');
      const simNumber = requireIccid(c.simNumber ?? (source === 'ported_in' ? state.pending?.simNumber : null));
      if (state.owner) {
        if (state.owner.subscriptionId === subscriptionId && state.owner.lineId === lineId) return [];
        throw new DomainError('number_already_assigned', `${msisdn} already has an active owner (line ${state.owner.lineId}): one active owner per number`, 'POR-07', 'msisdn');
      }
      const portingId = c.portingId ?? null;
      if (source === 'ported_in') {
        if (!portingId || state.pending?.portingId !== portingId || state.pending.direction !== 'inbound') {
          throw new DomainError('porting_not_pending', `${msisdn} has no pending inbound porting ${portingId ?? ''}`.trim(), 'POR-03', 'portingId');
        }
      } else if (state.pending) {
        throw alreadyPending(state);
      }
      const since = c.assignedOn === undefined ? today : requireLocalDate(c.assignedOn, 'assignedOn');
      return [
        {
          type: 'NumberAssigned',
          data: { msisdn, customerId: requireText(c.customerId, 'customerId'), subscriptionId, lineId, simNumber, since, source, portingId },
        },
      ];
    }
    case 'RecordPortedOut': {
      if (state.status === 'ported_out' && !state.owner) return [];
      if (!state.owner || state.pending?.portingId !== c.portingId || state.pending.direction !== 'outbound') {
        throw new DomainError('porting_not_pending', `${state.msisdn ?? 'The number'} has no pending port-out ${c.portingId}`, 'POR-06', 'portingId');
      }
      return [
        {
          type: 'NumberPortedOutOfOksio',
          data: { msisdn: state.msisdn as string, portingId: c.portingId, portedOn: requireLocalDate(c.portedOn, 'portedOn', 'POR-06'), previousOwner: state.owner },
        },
      ];
    }
    case 'ReleaseNumber': {
      if (!state.owner) return [];
      const releasedOn = c.releasedOn === undefined ? today : requireLocalDate(c.releasedOn, 'releasedOn');
      return [{ type: 'NumberReleased', data: { msisdn: state.msisdn as string, reason: requireText(c.reason, 'reason'), releasedOn, previousOwner: state.owner } }];
    }
    default:
      throw new DomainError('unknown_command', `Unknown number registry command ${(c as { type?: unknown }).type}`, undefined, 'type');
  }
}

export function evolveNumberRegistry(state: NumberRegistryState, event: NumberRegistryEvent): NumberRegistryState {
  switch (event.type) {
    case 'NumberReservedForPorting': {
      const { msisdn, ...pending } = event.data;
      return { ...state, msisdn, pending, status: state.owner ? state.status : 'reserved' };
    }
    case 'NumberReservationReleased':
      return { ...state, pending: null, status: state.owner ? 'active' : state.status === 'reserved' ? 'unknown' : state.status };
    case 'NumberAssigned': {
      const { msisdn, portingId, ...owner } = event.data;
      return { ...state, msisdn, owner, pending: portingId && state.pending?.portingId === portingId ? null : state.pending, status: 'active' };
    }
    case 'NumberPortedOutOfOksio':
      return { ...state, owner: null, pending: null, status: 'ported_out' };
    case 'NumberReleased':
      return { ...state, owner: null, status: 'released' };
    default:
      return state;
  }
}

export const NUMBER_REGISTRY_EVENT_TYPES: readonly NumberRegistryEvent['type'][] = [
  'NumberReservedForPorting',
  'NumberReservationReleased',
  'NumberAssigned',
  'NumberPortedOutOfOksio',
  'NumberReleased',
];

export const numberRegistryDecider: Decider<NumberRegistryCommand, NumberRegistryEvent, NumberRegistryState> = {
  initialState: initialNumberRegistryState,
  decide: decideNumberRegistry,
  evolve: evolveNumberRegistry,
};

import { DomainError, type Decider, type DomainEvent } from '@oksio/kernel';
import { requireOneOf, requireOperatorCode, requireText } from './guards';
import { isValidIccid, isValidSiret, normalizeIccid } from './identifiers';
import { parseMobileNumber } from './mobile-number';
import { issueRio } from './rio';

/**
 * RIO issuing for OKSIO's own numbers (POR-06, POR-07; CP Mobile 6.2), stream `mobile-rio-<E.164
 * digits>`: one stream per number, as there is one RIO per number.
 *
 * The client asks (by phone, 01.40.18.74.74) and gives its SIM card number, the mobile number and
 * its company's SIRET. Each is checked for form, then against the registry facts the application
 * passes in (the line on file): a RIO lets anyone port the number away, so it is only given to
 * whoever can quote the SIM and the SIRET of the holder. The RIO is free and given for every
 * active number — a temporarily suspended number is active (same definition as CP Mobile 6.1.3).
 * It is deterministic (`issueRio`): asking again gives the same RIO while the contract is the same.
 */
export type LineStatus = 'active' | 'suspended' | 'terminated';

/** What the number registry / subscription read model knows of the line. */
export interface RegisteredLine {
  /** False when the number is not (or no longer) served by OKSIO. */
  servedByOksio: boolean;
  status: LineStatus;
  simNumber: string;
  customerSiret: string;
  /** Subscription and line reference: the RIO's contract reference is derived from it. */
  contractRef: string;
}

export type RioRequestCommand = {
  type: 'IssueRioOnRequest';
  requestId: string;
  msisdn: string;
  simNumber: string;
  siret: string;
  /** OKSIO's 2-digit operator code (configuration). */
  operatorCode: string;
  line: RegisteredLine;
};

export type RioRequestEvent = DomainEvent<
  'RioIssued',
  {
    msisdn: string;
    requestId: string;
    rio: string;
    contractRef: string;
    /** POR-06: "gratuitement". */
    fee: '0.00';
    /** The RIO this one replaces (the contract on the number changed), or null. */
    replacesRio: string | null;
    issuedAt: string;
  }
>;

export interface RioRequestState {
  aggregate: 'mobile_rio';
  msisdn: string | null;
  rio: string | null;
  contractRef: string | null;
  /** Requests already answered (a retried request gives nothing new). */
  requestIds: string[];
}

export const initialRioRequestState: RioRequestState = { aggregate: 'mobile_rio', msisdn: null, rio: null, contractRef: null, requestIds: [] };

export const mobileRioStream = (e164: string): string => `mobile-rio-${e164.replace(/^\+/, '')}`;

export function decideRioRequest(c: RioRequestCommand, state: RioRequestState, now: Date): RioRequestEvent[] {
  if (c.type !== 'IssueRioOnRequest') throw new DomainError('unknown_command', `Unknown RIO command ${(c as { type?: unknown }).type}`, undefined, 'type');
  const requestId = requireText(c.requestId, 'requestId');
  if (state.requestIds.includes(requestId)) return [];
  const number = parseMobileNumber(c.msisdn, 'msisdn');
  if (state.msisdn && state.msisdn !== number.e164) throw new DomainError('wrong_stream', `This stream is for ${state.msisdn}`, undefined, 'msisdn');
  const simNumber = normalizeIccid(requireText(c.simNumber, 'simNumber', 'POR-06'));
  if (!isValidIccid(simNumber)) {
    throw new DomainError('invalid_sim_number', 'The SIM card number (ICCID) must be 19–20 digits starting 89 with a valid check digit', 'POR-06', 'simNumber');
  }
  const siret = requireText(c.siret, 'siret', 'POR-06').replace(/\s/g, '');
  if (!isValidSiret(siret)) throw new DomainError('invalid_siret', 'The SIRET must be 14 digits with a valid check digit', 'POR-06', 'siret');
  const operatorCode = requireOperatorCode(c.operatorCode, 'operatorCode');
  const line = c.line;
  if (!line || !line.servedByOksio) throw new DomainError('number_not_served_by_oksio', `${number.national} is not an OKSIO number`, 'POR-06', 'msisdn');
  const status = requireOneOf(line.status, ['active', 'suspended', 'terminated'] as const, 'line.status', 'POR-06');
  if (status === 'terminated') throw new DomainError('number_not_active', `${number.national} is not active: a RIO is given for active numbers only`, 'POR-06', 'msisdn');
  if (normalizeIccid(line.simNumber ?? '') !== simNumber) {
    throw new DomainError('sim_number_mismatch', 'The SIM card number does not match the line', 'POR-06', 'simNumber');
  }
  if ((line.customerSiret ?? '').replace(/\s/g, '') !== siret) throw new DomainError('siret_mismatch', "The SIRET is not the line holder's", 'POR-06', 'siret');
  const contractRef = requireText(line.contractRef, 'line.contractRef', 'POR-07');
  const rio = issueRio(operatorCode, contractRef, number.national, 'E');
  return [
    {
      type: 'RioIssued',
      data: {
        msisdn: number.e164,
        requestId,
        rio,
        contractRef,
        fee: '0.00',
        replacesRio: state.rio && state.rio !== rio ? state.rio : null,
        issuedAt: now.toISOString(),
      },
    },
  ];
}

export function evolveRioRequest(state: RioRequestState, event: RioRequestEvent): RioRequestState {
  if (event.type !== 'RioIssued') return state;
  return {
    ...state,
    msisdn: event.data.msisdn,
    rio: event.data.rio,
    contractRef: event.data.contractRef,
    requestIds: [...state.requestIds, event.data.requestId],
  };
}

export const rioRequestDecider: Decider<RioRequestCommand, RioRequestEvent, RioRequestState> = {
  initialState: initialRioRequestState,
  decide: decideRioRequest,
  evolve: evolveRioRequest,
};

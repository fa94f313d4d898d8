import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DomainError, type Decider, type DomainEvent, type PersonalText } from '@oksio/kernel';
import { pastOrToday, requireBoolean, requireOneOf, requireText } from './guards';
import { addMonths, localDateOf, requireLocalDate, startOfLocalDay, type LocalDate } from './local-date';

/**
 * Fixed-line resale (FIXED_VGA "revente de l'abonnement", FIXED_SIP), stream
 * `fixed-line-mandate-<mandateId>`: one access taken over from the local-loop operator (OBL).
 *
 * SUB-17 (CP VGA 3.1, CP SIP 3.3): resale is refused on Orange internal posts, group head lines,
 *   accesses being created / terminated / renumbered / moved, temporary accesses, cabins and
 *   payphones, and on sites with Numéris T2 (primary access), Duo, Commerce or Itoo.
 *   Reading kept: "accès … à créer" is an offer of the service (a new access ordered with it), while
 *   "accès en cours de création" is an access whose creation is already under way at the incumbent
 *   for another order. `pendingOperation` is the incumbent's status of the access before this order.
 * POR-08 (CP VGA 3.1, 5.1): OKSIO acts under the client's mandate towards the OBL, which alone
 *   accepts or rejects (OKSIO answers neither for its delay nor its content; the OBL informs the
 *   client of a rejection); an existing line keeps its number; the incumbent stays the NDI's sole
 *   assignee and may change it with 6 months' notice.
 */
export type FixedLineService = 'FIXED_VGA' | 'FIXED_SIP';
export type AccessPendingOperation = 'none' | 'creation' | 'termination' | 'renumbering' | 'move';
export type NumerisOffer = 'NUMERIS_T2' | 'NUMERIS_DUO' | 'NUMERIS_COMMERCE' | 'NUMERIS_ITOO';

const PENDING_OPERATIONS: readonly AccessPendingOperation[] = ['none', 'creation', 'termination', 'renumbering', 'move'];
const NUMERIS_OFFERS: readonly NumerisOffer[] = ['NUMERIS_T2', 'NUMERIS_DUO', 'NUMERIS_COMMERCE', 'NUMERIS_ITOO'];

/** Facts the incumbent's line test returns; every one is required, so nothing is assumed eligible by omission. */
export interface FixedAccessFacts {
  orangeInternalPost: boolean;
  /** "accès (ligne) corps d'un groupement technique". */
  groupHeadLine: boolean;
  pendingOperation: AccessPendingOperation;
  temporaryAccess: boolean;
  cabinOrPayphone: boolean;
  /** Numéris offers on the site: any of them excludes the whole site. */
  siteNumerisOffers: NumerisOffer[];
}

export type FixedAccess = { kind: 'existing_line'; ndi: string } | { kind: 'new_line' };
/** CP VGA 5.1: the client declares it holds the line, or has the holder's agreement. */
export type FixedLineHolder = { kind: 'customer' } | { kind: 'third_party'; holderAgreementDocumentId: string };

export type EligibilityReason = { code: string; rule: 'SUB-17'; message: string };

/** SUB-17: every ground found, in the order of the CP. */
export function checkFixedAccessEligibility(facts: FixedAccessFacts): { eligible: boolean; reasons: EligibilityReason[] } {
  const f = facts ?? ({} as FixedAccessFacts);
  const reasons: EligibilityReason[] = [];
  const add = (code: string, message: string) => reasons.push({ code, rule: 'SUB-17', message });
  if (requireBoolean(f.orangeInternalPost, 'accessFacts.orangeInternalPost', 'SUB-17')) add('orange_internal_post', 'The access carries an Orange internal post');
  if (requireBoolean(f.groupHeadLine, 'accessFacts.groupHeadLine', 'SUB-17')) add('group_head_line', 'The access is the head line of a technical group');
  const pending = requireOneOf(f.pendingOperation, PENDING_OPERATIONS, 'accessFacts.pendingOperation', 'SUB-17');
  const pendingCodes: Record<Exclude<AccessPendingOperation, 'none'>, string> = {
    creation: 'access_being_created',
    termination: 'access_being_terminated',
    renumbering: 'access_being_renumbered',
    move: 'access_being_moved',
  };
  if (pending !== 'none') add(pendingCodes[pending], `The access has a ${pending} under way at the incumbent`);
  if (requireBoolean(f.temporaryAccess, 'accessFacts.temporaryAccess', 'SUB-17')) add('temporary_access', 'The access is temporary');
  if (requireBoolean(f.cabinOrPayphone, 'accessFacts.cabinOrPayphone', 'SUB-17')) add('cabin_or_payphone', 'The access serves a cabin or a payphone');
  if (!Array.isArray(f.siteNumerisOffers)) throw new DomainError('invalid_fact', 'accessFacts.siteNumerisOffers must be a list', 'SUB-17', 'accessFacts.siteNumerisOffers');
  for (const offer of NUMERIS_OFFERS.filter((o) => f.siteNumerisOffers.includes(o))) {
    add(`site_with_${offer.toLowerCase()}`, `The site has the offer ${offer.replace('_', ' ')}`);
  }
  const unknown = f.siteNumerisOffers.filter((o) => !NUMERIS_OFFERS.includes(o));
  if (unknown.length > 0) throw new DomainError('invalid_fact', `Unknown Numéris offer ${unknown.join(', ')}`, 'SUB-17', 'accessFacts.siteNumerisOffers');
  return { eligible: reasons.length === 0, reasons };
}

/** A French fixed installation number (NDI): geographic, 01–05 + 8 digits; stored as E.164. */
export function parseNdi(input: unknown, field = 'ndi'): string {
  const compact = typeof input === 'string' ? input.replace(/[\s.\-]/g, '') : '';
  const national = compact.startsWith('+33') ? `0${compact.slice(3)}` : compact;
  const parsed = /^0[1-5]\d{8}$/.test(national) ? parsePhoneNumberFromString(national, 'FR') : undefined;
  if (!parsed || !parsed.isValid()) {
    throw new DomainError('invalid_ndi', `${field} must be a French geographic number 01–05 + 8 digits, got ${JSON.stringify(input)}`, 'POR-08', field);
  }
  return parsed.number;
}

export type FixedLineMandateCommand =
  | {
      type: 'RequestFixedLineResale';
      mandateId: string;
      customerId: string;
      subscriptionId: string;
      lineId: string;
      service: FixedLineService;
      localLoopOperator: string;
      access: FixedAccess;
      holder: FixedLineHolder;
      /** The signed "mandat de reprise de l'abonnement". */
      mandateDocumentId: string;
      signedOn: LocalDate;
      accessFacts: FixedAccessFacts;
    }
  | { type: 'SubmitMandateToObl'; submittedOn?: LocalDate }
  /** `number`: for a new line, the number the OBL assigned; for an existing line, if given, it must be the NDI. */
  | { type: 'RecordOblAcceptance'; acceptedOn?: LocalDate; number?: string }
  | { type: 'RecordOblRejection'; reason: string; rejectedOn?: LocalDate }
  | { type: 'RecordNdiChangeNotice'; noticeId: string; newNdi: string; notifiedOn: LocalDate; effectiveOn: LocalDate }
  /** Sent by the scheduler on the effective date of a notified NDI change. */
  | { type: 'ApplyNdiChange'; noticeId: string };

type E<T extends string, D extends object> = DomainEvent<T, D & { mandateId: string }>;

export type FixedLineMandateEvent =
  | E<'FixedLineResaleRefused', { customerId: string; subscriptionId: string; lineId: string; service: FixedLineService; reasons: EligibilityReason[]; decidedOn: LocalDate }>
  | E<
      'FixedLineMandateGranted',
      {
        customerId: string;
        subscriptionId: string;
        lineId: string;
        service: FixedLineService;
        localLoopOperator: string;
        access: FixedAccess;
        holder: FixedLineHolder;
        mandateDocumentId: string;
        signedOn: LocalDate;
        grantedAt: string;
      }
    >
  | E<'MandateSubmittedToObl', { localLoopOperator: string; submittedOn: LocalDate }>
  | E<'FixedLineResaleAcceptedByObl', { acceptedOn: LocalDate; number: string; numberKept: boolean }>
  | E<'FixedLineResaleRejectedByObl', { reason: PersonalText; rejectedOn: LocalDate; oksioResponsible: false; clientInformedBy: 'local_loop_operator' }>
  | E<
      'NdiChangeNotified',
      { noticeId: string; currentNdi: string; newNdi: string; notifiedOn: LocalDate; effectiveOn: LocalDate; minimumEffectiveOn: LocalDate; noticeCompliant: boolean }
    >
  | E<'NdiChanged', { noticeId: string; previousNdi: string; newNdi: string; effectiveOn: LocalDate }>;

export type FixedLineMandateStatus = 'none' | 'refused' | 'granted' | 'submitted' | 'active' | 'rejected';

export interface FixedLineMandateState {
  aggregate: 'fixed_line_mandate';
  mandateId: string | null;
  status: FixedLineMandateStatus;
  accessKind: FixedAccess['kind'] | null;
  localLoopOperator: string | null;
  /** E.164: the existing NDI, then the number in service (changes with an NDI change). */
  number: string | null;
  ndiChanges: Record<string, { newNdi: string; effectiveOn: LocalDate; applied: boolean }>;
}

export const initialFixedLineMandateState: FixedLineMandateState = {
  aggregate: 'fixed_line_mandate',
  mandateId: null,
  status: 'none',
  accessKind: null,
  localLoopOperator: null,
  number: null,
  ndiChanges: {},
};

export const fixedLineMandateStream = (mandateId: string): string => `fixed-line-mandate-${mandateId}`;

/** POR-08: the incumbent's NDI change notice is 6 months. */
export const NDI_CHANGE_NOTICE_MONTHS = 6;

function requireMandate(state: FixedLineMandateState, allowed: FixedLineMandateStatus[], action: string): string {
  if (!state.mandateId) throw new DomainError('mandate_not_found', 'No such fixed-line mandate', 'POR-08', 'mandateId');
  if (!allowed.includes(state.status)) throw new DomainError('mandate_state_conflict', `Cannot ${action}: mandate ${state.mandateId} is ${state.status}`, 'POR-08', 'status');
  return state.mandateId;
}

function requireAccess(value: unknown): FixedAccess {
  const a = value as FixedAccess | undefined;
  if (a?.kind === 'existing_line') return { kind: 'existing_line', ndi: parseNdi(a.ndi, 'access.ndi') };
  if (a?.kind === 'new_line') return { kind: 'new_line' };
  throw new DomainError('invalid_value', "access.kind must be 'existing_line' or 'new_line'", 'SUB-17', 'access.kind');
}

function requireFixedHolder(value: unknown): FixedLineHolder {
  const h = value as FixedLineHolder | undefined;
  if (h?.kind === 'customer') return { kind: 'customer' };
  if (h?.kind === 'third_party') {
    return { kind: 'third_party', holderAgreementDocumentId: requireText(h.holderAgreementDocumentId, 'holder.holderAgreementDocumentId', 'POR-08') };
  }
  throw new DomainError('invalid_value', "holder.kind must be 'customer' or 'third_party'", 'POR-08', 'holder.kind');
}

export function decideFixedLineMandate(c: FixedLineMandateCommand, state: FixedLineMandateState, now: Date): FixedLineMandateEvent[] {
  const today = localDateOf(now);
  switch (c.type) {
    case 'RequestFixedLineResale': {
      if (state.mandateId) throw new DomainError('mandate_exists', `Mandate ${state.mandateId} already exists`, undefined, 'mandateId');
      const mandateId = requireText(c.mandateId, 'mandateId');
      const base = {
        mandateId,
        customerId: requireText(c.customerId, 'customerId'),
        subscriptionId: requireText(c.subscriptionId, 'subscriptionId'),
        lineId: requireText(c.lineId, 'lineId'),
        service: requireOneOf(c.service, ['FIXED_VGA', 'FIXED_SIP'] as const, 'service'),
      };
      const access = requireAccess(c.access);
      const holder = requireFixedHolder(c.holder);
      const signedOn = pastOrToday(requireLocalDate(c.signedOn, 'signedOn', 'POR-08'), now, 'signedOn', 'POR-08');
      const eligibility = checkFixedAccessEligibility(c.accessFacts);
      if (!eligibility.eligible) return [{ type: 'FixedLineResaleRefused', data: { ...base, reasons: eligibility.reasons, decidedOn: today } }];
      return [
        {
          type: 'FixedLineMandateGranted',
          data: {
            ...base,
            localLoopOperator: requireText(c.localLoopOperator, 'localLoopOperator', 'POR-08'),
            access,
            holder,
            mandateDocumentId: requireText(c.mandateDocumentId, 'mandateDocumentId', 'POR-08'),
            signedOn,
            grantedAt: now.toISOString(),
          },
        },
      ];
    }
    case 'SubmitMandateToObl': {
      if (state.status === 'submitted') return [];
      const mandateId = requireMandate(state, ['granted'], 'submit the mandate');
      return [{ type: 'MandateSubmittedToObl', data: { mandateId, localLoopOperator: state.localLoopOperator as string, submittedOn: pastOrToday(c.submittedOn, now, 'submittedOn') } }];
    }
    case 'RecordOblAcceptance': {
      const mandateId = requireMandate(state, ['submitted'], 'record the OBL acceptance');
      const acceptedOn = pastOrToday(c.acceptedOn, now, 'acceptedOn', 'POR-08');
      if (state.accessKind === 'existing_line') {
        // POR-08: "il conservera le numéro de téléphone attribué par l'OBL".
        const ndi = state.number as string;
        if (c.number !== undefined && parseNdi(c.number, 'number') !== ndi) {
          throw new DomainError('existing_line_keeps_its_number', `An existing line keeps its number ${ndi}`, 'POR-08', 'number');
        }
        return [{ type: 'FixedLineResaleAcceptedByObl', data: { mandateId, acceptedOn, number: ndi, numberKept: true } }];
      }
      if (c.number === undefined) throw new DomainError('number_required', 'A new line needs the number assigned by the OBL', 'POR-08', 'number');
      return [{ type: 'FixedLineResaleAcceptedByObl', data: { mandateId, acceptedOn, number: parseNdi(c.number, 'number'), numberKept: false } }];
    }
    case 'RecordOblRejection': {
      const mandateId = requireMandate(state, ['submitted'], 'record the OBL rejection');
      return [
        {
          type: 'FixedLineResaleRejectedByObl',
          data: {
            mandateId,
            reason: requireText(c.reason, 'reason', 'POR-08'),
            rejectedOn: pastOrToday(c.rejectedOn, now, 'rejectedOn', 'POR-08'),
            oksioResponsible: false,
            clientInformedBy: 'local_loop_operator',
          },
        },
      ];
    }
    case 'RecordNdiChangeNotice': {
      const mandateId = requireMandate(state, ['active'], 'record an NDI change');
      const noticeId = requireText(c.noticeId, 'noticeId', 'POR-08');
      const newNdi = parseNdi(c.newNdi, 'newNdi');
      const notifiedOn = pastOrToday(requireLocalDate(c.notifiedOn, 'notifiedOn', 'POR-08'), now, 'notifiedOn', 'POR-08');
      const effectiveOn = requireLocalDate(c.effectiveOn, 'effectiveOn', 'POR-08');
      const existing = state.ndiChanges[noticeId];
      if (existing) {
        if (existing.newNdi === newNdi && existing.effectiveOn === effectiveOn) return [];
        throw new DomainError('notice_exists', `NDI change notice ${noticeId} was recorded with other data`, 'POR-08', 'noticeId');
      }
      if (newNdi === state.number) throw new DomainError('same_ndi', 'The new NDI is the current one', 'POR-08', 'newNdi');
      if (effectiveOn <= notifiedOn) throw new DomainError('invalid_effective_date', 'An NDI change takes effect after its notice', 'POR-08', 'effectiveOn');
      const minimumEffectiveOn = addMonths(notifiedOn, NDI_CHANGE_NOTICE_MONTHS);
      return [
        {
          type: 'NdiChangeNotified',
          data: {
            mandateId,
            noticeId,
            currentNdi: state.number as string,
            newNdi,
            notifiedOn,
            effectiveOn,
            minimumEffectiveOn,
            // Below 6 months the incumbent breaches the CP's notice: recorded, for the client and for a complaint.
            noticeCompliant: effectiveOn >= minimumEffectiveOn,
          },
        },
      ];
    }
    case 'ApplyNdiChange': {
      const mandateId = requireMandate(state, ['active'], 'apply an NDI change');
      const change = state.ndiChanges[requireText(c.noticeId, 'noticeId', 'POR-08')];
      if (!change) throw new DomainError('notice_not_found', `No NDI change notice ${c.noticeId}`, 'POR-08', 'noticeId');
      if (change.applied) return [];
      if (today < change.effectiveOn) throw new DomainError('ndi_change_not_due', `The NDI change takes effect on ${change.effectiveOn}`, 'POR-08', 'noticeId');
      return [{ type: 'NdiChanged', data: { mandateId, noticeId: c.noticeId, previousNdi: state.number as string, newNdi: change.newNdi, effectiveOn: change.effectiveOn } }];
    }
    default:
      throw new DomainError('unknown_command', `Unknown fixed-line command ${(c as { type?: unknown }).type}`, undefined, 'type');
  }
}

export function evolveFixedLineMandate(state: FixedLineMandateState, event: FixedLineMandateEvent): FixedLineMandateState {
  switch (event.type) {
    case 'FixedLineResaleRefused':
      return { ...state, mandateId: event.data.mandateId, status: 'refused' };
    case 'FixedLineMandateGranted': {
      const access = event.data.access;
      return {
        ...state,
        mandateId: event.data.mandateId,
        status: 'granted',
        accessKind: access.kind,
        localLoopOperator: event.data.localLoopOperator,
        number: access.kind === 'existing_line' ? access.ndi : null,
      };
    }
    case 'MandateSubmittedToObl':
      return { ...state, status: 'submitted' };
    case 'FixedLineResaleAcceptedByObl':
      return { ...state, status: 'active', number: event.data.number };
    case 'FixedLineResaleRejectedByObl':
      return { ...state, status: 'rejected' };
    case 'NdiChangeNotified':
      return {
        ...state,
        ndiChanges: { ...state.ndiChanges, [event.data.noticeId]: { newNdi: event.data.newNdi, effectiveOn: event.data.effectiveOn, applied: false } },
      };
    case 'NdiChanged': {
      const change = state.ndiChanges[event.data.noticeId];
      return {
        ...state,
        number: event.data.newNdi,
        ndiChanges: change ? { ...state.ndiChanges, [event.data.noticeId]: { ...change, applied: true } } : state.ndiChanges,
      };
    }
    default:
      return state;
  }
}

export const fixedLineMandateDecider: Decider<FixedLineMandateCommand, FixedLineMandateEvent, FixedLineMandateState> = {
  initialState: initialFixedLineMandateState,
  decide: decideFixedLineMandate,
  evolve: evolveFixedLineMandate,
};

export const FIXED_LINE_DUE_ACTION_KINDS = ['portability.ndi_change'] as const;
export type FixedLineDueActionKind = (typeof FIXED_LINE_DUE_ACTION_KINDS)[number];

export interface FixedLineDueDate {
  kind: FixedLineDueActionKind;
  /** `portability.ndi_change:<mandateId>:<noticeId>`. */
  key: string;
  rule: 'POR-08';
  dueOn: LocalDate;
  dueAt: Date;
  streamId: string;
  command: FixedLineMandateCommand;
}

/** POR-08: each notified NDI change is applied on its effective date. */
export function fixedLineMandateDueDates(state: FixedLineMandateState): FixedLineDueDate[] {
  const id = state.mandateId;
  if (!id || state.status !== 'active') return [];
  return Object.entries(state.ndiChanges)
    .filter(([, change]) => !change.applied)
    .map(([noticeId, change]) => ({
      kind: 'portability.ndi_change' as const,
      key: `portability.ndi_change:${id}:${noticeId}`,
      rule: 'POR-08' as const,
      dueOn: change.effectiveOn,
      dueAt: startOfLocalDay(change.effectiveOn),
      streamId: fixedLineMandateStream(id),
      command: { type: 'ApplyNdiChange', noticeId },
    }));
}

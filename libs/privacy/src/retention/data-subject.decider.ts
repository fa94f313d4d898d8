import { DomainError, type Decider, type DomainEvent, type FreeTextFields, type PersonalText } from '@oksio/kernel';
import type { PiiCategory } from '../crypto/pii';
import {
  activeHold,
  categoryRetention,
  phaseAt,
  type LegalHoldRule,
  type RetentionFacts,
  type RetentionPolicy,
} from './retention-policy';

/**
 * The personal-data file of one data subject (stream `datasubject-<subjectId>`): the facts that
 * drive its retention clocks (contracts, collections, legal records such as invoices, unpaid
 * debts), the purges, restrictions, rectifications and every read of its restricted archive.
 * Events name categories, never the data itself (which lives encrypted in other streams).
 */
export type Protected = Record<string, unknown>;

export const SUBJECT_ID_PATTERN = /^[a-z][a-z0-9]{1,30}-[A-Za-z0-9][A-Za-z0-9_.:-]{0,120}$/;

export type SubjectFact =
  | { kind: 'contract_started'; contractId: string; service: string; occurredAt: string }
  | { kind: 'contract_ended'; contractId: string; occurredAt: string }
  | { kind: 'data_collected'; category: PiiCategory; source: string; occurredAt: string }
  | { kind: 'invoice_issued'; reference: string; occurredAt: string }
  | { kind: 'unpaid_debt_opened'; debtId: string; occurredAt: string }
  | { kind: 'unpaid_debt_settled'; debtId: string; occurredAt: string };

export interface RetentionRules {
  policies: RetentionPolicy[];
  holds: LegalHoldRule[];
}

export interface ArchiveReader {
  id: string;
  role: string;
}

export type DataSubjectCommand =
  | { type: 'RecordFact'; subjectId: string; fact: SubjectFact }
  | ({ type: 'PurgeForRetention'; subjectId: string; categories: PiiCategory[] } & RetentionRules)
  | ({ type: 'EraseOnRequest'; subjectId: string; requestId: string; categories: PiiCategory[] } & RetentionRules)
  | { type: 'RestrictProcessing'; subjectId: string; requestId: string | null; categories: PiiCategory[]; reason: string }
  | { type: 'LiftRestriction'; subjectId: string; categories: PiiCategory[]; reason: string }
  | ({
      type: 'RecordArchiveAccess';
      subjectId: string;
      categories: PiiCategory[];
      reason: string | null;
      actor: ArchiveReader;
      /** Set when the read answers a data-subject access request (PRV-04): the request is the reason. */
      requestId: string | null;
    } & RetentionRules)
  | { type: 'RecordRectification'; subjectId: string; requestId: string; corrections: Rectification[] };

export interface Rectification {
  category: PiiCategory;
  field: string;
  /** Encrypted corrected value. */
  value: Protected;
}

export interface PurgeBasis {
  category: PiiCategory;
  rule: string;
  anchorAt: string | null;
  activeUntil: string | null;
  holdUntil: string | null;
}

export type DataSubjectEvent =
  | DomainEvent<'SubjectContractStarted', { subjectId: string; contractId: string; service: string; startedAt: string }>
  | DomainEvent<'SubjectContractEnded', { subjectId: string; contractId: string; endedAt: string }>
  | DomainEvent<'PersonalDataCollected', { subjectId: string; category: PiiCategory; source: string; collectedAt: string }>
  | DomainEvent<'LegalRecordCreated', { subjectId: string; recordKind: string; reference: string; createdAt: string }>
  | DomainEvent<'UnpaidDebtOpened', { subjectId: string; debtId: string; openedAt: string }>
  | DomainEvent<'UnpaidDebtSettled', { subjectId: string; debtId: string; settledAt: string }>
  | DomainEvent<
      'PersonalDataPurged',
      { subjectId: string; categories: PiiCategory[]; reason: 'retention' | 'erasure'; requestId: string | null; purgedAt: string; basis: PurgeBasis[] }
    >
  | DomainEvent<
      'PersonalDataErasureDeferred',
      { subjectId: string; requestId: string; category: PiiCategory; holdKind: string; until: string | null; rule: string; reason: string; deferredAt: string }
    >
  | DomainEvent<'ProcessingRestricted', { subjectId: string; categories: PiiCategory[]; requestId: string | null; reason: string; restrictedAt: string }>
  | DomainEvent<'ProcessingRestrictionLifted', { subjectId: string; categories: PiiCategory[]; reason: PersonalText; liftedAt: string }>
  | DomainEvent<
      'ArchivedDataAccessed',
      { subjectId: string; categories: PiiCategory[]; reason: PersonalText; actor: ArchiveReader; requestId: string | null; accessedAt: string }
    >
  | DomainEvent<'PersonalDataRectified', { subjectId: string; requestId: string; corrections: Rectification[]; rectifiedAt: string }>;

export interface Restriction {
  since: string;
  reason: string;
  requestId: string | null;
  /** Set when the restriction replaces an erasure refused by a legal hold (PRV-04). */
  deferredErasureUntil?: string | null;
}

export interface DataSubjectState extends RetentionFacts {
  subjectId: string | null;
  legalRecords: string[];
  debts: Record<string, { openedAt: string; settledAt: string | null }>;
  restricted: Partial<Record<PiiCategory, Restriction>>;
}

export const dataSubjectStream = (subjectId: string) => `datasubject-${subjectId}`;

/**
 * Reasons people type: why the restricted archive is read (the X-Reason copied into the fact) and
 * why a restriction is lifted. Sealed for the subject (issue 18 item 7); the state keeps neither.
 */
export const DATA_SUBJECT_FREE_TEXT: FreeTextFields<DataSubjectEvent> = {
  ArchivedDataAccessed: ['reason'],
  ProcessingRestrictionLifted: ['reason'],
};

const fail = (code: string, message: string, rule: string | undefined, field: string) => new DomainError(code, message, rule, field);

function recordFact(state: DataSubjectState, subjectId: string, fact: SubjectFact, now: Date): DataSubjectEvent[] {
  const at = Date.parse(fact.occurredAt);
  if (Number.isNaN(at)) throw fail('invalid_instant', 'occurredAt is not an instant', undefined, 'occurredAt');
  if (at > now.getTime()) throw fail('fact_in_future', 'A retention fact cannot be recorded before it happens', 'PRV-02', 'occurredAt');
  const occurredAt = new Date(at).toISOString();
  switch (fact.kind) {
    case 'contract_started': {
      if (state.contracts[fact.contractId]) throw fail('contract_exists', `Contract ${fact.contractId} was already recorded`, undefined, 'contractId');
      return [{ type: 'SubjectContractStarted', data: { subjectId, contractId: fact.contractId, service: fact.service, startedAt: occurredAt } }];
    }
    case 'contract_ended': {
      const contract = state.contracts[fact.contractId];
      if (!contract) throw fail('unknown_contract', `No contract ${fact.contractId} was recorded for ${subjectId}`, undefined, 'contractId');
      if (contract.endedAt) throw fail('contract_already_ended', `Contract ${fact.contractId} ended on ${contract.endedAt}`, undefined, 'contractId');
      if (at < Date.parse(contract.startedAt)) throw fail('contract_ends_before_start', 'A contract cannot end before it started', undefined, 'occurredAt');
      return [{ type: 'SubjectContractEnded', data: { subjectId, contractId: fact.contractId, endedAt: occurredAt } }];
    }
    case 'data_collected':
      return [{ type: 'PersonalDataCollected', data: { subjectId, category: fact.category, source: fact.source, collectedAt: occurredAt } }];
    case 'invoice_issued':
      // The same invoice recorded twice is one fact.
      if (state.legalRecords.includes(`invoice:${fact.reference}`)) return [];
      return [{ type: 'LegalRecordCreated', data: { subjectId, recordKind: 'invoice', reference: fact.reference, createdAt: occurredAt } }];
    case 'unpaid_debt_opened':
      if (state.debts[fact.debtId]) throw fail('debt_exists', `Debt ${fact.debtId} was already recorded`, undefined, 'debtId');
      return [{ type: 'UnpaidDebtOpened', data: { subjectId, debtId: fact.debtId, openedAt: occurredAt } }];
    case 'unpaid_debt_settled': {
      const debt = state.debts[fact.debtId];
      if (!debt || debt.settledAt) throw fail('unknown_debt', `No open debt ${fact.debtId}`, undefined, 'debtId');
      return [{ type: 'UnpaidDebtSettled', data: { subjectId, debtId: fact.debtId, settledAt: occurredAt } }];
    }
  }
}

function policyOf(rules: RetentionRules, category: PiiCategory): RetentionPolicy {
  const policy = rules.policies.find((p) => p.category === category);
  if (!policy) throw fail('no_retention_policy', `No retention policy for ${category}`, 'PRV-02', 'categories');
  return policy;
}

function requireCategories(categories: PiiCategory[]): void {
  if (categories.length === 0) throw fail('categories_required', 'At least one category is required', undefined, 'categories');
}

/** Categories whose data is out of normal use at `now`: in the restricted archive or restricted (PRV-02, PRV-04). */
export function archivedCategories(state: DataSubjectState, rules: RetentionRules, now: Date): PiiCategory[] {
  const out: PiiCategory[] = [];
  for (const policy of rules.policies) {
    const phase = phaseAt(categoryRetention(policy, rules.holds, state), now);
    if (phase === 'archived' || phase === 'due' || state.restricted[policy.category]) out.push(policy.category);
  }
  return out;
}

export const dataSubjectDecider: Decider<DataSubjectCommand, DataSubjectEvent, DataSubjectState> = {
  initialState: {
    subjectId: null,
    contracts: {},
    lastCollectedAt: {},
    lastLegalRecordAt: {},
    legalRecords: [],
    openDebts: [],
    debts: {},
    lastDebtSettledAt: null,
    purgedAt: {},
    erasureRequestedAt: {},
    restricted: {},
  },

  decide(command, state, now) {
    const subjectId = command.subjectId;
    const at = now.toISOString();
    switch (command.type) {
      case 'RecordFact':
        return recordFact(state, subjectId, command.fact, now);

      case 'PurgeForRetention': {
        requireCategories(command.categories);
        const basis = command.categories.map((category): PurgeBasis => {
          const policy = policyOf(command, category);
          const r = categoryRetention(policy, command.holds, state);
          const phase = phaseAt(r, now);
          if (phase !== 'due') {
            const until = phase === 'active' ? r.activeUntil : r.purgeAt;
            throw fail('purge_not_due', `${category} of ${subjectId} is ${phase}${until ? ` until ${until}` : ''}; its retention period has not ended`, policy.rule, 'categories');
          }
          return { category, rule: policy.rule, anchorAt: r.anchorAt, activeUntil: r.activeUntil, holdUntil: r.holdUntil };
        });
        return [{ type: 'PersonalDataPurged', data: { subjectId, categories: command.categories, reason: 'retention', requestId: null, purgedAt: at, basis } }];
      }

      case 'EraseOnRequest': {
        requireCategories(command.categories);
        const erased: PurgeBasis[] = [];
        const deferred: DataSubjectEvent[] = [];
        for (const category of command.categories) {
          const policy = policyOf(command, category);
          const hold = activeHold(category, command.holds, state, now);
          const debt = policy.extendWhileUnpaidDebt && state.openDebts.length > 0;
          if (hold || debt) {
            deferred.push({
              type: 'PersonalDataErasureDeferred',
              data: {
                subjectId,
                requestId: command.requestId,
                category,
                holdKind: hold ? hold.kind : 'unpaid_debt',
                until: hold ? hold.until : null,
                rule: 'PRV-04',
                reason: hold
                  ? `Legal retention duty (${hold.kind}, ${hold.rule}) until ${hold.until}: the data is restricted (kept, not used) and erased when the duty ends`
                  : 'An unpaid debt is being handled (PRV-02): the data is restricted and erased once the debt is settled',
                deferredAt: at,
              },
            });
          } else {
            const r = categoryRetention(policy, command.holds, state);
            erased.push({ category, rule: 'PRV-04', anchorAt: r.anchorAt, activeUntil: r.activeUntil, holdUntil: r.holdUntil });
          }
        }
        const purge: DataSubjectEvent[] = erased.length
          ? [{ type: 'PersonalDataPurged', data: { subjectId, categories: erased.map((e) => e.category), reason: 'erasure', requestId: command.requestId, purgedAt: at, basis: erased } }]
          : [];
        return [...purge, ...deferred];
      }

      case 'RestrictProcessing': {
        requireCategories(command.categories);
        if (!command.reason.trim()) throw fail('reason_required', 'A restriction states its reason', 'PRV-04', 'reason');
        const fresh = command.categories.filter((c) => !state.restricted[c]);
        if (fresh.length === 0) return [];
        return [{ type: 'ProcessingRestricted', data: { subjectId, categories: fresh, requestId: command.requestId, reason: command.reason, restrictedAt: at } }];
      }

      case 'LiftRestriction': {
        requireCategories(command.categories);
        for (const c of command.categories) {
          const r = state.restricted[c];
          if (!r) throw fail('not_restricted', `${c} is not restricted`, 'PRV-04', 'categories');
          if (r.deferredErasureUntil !== undefined) {
            throw fail('erasure_deferred', `${c} is restricted because its erasure waits for a legal hold; it cannot be lifted`, 'PRV-04', 'categories');
          }
        }
        return [{ type: 'ProcessingRestrictionLifted', data: { subjectId, categories: command.categories, reason: command.reason, liftedAt: at } }];
      }

      case 'RecordArchiveAccess': {
        if (!command.reason || !command.reason.trim()) {
          throw fail('reason_required', 'Reading the restricted archive requires a reason (X-Reason header)', 'PRV-02', 'X-Reason');
        }
        if (command.requestId === null && command.actor.role !== 'admin' && command.actor.role !== 'auditor') {
          throw fail('archive_access_denied', 'Only the admin and auditor roles may read the restricted archive', 'PRV-02', 'role');
        }
        requireCategories(command.categories);
        const archived = archivedCategories(state, command, now);
        const outside = command.categories.filter((c) => !archived.includes(c));
        if (outside.length > 0) throw fail('not_archived', `Not in the restricted archive: ${outside.join(', ')}`, 'PRV-02', 'categories');
        return [
          {
            type: 'ArchivedDataAccessed',
            data: { subjectId, categories: command.categories, reason: command.reason.trim(), actor: command.actor, requestId: command.requestId, accessedAt: at },
          },
        ];
      }

      case 'RecordRectification':
        if (command.corrections.length === 0) throw fail('corrections_required', 'A rectification states the corrections', 'PRV-04', 'corrections');
        return [{ type: 'PersonalDataRectified', data: { subjectId, requestId: command.requestId, corrections: command.corrections, rectifiedAt: at } }];
    }
  },

  evolve(state, event) {
    const s: DataSubjectState = { ...state, subjectId: state.subjectId ?? event.data.subjectId };
    switch (event.type) {
      case 'SubjectContractStarted':
        return { ...s, contracts: { ...s.contracts, [event.data.contractId]: { service: event.data.service, startedAt: event.data.startedAt, endedAt: null } } };
      case 'SubjectContractEnded': {
        const c = s.contracts[event.data.contractId];
        return { ...s, contracts: { ...s.contracts, [event.data.contractId]: { ...c, endedAt: event.data.endedAt } } };
      }
      case 'PersonalDataCollected': {
        const previous = s.lastCollectedAt[event.data.category];
        if (previous && Date.parse(previous) >= Date.parse(event.data.collectedAt)) return s;
        return { ...s, lastCollectedAt: { ...s.lastCollectedAt, [event.data.category]: event.data.collectedAt } };
      }
      case 'LegalRecordCreated': {
        const previous = s.lastLegalRecordAt[event.data.recordKind];
        const latest = previous && Date.parse(previous) >= Date.parse(event.data.createdAt) ? previous : event.data.createdAt;
        return {
          ...s,
          legalRecords: [...s.legalRecords, `${event.data.recordKind}:${event.data.reference}`],
          lastLegalRecordAt: { ...s.lastLegalRecordAt, [event.data.recordKind]: latest },
        };
      }
      case 'UnpaidDebtOpened':
        return {
          ...s,
          debts: { ...s.debts, [event.data.debtId]: { openedAt: event.data.openedAt, settledAt: null } },
          openDebts: [...s.openDebts, event.data.debtId],
        };
      case 'UnpaidDebtSettled': {
        const settled = event.data.settledAt;
        const last = s.lastDebtSettledAt && Date.parse(s.lastDebtSettledAt) > Date.parse(settled) ? s.lastDebtSettledAt : settled;
        return {
          ...s,
          debts: { ...s.debts, [event.data.debtId]: { ...s.debts[event.data.debtId], settledAt: settled } },
          openDebts: s.openDebts.filter((d) => d !== event.data.debtId),
          lastDebtSettledAt: last,
        };
      }
      case 'PersonalDataPurged': {
        const purgedAt = { ...s.purgedAt };
        const restricted = { ...s.restricted };
        for (const c of event.data.categories) {
          purgedAt[c] = event.data.purgedAt;
          // A restriction standing for a deferred erasure ends with the data.
          if (restricted[c]?.deferredErasureUntil !== undefined) delete restricted[c];
        }
        return { ...s, purgedAt, restricted };
      }
      case 'PersonalDataErasureDeferred':
        return {
          ...s,
          erasureRequestedAt: { ...s.erasureRequestedAt, [event.data.category]: event.data.deferredAt },
          restricted: {
            ...s.restricted,
            [event.data.category]: { since: event.data.deferredAt, reason: event.data.reason, requestId: event.data.requestId, deferredErasureUntil: event.data.until },
          },
        };
      case 'ProcessingRestricted': {
        const restricted = { ...s.restricted };
        for (const c of event.data.categories) restricted[c] = { since: event.data.restrictedAt, reason: event.data.reason, requestId: event.data.requestId };
        return { ...s, restricted };
      }
      case 'ProcessingRestrictionLifted': {
        const restricted = { ...s.restricted };
        for (const c of event.data.categories) delete restricted[c];
        return { ...s, restricted };
      }
      default:
        return s;
    }
  },
};

export const DATA_SUBJECT_EVENT_TYPES: ReadonlyArray<DataSubjectEvent['type']> = [
  'SubjectContractStarted',
  'SubjectContractEnded',
  'PersonalDataCollected',
  'LegalRecordCreated',
  'UnpaidDebtOpened',
  'UnpaidDebtSettled',
  'PersonalDataPurged',
  'PersonalDataErasureDeferred',
  'ProcessingRestricted',
  'ProcessingRestrictionLifted',
  'ArchivedDataAccessed',
  'PersonalDataRectified',
];

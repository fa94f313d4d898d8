import { given } from '@oksio/kernel/testing/decider-spec';
import { DEFAULT_LEGAL_HOLDS, DEFAULT_RETENTION_POLICIES } from './retention-policy';
import { dataSubjectDecider, type DataSubjectEvent } from './data-subject.decider';

const subjectId = 'contact-c1';
const rules = { policies: DEFAULT_RETENTION_POLICIES, holds: DEFAULT_LEGAL_HOLDS };
const history: DataSubjectEvent[] = [
  { type: 'SubjectContractStarted', data: { subjectId, contractId: 'k1', service: 'DATA', startedAt: '2026-01-01T00:00:00.000Z' } },
  { type: 'SubjectContractEnded', data: { subjectId, contractId: 'k1', endedAt: '2026-06-30T00:00:00.000Z' } },
];
const invoiced: DataSubjectEvent[] = [
  ...history,
  { type: 'LegalRecordCreated', data: { subjectId, recordKind: 'invoice', reference: 'F-1', createdAt: '2026-07-05T00:00:00.000Z' } },
];

describe('data-subject decider', () => {
  it('records retention facts, refusing facts from the future and inconsistent contracts', () => {
    const now = new Date('2026-07-01T00:00:00Z');
    given(dataSubjectDecider)
      .when({ type: 'RecordFact', subjectId, fact: { kind: 'contract_started', contractId: 'k1', service: 'DATA', occurredAt: '2026-01-01T00:00:00Z' } }, now)
      .then([history[0]]);
    given(dataSubjectDecider)
      .when({ type: 'RecordFact', subjectId, fact: { kind: 'data_collected', category: 'communications', source: 'mail', occurredAt: '2026-08-01T00:00:00Z' } }, now)
      .thenRejects('fact_in_future', 'PRV-02');
    given(dataSubjectDecider).when({ type: 'RecordFact', subjectId, fact: { kind: 'contract_ended', contractId: 'nope', occurredAt: '2026-06-01T00:00:00Z' } }, now).thenRejects('unknown_contract');
    given(dataSubjectDecider, history).when({ type: 'RecordFact', subjectId, fact: { kind: 'contract_ended', contractId: 'k1', occurredAt: '2026-06-01T00:00:00Z' } }, now).thenRejects('contract_already_ended');
    // The same invoice twice is one fact.
    given(dataSubjectDecider, invoiced).when({ type: 'RecordFact', subjectId, fact: { kind: 'invoice_issued', reference: 'F-1', occurredAt: '2026-07-05T00:00:00Z' } }, new Date('2026-08-01T00:00:00Z')).then([]);
  });

  it('PRV-02 purges a category only once its retention period has ended', () => {
    given(dataSubjectDecider, history)
      .when({ type: 'PurgeForRetention', subjectId, categories: ['identity_contact'], ...rules }, new Date('2031-06-29T00:00:00Z'))
      .thenRejects('purge_not_due', 'PRV-02');
    const [event] = given(dataSubjectDecider, history)
      .when({ type: 'PurgeForRetention', subjectId, categories: ['identity_contact'], ...rules }, new Date('2031-07-01T00:00:00Z'))
      .events();
    expect(event).toMatchObject({ type: 'PersonalDataPurged', data: { subjectId, categories: ['identity_contact'], reason: 'retention', requestId: null } });
  });

  it('PRV-04 erasure under a legal hold is turned into a restriction with the reason; the rest is erased', () => {
    const events = given(dataSubjectDecider, invoiced)
      .when({ type: 'EraseOnRequest', subjectId, requestId: 'r1', categories: ['identity_contact', 'marketing'], ...rules }, new Date('2027-01-01T00:00:00Z'))
      .events();
    expect(events[0]).toMatchObject({ type: 'PersonalDataPurged', data: { categories: ['marketing'], reason: 'erasure', requestId: 'r1' } });
    expect(events[1]).toMatchObject({ type: 'PersonalDataErasureDeferred', data: { category: 'identity_contact', holdKind: 'invoice', until: '2036-07-05T00:00:00.000Z', rule: 'PRV-04' } });
    expect((events[1].data as { reason: string }).reason).toMatch(/Legal retention duty/);
    // The restriction of a deferred erasure cannot be lifted; it ends with the purge.
    given(dataSubjectDecider, [...invoiced, ...events])
      .when({ type: 'LiftRestriction', subjectId, categories: ['identity_contact'], reason: 'x' }, new Date('2027-02-01T00:00:00Z'))
      .thenRejects('erasure_deferred', 'PRV-04');
    given(dataSubjectDecider, [...invoiced, ...events])
      .when({ type: 'PurgeForRetention', subjectId, categories: ['identity_contact'], ...rules }, new Date('2036-07-05T00:00:00Z'))
      .events();
  });

  it('PRV-02 the restricted archive is read by admin or auditor with a reason, and only for archived data', () => {
    const now = new Date('2032-01-01T00:00:00Z');
    const read = (reason: string | null, role: string, categories = ['identity_contact'] as const) =>
      given(dataSubjectDecider, invoiced).when({ type: 'RecordArchiveAccess', subjectId, categories: [...categories], reason, actor: { id: 'a', role }, requestId: null, ...rules }, now);
    read(null, 'auditor').thenRejects('reason_required', 'PRV-02');
    read('dispute #12', 'support').thenRejects('archive_access_denied', 'PRV-02');
    read('dispute #12', 'auditor', ['communications'] as never).thenRejects('not_archived', 'PRV-02');
    read('dispute #12', 'auditor').then([
      { type: 'ArchivedDataAccessed', data: { subjectId, categories: ['identity_contact'], reason: 'dispute #12', actor: { id: 'a', role: 'auditor' }, requestId: null, accessedAt: now.toISOString() } },
    ]);
  });
});

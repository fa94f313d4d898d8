import { given } from '@oksio/kernel/testing/decider-spec';
import { answerDeadline, requestDecider, type RequestEvent } from './request.decider';

const received: RequestEvent = {
  type: 'DataSubjectRequestReceived',
  data: {
    requestId: 'r1',
    subjectId: 'contact-c1',
    requestType: 'access',
    channel: 'post',
    receivedAt: '2026-01-31T10:00:00.000Z',
    dueAt: '2026-02-28T10:00:00.000Z',
    categories: null,
    corrections: null,
  },
};

describe('data-subject request decider', () => {
  it('PRV-04 the answer is due one month after receipt (Paris calendar: 31 January → 28 February)', () => {
    expect(answerDeadline('2026-01-31T10:00:00.000Z')).toBe('2026-02-28T10:00:00.000Z');
    expect(answerDeadline('2026-03-15T23:30:00.000Z')).toBe('2026-04-15T22:30:00.000Z'); // DST: same Paris time
    given(requestDecider)
      .when({ type: 'ReceiveRequest', requestId: 'r1', subjectId: 'contact-c1', requestType: 'access', channel: 'post', receivedAt: '2026-01-31T10:00:00Z', categories: null, corrections: null }, new Date('2026-02-01T00:00:00Z'))
      .then([received]);
  });

  it('PRV-04 overdue only after the deadline; extension once, at most two months, before the deadline', () => {
    given(requestDecider, [received]).when({ type: 'MarkOverdue' }, new Date('2026-02-28T09:59:00Z')).thenRejects('not_overdue', 'PRV-04');
    given(requestDecider, [received]).when({ type: 'MarkOverdue' }, new Date('2026-02-28T10:00:00Z')).events();
    given(requestDecider, [received]).when({ type: 'ExtendDeadline', months: 2, reason: 'complex' }, new Date('2026-02-10T00:00:00Z')).then([
      { type: 'DataSubjectRequestDeadlineExtended', data: { requestId: 'r1', subjectId: 'contact-c1', dueAt: '2026-04-30T09:00:00.000Z', reason: 'complex' } },
    ]);
    given(requestDecider, [received]).when({ type: 'ExtendDeadline', months: 3, reason: 'x' }, new Date('2026-02-10T00:00:00Z')).thenRejects('extension_too_long', 'PRV-04');
    given(requestDecider, [received]).when({ type: 'ExtendDeadline', months: 1, reason: 'x' }, new Date('2026-03-01T00:00:00Z')).thenRejects('extension_too_late', 'PRV-04');
  });

  it('PRV-04 a fulfilment answers the right asked, once, flagged late after the deadline', () => {
    const [event] = given(requestDecider, [received]).when({ type: 'FulfilRequest', outcome: { type: 'access', format: 'json' } }, new Date('2026-03-02T00:00:00Z')).events();
    expect(event).toMatchObject({ type: 'DataSubjectRequestFulfilled', data: { late: true } });
    given(requestDecider, [received]).when({ type: 'FulfilRequest', outcome: { type: 'objection', scope: 'prospecting' } }, new Date('2026-02-02T00:00:00Z')).thenRejects('outcome_mismatch', 'PRV-04');
    given(requestDecider, [received, event]).when({ type: 'RefuseRequest', reason: 'x' }, new Date('2026-03-03T00:00:00Z')).thenRejects('request_closed', 'PRV-04');
  });
});

import { commandForDueAction, dueDates } from './due-dates';
import { ticketDecider } from './ticket.decider';
import { d, fold, history, openedTicket } from './testing/ticket-fixtures';

const TUE_10 = '2026-06-09T10:00:00+02:00';

describe('due dates of a ticket', () => {
  it("INC-10 an open ticket under SLA has an 'incident.sla_breach' action at its deadline, with a stable key", () => {
    const state = fold(openedTicket({ notifiedAt: TUE_10 }));
    expect(dueDates(state)).toEqual([
      {
        kind: 'incident.sla_breach',
        key: 'sla:t-1:2026-06-09T12:00:00.000Z',
        dueAt: d('2026-06-09T14:00:00+02:00'),
        payload: { ticketId: 't-1', deadline: '2026-06-09T12:00:00.000Z' },
      },
    ]);
    // Same state, same key: re-syncing the due-actions table changes nothing.
    expect(dueDates(fold(openedTicket({ notifiedAt: TUE_10 })))[0].key).toBe('sla:t-1:2026-06-09T12:00:00.000Z');
  });

  it('INC-10 outside hours the action is due at 12:00 of the next business day (Friday 19:00 → Monday 12:00)', () => {
    const [action] = dueDates(fold(openedTicket({ notifiedAt: '2026-06-05T19:00:00+02:00' })));
    expect(action).toMatchObject({ kind: 'incident.sla_breach', dueAt: d('2026-06-08T12:00:00+02:00') });
  });

  it('INC-06 no breach action while frozen; after access is obtained the moved deadline gets a new key', () => {
    const opened = openedTicket({ notifiedAt: TUE_10 });
    const frozen = history([[{ type: 'RequestSiteAccess', siteId: 'site-paris' }, d('2026-06-09T11:00:00+02:00')]], opened);
    expect(dueDates(fold(frozen))).toEqual([]);
    const resumed = history([[{ type: 'RecordSiteAccessObtained' }, d('2026-06-09T12:00:00+02:00')]], frozen);
    expect(dueDates(fold(resumed)).map((a) => a.key)).toEqual(['sla:t-1:2026-06-09T13:00:00.000Z']);
  });

  it('INC-05/INC-16 no breach action for a minor anomaly, a MOBILE line, or a ticket not yet classified', () => {
    expect(dueDates(fold(openedTicket({ notifiedAt: TUE_10, classification: 'minor_anomaly' })))).toEqual([]);
    expect(dueDates(fold(openedTicket({ notifiedAt: TUE_10, serviceType: 'MOBILE', terms: {} })))).toEqual([]);
    expect(dueDates(fold(openedTicket({ notifiedAt: TUE_10, classification: null })))).toEqual([]);
  });

  it('INC-10 no breach action once the breach is recorded or the service restored', () => {
    const opened = openedTicket({ notifiedAt: TUE_10 });
    const breached = history([[{ type: 'RecordSlaBreach', deadline: '2026-06-09T12:00:00.000Z' }, d('2026-06-09T14:00:00+02:00')]], opened);
    expect(dueDates(fold(breached))).toEqual([]);
    const restored = history([[{ type: 'NotifyRestoration', via: 'email' }, d('2026-06-09T13:00:00+02:00')]], opened);
    expect(dueDates(fold(restored)).map((a) => a.kind)).toEqual(['incident.auto_close']);
  });

  it("INC-09 a resolved ticket has an 'incident.auto_close' action N calendar days later at the same Paris time (across DST)", () => {
    // Resolved Friday 27 March 2026 10:00 CET; 3 days later is Monday 30 March 10:00 CEST.
    const restored = history([[{ type: 'NotifyRestoration', via: 'phone' }, d('2026-03-27T10:00:00+01:00')]], openedTicket({ notifiedAt: '2026-03-27T09:30:00+01:00' }));
    expect(dueDates(fold(restored))).toEqual([
      { kind: 'incident.auto_close', key: 'auto-close:t-1:2026-03-27T09:00:00.000Z', dueAt: d('2026-03-30T10:00:00+02:00'), payload: { ticketId: 't-1' } },
    ]);
    const closed = history([[{ type: 'AutoCloseTicket' }, d('2026-03-30T10:00:00+02:00')]], restored);
    expect(dueDates(fold(closed))).toEqual([]);
    // Reopened: the breach watch is back (with the remaining allowance), the old auto-close is gone.
    const reopened = history([[{ type: 'ReopenTicket', requestedByContactId: 'c-tech', reason: 'Down again' }, d('2026-03-30T11:00:00+02:00')]], closed);
    expect(dueDates(fold(reopened)).map((a) => a.kind)).toEqual(['incident.sla_breach']);
  });

  it('INC-09 the auto-close delay is configurable per contract', () => {
    const restored = history(
      [[{ type: 'NotifyRestoration', via: 'phone' }, d('2026-06-09T13:00:00+02:00')]],
      openedTicket({ notifiedAt: TUE_10, terms: { guaranteedLink: true, monthlyFee: '100.00', autoCloseAfterDays: 1 } }),
    );
    expect(dueDates(fold(restored))[0].dueAt).toEqual(d('2026-06-10T13:00:00+02:00'));
  });

  it('gives the same actions from the state reloaded from JSON, and maps each kind back to its command', () => {
    const state = fold(openedTicket({ notifiedAt: TUE_10 }));
    const reloaded = JSON.parse(JSON.stringify(state));
    expect(dueDates(reloaded)).toEqual(dueDates(state));
    expect(dueDates(ticketDecider.initialState)).toEqual([]);

    const [action] = dueDates(state);
    const command = commandForDueAction(action.kind, action.payload);
    expect(command).toEqual({ type: 'RecordSlaBreach', deadline: '2026-06-09T12:00:00.000Z' });
    expect(ticketDecider.decide(command, state, action.dueAt)[0].type).toBe('SlaBreached');
    expect(commandForDueAction('incident.auto_close', { ticketId: 't-1' })).toEqual({ type: 'AutoCloseTicket' });
    expect(() => commandForDueAction('incident.unknown', {})).toThrow('No incident command');
  });
});

import { DomainError, Money } from '@oksio/kernel';
import type { TicketCommand } from './commands';
import type { TicketEvent } from './events';
import { elapsedMs, slaDeadline, startClock, stop } from './interruption-clock';
import { SLA_EXCLUSION_CAUSES, penaltyDue } from './penalties';
import { ticketDecider } from './ticket.decider';
import { HOUR, d, fold, history, openedTicket } from './testing/ticket-fixtures';

/**
 * Must-show clock and penalty cases not spelled out elsewhere: Thursday before a holiday,
 * Saturday notifications, measured durations across DST weekends, the 4 h / 4 h + 1 s penalty
 * boundary through the decider, and each INC-14 cause refusing the grant through the decider.
 */

const deadline = (notifiedAt: string) => slaDeadline(startClock({ notifiedAt: d(notifiedAt).toISOString() }));
const measured = (notifiedAt: string, restoredAt: string) =>
  elapsedMs(stop(startClock({ notifiedAt: d(notifiedAt).toISOString() }), d(restoredAt).toISOString()), d(restoredAt));
const restore = (at: string): TicketCommand => ({ type: 'NotifyRestoration', via: 'email', at: d(at).toISOString() });
const grant: TicketCommand = { type: 'GrantSlaPenalty', requestedByContactId: 'c-tech', alreadyGranted: { billingMonth: '2026-06', amount: '0.00' } };
const computedOf = (events: TicketEvent[]) => events.find((e) => e.type === 'SlaPenaltyComputed')?.data as { interruptionMs: number; tierPercentage: string; amount: string };

function refusal(events: TicketEvent[], command: TicketCommand, now: Date): DomainError {
  try {
    ticketDecider.decide(command, fold(events), now);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`${command.type} was accepted`);
}

describe('SLA must-show cases', () => {
  it('INC-10 Thursday before a holiday: Thu 30 Apr 2026 17:00 → Mon 4 May 12:00 (1 May is a Friday); Thu 7 May 17:00 → Mon 11 May 12:00 (8 May)', () => {
    expect(deadline('2026-04-30T17:00:00+02:00')).toEqual(d('2026-05-04T12:00:00+02:00'));
    expect(deadline('2026-05-07T17:00:00+02:00')).toEqual(d('2026-05-11T12:00:00+02:00'));
    // Christmas 2026 is a Friday: Thursday 15:00 → 3 h on Thursday + 1 h on Monday 28; outside hours → Monday 12:00.
    expect(deadline('2026-12-24T15:00:00+01:00')).toEqual(d('2026-12-28T10:00:00+01:00'));
    expect(deadline('2026-12-24T19:00:00+01:00')).toEqual(d('2026-12-28T12:00:00+01:00'));
  });

  it('INC-10 Saturday: a notification on Saturday 10:00 is restored before Monday 12:00, and the week-end counts nothing', () => {
    expect(deadline('2026-06-06T10:00:00+02:00')).toEqual(d('2026-06-08T12:00:00+02:00'));
    expect(measured('2026-06-06T10:00:00+02:00', '2026-06-07T20:00:00+02:00')).toBe(0);
    expect(measured('2026-06-06T10:00:00+02:00', '2026-06-08T11:59:59+02:00')).toBe(3 * HOUR - 1000);
  });

  it('INC-10 INC-11 across DST weekends the measured duration is business time, not wall-clock: spring 4 h → 0 %, 5 h → 20 %; autumn 5 h', () => {
    expect(measured('2026-03-27T16:00:00+01:00', '2026-03-30T11:00:00+02:00')).toBe(4 * HOUR);
    const spring = history([[restore('2026-03-30T12:00:00+02:00'), d('2026-03-30T12:00:00+02:00')]], openedTicket({ notifiedAt: '2026-03-27T16:00:00+01:00' }));
    expect(computedOf(spring)).toMatchObject({ interruptionMs: 5 * HOUR, tierPercentage: '20', amount: '20.00' });
    expect(measured('2026-10-23T16:00:00+02:00', '2026-10-26T12:00:00+01:00')).toBe(5 * HOUR);
  });

  it('INC-11 restoration at exactly 4 h → no penalty; at 4 h + 1 s → 20 %, granted on request', () => {
    const opened = openedTicket({ notifiedAt: '2026-06-09T10:00:00+02:00' });
    const exactly = history([[restore('2026-06-09T14:00:00+02:00'), d('2026-06-09T14:00:00+02:00')]], opened);
    expect(computedOf(exactly)).toMatchObject({ interruptionMs: 4 * HOUR, tierPercentage: '0', amount: '0.00' });
    expect(refusal(exactly, grant, d('2026-06-10T10:00:00+02:00'))).toMatchObject({ code: 'no_penalty_due', rule: 'INC-11' });

    const oneSecondMore = history([[restore('2026-06-09T14:00:01+02:00'), d('2026-06-09T14:00:01+02:00')]], opened);
    expect(computedOf(oneSecondMore)).toMatchObject({ interruptionMs: 4 * HOUR + 1000, tierPercentage: '20', amount: '20.00' });
    expect(ticketDecider.decide(grant, fold(oneSecondMore), d('2026-06-10T10:00:00+02:00'))[0].data).toMatchObject({ amount: '20.00' });
  });

  it.each(SLA_EXCLUSION_CAUSES.map((cause) => [cause]))('INC-14 an interruption excluded for %s earns no penalty: the grant is refused naming INC-14', (cause) => {
    const restored = history([[restore('2026-06-09T16:00:00+02:00'), d('2026-06-09T16:00:00+02:00')]], openedTicket({ notifiedAt: '2026-06-09T10:00:00+02:00' }));
    expect(computedOf(restored)).toMatchObject({ tierPercentage: '20', amount: '20.00' });
    const now = d('2026-06-10T10:00:00+02:00');
    const excluded = history([[{ type: 'RecordSlaExclusion', cause }, now]], restored);
    expect(fold(excluded).exclusion).toBe(cause);
    expect(refusal(excluded, grant, now)).toMatchObject({ code: 'penalty_excluded', rule: 'INC-14' });
    expect(penaltyDue(Money.fromJSON(fold(excluded).penalty!.computed), fold(excluded).exclusion).toString()).toBe('0.00');
  });
});

import { BusinessCalendar } from '@oksio/kernel';
import {
  addBusinessMs,
  allowanceMs,
  breached,
  elapsedMs,
  freeze,
  remainingMs,
  restart,
  resume,
  slaDeadline,
  startClock,
  status,
  stop,
  type InterruptionClock,
} from './interruption-clock';
import { isSupportOpen, supportReceptionInstant } from './support-hours';
import { HOUR, MINUTE, d } from './testing/ticket-fixtures';

const clockAt = (notifiedAt: string, extra: Partial<InterruptionClock> = {}): InterruptionClock => ({ ...startClock({ notifiedAt: d(notifiedAt).toISOString() }), ...extra });
const at = (s: string) => d(s).toISOString();

describe('interruption clock', () => {
  describe('SLA deadline on the business-hours basis (default)', () => {
    it('INC-10 in hours: 4 business hours after a notification at 10:00 → 14:00 the same day', () => {
      expect(slaDeadline(clockAt('2026-06-09T10:00:00+02:00'))).toEqual(d('2026-06-09T14:00:00+02:00'));
      expect(allowanceMs(clockAt('2026-06-09T10:00:00+02:00'))).toBe(4 * HOUR);
    });

    it('INC-10 in hours: Friday 17:00 + 4 business hours → Monday 12:00 (Europe/Paris)', () => {
      expect(slaDeadline(clockAt('2026-06-05T17:00:00+02:00'))).toEqual(d('2026-06-08T12:00:00+02:00'));
    });

    it('INC-10 outside hours: restore before 12:00 next business day (Friday 19:00 → Monday 12:00)', () => {
      const clock = clockAt('2026-06-05T19:00:00+02:00');
      expect(slaDeadline(clock)).toEqual(d('2026-06-08T12:00:00+02:00'));
      // Expressed internally as the business time between the notification and that noon.
      expect(allowanceMs(clock)).toBe(3 * HOUR);
    });

    it('INC-10 outside hours: an early-morning notification is restored before 12:00 the same day', () => {
      expect(slaDeadline(clockAt('2026-06-09T07:00:00+02:00'))).toEqual(d('2026-06-09T12:00:00+02:00'));
      expect(slaDeadline(clockAt('2026-06-09T18:00:00+02:00'))).toEqual(d('2026-06-10T12:00:00+02:00')); // 18:00 is already closed
    });

    it('INC-10 outside hours on the eve of a holiday: Wed 13 May 2026 19:00 → Fri 15 May 12:00 (Ascension on the 14th)', () => {
      expect(slaDeadline(clockAt('2026-05-13T19:00:00+02:00'))).toEqual(d('2026-05-15T12:00:00+02:00'));
      // In hours the same day: 16:00 + 4 business hours skips the holiday too → Friday 11:00.
      expect(slaDeadline(clockAt('2026-05-13T16:00:00+02:00'))).toEqual(d('2026-05-15T11:00:00+02:00'));
    });

    it('INC-10 across the spring DST weekend: Fri 27 Mar 16:00 (UTC+1) → Mon 30 Mar 11:00 (UTC+2)', () => {
      expect(slaDeadline(clockAt('2026-03-27T16:00:00+01:00'))).toEqual(d('2026-03-30T09:00:00Z'));
      expect(slaDeadline(clockAt('2026-03-28T23:30:00+01:00'))).toEqual(d('2026-03-30T10:00:00Z')); // Saturday night → Monday 12:00 CEST
    });

    it('INC-10 across the autumn DST weekend: Fri 23 Oct 16:00 (UTC+2) → Mon 26 Oct 11:00 (UTC+1)', () => {
      expect(slaDeadline(clockAt('2026-10-23T16:00:00+02:00'))).toEqual(d('2026-10-26T10:00:00Z'));
    });

    it('INC-10 uses the site calendar: Alsace-Moselle skips Good Friday (3 April 2026)', () => {
      const thursday = '2026-04-02T16:00:00+02:00';
      expect(slaDeadline(clockAt(thursday))).toEqual(d('2026-04-03T11:00:00+02:00'));
      // Good Friday, then the week-end, then Easter Monday (6 April) are all closed.
      expect(slaDeadline(clockAt(thursday, { alsaceMoselle: true }))).toEqual(d('2026-04-07T11:00:00+02:00'));
    });

    it('INC-10 the commitment itself is configurable per contract (hours, outside-hours noon)', () => {
      // 8 business hours from 10:00 end at the 18:00 closing (a deadline at closing stays at closing).
      expect(slaDeadline(clockAt('2026-06-09T10:00:00+02:00', { commitment: { hours: 8, outsideHoursRestoreBeforeHour: 12 } }))).toEqual(
        d('2026-06-09T18:00:00+02:00'),
      );
      expect(slaDeadline(clockAt('2026-06-09T11:00:00+02:00', { commitment: { hours: 8, outsideHoursRestoreBeforeHour: 12 } }))).toEqual(
        d('2026-06-10T10:00:00+02:00'),
      );
      expect(slaDeadline(clockAt('2026-06-09T20:00:00+02:00', { commitment: { hours: 4, outsideHoursRestoreBeforeHour: 14 } }))).toEqual(
        d('2026-06-10T14:00:00+02:00'),
      );
    });
  });

  describe('frozen periods', () => {
    it('INC-06 site access requested freezes the clock; frozen business time extends the deadline', () => {
      // Notified 10:00; frozen 11:00–13:30 (2.5 business hours) → 14:00 becomes 16:30.
      let clock = clockAt('2026-06-09T10:00:00+02:00');
      clock = freeze(clock, at('2026-06-09T11:00:00+02:00'));
      expect(status(clock, d('2026-06-09T12:00:00+02:00'))).toBe('frozen');
      expect(slaDeadline(clock)).toBeNull(); // unknown until access is obtained
      expect(elapsedMs(clock, d('2026-06-09T13:00:00+02:00'))).toBe(1 * HOUR);
      expect(remainingMs(clock, d('2026-06-09T13:00:00+02:00'))).toBe(3 * HOUR);
      expect(breached(clock, d('2026-06-10T12:00:00+02:00'))).toBe(false);

      clock = resume(clock, at('2026-06-09T13:30:00+02:00'));
      expect(status(clock, d('2026-06-09T14:00:00+02:00'))).toBe('running');
      expect(slaDeadline(clock)).toEqual(d('2026-06-09T16:30:00+02:00'));
      expect(elapsedMs(clock, d('2026-06-09T16:30:00+02:00'))).toBe(4 * HOUR);
    });

    it('INC-06 frozen time outside business hours does not count twice: a freeze over the night moves only its business part', () => {
      // Notified Tue 15:00 (deadline would be Wed 10:00). Frozen Tue 17:00 → Wed 10:00: 2 business hours frozen.
      let clock = clockAt('2026-06-09T15:00:00+02:00');
      clock = resume(freeze(clock, at('2026-06-09T17:00:00+02:00')), at('2026-06-10T10:00:00+02:00'));
      expect(slaDeadline(clock)).toEqual(d('2026-06-10T12:00:00+02:00'));
    });

    it('INC-06 outside-hours notification: the noon deadline is extended by the frozen business time', () => {
      // Notified Mon 20:00 → Tue 12:00; frozen 20:30 → Tue 10:00 (1 business hour) → Tue 13:00.
      let clock = clockAt('2026-06-08T20:00:00+02:00');
      clock = resume(freeze(clock, at('2026-06-08T20:30:00+02:00')), at('2026-06-09T10:00:00+02:00'));
      expect(slaDeadline(clock)).toEqual(d('2026-06-09T13:00:00+02:00'));
    });

    it('INC-06 a freeze that starts after the deadline does not move it, and several freezes add up', () => {
      let late = clockAt('2026-06-09T10:00:00+02:00');
      late = resume(freeze(late, at('2026-06-09T15:00:00+02:00')), at('2026-06-09T16:00:00+02:00'));
      expect(slaDeadline(late)).toEqual(d('2026-06-09T14:00:00+02:00'));

      let twice = clockAt('2026-06-09T10:00:00+02:00');
      twice = resume(freeze(twice, at('2026-06-09T10:30:00+02:00')), at('2026-06-09T11:00:00+02:00'));
      twice = resume(freeze(twice, at('2026-06-09T12:00:00+02:00')), at('2026-06-09T13:00:00+02:00'));
      expect(slaDeadline(twice)).toEqual(d('2026-06-09T15:30:00+02:00'));
      expect(elapsedMs(twice, d('2026-06-09T15:30:00+02:00'))).toBe(4 * HOUR);
    });

    it('INC-06 freezes are exact to the millisecond, also across a closing time', () => {
      let clock = clockAt('2026-06-09T10:00:00+02:00');
      clock = resume(freeze(clock, at('2026-06-09T10:00:00+02:00')), at('2026-06-09T10:00:30.500+02:00'));
      expect(slaDeadline(clock)).toEqual(d('2026-06-09T14:00:30.500+02:00'));

      const cal = new BusinessCalendar();
      expect(new Date(addBusinessMs(cal, d('2026-06-09T17:59:00+02:00').getTime(), 90_000))).toEqual(d('2026-06-10T09:00:30+02:00'));
      expect(new Date(addBusinessMs(cal, d('2026-06-12T17:30:00+02:00').getTime(), 30 * MINUTE + 1))).toEqual(d('2026-06-15T09:00:00.001+02:00'));
    });
  });

  describe('measurement, stop and breach', () => {
    it('INC-13 the clock runs from the client notification to the restoration notice, on business hours', () => {
      let clock = clockAt('2026-06-05T17:00:00+02:00'); // Friday
      expect(elapsedMs(clock, d('2026-06-08T10:00:00+02:00'))).toBe(2 * HOUR); // Fri 17–18 + Mon 9–10
      clock = stop(clock, at('2026-06-08T10:30:00+02:00'));
      expect(status(clock, d('2026-06-08T11:00:00+02:00'))).toBe('stopped');
      expect(elapsedMs(clock, d('2026-06-20T11:00:00+02:00'))).toBe(2.5 * HOUR); // no longer moves
      expect(remainingMs(clock, d('2026-06-20T11:00:00+02:00'))).toBe(1.5 * HOUR);
      expect(elapsedMs(clock, d('2026-06-05T16:00:00+02:00'))).toBe(0); // before the notification
    });

    it('INC-10 breach is strict: restoring exactly at the deadline is late, one millisecond earlier is in time', () => {
      const clock = clockAt('2026-06-09T10:00:00+02:00');
      expect(breached(clock, d('2026-06-09T13:59:59.999+02:00'))).toBe(false);
      expect(breached(clock, d('2026-06-09T14:00:00+02:00'))).toBe(true);
      expect(breached(stop(clock, at('2026-06-09T13:59:59.999+02:00')), d('2026-06-10T10:00:00+02:00'))).toBe(false);
      expect(breached(stop(clock, at('2026-06-09T14:00:00+02:00')), d('2026-06-10T10:00:00+02:00'))).toBe(true);
    });

    it('INC-10 calendar basis: 4 calendar hours plus frozen time, nights and week-ends count', () => {
      let clock = clockAt('2026-06-05T17:00:00+02:00', { basis: 'calendar' });
      expect(slaDeadline(clock)).toEqual(d('2026-06-05T21:00:00+02:00'));
      expect(slaDeadline(clockAt('2026-06-05T19:00:00+02:00', { basis: 'calendar' }))).toEqual(d('2026-06-05T23:00:00+02:00'));
      clock = resume(freeze(clock, at('2026-06-05T18:00:00+02:00')), at('2026-06-05T19:30:00+02:00'));
      expect(slaDeadline(clock)).toEqual(d('2026-06-05T22:30:00+02:00'));
      expect(elapsedMs(clock, d('2026-06-05T22:30:00+02:00'))).toBe(4 * HOUR);
      // Spring DST night: 4 real hours after 23:30 CET is 04:30 CEST.
      expect(slaDeadline(clockAt('2026-03-28T23:30:00+01:00', { basis: 'calendar' }))).toEqual(d('2026-03-29T04:30:00+02:00'));
    });

    it('INC-09 reopening restarts the same clock without counting the time the service was reported restored', () => {
      let clock = clockAt('2026-06-09T10:00:00+02:00');
      clock = stop(clock, at('2026-06-09T12:00:00+02:00'));
      clock = restart(clock, at('2026-06-10T09:30:00+02:00'));
      expect(status(clock, d('2026-06-10T10:00:00+02:00'))).toBe('running');
      expect(elapsedMs(clock, d('2026-06-10T10:30:00+02:00'))).toBe(3 * HOUR); // 2 h + 1 h after reopening
      expect(slaDeadline(clock)).toEqual(d('2026-06-10T11:30:00+02:00'));
    });
  });

  describe('support reception', () => {
    it('INC-01 support receives at business hours only: a call at 20:00 is received at the next opening, and the clock agrees', () => {
      const call = d('2026-06-09T20:00:00+02:00');
      expect(isSupportOpen(call)).toBe(false);
      const received = supportReceptionInstant(call);
      expect(received).toEqual(d('2026-06-10T09:00:00+02:00'));
      const clock = clockAt('2026-06-09T20:00:00+02:00');
      expect(elapsedMs(clock, received)).toBe(0);
      expect(elapsedMs(clock, d('2026-06-10T10:00:00+02:00'))).toBe(1 * HOUR);
      // In hours, reception is immediate.
      expect(supportReceptionInstant(d('2026-06-09T10:15:00+02:00'))).toEqual(d('2026-06-09T10:15:00+02:00'));
      // Saturday → Monday 09:00; the eve of Ascension → Friday 09:00.
      expect(supportReceptionInstant(d('2026-06-13T11:00:00+02:00'))).toEqual(d('2026-06-15T09:00:00+02:00'));
      expect(supportReceptionInstant(d('2026-05-13T19:00:00+02:00'))).toEqual(d('2026-05-15T09:00:00+02:00'));
    });
  });
});

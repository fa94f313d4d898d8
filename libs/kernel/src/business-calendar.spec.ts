import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar';

const cal = new BusinessCalendar();
const d = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Reference implementation for cross-checks: walks fixed slots, trusting only isBusinessTime. */
function bruteForceMs(from: Date, to: Date, frozen: { from: Date; to: Date }[] = [], step = 15 * MINUTE): number {
  let total = 0;
  for (let t = from.getTime(); t < to.getTime(); t += step) {
    const isFrozen = frozen.some((f) => f.from.getTime() <= t && t < f.to.getTime());
    if (!isFrozen && cal.isBusinessTime(new Date(t))) total += step;
  }
  return total;
}

describe('BusinessCalendar', () => {
  describe('days and hours', () => {
    it('knows weekends and public holidays', () => {
      expect(cal.isBusinessDay(d('2026-07-10T12:00:00+02:00'))).toBe(true); // Friday
      expect(cal.isBusinessDay(d('2026-07-11T12:00:00+02:00'))).toBe(false); // Saturday
      expect(cal.isBusinessDay(d('2026-07-12T12:00:00+02:00'))).toBe(false); // Sunday
      expect(cal.isHoliday(d('2026-07-14T12:00:00+02:00'))).toBe(true);
      expect(cal.isBusinessDay(d('2026-07-14T12:00:00+02:00'))).toBe(false);
      expect(cal.isHoliday(d('2026-08-15T12:00:00+02:00'))).toBe(true); // a Saturday, still a holiday
      expect(cal.isHoliday(d('2026-07-13T12:00:00+02:00'))).toBe(false);
    });

    it('reads the date in Paris, not in UTC', () => {
      // 23:30 UTC on 13 July is already 14 July in Paris.
      expect(cal.isHoliday(d('2026-07-13T23:30:00Z'))).toBe(true);
      expect(cal.isHoliday(d('2026-07-13T21:30:00Z'))).toBe(false);
    });

    it('has hours [09:00, 18:00) local', () => {
      expect(cal.isBusinessTime(d('2026-07-13T08:59:59+02:00'))).toBe(false);
      expect(cal.isBusinessTime(d('2026-07-13T09:00:00+02:00'))).toBe(true);
      expect(cal.isBusinessTime(d('2026-07-13T17:59:59.999+02:00'))).toBe(true);
      expect(cal.isBusinessTime(d('2026-07-13T18:00:00+02:00'))).toBe(false);
      expect(cal.isBusinessTime(d('2026-07-14T10:00:00+02:00'))).toBe(false);
    });

    it('applies Alsace-Moselle days only when configured', () => {
      const alsace = new BusinessCalendar({ alsaceMoselle: true });
      expect(cal.isBusinessDay(d('2026-04-03T12:00:00+02:00'))).toBe(true); // Good Friday
      expect(alsace.isBusinessDay(d('2026-04-03T12:00:00+02:00'))).toBe(false);
      expect(alsace.isHoliday(d('2026-12-26T12:00:00+01:00'))).toBe(true);
      expect(alsace.holidays(2026)).toHaveLength(13);
      expect(cal.holidays(2026)).toHaveLength(11);
    });

    it('honours custom opening hours', () => {
      const late = new BusinessCalendar({ openingHour: 8, closingHour: 20 });
      expect(late.isBusinessTime(d('2026-07-13T08:00:00+02:00'))).toBe(true);
      expect(late.isBusinessTime(d('2026-07-13T19:59:00+02:00'))).toBe(true);
      expect(late.addBusinessHours(d('2026-07-10T18:00:00+02:00'), 4)).toEqual(d('2026-07-13T10:00:00+02:00'));
    });

    it('rejects bad configuration and bad inputs', () => {
      expect(() => new BusinessCalendar({ zone: 'Mars/Olympus' })).toThrow(RangeError);
      expect(() => new BusinessCalendar({ openingHour: 18, closingHour: 9 })).toThrow(RangeError);
      expect(() => cal.isBusinessTime(new Date('nope'))).toThrow(RangeError);
      expect(() => cal.addBusinessHours(d('2026-07-13T10:00:00+02:00'), -1)).toThrow(RangeError);
      expect(() => cal.addBusinessHours(d('2026-07-13T10:00:00+02:00'), { minutes: 0.5 })).toThrow(RangeError);
      expect(() => cal.nextBusinessDayAt(d('2026-07-13T10:00:00+02:00'), 25)).toThrow(RangeError);
    });
  });

  describe('DST (Europe/Paris)', () => {
    it('keeps 09:00–18:00 local around the spring change of 2026-03-29 (UTC instants shift)', () => {
      // Friday 27 March: UTC+1, opens 08:00Z. Monday 30 March: UTC+2, opens 07:00Z.
      expect(cal.isBusinessTime(d('2026-03-27T07:30:00Z'))).toBe(false);
      expect(cal.isBusinessTime(d('2026-03-27T08:00:00Z'))).toBe(true);
      expect(cal.isBusinessTime(d('2026-03-30T07:00:00Z'))).toBe(true);
      expect(cal.isBusinessTime(d('2026-03-30T15:59:00Z'))).toBe(true);
      expect(cal.isBusinessTime(d('2026-03-30T16:00:00Z'))).toBe(false);
      expect(cal.isBusinessDay(d('2026-03-29T12:00:00+02:00'))).toBe(false); // the change is on a Sunday
      expect(cal.nextBusinessOpening(d('2026-03-29T01:30:00Z'))).toEqual(d('2026-03-30T07:00:00Z'));
    });

    it('adds business hours across the spring change', () => {
      expect(cal.addBusinessHours(d('2026-03-27T17:00:00+01:00'), 2)).toEqual(d('2026-03-30T10:00:00+02:00'));
      expect(cal.addBusinessHours(d('2026-03-27T17:00:00+01:00'), 2).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    });

    it('keeps 09:00–18:00 local around the autumn change of 2026-10-25', () => {
      // Friday 23 October: UTC+2, opens 07:00Z. Monday 26 October: UTC+1, opens 08:00Z.
      expect(cal.isBusinessTime(d('2026-10-23T07:00:00Z'))).toBe(true);
      expect(cal.isBusinessTime(d('2026-10-26T07:30:00Z'))).toBe(false);
      expect(cal.isBusinessTime(d('2026-10-26T08:00:00Z'))).toBe(true);
      expect(cal.isBusinessTime(d('2026-10-26T16:59:00Z'))).toBe(true);
      expect(cal.isBusinessTime(d('2026-10-26T17:00:00Z'))).toBe(false);
      expect(cal.addBusinessHours(d('2026-10-23T17:00:00+02:00'), 2)).toEqual(d('2026-10-26T10:00:00+01:00'));
      expect(cal.nextBusinessOpening(d('2026-10-25T01:30:00Z'))).toEqual(d('2026-10-26T08:00:00Z'));
    });

    it('counts 18 business hours from Friday 09:00 to Monday 18:00 across either change', () => {
      expect(cal.businessDurationMs(d('2026-03-27T09:00:00+01:00'), d('2026-03-30T18:00:00+02:00'))).toBe(18 * HOUR);
      expect(cal.businessDurationMs(d('2026-10-23T09:00:00+02:00'), d('2026-10-26T18:00:00+01:00'))).toBe(18 * HOUR);
    });
  });

  describe('nextBusinessOpening', () => {
    it('returns the instant itself during business hours', () => {
      const t = d('2026-07-13T10:17:23.456+02:00');
      expect(cal.nextBusinessOpening(t)).toEqual(t);
    });

    it('moves to the opening of the same day, the next day, or after a weekend/holiday', () => {
      expect(cal.nextBusinessOpening(d('2026-07-13T07:00:00+02:00'))).toEqual(d('2026-07-13T09:00:00+02:00'));
      expect(cal.nextBusinessOpening(d('2026-07-15T18:00:00+02:00'))).toEqual(d('2026-07-16T09:00:00+02:00'));
      expect(cal.nextBusinessOpening(d('2026-07-10T18:30:00+02:00'))).toEqual(d('2026-07-13T09:00:00+02:00'));
      expect(cal.nextBusinessOpening(d('2026-07-13T19:00:00+02:00'))).toEqual(d('2026-07-15T09:00:00+02:00'));
      expect(cal.nextBusinessOpening(d('2026-12-24T18:00:00+01:00'))).toEqual(d('2026-12-28T09:00:00+01:00'));
    });
  });

  describe('addBusinessHours', () => {
    it('INC-10 adds 4 business hours within a day', () => {
      expect(cal.addBusinessHours(d('2026-07-13T10:00:00+02:00'), 4)).toEqual(d('2026-07-13T14:00:00+02:00'));
    });

    it('INC-10 adds 4 business hours across a weekend: Fri 16:00 → Mon 11:00', () => {
      expect(cal.addBusinessHours(d('2026-07-10T16:00:00+02:00'), 4)).toEqual(d('2026-07-13T11:00:00+02:00'));
    });

    it('skips 14 July 2026 (Tuesday): Mon 16:00 → Wed 11:00', () => {
      expect(cal.addBusinessHours(d('2026-07-13T16:00:00+02:00'), 4)).toEqual(d('2026-07-15T11:00:00+02:00'));
    });

    it('skips Ascension 2026-05-14 (Thursday): Wed 16:00 → Fri 11:00', () => {
      expect(cal.addBusinessHours(d('2026-05-13T16:00:00+02:00'), 4)).toEqual(d('2026-05-15T11:00:00+02:00'));
    });

    it('skips the weekend and Easter Monday 2026-04-06: Fri 16:00 → Tue 11:00', () => {
      expect(cal.addBusinessHours(d('2026-04-03T16:00:00+02:00'), 4)).toEqual(d('2026-04-07T11:00:00+02:00'));
    });

    it('skips Good Friday too in Alsace-Moselle: Thu 16:00 → Tue 11:00', () => {
      const alsace = new BusinessCalendar({ alsaceMoselle: true });
      expect(alsace.addBusinessHours(d('2026-04-02T16:00:00+02:00'), 4)).toEqual(d('2026-04-07T11:00:00+02:00'));
      expect(cal.addBusinessHours(d('2026-04-02T16:00:00+02:00'), 4)).toEqual(d('2026-04-03T11:00:00+02:00'));
    });

    it('starts at the next opening when outside hours', () => {
      expect(cal.addBusinessHours(d('2026-07-13T07:00:00+02:00'), 4)).toEqual(d('2026-07-13T13:00:00+02:00'));
      expect(cal.addBusinessHours(d('2026-07-15T20:00:00+02:00'), { minutes: 30 })).toEqual(d('2026-07-16T09:30:00+02:00'));
      expect(cal.addBusinessHours(d('2026-07-11T10:00:00+02:00'), 1)).toEqual(d('2026-07-13T10:00:00+02:00'));
      expect(cal.addBusinessHours(d('2026-07-11T10:00:00+02:00'), 0)).toEqual(d('2026-07-13T09:00:00+02:00'));
    });

    it('stops at 18:00 when landing exactly on closing time', () => {
      expect(cal.addBusinessHours(d('2026-07-13T14:00:00+02:00'), 4)).toEqual(d('2026-07-13T18:00:00+02:00'));
      expect(cal.addBusinessHours(d('2026-07-13T09:00:00+02:00'), 9)).toEqual(d('2026-07-13T18:00:00+02:00'));
      expect(cal.addBusinessHours(d('2026-07-13T09:00:00+02:00'), { hours: 9, minutes: 1 })).toEqual(d('2026-07-15T09:01:00+02:00'));
    });

    it('accepts hours and minutes, including fractional hours of whole minutes', () => {
      expect(cal.addBusinessHours(d('2026-07-13T17:00:00+02:00'), { hours: 1, minutes: 30 })).toEqual(d('2026-07-15T09:30:00+02:00'));
      expect(cal.addBusinessHours(d('2026-07-13T10:00:00+02:00'), 1.5)).toEqual(d('2026-07-13T11:30:00+02:00'));
      expect(cal.addBusinessHours(d('2026-07-13T10:00:00+02:00'), 0.1)).toEqual(d('2026-07-13T10:06:00+02:00'));
    });

    it('keeps seconds of the starting instant', () => {
      expect(cal.addBusinessHours(d('2026-07-13T17:59:30+02:00'), { minutes: 1 })).toEqual(d('2026-07-15T09:00:30+02:00'));
    });

    it('is the inverse of businessDurationMs', () => {
      const starts = ['2026-03-27T15:10:00+01:00', '2026-07-10T16:00:00+02:00', '2026-12-23T11:45:00+01:00', '2026-04-30T17:00:00+02:00'];
      for (const s of starts) {
        for (const hours of [1, 4, 9, 24, 100]) {
          const end = cal.addBusinessHours(d(s), hours);
          expect(cal.businessDurationMs(d(s), end)).toBe(hours * HOUR);
        }
      }
    });

    it('handles long spans: 252 business days of 2026 from its first opening', () => {
      const started = Date.now();
      const end = cal.addBusinessHours(d('2026-01-01T00:00:00+01:00'), 252 * 9);
      expect(end).toEqual(d('2026-12-31T18:00:00+01:00'));
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });

  describe('nextBusinessDayAt (first business day whose opening is after the instant)', () => {
    it('INC-10 notified Tuesday 07:00 (before opening) → Tuesday 12:00', () => {
      expect(cal.nextBusinessDayAt(d('2026-07-07T07:00:00+02:00'), 12)).toEqual(d('2026-07-07T12:00:00+02:00'));
    });

    it('INC-10 notified Tuesday 19:00 → Wednesday 12:00', () => {
      expect(cal.nextBusinessDayAt(d('2026-07-07T19:00:00+02:00'), 12)).toEqual(d('2026-07-08T12:00:00+02:00'));
    });

    it('INC-10 notified Friday 19:00 → Monday 12:00', () => {
      expect(cal.nextBusinessDayAt(d('2026-07-10T19:00:00+02:00'), 12)).toEqual(d('2026-07-13T12:00:00+02:00'));
    });

    it('INC-10 notified Saturday → Monday 12:00', () => {
      expect(cal.nextBusinessDayAt(d('2026-07-11T10:00:00+02:00'), 12)).toEqual(d('2026-07-13T12:00:00+02:00'));
    });

    it('INC-10 notified the evening before 14 July → skips the holiday: Wednesday 15 July 12:00', () => {
      expect(cal.nextBusinessDayAt(d('2026-07-13T19:00:00+02:00'), 12)).toEqual(d('2026-07-15T12:00:00+02:00'));
    });

    it('INC-10 notified on the holiday itself → next business day 12:00', () => {
      expect(cal.nextBusinessDayAt(d('2026-05-14T10:00:00+02:00'), 12)).toEqual(d('2026-05-15T12:00:00+02:00'));
    });

    it('INC-10 notified exactly at closing 18:00 → next business day 12:00', () => {
      expect(cal.nextBusinessDayAt(d('2026-07-08T18:00:00+02:00'), 12)).toEqual(d('2026-07-09T12:00:00+02:00'));
    });

    it('INC-10 notified on the DST Saturday → Monday 12:00 local (10:00Z)', () => {
      expect(cal.nextBusinessDayAt(d('2026-03-28T10:00:00+01:00'), 12).toISOString()).toBe('2026-03-30T10:00:00.000Z');
    });

    it('INC-10 notified after midnight UTC but still the previous evening in Paris', () => {
      // 2026-07-07T23:30Z is Wednesday 01:30 in Paris → Wednesday 12:00.
      expect(cal.nextBusinessDayAt(d('2026-07-07T23:30:00Z'), 12)).toEqual(d('2026-07-08T12:00:00+02:00'));
    });

    it('during business hours gives the following business day (documented), with minutes', () => {
      expect(cal.nextBusinessDayAt(d('2026-07-07T10:00:00+02:00'), 12, 30)).toEqual(d('2026-07-08T12:30:00+02:00'));
      expect(cal.nextBusinessDayAt(d('2026-07-07T09:00:00+02:00'), 12)).toEqual(d('2026-07-08T12:00:00+02:00'));
    });
  });

  describe('businessDurationMs', () => {
    it('counts only business hours in [from, to)', () => {
      expect(cal.businessDurationMs(d('2026-07-06T10:00:00+02:00'), d('2026-07-07T12:00:00+02:00'))).toBe(11 * HOUR);
      expect(cal.businessDurationMs(d('2026-07-10T16:00:00+02:00'), d('2026-07-13T11:00:00+02:00'))).toBe(4 * HOUR);
      expect(cal.businessDurationMs(d('2026-07-11T00:00:00+02:00'), d('2026-07-12T23:59:00+02:00'))).toBe(0);
      expect(cal.businessDurationMs(d('2026-07-13T12:00:00+02:00'), d('2026-07-15T12:00:00+02:00'))).toBe(9 * HOUR);
    });

    it('is zero for empty or reversed spans', () => {
      const t = d('2026-07-13T12:00:00+02:00');
      expect(cal.businessDurationMs(t, t)).toBe(0);
      expect(cal.businessDurationMs(t, d('2026-07-13T11:00:00+02:00'))).toBe(0);
    });

    it('INC-06 excludes a frozen interval (waiting for site access)', () => {
      const frozen = [{ from: d('2026-07-06T14:00:00+02:00'), to: d('2026-07-06T16:00:00+02:00') }];
      expect(cal.businessDurationMs(d('2026-07-06T10:00:00+02:00'), d('2026-07-07T12:00:00+02:00'), frozen)).toBe(9 * HOUR);
    });

    it('INC-06 counts overlapping frozen intervals once', () => {
      const frozen = [
        { from: d('2026-07-06T15:00:00+02:00'), to: d('2026-07-06T17:00:00+02:00') },
        { from: d('2026-07-06T14:00:00+02:00'), to: d('2026-07-06T16:00:00+02:00') },
        { from: d('2026-07-06T14:30:00+02:00'), to: d('2026-07-06T15:30:00+02:00') },
      ];
      expect(cal.businessDurationMs(d('2026-07-06T10:00:00+02:00'), d('2026-07-07T12:00:00+02:00'), frozen)).toBe(8 * HOUR);
    });

    it('INC-06 removes only the business part of a freeze that spans a night', () => {
      const frozen = [{ from: d('2026-07-06T17:00:00+02:00'), to: d('2026-07-07T10:00:00+02:00') }];
      expect(cal.businessDurationMs(d('2026-07-06T10:00:00+02:00'), d('2026-07-07T12:00:00+02:00'), frozen)).toBe(9 * HOUR);
    });

    it('INC-06 clips freezes reaching outside [from, to) and treats to: null as still frozen', () => {
      const from = d('2026-07-06T10:00:00+02:00');
      const to = d('2026-07-07T12:00:00+02:00');
      expect(cal.businessDurationMs(from, to, [{ from: d('2026-07-01T00:00:00+02:00'), to: d('2026-07-06T11:00:00+02:00') }])).toBe(10 * HOUR);
      expect(cal.businessDurationMs(from, to, [{ from: d('2026-07-07T10:00:00+02:00'), to: null }])).toBe(9 * HOUR);
      expect(cal.businessDurationMs(from, to, [{ from: d('2026-07-08T10:00:00+02:00'), to: null }])).toBe(11 * HOUR);
      expect(cal.businessDurationMs(from, to, [{ from: d('2026-07-01T00:00:00+02:00'), to: null }])).toBe(0);
    });

    it('INC-06 ignores freezes falling entirely outside business hours and rejects reversed ones', () => {
      const from = d('2026-07-06T10:00:00+02:00');
      const to = d('2026-07-07T12:00:00+02:00');
      expect(cal.businessDurationMs(from, to, [{ from: d('2026-07-06T19:00:00+02:00'), to: d('2026-07-07T08:00:00+02:00') }])).toBe(11 * HOUR);
      expect(() => cal.businessDurationMs(from, to, [{ from: to, to: from }])).toThrow(RangeError);
    });

    it('matches a 15-minute brute force, with several freezes, over three weeks around Easter', () => {
      const from = d('2026-03-25T10:15:00+01:00');
      const to = d('2026-04-15T16:45:00+02:00');
      const frozen = [
        { from: d('2026-03-26T11:00:00+01:00'), to: d('2026-03-27T10:00:00+01:00') },
        { from: d('2026-03-26T17:00:00+01:00'), to: d('2026-03-30T09:30:00+02:00') },
        { from: d('2026-04-03T15:00:00+02:00'), to: d('2026-04-08T09:15:00+02:00') },
        { from: d('2026-04-10T12:00:00+02:00'), to: d('2026-04-10T12:45:00+02:00') },
      ];
      expect(cal.businessDurationMs(from, to, frozen)).toBe(bruteForceMs(from, to, frozen));
      expect(cal.businessDurationMs(from, to)).toBe(bruteForceMs(from, to));
    });

    it('counts a whole year fast: 252 business days × 9 h in 2026', () => {
      const started = Date.now();
      const ms = cal.businessDurationMs(d('2026-01-01T00:00:00+01:00'), d('2027-01-01T00:00:00+01:00'));
      expect(ms).toBe(252 * 9 * HOUR);
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('agrees with an hourly brute force over all of 2026 (every boundary is on the hour)', () => {
      const from = d('2026-01-01T00:00:00+01:00');
      const to = d('2027-01-01T00:00:00+01:00');
      expect(cal.businessDurationMs(from, to)).toBe(bruteForceMs(from, to, [], HOUR));
    });

    it('spans ten years with many freezes quickly', () => {
      const frozen = Array.from({ length: 500 }, (_, i) => ({
        from: new Date(Date.UTC(2026, 0, 1 + i * 7, 10)),
        to: new Date(Date.UTC(2026, 0, 1 + i * 7, 13)),
      }));
      const started = Date.now();
      const ms = cal.businessDurationMs(d('2026-01-01T00:00:00+01:00'), d('2036-01-01T00:00:00+01:00'), frozen);
      expect(ms).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });

  it('INC-10 calendar lookups (zone offsets per UTC day, business window per day) agree with a direct luxon conversion at every instant, DST days included (fast-check, seeded)', () => {
    const alsace = new BusinessCalendar({ alsaceMoselle: true });
    const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) });
    // Half the draws within a minute of a DST change or a local midnight/opening/closing.
    const edge = fc.tuple(fc.integer({ min: 2020, max: 2035 }), fc.constantFrom('03-29T00:59', '10-25T00:59', '03-30T01:00', '10-26T01:00', '05-01T21:59', '07-13T22:00', '12-24T07:00', '12-26T16:59'), fc.integer({ min: -90, max: 90 })).map(
      ([y, md, s]) => Date.parse(`${y}-${md}:00Z`) + s * 1000,
    );
    fc.assert(
      fc.property(fc.oneof(instant, edge), (t) => {
        for (const calendar of [cal, alsace]) {
          const local = DateTime.fromMillis(t, { zone: 'Europe/Paris' });
          const holiday = calendar.holidays(local.year).some((h) => h.date === local.toISODate());
          const businessDay = local.weekday <= 5 && !holiday;
          expect(calendar.isHoliday(new Date(t))).toBe(holiday);
          expect(calendar.isBusinessDay(new Date(t))).toBe(businessDay);
          expect(calendar.isBusinessTime(new Date(t))).toBe(businessDay && local.hour >= 9 && local.hour < 18);
        }
      }),
      { seed: 20261207, numRuns: 4000 },
    );
  });
});

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { DAY_MS, ZoneRules, civilFromDays, civilOfIsoDate, daysFromCivil, isoDateOfDays, weekdayOfDays } from './civil-time';

/** Zones with hour, half-hour and 45-minute offsets, DST north and south, and a 30-minute DST (Lord Howe). */
const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'];

const instant = fc.integer({ min: Date.UTC(1975, 0, 1), max: Date.UTC(2090, 11, 31) });
/** Half the draws within two hours of a Paris DST change (last Sundays of March and October, 01:00 UTC). */
const nearParisChange = fc
  .tuple(fc.integer({ min: 1996, max: 2090 }), fc.constantFrom(2, 9), fc.integer({ min: -7_200, max: 7_200 }))
  .map(([year, month, seconds]) => {
    const lastDay = new Date(Date.UTC(year, month + 1, 0));
    const lastSunday = lastDay.getUTCDate() - lastDay.getUTCDay();
    return Date.UTC(year, month, lastSunday, 1) + seconds * 1000;
  });
const anyInstant = fc.oneof(instant, nearParisChange);

describe('civil time (day numbers and zone rules, checked against luxon)', () => {
  it('day numbers round-trip and give luxon\'s date and weekday (fast-check, seeded)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -800_000, max: 800_000 }), (days) => {
        const utc = DateTime.fromMillis(days * DAY_MS, { zone: 'utc' });
        expect(civilFromDays(days)).toEqual({ year: utc.year, month: utc.month, day: utc.day });
        expect(daysFromCivil(civilFromDays(days))).toBe(days);
        expect(weekdayOfDays(days)).toBe(utc.weekday);
        if (utc.year >= 0 && utc.year <= 9999) expect(isoDateOfDays(days)).toBe(utc.toISODate());
      }),
      { seed: 20261207, numRuns: 3000 },
    );
  });

  it('offsets and local dates are luxon\'s at every instant, DST changes included (fast-check, seeded)', () => {
    fc.assert(
      fc.property(anyInstant, fc.constantFrom(...ZONES), (t, zone) => {
        const local = DateTime.fromMillis(t, { zone });
        const rules = ZoneRules.for(zone);
        expect(rules.offsetMs(t)).toBe(local.offset * 60_000);
        expect(isoDateOfDays(rules.localDay(t))).toBe(local.toISODate());
      }),
      { seed: 20261207, numRuns: 6000 },
    );
  });

  it('plusLocalDays is luxon\'s plus({ days }): same wall-clock time, gaps and overlaps resolved alike (fast-check, seeded)', () => {
    fc.assert(
      fc.property(anyInstant, fc.integer({ min: -400, max: 400 }), fc.constantFrom(...ZONES), (t, days, zone) => {
        expect(ZoneRules.for(zone).plusLocalDays(t, days)).toBe(DateTime.fromMillis(t, { zone }).plus({ days }).toMillis());
      }),
      { seed: 20261207, numRuns: 6000 },
    );
  });

  it('instantAt gives luxon\'s instant for every local time that exists once (fast-check, seeded)', () => {
    fc.assert(
      fc.property(anyInstant, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom(...ZONES), (t, hour, minute, zone) => {
        const rules = ZoneRules.for(zone);
        const day = rules.localDay(t);
        const { year, month, day: dayOfMonth } = civilFromDays(day);
        const expected = DateTime.fromObject({ year, month, day: dayOfMonth, hour, minute }, { zone });
        const got = rules.instantAt(day, hour, minute);
        // A wall time inside a gap does not exist and one inside an overlap exists twice: luxon picks by the
        // offset of "now" there; ours is deterministic. Both are checked for what they must satisfy.
        const reached = DateTime.fromMillis(got, { zone });
        if (expected.hour === hour && expected.minute === minute && DateTime.fromMillis(expected.toMillis() + 3_600_000, { zone }).offset === expected.offset && DateTime.fromMillis(expected.toMillis() - 3_600_000, { zone }).offset === expected.offset) {
          expect(got).toBe(expected.toMillis());
        } else {
          expect(Math.abs(got - expected.toMillis())).toBeLessThanOrEqual(3_600_000);
        }
        expect(reached.toISODate() === expected.toISODate() || reached.hour !== hour).toBe(true);
      }),
      { seed: 20261207, numRuns: 6000 },
    );
  });

  it('INC-06 SUB-02 Paris midnights and noons: known DST days (spring forward 2026-03-29, fall back 2026-10-25)', () => {
    const paris = ZoneRules.for('Europe/Paris');
    const day = (iso: string) => daysFromCivil(civilOfIsoDate(iso));
    expect(new Date(paris.instantAt(day('2026-03-29'), 0)).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(paris.instantAt(day('2026-03-30'), 0)).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(paris.instantAt(day('2026-10-25'), 12)).toISOString()).toBe('2026-10-25T11:00:00.000Z');
    // 24 hours of wall clock across spring forward are 23 real hours.
    expect(paris.plusLocalDays(Date.parse('2026-03-28T10:00:00Z'), 1)).toBe(Date.parse('2026-03-29T09:00:00Z'));
    expect(paris.plusLocalDays(Date.parse('2026-10-24T10:00:00Z'), 1)).toBe(Date.parse('2026-10-25T11:00:00Z'));
    expect(() => ZoneRules.for('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

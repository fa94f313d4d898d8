import fc from 'fast-check';
import { calendarDateProblem, dateOfInstant, instantProblem, isCalendarDate, isInstant, isYearMonth } from './calendar-values';

describe('issue 18 item 1 — calendar values: one grammar, bounds, no rollover', () => {
  it.each(['2026-02-28', '2024-02-29', '1900-01-01', '2999-12-31'])('accepts the calendar date %s', (d) => expect(isCalendarDate(d)).toBe(true));

  it.each([
    ['2026-02-30', /no rollover/],
    ['2025-02-29', /no rollover/],
    ['1900-02-29', /no rollover/],
    ['2026-13-01', /no month 13/],
    ['2026-00-10', /no month 00/],
    ['0000-01-01', /between 1900-01-01 and 2999-12-31/],
    ['1899-12-31', /between/],
    ['3000-01-01', /between/],
    ['+275760-09-13', /calendar date/],
    ['2026-2-3', /calendar date/],
    ['2026-02-03T00:00:00Z', /calendar date/],
  ])('refuses the calendar date %s', (d, why) => expect(calendarDateProblem(d)).toMatch(why));

  it('refuses what is not a string', () => {
    for (const v of [null, undefined, 20260101, new Date(), {}, []]) expect(isCalendarDate(v)).toBe(false);
  });

  it.each(['2026-01', '1900-01', '2999-12'])('accepts the month %s', (m) => expect(isYearMonth(m)).toBe(true));
  it.each(['2026-13', '2026-00', '0000-01', '3000-01', '2026-1', '2026-01-01'])('refuses the month %s', (m) => expect(isYearMonth(m)).toBe(false));

  it.each(['2026-05-13T19:00:00Z', '2026-05-13T19:00Z', '2026-05-13T19:00:00.123456789+02:00', '1900-01-01T00:00:00Z', '2999-12-31T23:59:59+00:30'])(
    'accepts the instant %s',
    (i) => expect(isInstant(i)).toBe(true),
  );

  it.each([
    ['2026-02-30T10:00:00Z', /no rollover/],
    ['2026-05-13T24:00:00Z', /time of day/],
    ['2026-05-13T23:60:00Z', /time of day/],
    ['2026-05-13T23:59:60Z', /time of day/],
    ['2026-05-13T19:00:00', /with an offset/],
    ['2026-05-13T19:00:00+25:00', /offset out of range/],
    ['0000-01-01T00:00:00Z', /between 1900 and 2999/],
    ['1900-01-01T00:00:00+01:00', /between 1900 and 2999/],
    ['2999-12-31T23:00:00-02:00', /between 1900 and 2999/],
    ['2026-05-13', /with an offset/],
    ['2026-05-13t19:00:00z', /with an offset/],
  ])('refuses the instant %s', (i, why) => expect(instantProblem(i)).toMatch(why));

  it('an accepted instant means the instant JavaScript reads, at millisecond precision', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('2999-12-30T00:00:00Z'), noInvalidDate: true }), (d) => {
        const text = d.toISOString();
        expect(isInstant(text)).toBe(true);
        expect(dateOfInstant(text).getTime()).toBe(d.getTime());
        expect(isCalendarDate(text.slice(0, 10))).toBe(true);
      }),
      { seed: 18 },
    );
  });
});

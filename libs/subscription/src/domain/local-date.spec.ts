import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar } from '@oksio/kernel';
import {
  addBusinessDays,
  addDays,
  addMonths,
  businessDaysAfter,
  calendarMonthsBetween,
  endOfLocalDay,
  firstDayOfNextMonth,
  isLocalDate,
  lastDayOfMonth,
  localDateOf,
  requireLocalDate,
  startOfLocalDay,
} from './local-date';

describe('local dates (Europe/Paris)', () => {
  it('reads the Paris calendar date of an instant, across midnight and DST', () => {
    expect(localDateOf(new Date('2026-03-31T21:59:59Z'))).toBe('2026-03-31');
    expect(localDateOf(new Date('2026-03-31T22:00:00Z'))).toBe('2026-04-01');
    expect(localDateOf(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });

  it('gives local midnights as instants on DST-change days', () => {
    // 29 March 2026: clocks go forward at 02:00; the day starts in winter time and ends in summer time.
    expect(startOfLocalDay('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(endOfLocalDay('2026-03-29').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // 25 October 2026: clocks go back.
    expect(endOfLocalDay('2026-10-25').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('adds calendar months clamping to the end of the month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('counts business days with weekends and French holidays', () => {
    const calendar = new BusinessCalendar();
    expect(addBusinessDays(calendar, '2026-04-30', 2)).toBe('2026-05-05');
    expect(businessDaysAfter(calendar, '2026-05-07', '2026-05-22')).toBe(9);
    expect(businessDaysAfter(calendar, '2026-05-07', '2026-05-07')).toBe(0);
  });

  it('refuses malformed dates with the field to blame', () => {
    expect(() => requireLocalDate('2026-02-29', 'signedOn')).toThrow(expect.objectContaining({ code: 'invalid_date', field: 'signedOn' }));
    expect(() => requireLocalDate('2026-2-1', 'signedOn')).toThrow(expect.objectContaining({ code: 'invalid_date' }));
    expect(requireLocalDate('2028-02-29', 'signedOn')).toBe('2028-02-29');
  });

  it('SUB-02 SUB-03 date arithmetic on day numbers gives exactly what luxon gives (UTC, no DST), leap years and month ends included (fast-check, seeded)', () => {
    const utc = (d: string) => DateTime.fromISO(d, { zone: 'utc' });
    const date = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, date, fc.integer({ min: -800, max: 800 }), fc.integer({ min: -2000, max: 40000 }), (a, b, months, days) => {
        expect(addMonths(a, months)).toBe(utc(a).plus({ months }).toISODate());
        expect(addDays(a, days)).toBe(utc(a).plus({ days }).toISODate());
        expect(firstDayOfNextMonth(a)).toBe(utc(a).startOf('month').plus({ months: 1 }).toISODate());
        expect(lastDayOfMonth(a)).toBe(utc(a).endOf('month').toISODate());
        expect(calendarMonthsBetween(a, b)).toBe(Math.max(0, (utc(b).year - utc(a).year) * 12 + utc(b).month - utc(a).month));
        expect(isLocalDate(a)).toBe(true);
      }),
      { seed: 20261207, numRuns: 3000 },
    );
    for (const bad of ['2026-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-01']) expect(isLocalDate(bad)).toBe(false);
    for (const good of ['2024-02-29', '2000-02-29', '2026-12-31']) expect(isLocalDate(good)).toBe(true);
    expect(startOfLocalDay('2026-07-14')).toEqual(startOfLocalDay('2026-07-14'));
    expect(startOfLocalDay('2026-07-14').toISOString()).toBe('2026-07-13T22:00:00.000Z');
  });
});

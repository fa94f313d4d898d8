import { BusinessCalendar } from '@oksio/kernel';
import { addBusinessDays, addMonths, businessDaysAfter, endOfLocalDay, localDateOf, requireLocalDate, startOfLocalDay } from './local-date';

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
});

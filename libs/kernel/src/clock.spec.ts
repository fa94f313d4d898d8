import { CLOCK, SystemClock, TestClock } from './clock';

describe('Clock', () => {
  it('SystemClock reads the real time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('exposes a Symbol injection token', () => {
    expect(typeof CLOCK).toBe('symbol');
  });

  describe('TestClock', () => {
    it('stands still until set or advanced', () => {
      const clock = new TestClock('2026-07-10T16:00:00+02:00');
      expect(clock.now().toISOString()).toBe('2026-07-10T14:00:00.000Z');
      clock.set(new Date('2026-07-13T09:00:00+02:00'));
      expect(clock.now().toISOString()).toBe('2026-07-13T07:00:00.000Z');
    });

    it('hands out copies: mutating a returned Date does not move the clock', () => {
      const clock = new TestClock('2026-01-01T00:00:00Z');
      clock.now().setUTCFullYear(2000);
      expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    });

    it('advances by durations, days following the Paris calendar across DST', () => {
      const clock = new TestClock('2026-03-28T12:00:00+01:00');
      clock.advance({ days: 1 });
      expect(clock.now()).toEqual(new Date('2026-03-29T12:00:00+02:00')); // 23 h later
      clock.advance({ hours: 1, minutes: 30, seconds: 5, milliseconds: 7 });
      expect(clock.now()).toEqual(new Date('2026-03-29T13:30:05.007+02:00'));
    });

    it('advances by months, clamping to the end of the month', () => {
      const clock = new TestClock('2026-01-31T10:00:00+01:00');
      clock.advance({ months: 1 });
      expect(clock.now()).toEqual(new Date('2026-02-28T10:00:00+01:00'));
    });

    it('rejects invalid instants', () => {
      expect(() => new TestClock('not a date')).toThrow(RangeError);
      expect(() => new TestClock().set('nope')).toThrow(RangeError);
    });
  });
});

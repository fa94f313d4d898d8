import {
  commitmentSchedule,
  commitmentStartDate,
  currentPeriod,
  endAfterNoticeFromReceipt,
  endAtPeriodEndAfterNotice,
  initialPeriod,
  latestNoticeReceiptDate,
  monthsRemaining,
  periodByIndex,
  periodEndingOn,
  recommitmentSchedule,
} from './commitment';

const data = commitmentSchedule('2026-03-15', { initialTermMonths: 60, renewalPeriodMonths: 12 });

describe('commitment calendar', () => {
  it('SUB-02 activation on 15 March starts the commitment on 1 April; on the 1st, the month after (literal reading)', () => {
    expect(commitmentStartDate('2026-03-15')).toBe('2026-04-01');
    expect(commitmentStartDate('2026-04-01')).toBe('2026-05-01');
    expect(commitmentStartDate('2026-03-31')).toBe('2026-04-01');
    expect(commitmentStartDate('2026-12-15')).toBe('2027-01-01');
    // DST changes on 29 March 2026: irrelevant to calendar dates.
    expect(commitmentStartDate('2026-03-29')).toBe('2026-04-01');
  });

  it('SUB-02 the initial period is 60 months (12 for HOSTED_PBX), last day inclusive', () => {
    expect(initialPeriod(data)).toEqual({ index: 0, kind: 'initial', firstDay: '2026-04-01', lastDay: '2031-03-31' });
    const pbx = commitmentSchedule('2027-02-10', { initialTermMonths: 12, renewalPeriodMonths: 12 });
    expect(initialPeriod(pbx)).toEqual({ index: 0, kind: 'initial', firstDay: '2027-03-01', lastDay: '2028-02-29' });
  });

  it('SUB-03 renewal periods of 12 months follow the initial term', () => {
    expect(periodByIndex(data, 1)).toEqual({ index: 1, kind: 'renewal', firstDay: '2031-04-01', lastDay: '2032-03-31' });
    expect(periodByIndex(data, 2)).toEqual({ index: 2, kind: 'renewal', firstDay: '2032-04-01', lastDay: '2033-03-31' });
    expect(currentPeriod(data, '2031-03-31').index).toBe(0);
    expect(currentPeriod(data, '2031-04-01').index).toBe(1);
    expect(currentPeriod(data, '2033-03-31').index).toBe(2);
    expect(currentPeriod(data, '2040-07-14')).toEqual({ index: 10, kind: 'renewal', firstDay: '2040-04-01', lastDay: '2041-03-31' });
    // Between activation and the 1st of the next month the client is already bound by the initial period.
    expect(currentPeriod(data, '2026-03-20').index).toBe(0);
    expect(periodEndingOn(data, '2032-03-31')?.index).toBe(1);
    expect(periodEndingOn(data, '2032-03-30')).toBeNull();
  });

  it('SUB-04 the notice deadline is the latest receipt date whose 3 months still end by the last day (end of month, leap years)', () => {
    expect(latestNoticeReceiptDate('2031-03-31', 3)).toBe('2030-12-31');
    expect(latestNoticeReceiptDate('2031-06-30', 3)).toBe('2031-03-31');
    expect(latestNoticeReceiptDate('2031-02-28', 3)).toBe('2030-11-30');
    expect(latestNoticeReceiptDate('2028-02-29', 3)).toBe('2027-11-30');
    expect(latestNoticeReceiptDate('2033-05-14', 3)).toBe('2033-02-14');
  });

  it('SUB-04 a letter received exactly 3 months before the period end ends it then; one day later, at the end of the next period', () => {
    expect(endAtPeriodEndAfterNotice(data, '2030-12-31', 3)).toMatchObject({ endsOn: '2031-03-31', onTimeForCurrentPeriod: true, deadlineForCurrentPeriod: '2030-12-31' });
    expect(endAtPeriodEndAfterNotice(data, '2031-01-01', 3)).toMatchObject({ endsOn: '2032-03-31', onTimeForCurrentPeriod: false, deadlineForCurrentPeriod: '2030-12-31' });
    expect(endAtPeriodEndAfterNotice(data, '2027-06-01', 3).endsOn).toBe('2031-03-31');
    expect(endAtPeriodEndAfterNotice(data, '2031-12-31', 3).endsOn).toBe('2032-03-31');
  });

  it('SUB-05 notice counted from receipt, never before the end of the initial period', () => {
    expect(endAfterNoticeFromReceipt(data, '2031-02-15', 3, true)).toBe('2031-05-15');
    expect(endAfterNoticeFromReceipt(data, '2030-06-15', 3, true)).toBe('2031-03-31');
    expect(endAfterNoticeFromReceipt(data, '2030-06-15', 3, false)).toBe('2030-09-15');
    expect(endAfterNoticeFromReceipt(data, '2031-11-30', 3, true)).toBe('2032-02-29');
  });

  it('SUB-07 months remaining are the whole calendar months after the month of termination to the period end', () => {
    expect(monthsRemaining('2030-10-15', '2031-03-31')).toBe(5);
    expect(monthsRemaining('2030-10-31', '2031-03-31')).toBe(5);
    expect(monthsRemaining('2031-03-01', '2031-03-31')).toBe(0);
    expect(monthsRemaining('2031-03-31', '2031-03-31')).toBe(0);
    expect(monthsRemaining('2026-03-20', '2031-03-31')).toBe(60);
  });

  it('SUB-13 a re-commitment runs from the change date for the initial length, without end-of-month drift', () => {
    const s = recommitmentSchedule('2028-01-31', { initialTermMonths: 60, renewalPeriodMonths: 12 });
    expect(periodByIndex(s, 0)).toEqual({ index: 0, kind: 'initial', firstDay: '2028-01-31', lastDay: '2033-01-30' });
    expect(periodByIndex(s, 1)).toEqual({ index: 1, kind: 'renewal', firstDay: '2033-01-31', lastDay: '2034-01-30' });
    expect(periodByIndex(s, 2).firstDay).toBe('2034-01-31');
    const feb = recommitmentSchedule('2028-02-29', { initialTermMonths: 12, renewalPeriodMonths: 12 });
    expect(periodByIndex(feb, 0).lastDay).toBe('2029-02-27');
    expect(periodByIndex(feb, 1)).toMatchObject({ firstDay: '2029-02-28', lastDay: '2030-02-27' });
  });
});

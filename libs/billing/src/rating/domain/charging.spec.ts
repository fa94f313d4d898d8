import { Money } from '@oksio/kernel';
import { type CallToRate, type SipPlan, type VgaCallToRate, chargeFor, parseSipPlan, rateLineMonth, rateVgaLineMonth, roundUpToIncrement } from './charging';

const FRANCE = '0.015';
const MOBILE = '0.089';

let seq = 0;
function call(over: Partial<CallToRate> & { n?: number } = {}): CallToRate {
  seq += 1;
  const n = over.n ?? 1;
  return {
    callId: over.callId ?? `c${String(seq).padStart(5, '0')}`,
    startedAt: over.startedAt ?? new Date(Date.UTC(2026, 2, 2, 9, 0, seq)),
    durationSeconds: over.durationSeconds ?? 30,
    calledE164: over.calledE164 ?? `+3314500${String(n).padStart(4, '0')}`,
    destination: over.destination ?? 'France',
    pricePerMinute: over.pricePerMinute ?? FRANCE,
    allowanceCategory: over.allowanceCategory === undefined ? 'fr_fixed' : over.allowanceCategory,
    nonGeographic: over.nonGeographic ?? false,
    plan: over.plan ?? 'SIP_OK_PLUS',
  };
}

const mobile = (o: Partial<CallToRate> & { n?: number } = {}) =>
  call({ destination: 'France - Mobile', pricePerMinute: MOBILE, allowanceCategory: 'fr_mobile', calledE164: `+33612${String(o.n ?? 1).padStart(6, '0')}`, ...o });
const boxNumber = (o: Partial<CallToRate> = {}) => call({ allowanceCategory: null, nonGeographic: true, calledE164: '+33951234567', ...o });

/** 100 distinct numbers called once each, then the 99th and 100th again. */
function hundredDistinct(plan: SipPlan, make = call): CallToRate[] {
  const calls = Array.from({ length: 100 }, (_, i) => make({ n: i + 1, plan, durationSeconds: 61 }));
  calls.push(make({ n: 99, plan, durationSeconds: 61, startedAt: new Date('2026-03-30T10:00:00Z') }));
  calls.push(make({ n: 100, plan, durationSeconds: 61, startedAt: new Date('2026-03-30T11:00:00Z') }));
  return calls;
}

describe('BIL-09 SIP charging per started minute', () => {
  it('BIL-09 a call of 61 s is billed as 2 minutes; 60 s as 1; 0 s as nothing', () => {
    expect(roundUpToIncrement(61, 60)).toBe(120);
    expect(roundUpToIncrement(60, 60)).toBe(60);
    expect(roundUpToIncrement(1, 60)).toBe(60);
    expect(roundUpToIncrement(0, 60)).toBe(0);
    const [r] = rateLineMonth([call({ plan: 'SIP_OK', durationSeconds: 61 })], 1);
    expect(r).toMatchObject({ billedSeconds: 120, includedSeconds: 0, outcome: 'not_in_plan' });
    expect(r.amount.equals(Money.eur('0.030'))).toBe(true);
  });

  it('BIL-09 the increment is configurable (per-second billing prices 61 s exactly)', () => {
    const [r] = rateLineMonth([call({ plan: 'SIP_OK', durationSeconds: 61, pricePerMinute: '0.060' })], 1, { incrementSeconds: 1 });
    expect(r.billedSeconds).toBe(61);
    expect(r.amount.toExactString()).toBe('0.061');
  });

  it('BIL-09 amounts are exact decimals: 7 started minutes at 30.821 € is 215.747 €', () => {
    expect(chargeFor(420, '30.821').toExactString()).toBe('215.747');
    const total = Money.sum(rateLineMonth(Array.from({ length: 3 }, () => call({ plan: 'SIP_OK', durationSeconds: 10, pricePerMinute: '0.1' })), 1).map((r) => r.amount));
    expect(total.toExactString()).toBe('0.3');
  });

  it('BIL-09 SIP_OK bills every call per minute, French fixed included', () => {
    const rated = rateLineMonth([call({ plan: 'SIP_OK', durationSeconds: 600 }), mobile({ plan: 'SIP_OK', durationSeconds: 90 })], 1);
    expect(rated.map((r) => [r.outcome, r.billedSeconds, r.amount.toExactString()])).toEqual([
      ['not_in_plan', 600, '0.15'],
      ['not_in_plan', 120, '0.178'],
    ]);
  });

  it('BIL-09 SIP_OK at the 99th/100th distinct number: nothing changes, everything is billed', () => {
    const rated = rateLineMonth(hundredDistinct('SIP_OK'), 1);
    expect(rated.every((r) => r.includedSeconds === 0 && r.billedSeconds === 120 && r.distinctNumberRank === null)).toBe(true);
  });

  it('BIL-09 SIP_OK_PLUS: the 99th distinct French fixed number is included, the 100th is billed (first and later calls)', () => {
    const rated = rateLineMonth(hundredDistinct('SIP_OK_PLUS'), 1);
    expect(rated[98]).toMatchObject({ outcome: 'included', distinctNumberRank: 99, billedSeconds: 0, includedSeconds: 61 });
    expect(rated[99]).toMatchObject({ outcome: 'distinct_numbers_exceeded', distinctNumberRank: null, billedSeconds: 120 });
    expect(rated[99].amount.toExactString()).toBe('0.03');
    expect(rated[100]).toMatchObject({ outcome: 'included', distinctNumberRank: 99 });
    expect(rated[101]).toMatchObject({ outcome: 'distinct_numbers_exceeded' });
    expect(Money.sum(rated.map((r) => r.amount)).toExactString()).toBe('0.06');
  });

  it('BIL-09 SIP_OK_PLUS does not include French mobiles; SIP_OKSIO does, at the 99th and not the 100th distinct mobile', () => {
    const plus = rateLineMonth(hundredDistinct('SIP_OK_PLUS', mobile), 1);
    expect(plus.every((r) => r.outcome === 'not_in_plan' && r.billedSeconds === 120)).toBe(true);
    const oksio = rateLineMonth(hundredDistinct('SIP_OKSIO', mobile), 1);
    expect(oksio[98]).toMatchObject({ outcome: 'included', distinctNumberRank: 99, billedSeconds: 0 });
    expect(oksio[99]).toMatchObject({ outcome: 'distinct_numbers_exceeded', billedSeconds: 120 });
    expect(oksio[99].amount.toExactString()).toBe('0.178');
  });

  it('BIL-09 SIP_OKSIO counts fixed and mobile numbers in one pool of 99', () => {
    const calls = [...Array.from({ length: 50 }, (_, i) => call({ n: i + 1, plan: 'SIP_OKSIO' })), ...Array.from({ length: 50 }, (_, i) => mobile({ n: i + 1, plan: 'SIP_OKSIO' }))];
    const rated = rateLineMonth(calls, 1);
    expect(rated.filter((r) => r.outcome === 'included')).toHaveLength(99);
    expect(rated[99]).toMatchObject({ outcome: 'distinct_numbers_exceeded' });
  });

  it('BIL-09 the allowance is 99 distinct numbers per simultaneous line: 2 lines include 198', () => {
    const calls = Array.from({ length: 199 }, (_, i) => call({ n: i + 1, plan: 'SIP_OK_PLUS' }));
    const rated = rateLineMonth(calls, 2);
    expect(rated[197]).toMatchObject({ outcome: 'included', distinctNumberRank: 198 });
    expect(rated[198]).toMatchObject({ outcome: 'distinct_numbers_exceeded' });
  });

  it.each<[SipPlan, CallToRate['allowanceCategory']]>([
    ['SIP_OK_PLUS', 'fr_fixed'],
    ['SIP_OKSIO', 'fr_fixed'],
    ['SIP_OKSIO', 'fr_mobile'],
  ])('BIL-09 %s at the 60th/61st minute of an included %s call: 60 min free, 61 min bills 1 minute', (plan, category) => {
    const make = category === 'fr_mobile' ? mobile : call;
    const rated = rateLineMonth(
      [make({ n: 1, plan, durationSeconds: 3600 }), make({ n: 1, plan, durationSeconds: 3660 }), make({ n: 1, plan, durationSeconds: 3601 }), make({ n: 1, plan, durationSeconds: 3599 })],
      1,
    );
    const price = category === 'fr_mobile' ? MOBILE : FRANCE;
    expect(rated.map((r) => [r.outcome, r.includedSeconds, r.billedSeconds, r.amount.toExactString()])).toEqual([
      ['included', 3600, 0, '0'],
      ['included_first_60_minutes', 3600, 60, Money.eur(price).toExactString()],
      ['included_first_60_minutes', 3600, 60, Money.eur(price).toExactString()],
      ['included', 3599, 0, '0'],
    ]);
  });

  it('BIL-09 SIP_OK at the 61st minute bills all 61 minutes', () => {
    const [r] = rateLineMonth([call({ plan: 'SIP_OK', durationSeconds: 3660 })], 1);
    expect(r.billedSeconds).toBe(3660);
    expect(r.amount.toExactString()).toBe('0.915');
  });

  it.each<SipPlan>(['SIP_OK', 'SIP_OK_PLUS', 'SIP_OKSIO'])('BIL-09 %s never includes non-geographic numbers (09/087), even as the first number of the month', (plan) => {
    const rated = rateLineMonth([boxNumber({ plan, durationSeconds: 61 }), call({ n: 1, plan, durationSeconds: 61 })], 1);
    expect(rated[0]).toMatchObject({ outcome: 'non_geographic', includedSeconds: 0, billedSeconds: 120, distinctNumberRank: null });
    expect(rated[0].amount.toExactString()).toBe('0.03');
    if (plan !== 'SIP_OK') expect(rated[1]).toMatchObject({ outcome: 'included', distinctNumberRank: 1 });
  });

  it('BIL-09 non-geographic calls do not use any of the 99 distinct numbers', () => {
    const calls = [...Array.from({ length: 20 }, (_, i) => boxNumber({ calledE164: `+3395123${String(i).padStart(4, '0')}` })), ...Array.from({ length: 99 }, (_, i) => call({ n: i + 1 }))];
    expect(rateLineMonth(calls, 1).filter((r) => r.outcome === 'included')).toHaveLength(99);
  });

  it('BIL-09 an unanswered call costs nothing and uses no allowance', () => {
    const calls = [call({ n: 500, durationSeconds: 0 }), ...Array.from({ length: 99 }, (_, i) => call({ n: i + 1 }))];
    const rated = rateLineMonth(calls, 1);
    expect(rated[0]).toMatchObject({ outcome: 'unanswered', billedSeconds: 0 });
    expect(rated.filter((r) => r.outcome === 'included')).toHaveLength(99);
  });

  it('BIL-09 the allowance goes by start time whatever the input order (a late CDR re-rates deterministically)', () => {
    const calls = hundredDistinct('SIP_OK_PLUS');
    const forward = rateLineMonth(calls, 1).map((r) => [r.callId, r.outcome, r.amount.toExactString()]);
    const shuffled = rateLineMonth([...calls].reverse(), 1).map((r) => [r.callId, r.outcome, r.amount.toExactString()]);
    expect(shuffled).toEqual(forward);
  });

  it('BIL-09 a plan change during the month applies to calls from its date', () => {
    const rated = rateLineMonth([mobile({ plan: 'SIP_OK_PLUS', durationSeconds: 60 }), mobile({ plan: 'SIP_OKSIO', durationSeconds: 60 })], 1);
    expect(rated.map((r) => r.outcome)).toEqual(['not_in_plan', 'included']);
  });

  it.each([
    ['SIP_OK', 'SIP_OK'],
    ['SIP OK+', 'SIP_OK_PLUS'],
    ['sip_ok_plus', 'SIP_OK_PLUS'],
    ['OKSIO', 'SIP_OKSIO'],
    ['SIP-OKSIO', 'SIP_OKSIO'],
    ['SDSL-4M', null],
    [null, null],
  ])('BIL-09 plan %j reads as %j', (input, expected) => {
    expect(parseSipPlan(input)).toBe(expected);
  });
});

describe('BIL-10 FIXED_VGA charging: every outgoing call billed, no allowance', () => {
  let vseq = 0;
  const vga = (over: Partial<VgaCallToRate> = {}): VgaCallToRate => {
    vseq += 1;
    return {
      callId: over.callId ?? `v${String(vseq).padStart(5, '0')}`,
      startedAt: over.startedAt ?? new Date(Date.UTC(2026, 2, 2, 9, 0, vseq)),
      durationSeconds: over.durationSeconds ?? 61,
      pricePerMinute: over.pricePerMinute ?? FRANCE,
      pricePerCall: over.pricePerCall ?? '0',
      emergency: over.emergency ?? false,
    };
  };
  const summary = (calls: VgaCallToRate[], config?: { incrementSeconds: number }) =>
    rateVgaLineMonth(calls, config).map((r) => [r.callId, r.outcome, r.billedSeconds, r.amount.toExactString()]);

  it('BIL-10 FIXED_VGA: every answered call is billed per started minute, no allowance', () => {
    // The same French fixed number 120 times: a SIP_OK_PLUS line would include them, a VGA line bills them all.
    const calls = Array.from({ length: 120 }, () => vga({ durationSeconds: 61 }));
    const rated = rateVgaLineMonth(calls);
    expect(rated.every((r) => r.outcome === 'billed' && r.includedSeconds === 0 && r.billedSeconds === 120 && r.distinctNumberRank === null)).toBe(true);
    expect(Money.sum(rated.map((r) => r.amount)).toExactString()).toBe('3.6');
    // A call of 3660 s gets no first-60-minutes allowance: 61 started minutes.
    const [long] = rateVgaLineMonth([vga({ durationSeconds: 3660, pricePerMinute: MOBILE })]);
    expect([long.billedSeconds, long.amount.toExactString()]).toEqual([3660, '5.429']);
  });

  it('BIL-10 FIXED_VGA: the increment is the configurable SIP one (per-second billing prices 61 s exactly)', () => {
    expect(summary([vga({ callId: 'a', durationSeconds: 61, pricePerMinute: '0.060' })], { incrementSeconds: 1 })).toEqual([['a', 'billed', 61, '0.061']]);
    expect(() => rateVgaLineMonth([vga()], { incrementSeconds: 0 })).toThrow(RangeError);
  });

  it('BIL-10 FIXED_VGA: an unanswered call (0 s) costs nothing, not even a per-call price', () => {
    expect(summary([vga({ callId: 'u', durationSeconds: 0, pricePerCall: '1.990', pricePerMinute: '0.450' })])).toEqual([['u', 'unanswered', 0, '0']]);
  });

  it('BIL-10 FIXED_VGA: an answered emergency call is listed at 0.00 € (art. L33-1 CPCE), never dropped', () => {
    const rated = rateVgaLineMonth([vga({ callId: 'e', durationSeconds: 300, pricePerMinute: '0', emergency: true })]);
    expect(rated).toEqual([expect.objectContaining({ callId: 'e', outcome: 'emergency_free', durationSeconds: 300, billedSeconds: 0, pricePerMinute: '0' })]);
    expect(rated[0].amount.isZero()).toBe(true);
  });

  it('BIL-10 FIXED_VGA: a per-call price (118 directory enquiries) is added once to the started minutes; toll-free costs 0', () => {
    expect(summary([vga({ callId: 'd', durationSeconds: 95, pricePerCall: '1.990', pricePerMinute: '0.450' }), vga({ callId: 'f', durationSeconds: 600, pricePerMinute: '0.000' })])).toEqual([
      ['d', 'billed', 120, '2.89'],
      ['f', 'billed', 600, '0'],
    ]);
  });

  it('BIL-10 FIXED_VGA: the result does not depend on the order the CDRs arrive in', () => {
    const calls = [vga({ durationSeconds: 10 }), vga({ durationSeconds: 0 }), vga({ durationSeconds: 70, emergency: true, pricePerMinute: '0' }), vga({ durationSeconds: 130, pricePerMinute: MOBILE })];
    expect(summary([...calls].reverse())).toEqual(summary(calls));
  });
});

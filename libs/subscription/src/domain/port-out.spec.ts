import { given } from '@oksio/kernel/testing/decider-spec';
import type { CommandOf } from './commands';
import { subscriptionDecider } from './subscription.decider';
import { bindingCommitmentLastDay } from './termination';
import { active, continueWith, on, signed, stateOf, SUB } from './testing/fixtures';

const d = subscriptionDecider;

const portOut = (lineId: string, portedOn: string, portingId = 'p1'): CommandOf<'TerminateLineByPortOut'> => ({ type: 'TerminateLineByPortOut', lineId, portingId, portedOn });

describe('port-out of a MOBILE line (POR-06)', () => {
  // MOBILE (CG): lines activated 2026-03-15, initial period 2026-04-01 … 2031-03-31, SUB-05.
  const mobile = active('MOBILE');

  it('POR-06 a port-out inside the initial commitment ends the line on the porting date with the SUB-07 basis for Billing', () => {
    given(d, mobile)
      .when(portOut('line-1', '2026-05-07'), on('2026-05-07'))
      .then([
        {
          type: 'ItemTerminated',
          data: {
            subscriptionId: SUB,
            itemId: 'line-1',
            endsOn: '2026-05-07',
            cause: 'port_out',
            rule: 'POR-06',
            localLoopChange: null,
            // SUB-06: May billed in full; SUB-07: June 2026 … March 2031 = 7 + 48 + 3 months.
            monthBilledInFull: '2026-05',
            monthsRemaining: 58,
            commitmentPeriodLastDay: '2031-03-31',
            feeBasis: 'early_termination_average',
            portingId: 'p1',
            earlyTerminationFeeDue: true,
          },
        },
      ]);
    // The other line runs on; the contract stays active.
    const after = stateOf(continueWith(mobile, [[portOut('line-1', '2026-05-07'), on('2026-05-07')]]));
    expect(after.phase).toBe('active');
    expect(after.items['line-1']).toMatchObject({ status: 'terminated', endsOn: '2026-05-07' });
    expect(after.items['line-2'].status).toBe('active');
  });

  it('POR-06 a port-out in the last month of the commitment: no month remains, no fee', () => {
    const [ended] = given(d, mobile).when(portOut('line-1', '2031-03-10'), on('2031-03-10')).events();
    expect(ended.data).toMatchObject({ monthsRemaining: 0, commitmentPeriodLastDay: '2031-03-31', feeBasis: 'none', earlyTerminationFeeDue: false, monthBilledInFull: '2031-03' });
  });

  it('POR-06 after the initial period no commitment binds a CG service (SUB-05): no early-termination fee', () => {
    expect(bindingCommitmentLastDay(stateOf(mobile), '2031-05-10')).toBeNull();
    const [ended] = given(d, mobile).when(portOut('line-2', '2031-05-10'), on('2031-05-12')).events();
    expect(ended.data).toMatchObject({ itemId: 'line-2', endsOn: '2031-05-10', monthsRemaining: 0, commitmentPeriodLastDay: null, feeBasis: 'none', earlyTerminationFeeDue: false });
  });

  it('POR-06 the last line ported out ends the contract (all items terminated), the fee counted on the line only', () => {
    const oneLeft = continueWith(mobile, [[portOut('line-1', '2026-05-07'), on('2026-05-07')]]);
    const events = given(d, oneLeft).when(portOut('line-2', '2026-06-02', 'p2'), on('2026-06-02')).events();
    expect(events.map((e) => e.type)).toEqual(['ItemTerminated', 'SubscriptionTerminated']);
    expect(events[0].data).toMatchObject({ itemId: 'line-2', portingId: 'p2', feeBasis: 'early_termination_average', monthsRemaining: 57, earlyTerminationFeeDue: true });
    expect(events[1].data).toMatchObject({
      cause: 'all_items_terminated',
      rule: 'POR-06',
      endsOn: '2026-06-02',
      feeBasis: 'none',
      monthsRemaining: 0,
      earlyTerminationFeeDue: false,
      sumsDueRemain: true,
      survivingObligations: ['payment_of_sums_due'],
    });
    expect(stateOf([...oneLeft, ...events])).toMatchObject({ phase: 'terminated', endedOn: '2026-06-02' });
  });

  it('POR-06 a signed contract whose only line is ported out before activation ends too, without fee', () => {
    const one = signed('MOBILE', { items: [{ itemId: 'line-1', label: '0612345678' }] });
    const events = given(d, one).when(portOut('line-1', '2026-03-05'), on('2026-03-05')).events();
    expect(events.map((e) => e.type)).toEqual(['ItemTerminated', 'SubscriptionTerminated']);
    expect(events[0].data).toMatchObject({ feeBasis: 'none', monthsRemaining: 0, commitmentPeriodLastDay: null, earlyTerminationFeeDue: false });
  });

  it('POR-06 the same port-out sent again records nothing; another date for an ended line is refused', () => {
    const ported = continueWith(mobile, [[portOut('line-1', '2026-05-07'), on('2026-05-07')]]);
    given(d, ported).when(portOut('line-1', '2026-05-07'), on('2026-05-09')).then([]);
    given(d, ported).when(portOut('line-1', '2026-05-08'), on('2026-05-09')).thenRejects('line_already_terminated', 'POR-06');
  });

  it('POR-06 refusals: not a MOBILE contract, unknown line, porting date in the future or before the line started, contract ended', () => {
    given(d, active('DATA')).when(portOut('link-1', '2026-05-07'), on('2026-05-07')).thenRejects('not_applicable_to_service', 'POR-06');
    given(d, mobile).when(portOut('line-9', '2026-05-07'), on('2026-05-07')).thenRejects('unknown_line', 'POR-06');
    given(d, mobile).when(portOut('line-1', '2026-05-08'), on('2026-05-07')).thenRejects('date_in_future', 'POR-06');
    given(d, mobile).when(portOut('line-1', '2026-03-10'), on('2026-05-07')).thenRejects('ported_before_service_start', 'POR-06');
    given(d, mobile).when(portOut('line-1', '2026-05-07', ' '), on('2026-05-07')).thenRejects('required', 'POR-06');
    const ended = continueWith(mobile, [[{ type: 'TerminateImmediately', reason: 'client_breach', details: 'contrat violé' }, on('2026-04-10')]]);
    given(d, ended).when(portOut('line-1', '2026-05-07'), on('2026-05-07')).thenRejects('line_already_terminated', 'POR-06');
    given(d, []).when(portOut('line-1', '2026-05-07'), on('2026-05-07')).thenRejects('subscription_not_found');
  });
});

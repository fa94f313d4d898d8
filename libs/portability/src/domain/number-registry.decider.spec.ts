import { given } from '@oksio/kernel/testing/decider-spec';
import { numberRegistryDecider as decider, type NumberRegistryCommand } from './number-registry.decider';
import { at, play, stateOf } from './testing/fixtures';

const SIM = '8933150319123456788';
const reserveIn = (portingId = 'P1'): NumberRegistryCommand => ({
  type: 'ReserveForInboundPorting',
  msisdn: '06 12 34 56 78',
  portingId,
  customerId: 'C1',
  subscriptionId: 'S1',
  lineId: 'L1',
});
const assignPorted = (portingId = 'P1'): NumberRegistryCommand => ({
  type: 'AssignNumber',
  msisdn: '+33612345678',
  customerId: 'C1',
  subscriptionId: 'S1',
  lineId: 'L1',
  simNumber: SIM,
  source: 'ported_in',
  portingId,
});

describe('number registry', () => {
  it('POR-03 a second porting request for a number with one pending is refused; the same request again is a no-op', () => {
    const history = play(decider, [[reserveIn('P1'), at('2026-03-02')]]);
    expect(history[0]).toMatchObject({ type: 'NumberReservedForPorting', data: { msisdn: '+33612345678', portingId: 'P1', direction: 'inbound' } });
    given(decider, history).when(reserveIn('P1'), at('2026-03-02')).then([]);
    given(decider, history).when(reserveIn('P2'), at('2026-03-02')).thenRejects('porting_request_already_pending', 'POR-03');
  });

  it('POR-03 once the pending request ends (fallback to a new number) the number may be requested again', () => {
    const history = play(decider, [
      [reserveIn('P1'), at('2026-03-02')],
      [{ type: 'ReleaseReservation', portingId: 'P1', reason: 'documents_missing' }, at('2026-04-02')],
    ]);
    expect(stateOf(decider, history).pending).toBeNull();
    expect(given(decider, history).when(reserveIn('P2'), at('2026-04-03')).events()).toHaveLength(1);
  });

  it('POR-07 one active owner per number: a ported number is assigned to its line, another line cannot take it', () => {
    const history = play(decider, [
      [reserveIn('P1'), at('2026-03-02')],
      [assignPorted('P1'), at('2026-04-15')],
    ]);
    expect(stateOf(decider, history)).toMatchObject({ status: 'active', pending: null, owner: { lineId: 'L1', source: 'ported_in', since: '2026-04-15' } });
    given(decider, history).when(assignPorted('P1'), at('2026-04-15')).then([]);
    given(decider, history)
      .when({ type: 'AssignNumber', msisdn: '0612345678', customerId: 'C2', subscriptionId: 'S2', lineId: 'L9', simNumber: SIM, source: 'oksio_range' }, at('2026-04-16'))
      .thenRejects('number_already_assigned', 'POR-07');
    given(decider, history).when(reserveIn('P3'), at('2026-04-16')).thenRejects('number_already_served_by_oksio', 'POR-03');
  });

  it('POR-06 a port-out reserves an active number, and the port releases its owner', () => {
    const history = play(decider, [
      [{ type: 'AssignNumber', msisdn: '0612345678', customerId: 'C1', subscriptionId: 'S1', lineId: 'L1', simNumber: SIM, source: 'oksio_range' }, at('2026-01-10')],
      [{ type: 'ReserveForPortOut', msisdn: '0612345678', portingId: 'OUT1' }, at('2026-05-04')],
    ]);
    given(decider, history).when({ type: 'ReserveForPortOut', msisdn: '0612345678', portingId: 'OUT2' }, at('2026-05-04')).thenRejects('porting_request_already_pending', 'POR-03');
    const ported = given(decider, history).when({ type: 'RecordPortedOut', portingId: 'OUT1', portedOn: '2026-05-07' }, at('2026-05-07')).events();
    expect(ported[0]).toMatchObject({ type: 'NumberPortedOutOfOksio', data: { portedOn: '2026-05-07', previousOwner: { lineId: 'L1' } } });
    expect(stateOf(decider, [...history, ...ported])).toMatchObject({ owner: null, pending: null, status: 'ported_out' });
    given(decider, []).when({ type: 'ReserveForPortOut', msisdn: '0612345678', portingId: 'OUT3' }, at('2026-05-04')).thenRejects('number_not_served_by_oksio', 'POR-06');
  });

  it('POR-06 a number is assigned with the ICCID of its SIM (checked)', () => {
    given(decider)
      .when({ type: 'AssignNumber', msisdn: '0612345678', customerId: 'C1', subscriptionId: 'S1', lineId: 'L1', simNumber: '8933150319123456789', source: 'oksio_range' }, at('2026-01-10'))
      .thenRejects('invalid_sim_number', 'POR-06');
  });
});

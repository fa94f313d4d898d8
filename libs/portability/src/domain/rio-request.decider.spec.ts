import { given } from '@oksio/kernel/testing/decider-spec';
import { dueDates } from './index';
import { issueRio, validateRio } from './rio';
import { mobileRioStream, rioRequestDecider as decider, type RegisteredLine, type RioRequestCommand } from './rio-request.decider';
import { at, play, stateOf } from './testing/fixtures';

const SIM = '8933150319123456788';
const SIRET = '73282932000074';
const line: RegisteredLine = { servedByOksio: true, status: 'active', simNumber: SIM, customerSiret: SIRET, contractRef: 'S9/L3' };
const ask = (over: Partial<RioRequestCommand> = {}, lineOver: Partial<RegisteredLine> = {}): RioRequestCommand => ({
  type: 'IssueRioOnRequest',
  requestId: 'R1',
  msisdn: '07 56 12 34 56',
  simNumber: '8933 1503 1912 3456 788',
  siret: '732 829 320 00074',
  operatorCode: '77',
  line: { ...line, ...lineOver },
  ...over,
});

describe('RIO on request for OKSIO numbers', () => {
  it('POR-06 the RIO is given free for an active number to whoever quotes its SIM, number and SIRET', () => {
    const rio = issueRio('77', 'S9/L3', '0756123456');
    given(decider)
      .when(ask(), at('2026-05-04', '09:00'))
      .then([
        {
          type: 'RioIssued',
          data: { msisdn: '+33756123456', requestId: 'R1', rio, contractRef: 'S9/L3', fee: '0.00', replacesRio: null, issuedAt: '2026-05-04T07:00:00.000Z' },
        },
      ]);
    expect(validateRio(rio, '+33756123456', { expectedQualifier: 'E', expectedOperatorCode: '77' }).valid).toBe(true);
    expect(mobileRioStream('+33756123456')).toBe('mobile-rio-33756123456');
  });

  it('POR-06 a temporarily suspended number is active; a terminated one, or a number OKSIO does not serve, gets no RIO', () => {
    expect(given(decider).when(ask({}, { status: 'suspended' }), at('2026-05-04')).events()).toHaveLength(1);
    given(decider).when(ask({}, { status: 'terminated' }), at('2026-05-04')).thenRejects('number_not_active', 'POR-06');
    given(decider).when(ask({}, { servedByOksio: false }), at('2026-05-04')).thenRejects('number_not_served_by_oksio', 'POR-06');
  });

  it('POR-06 the SIM number, the mobile number and the SIRET are validated, then matched against the line', () => {
    given(decider).when(ask({ simNumber: '8933150319123456789' }), at('2026-05-04')).thenRejects('invalid_sim_number', 'POR-06');
    given(decider).when(ask({ siret: '73282932000075' }), at('2026-05-04')).thenRejects('invalid_siret', 'POR-06');
    given(decider).when(ask({ msisdn: '0145678901' }), at('2026-05-04')).thenRejects('invalid_mobile_number', 'POR-07');
    given(decider).when(ask({}, { simNumber: '89331503191234567891' }), at('2026-05-04')).thenRejects('sim_number_mismatch', 'POR-06');
    given(decider).when(ask({}, { customerSiret: '35600000000048' }), at('2026-05-04')).thenRejects('siret_mismatch', 'POR-06');
  });

  it('POR-07 one RIO per number: asking again gives the same RIO; a retried request gives nothing; a new contract replaces it', () => {
    const first = play(decider, [[ask(), at('2026-05-04')]]);
    const again = given(decider, first).when(ask({ requestId: 'R2' }), at('2026-06-01')).events();
    expect(again[0].data).toMatchObject({ rio: first[0].data.rio, replacesRio: null });
    given(decider, first).when(ask(), at('2026-05-04', '13:00')).then([]);
    const newContract = given(decider, first).when(ask({ requestId: 'R3' }, { contractRef: 'S10/L1' }), at('2026-07-01')).events();
    expect(newContract[0].data).toMatchObject({ contractRef: 'S10/L1', replacesRio: first[0].data.rio });
    expect(newContract[0].data.rio).not.toBe(first[0].data.rio);
    expect(dueDates(stateOf(decider, first))).toEqual([]);
  });
});

import { given } from '@oksio/kernel/testing/decider-spec';
import {
  checkFixedAccessEligibility,
  fixedLineMandateDecider as decider,
  type FixedAccessFacts,
  type FixedLineMandateCommand,
} from './fixed-line-mandate.decider';
import { dueDates } from './index';
import { at, play, stateOf } from './testing/fixtures';

const clean: FixedAccessFacts = {
  orangeInternalPost: false,
  groupHeadLine: false,
  pendingOperation: 'none',
  temporaryAccess: false,
  cabinOrPayphone: false,
  siteNumerisOffers: [],
};

const requestResale = (over: Partial<FixedLineMandateCommand & { type: 'RequestFixedLineResale' }> = {}): FixedLineMandateCommand => ({
  type: 'RequestFixedLineResale',
  mandateId: 'M1',
  customerId: 'C1',
  subscriptionId: 'S1',
  lineId: 'L1',
  service: 'FIXED_VGA',
  localLoopOperator: 'Orange',
  access: { kind: 'existing_line', ndi: '01 45 67 89 01' },
  holder: { kind: 'customer' },
  mandateDocumentId: 'mandate-doc',
  signedOn: '2026-03-02',
  accessFacts: clean,
  ...over,
});

describe('SUB-17 fixed-line resale eligibility', () => {
  it('SUB-17 an ordinary existing access or a new access to create is eligible', () => {
    expect(checkFixedAccessEligibility(clean)).toEqual({ eligible: true, reasons: [] });
    expect(given(decider).when(requestResale({ access: { kind: 'new_line' } }), at('2026-03-02')).events().map((e) => e.type)).toEqual(['FixedLineMandateGranted']);
  });

  it('SUB-17 each excluded access gives its own reason', () => {
    const cases: Array<[Partial<FixedAccessFacts>, string]> = [
      [{ orangeInternalPost: true }, 'orange_internal_post'],
      [{ groupHeadLine: true }, 'group_head_line'],
      [{ pendingOperation: 'creation' }, 'access_being_created'],
      [{ pendingOperation: 'termination' }, 'access_being_terminated'],
      [{ pendingOperation: 'renumbering' }, 'access_being_renumbered'],
      [{ pendingOperation: 'move' }, 'access_being_moved'],
      [{ temporaryAccess: true }, 'temporary_access'],
      [{ cabinOrPayphone: true }, 'cabin_or_payphone'],
      [{ siteNumerisOffers: ['NUMERIS_T2'] }, 'site_with_numeris_t2'],
      [{ siteNumerisOffers: ['NUMERIS_DUO'] }, 'site_with_numeris_duo'],
      [{ siteNumerisOffers: ['NUMERIS_COMMERCE'] }, 'site_with_numeris_commerce'],
      [{ siteNumerisOffers: ['NUMERIS_ITOO'] }, 'site_with_numeris_itoo'],
    ];
    for (const [facts, code] of cases) {
      const result = checkFixedAccessEligibility({ ...clean, ...facts });
      expect({ code, eligible: result.eligible, codes: result.reasons.map((r) => `${r.rule}:${r.code}`) }).toEqual({ code, eligible: false, codes: [`SUB-17:${code}`] });
    }
  });

  it('SUB-17 an ineligible access is refused with every reason and no mandate goes to the OBL', () => {
    const events = given(decider)
      .when(requestResale({ accessFacts: { ...clean, cabinOrPayphone: true, pendingOperation: 'move', siteNumerisOffers: ['NUMERIS_ITOO', 'NUMERIS_DUO'] } }), at('2026-03-02'))
      .events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'FixedLineResaleRefused', data: { mandateId: 'M1', service: 'FIXED_VGA', decidedOn: '2026-03-02' } });
    expect((events[0].data as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code)).toEqual([
      'access_being_moved',
      'cabin_or_payphone',
      'site_with_numeris_duo',
      'site_with_numeris_itoo',
    ]);
    given(decider, events).when({ type: 'SubmitMandateToObl' }, at('2026-03-03')).thenRejects('mandate_state_conflict', 'POR-08');
  });

  it('SUB-17 facts are required: a missing one is an error, never assumed eligible', () => {
    const { temporaryAccess: _omitted, ...partial } = clean;
    given(decider).when(requestResale({ accessFacts: partial as FixedAccessFacts }), at('2026-03-02')).thenRejects('invalid_fact', 'SUB-17');
    given(decider).when(requestResale({ accessFacts: { ...clean, siteNumerisOffers: ['NUMERIS_RNIS' as never] } }), at('2026-03-02')).thenRejects('invalid_fact', 'SUB-17');
  });
});

describe('POR-08 mandate to the local-loop operator', () => {
  const granted = play(decider, [[requestResale(), at('2026-03-02')]]);
  const submitted = play(decider, [[{ type: 'SubmitMandateToObl' }, at('2026-03-03')]], granted);

  it('POR-08 OKSIO acts under the client’s mandate: granted, then submitted to the OBL', () => {
    expect(granted[0]).toEqual({
      type: 'FixedLineMandateGranted',
      data: {
        mandateId: 'M1',
        customerId: 'C1',
        subscriptionId: 'S1',
        lineId: 'L1',
        service: 'FIXED_VGA',
        localLoopOperator: 'Orange',
        access: { kind: 'existing_line', ndi: '+33145678901' },
        holder: { kind: 'customer' },
        mandateDocumentId: 'mandate-doc',
        signedOn: '2026-03-02',
        grantedAt: '2026-03-02T11:00:00.000Z',
      },
    });
    expect(submitted[1]).toEqual({ type: 'MandateSubmittedToObl', data: { mandateId: 'M1', localLoopOperator: 'Orange', submittedOn: '2026-03-03' } });
    // A third-party line needs the holder's agreement (CP VGA 5.1).
    given(decider).when(requestResale({ holder: { kind: 'third_party', holderAgreementDocumentId: '' } }), at('2026-03-02')).thenRejects('required', 'POR-08');
  });

  it('POR-08 the OBL may reject the request; OKSIO is not responsible and the OBL informs the client', () => {
    given(decider, submitted)
      .when({ type: 'RecordOblRejection', reason: 'Line under dégroupage total' }, at('2026-03-10'))
      .then([
        {
          type: 'FixedLineResaleRejectedByObl',
          data: { mandateId: 'M1', reason: 'Line under dégroupage total', rejectedOn: '2026-03-10', oksioResponsible: false, clientInformedBy: 'local_loop_operator' },
        },
      ]);
  });

  it('POR-08 an existing line keeps its number; a new line takes the number the OBL assigns', () => {
    given(decider, submitted)
      .when({ type: 'RecordOblAcceptance', acceptedOn: '2026-03-10' }, at('2026-03-10'))
      .then([{ type: 'FixedLineResaleAcceptedByObl', data: { mandateId: 'M1', acceptedOn: '2026-03-10', number: '+33145678901', numberKept: true } }]);
    given(decider, submitted).when({ type: 'RecordOblAcceptance', number: '0145678902' }, at('2026-03-10')).thenRejects('existing_line_keeps_its_number', 'POR-08');
    const newLine = play(decider, [
      [requestResale({ access: { kind: 'new_line' } }), at('2026-03-02')],
      [{ type: 'SubmitMandateToObl' }, at('2026-03-03')],
    ]);
    given(decider, newLine).when({ type: 'RecordOblAcceptance' }, at('2026-03-10')).thenRejects('number_required', 'POR-08');
    expect(given(decider, newLine).when({ type: 'RecordOblAcceptance', number: '04 91 23 45 67' }, at('2026-03-10')).events()[0].data).toMatchObject({
      number: '+33491234567',
      numberKept: false,
    });
  });

  it('POR-08 an NDI change needs 6 months’ notice: exactly 6 months is compliant, one day less is flagged', () => {
    const active = play(decider, [[{ type: 'RecordOblAcceptance' }, at('2026-03-10')]], submitted);
    given(decider, active)
      .when({ type: 'RecordNdiChangeNotice', noticeId: 'N1', newNdi: '0145678999', notifiedOn: '2026-03-31', effectiveOn: '2026-09-30' }, at('2026-04-01'))
      .then([
        {
          type: 'NdiChangeNotified',
          data: {
            mandateId: 'M1',
            noticeId: 'N1',
            currentNdi: '+33145678901',
            newNdi: '+33145678999',
            notifiedOn: '2026-03-31',
            effectiveOn: '2026-09-30',
            minimumEffectiveOn: '2026-09-30',
            noticeCompliant: true,
          },
        },
      ]);
    const short = given(decider, active)
      .when({ type: 'RecordNdiChangeNotice', noticeId: 'N1', newNdi: '0145678999', notifiedOn: '2026-03-31', effectiveOn: '2026-09-29' }, at('2026-04-01'))
      .events();
    expect(short[0].data).toMatchObject({ minimumEffectiveOn: '2026-09-30', noticeCompliant: false });
  });

  it('POR-08 the NDI change is applied on its effective date by the scheduler, once', () => {
    const notified = play(
      decider,
      [
        [{ type: 'RecordOblAcceptance' }, at('2026-03-10')],
        [{ type: 'RecordNdiChangeNotice', noticeId: 'N1', newNdi: '0145678999', notifiedOn: '2026-03-31', effectiveOn: '2026-10-01' }, at('2026-04-01')],
      ],
      submitted,
    );
    const [due] = dueDates(stateOf(decider, notified));
    expect(due).toMatchObject({
      kind: 'portability.ndi_change',
      key: 'portability.ndi_change:M1:N1',
      rule: 'POR-08',
      dueOn: '2026-10-01',
      streamId: 'fixed-line-mandate-M1',
      command: { type: 'ApplyNdiChange', noticeId: 'N1' },
    });
    expect(due.dueAt.toISOString()).toBe('2026-09-30T22:00:00.000Z');
    given(decider, notified).when({ type: 'ApplyNdiChange', noticeId: 'N1' }, at('2026-09-30', '23:59')).thenRejects('ndi_change_not_due', 'POR-08');
    const changed = play(decider, [[due.command as FixedLineMandateCommand, due.dueAt]], notified);
    expect(changed.at(-1)).toEqual({ type: 'NdiChanged', data: { mandateId: 'M1', noticeId: 'N1', previousNdi: '+33145678901', newNdi: '+33145678999', effectiveOn: '2026-10-01' } });
    expect(stateOf(decider, changed).number).toBe('+33145678999');
    expect(dueDates(stateOf(decider, changed))).toEqual([]);
    given(decider, changed).when({ type: 'ApplyNdiChange', noticeId: 'N1' }, at('2026-10-02')).then([]);
  });
});

import { given } from '@oksio/kernel/testing/decider-spec';
import { subscriptionDecider } from './subscription.decider';
import { active, on, placeOrder, play, signed, SUB } from './testing/fixtures';

const d = subscriptionDecider;

describe('subscription decider: notices of tariff, terms and SIP-rate changes', () => {
  it('CON-02 a tariff change notified to a contract applies 2 months later at the earliest; a supplier surge has no delay', () => {
    given(d, active('DATA'))
      .when({ type: 'NotifyTariffChange', changeId: 't1', noticeOn: '2026-06-15', effectiveOn: '2026-08-15', description: 'SDSL +3%' }, on('2026-06-15'))
      .then([
        {
          type: 'TariffChangeNotified',
          data: { subscriptionId: SUB, changeId: 't1', noticeOn: '2026-06-15', effectiveOn: '2026-08-15', earliestEffectiveOn: '2026-08-15', exception: null, description: 'SDSL +3%', rule: 'CON-02' },
        },
      ]);
    given(d, active('DATA'))
      .when({ type: 'NotifyTariffChange', changeId: 't1', noticeOn: '2026-06-15', effectiveOn: '2026-08-14', description: 'SDSL +3%' }, on('2026-06-15'))
      .thenRejects('price_change_notice_too_short', 'CON-02');
    const surge = given(d, active('MOBILE'))
      .when({ type: 'NotifyTariffChange', changeId: 't2', noticeOn: '2026-06-15', effectiveOn: '2026-06-20', exception: 'supplier_price_surge', description: 'roaming' }, on('2026-06-15'))
      .events();
    expect(surge[0].data).toMatchObject({ earliestEffectiveOn: '2026-06-15', exception: 'supplier_price_surge' });
    given(d, play([[placeOrder('DATA'), on('2026-02-20')]]))
      .when({ type: 'NotifyTariffChange', changeId: 't3', noticeOn: '2026-02-20', effectiveOn: '2026-05-01', description: 'x' }, on('2026-02-20'))
      .thenRejects('not_signed', 'CON-02');
  });

  it('CON-03 new general terms notified to a contract take effect 1 month later at the earliest; the signed snapshot is unchanged (CON-01)', () => {
    const events = given(d, signed('FIXED_VGA'))
      .when({ type: 'NotifyTermsChange', changeId: 'c1', noticeOn: '2026-03-31', effectiveOn: '2026-04-30', termsVersion: 'CG-2026.2', description: 'art. 6' }, on('2026-03-31'))
      .events();
    expect(events[0]).toMatchObject({ type: 'TermsChangeNotified', data: { earliestEffectiveOn: '2026-04-30', rule: 'CON-03' } });
    expect(d.evolve(given(d, signed('FIXED_VGA')).state, events[0]).terms?.cgVersion).toBe('CG-2026.1');
    given(d, signed('FIXED_VGA'))
      .when({ type: 'NotifyTermsChange', changeId: 'c1', noticeOn: '2026-03-31', effectiveOn: '2026-04-29', termsVersion: 'CG-2026.2', description: 'art. 6' }, on('2026-03-31'))
      .thenRejects('terms_change_notice_too_short', 'CON-03');
    given(d, signed('FIXED_VGA'))
      .when({ type: 'NotifyTermsChange', changeId: 'c1', noticeOn: '2026-04-30', effectiveOn: '2026-06-30', termsVersion: 'CG-2026.2', description: 'art. 6' }, on('2026-03-31'))
      .thenRejects('date_in_future', 'CON-03');
  });

  it('CON-04 SIP per-minute rates change on a 1 January after the notice, on SIP contracts only', () => {
    given(d, active('FIXED_SIP'))
      .when({ type: 'NotifySipRateChange', changeId: 'r1', noticeOn: '2026-11-20', effectiveOn: '2027-01-01', description: 'mobile calls' }, on('2026-11-20'))
      .then([
        {
          type: 'SipRateChangeNotified',
          data: { subscriptionId: SUB, changeId: 'r1', noticeOn: '2026-11-20', effectiveOn: '2027-01-01', earliestEffectiveOn: '2027-01-01', description: 'mobile calls', rule: 'CON-04' },
        },
      ]);
    given(d, active('FIXED_SIP'))
      .when({ type: 'NotifySipRateChange', changeId: 'r1', noticeOn: '2026-11-20', effectiveOn: '2027-02-01', description: 'x' }, on('2026-11-20'))
      .thenRejects('sip_rates_change_only_on_1_january', 'CON-04');
    given(d, active('FIXED_VGA'))
      .when({ type: 'NotifySipRateChange', changeId: 'r1', noticeOn: '2026-11-20', effectiveOn: '2027-01-01', description: 'x' }, on('2026-11-20'))
      .thenRejects('not_applicable_to_service', 'CON-04');
  });
});

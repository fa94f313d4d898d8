import { given } from '@oksio/kernel/testing/decider-spec';
import { canProspect, consentDecider, type ConsentEvent } from './consent.decider';

const subjectId = 'contact-c1';
const now = new Date('2026-05-01T08:00:00Z');
const emailConsent: ConsentEvent = { type: 'ConsentGiven', data: { subjectId, purpose: 'prospecting_email', source: 'web_form', evidence: null, givenAt: '2026-04-01T08:00:00.000Z' } };

describe('consent decider', () => {
  it('PRV-05 consent is recorded with time and source and can be withdrawn; withdrawing nothing is refused', () => {
    given(consentDecider).when({ type: 'GiveConsent', subjectId, purpose: 'prospecting_email', source: 'web_form', evidence: null }, new Date('2026-04-01T08:00:00Z')).then([emailConsent]);
    given(consentDecider, [emailConsent]).when({ type: 'WithdrawConsent', subjectId, purpose: 'prospecting_email', source: 'email' }, now).then([
      { type: 'ConsentWithdrawn', data: { subjectId, purpose: 'prospecting_email', source: 'email', withdrawnAt: now.toISOString() } },
    ]);
    given(consentDecider).when({ type: 'WithdrawConsent', subjectId, purpose: 'prospecting_sms', source: 'email' }, now).thenRejects('consent_not_given', 'PRV-05');
  });

  it('PRV-01 e-mail and SMS prospecting need consent; post and phone rest on legitimate interest', () => {
    const none = given(consentDecider).state;
    expect(canProspect(none, 'email', false)).toMatchObject({ allowed: false, rule: 'PRV-05' });
    expect(canProspect(none, 'post', false)).toMatchObject({ allowed: true, rule: 'PRV-01' });
    const consented = given(consentDecider, [emailConsent]).state;
    expect(canProspect(consented, 'email', false)).toMatchObject({ allowed: true });
    expect(canProspect(consented, 'sms', false)).toMatchObject({ allowed: false });
    expect(canProspect(consented, 'email', true)).toMatchObject({ allowed: false, rule: 'PRV-04' });
  });

  it('PRV-06 directory choices are free of charge and "no direct marketing" stops prospecting', () => {
    const [changed] = given(consentDecider, [emailConsent])
      .when({ type: 'SetDirectoryPreferences', subjectId, listed: true, hideFullAddress: true, noMarketingUse: true, source: 'phone' }, now)
      .events();
    expect(changed.data).toMatchObject({ charge: '0.00', listed: true, hideFullAddress: true, noMarketingUse: true, source: 'phone' });
    expect(canProspect(given(consentDecider, [emailConsent, changed]).state, 'email', false)).toMatchObject({ allowed: false, rule: 'PRV-06' });
    given(consentDecider).when({ type: 'SetDirectoryPreferences', subjectId, listed: false, hideFullAddress: true, noMarketingUse: false, source: 'phone' }, now).thenRejects('not_listed', 'PRV-06');
  });
});

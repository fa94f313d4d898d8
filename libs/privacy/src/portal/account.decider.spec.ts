import { given } from '@oksio/kernel/testing/decider-spec';
import { accountDecider, type AccountEvent } from './account.decider';
import { pbxFilesDecider } from './pbx-files.decider';

const now = new Date('2026-03-02T09:00:00Z');
const holder = { $pii: 1 };
const registered = (services: string[] = ['DATA']): AccountEvent => ({
  type: 'PortalAccountRegistered',
  data: { accountId: 'a1', customerId: 'k1', holderUserId: 'u1', holder, services, acceptedTermsVersion: '2026-02-10', registeredAt: now.toISOString() },
});
const activated = (services?: string[]): AccountEvent[] => [
  registered(services),
  { type: 'PortalActivationConfirmed', data: { accountId: 'a1', channel: 'sms', confirmedAt: now.toISOString() } },
  { type: 'PortalActivationConfirmed', data: { accountId: 'a1', channel: 'email', confirmedAt: now.toISOString() } },
  { type: 'PortalAccountActivated', data: { accountId: 'a1', activatedAt: now.toISOString() } },
];
const login = (success: boolean) => ({ type: 'RecordLogin' as const, userId: 'u1', connection: { $pii: 1 }, success, maxFailures: 3, lockout: 'PT15M' });

describe('portal account decider', () => {
  it('ACC-01 the account is active only once both the SMS code and the e-mail link are confirmed', () => {
    const [sms] = given(accountDecider, [registered()]).when({ type: 'ConfirmActivation', channel: 'sms' }, now).events();
    expect(sms.type).toBe('PortalActivationConfirmed');
    given(accountDecider, [registered()]).when(login(true), now).thenRejects('account_not_active', 'ACC-01');
    given(accountDecider, [registered()])
      .when({ type: 'ConfirmActivation', channel: 'sms' }, now)
      .then([{ type: 'PortalActivationConfirmed', data: { accountId: 'a1', channel: 'sms', confirmedAt: now.toISOString() } }]);
    const both = given(accountDecider, [registered(), sms]).when({ type: 'ConfirmActivation', channel: 'email' }, now).events();
    expect(both.map((e) => e.type)).toEqual(['PortalActivationConfirmed', 'PortalAccountActivated']);
  });

  it('ACC-06 registering accepts the terms in force; an older version is refused', () => {
    given(accountDecider)
      .when({ type: 'RegisterAccount', accountId: 'a1', customerId: 'k1', holderUserId: 'u1', holder, services: [], acceptedTermsVersion: '2025-01-01', latestTermsVersion: '2026-02-10' }, now)
      .thenRejects('terms_not_accepted', 'ACC-06');
    given(accountDecider, activated()).when({ type: 'AcceptTerms', userId: 'u1', version: '2026-02-10', latestTermsVersion: '2026-09-01' }, now).thenRejects('not_latest_terms', 'ACC-06');
  });

  it('ACC-05 repeated failed logins block access temporarily; a block at the client\'s request needs the written request', () => {
    const failures = [...activated()];
    for (let i = 0; i < 2; i++) failures.push(...given(accountDecider, failures).when(login(false), now).events());
    const third = given(accountDecider, failures).when(login(false), now).events();
    expect(third.map((e) => e.type)).toEqual(['PortalLoginFailed', 'PortalAccessBlocked']);
    expect(third[1].data).toMatchObject({ reason: 'security_risk', automatic: true, until: '2026-03-02T09:15:00.000Z' });
    given(accountDecider, [...failures, ...third]).when(login(true), new Date('2026-03-02T09:10:00Z')).thenRejects('account_blocked', 'ACC-05');
    given(accountDecider, [...failures, ...third]).when(login(true), new Date('2026-03-02T09:16:00Z')).events();
    given(accountDecider, activated())
      .when({ type: 'BlockAccess', reason: 'client_request', until: null, writtenRequestReference: null, note: null }, now)
      .thenRejects('written_request_required', 'ACC-05');
  });

  it('ACC-03 only the client manages delegations; a revoked or expired delegate cannot log in', () => {
    const delegated: AccountEvent[] = [
      ...activated(),
      { type: 'PortalDelegationGranted', data: { accountId: 'a1', userId: 'd1', delegate: holder, expiresAt: '2026-06-30T22:00:00.000Z', grantedBy: 'u1', grantedAt: now.toISOString() } },
      { type: 'PortalUserActivated', data: { accountId: 'a1', userId: 'd1', activatedAt: now.toISOString() } },
    ];
    given(accountDecider, delegated).when({ type: 'GrantDelegation', byUserId: 'd1', userId: 'd2', delegate: holder, expiresAt: null }, now).thenRejects('not_allowed', 'ACC-03');
    given(accountDecider, delegated).when({ ...login(true), userId: 'd1' }, new Date('2026-07-01T00:00:00Z')).thenRejects('access_expired', 'ACC-03');
    const [revoked] = given(accountDecider, delegated).when({ type: 'RevokeDelegation', byUserId: 'u1', userId: 'd1' }, now).events();
    given(accountDecider, [...delegated, revoked]).when({ ...login(true), userId: 'd1' }, now).thenRejects('access_revoked', 'ACC-03');
  });

  it('ACC-08 with MOBILE lines an address change is declared at least 7 days before it takes effect', () => {
    const change = (effectiveOn: string) => ({ type: 'DeclareAddressChange' as const, userId: 'u1', kind: 'postal' as const, address: holder, effectiveOn });
    given(accountDecider, activated(['MOBILE'])).when(change('2026-03-08'), now).thenRejects('address_change_too_late', 'ACC-08');
    expect(given(accountDecider, activated(['MOBILE'])).when(change('2026-03-09'), now).events()[0].data).toMatchObject({ late: false });
    expect(given(accountDecider, activated(['DATA'])).when(change('2026-03-01'), now).events()[0].data).toMatchObject({ late: true });
  });

  it('ACC-09 PBX: an administrator for HOSTED_PBX clients; external users need files, function and duration, and stay within their files', () => {
    given(accountDecider, activated(['DATA'])).when({ type: 'DesignatePbxAdministrator', byUserId: 'u1', userId: 'p1', administrator: holder }, now).thenRejects('no_hosted_pbx', 'ACC-09');
    const withAdmin = [
      ...activated(['HOSTED_PBX']),
      ...given(accountDecider, activated(['HOSTED_PBX'])).when({ type: 'DesignatePbxAdministrator', byUserId: 'u1', userId: 'p1', administrator: holder }, now).events(),
    ];
    given(accountDecider, withAdmin)
      .when({ type: 'AuthorisePbxUser', byUserId: 'p1', userId: 'x1', access: 'external', user: holder, files: ['f1'], function: 'accountant', expiresAt: null }, now)
      .thenRejects('external_scope_required', 'ACC-09');
    given(accountDecider, withAdmin)
      .when({ type: 'AuthorisePbxUser', byUserId: 'u1', userId: 'x1', access: 'internal', user: holder, files: null, function: null, expiresAt: null }, now)
      .thenRejects('not_allowed', 'ACC-09');
    const external = { role: 'pbx_external' as const, status: 'active' as const, files: ['f1'], expiresAt: '2026-12-31T23:00:00.000Z' };
    const update = (fileId: string, at = now) =>
      given(pbxFilesDecider).when({ type: 'UpdateFile', accountId: 'a1', customerId: 'k1', fileId, content: holder, userId: 'x1', user: external }, at);
    update('f2').thenRejects('file_not_authorised', 'ACC-09');
    update('f1', new Date('2027-01-01T00:00:00Z')).thenRejects('file_not_authorised', 'ACC-09');
    expect(update('f1').events()[0].data).toMatchObject({ fileId: 'f1', updatedBy: 'x1', role: 'pbx_external' });
  });
});

import { DateTime, Duration } from 'luxon';
import { DomainError, type Decider, type DomainEvent, type PersonalText } from '@oksio/kernel';

/**
 * A customer-portal account (stream `portalaccount-<accountId>`, ACC-01…10): registration and
 * two-channel activation, logins (with their connection data, PRV-07), terms acceptance,
 * e-correspondence, address changes, blocking and closure, delegations to third parties, and
 * the hosted-PBX administrator and users. Personal data travels encrypted (`Protected`); the
 * secrets themselves (password hashes, codes) are never events.
 */
export type Protected = Record<string, unknown>;
export type UserRole = 'holder' | 'delegate' | 'pbx_admin' | 'pbx_internal' | 'pbx_external';
export type UserStatus = 'invited' | 'active' | 'revoked';
export type BlockReason = 'security_risk' | 'client_request';
export const BLOCK_REASONS: readonly BlockReason[] = ['security_risk', 'client_request'];

export interface PortalUser {
  role: UserRole;
  status: UserStatus;
  expiresAt: string | null;
  /** PBX external users: the files they may use (ACC-09). */
  files: string[] | null;
  function: string | null;
  grantedBy: string | null;
}

export type AccountCommand =
  | {
      type: 'RegisterAccount';
      accountId: string;
      customerId: string;
      holderUserId: string;
      holder: Protected;
      services: string[];
      acceptedTermsVersion: string;
      latestTermsVersion: string;
    }
  | { type: 'ConfirmActivation'; channel: 'sms' | 'email' }
  | { type: 'RecordLogin'; userId: string; connection: Protected; success: boolean; maxFailures: number; lockout: string }
  | { type: 'AcceptTerms'; userId: string; version: string; latestTermsVersion: string }
  | { type: 'SetECorrespondence'; userId: string; optIn: boolean }
  | { type: 'DeclareAddressChange'; userId: string; kind: 'postal' | 'email'; address: Protected; effectiveOn: string }
  | { type: 'BlockAccess'; reason: BlockReason; until: string | null; writtenRequestReference: string | null; note: string | null }
  | { type: 'UnblockAccess' }
  | { type: 'CloseAccount'; writtenRequestReference: string }
  | { type: 'GrantDelegation'; byUserId: string; userId: string; delegate: Protected; expiresAt: string | null }
  | { type: 'UpdateDelegation'; byUserId: string; userId: string; expiresAt: string | null }
  | { type: 'RevokeDelegation'; byUserId: string; userId: string }
  | { type: 'DesignatePbxAdministrator'; byUserId: string; userId: string; administrator: Protected }
  | {
      type: 'AuthorisePbxUser';
      byUserId: string;
      userId: string;
      access: 'internal' | 'external';
      user: Protected;
      files: string[] | null;
      function: string | null;
      expiresAt: string | null;
    }
  | { type: 'RevokePbxUser'; byUserId: string; userId: string }
  | { type: 'ActivateUser'; userId: string };

export type AccountEvent =
  | DomainEvent<
      'PortalAccountRegistered',
      { accountId: string; customerId: string; holderUserId: string; holder: Protected; services: string[]; acceptedTermsVersion: string; registeredAt: string }
    >
  | DomainEvent<'PortalActivationConfirmed', { accountId: string; channel: 'sms' | 'email'; confirmedAt: string }>
  | DomainEvent<'PortalAccountActivated', { accountId: string; activatedAt: string }>
  | DomainEvent<'PortalUserLoggedIn', { accountId: string; userId: string; connection: Protected; at: string }>
  | DomainEvent<'PortalLoginFailed', { accountId: string; userId: string; connection: Protected; at: string; consecutiveFailures: number }>
  | DomainEvent<'PortalTermsAccepted', { accountId: string; userId: string; version: string; acceptedAt: string }>
  | DomainEvent<'PortalECorrespondenceChanged', { accountId: string; userId: string; optedIn: boolean; changedAt: string }>
  | DomainEvent<
      'PortalAddressChangeDeclared',
      { accountId: string; userId: string; kind: 'postal' | 'email'; address: Protected; effectiveOn: string; declaredAt: string; late: boolean }
    >
  | DomainEvent<
      'PortalAccessBlocked',
      { accountId: string; reason: BlockReason; until: string | null; writtenRequestReference: PersonalText | null; note: PersonalText | null; automatic: boolean; blockedAt: string }
    >
  | DomainEvent<'PortalAccessUnblocked', { accountId: string; unblockedAt: string }>
  | DomainEvent<'PortalAccountClosed', { accountId: string; writtenRequestReference: PersonalText; closedAt: string }>
  | DomainEvent<'PortalDelegationGranted', { accountId: string; userId: string; delegate: Protected; expiresAt: string | null; grantedBy: string; grantedAt: string }>
  | DomainEvent<'PortalDelegationUpdated', { accountId: string; userId: string; expiresAt: string | null; updatedBy: string; updatedAt: string }>
  | DomainEvent<'PortalDelegationRevoked', { accountId: string; userId: string; revokedBy: string; revokedAt: string }>
  | DomainEvent<'PbxAdministratorDesignated', { accountId: string; userId: string; administrator: Protected; designatedBy: string; designatedAt: string }>
  | DomainEvent<
      'PbxUserAuthorised',
      {
        accountId: string;
        userId: string;
        access: 'internal' | 'external';
        user: Protected;
        files: string[] | null;
        function: string | null;
        expiresAt: string | null;
        authorisedBy: string;
        authorisedAt: string;
      }
    >
  | DomainEvent<'PbxUserRevoked', { accountId: string; userId: string; revokedBy: string; revokedAt: string }>
  | DomainEvent<'PortalUserActivated', { accountId: string; userId: string; activatedAt: string }>;

export const ACCOUNT_EVENT_TYPES: ReadonlyArray<AccountEvent['type']> = [
  'PortalAccountRegistered',
  'PortalActivationConfirmed',
  'PortalAccountActivated',
  'PortalUserLoggedIn',
  'PortalLoginFailed',
  'PortalTermsAccepted',
  'PortalECorrespondenceChanged',
  'PortalAddressChangeDeclared',
  'PortalAccessBlocked',
  'PortalAccessUnblocked',
  'PortalAccountClosed',
  'PortalDelegationGranted',
  'PortalDelegationUpdated',
  'PortalDelegationRevoked',
  'PbxAdministratorDesignated',
  'PbxUserAuthorised',
  'PbxUserRevoked',
  'PortalUserActivated',
];

export interface AccountState {
  accountId: string | null;
  customerId: string | null;
  status: 'none' | 'pending' | 'active' | 'closed';
  holderUserId: string | null;
  services: string[];
  smsConfirmed: boolean;
  emailConfirmed: boolean;
  block: { reason: BlockReason; until: string | null; since: string } | null;
  acceptedTermsVersion: string | null;
  eCorrespondence: boolean;
  users: Record<string, PortalUser>;
  consecutiveFailures: number;
}

export const accountStream = (accountId: string) => `portalaccount-${accountId}`;
export const portalUserSubject = (userId: string) => `portaluser-${userId}`;

const fail = (code: string, message: string, rule: string | undefined, field?: string) => new DomainError(code, message, rule, field);

export function activeBlock(state: AccountState, now: Date): AccountState['block'] {
  if (!state.block) return null;
  if (state.block.until && Date.parse(state.block.until) <= now.getTime()) return null;
  return state.block;
}

/** Whether a user may act now: active, not revoked, not past the end of its delegation or authorisation. */
export function userProblem(state: AccountState, userId: string, now: Date): { code: string; message: string; rule: string } | null {
  const user = state.users[userId];
  if (!user || user.status === 'revoked') return { code: 'access_revoked', message: 'This access was revoked', rule: user?.role === 'delegate' ? 'ACC-03' : 'ACC-09' };
  if (user.status !== 'active') return { code: 'access_not_activated', message: 'This access was not activated yet', rule: 'ACC-03' };
  if (user.expiresAt && Date.parse(user.expiresAt) <= now.getTime()) {
    return { code: 'access_expired', message: `This access ended on ${user.expiresAt}`, rule: user.role === 'delegate' ? 'ACC-03' : 'ACC-09' };
  }
  return null;
}

function requireAccount(state: AccountState): string {
  if (state.status === 'none') throw fail('account_not_found', 'No such portal account', undefined, 'accountId');
  if (state.status === 'closed') throw fail('account_closed', 'The portal account was closed', 'ACC-05', 'accountId');
  return state.accountId!;
}

function requireRole(state: AccountState, userId: string, roles: UserRole[], rule: string): void {
  const user = state.users[userId];
  if (!user || !roles.includes(user.role)) {
    throw fail('not_allowed', `Only ${roles.join(' or ')} users may do this`, rule, 'userId');
  }
}

function futureOrNull(value: string | null, now: Date, field: string, rule: string): void {
  if (value !== null && Date.parse(value) <= now.getTime()) throw fail('expiry_in_past', `${field} must be in the future`, rule, field);
}

/** The local (Paris) calendar date of an instant, as YYYY-MM-DD. */
export function parisDate(now: Date): string {
  return DateTime.fromJSDate(now, { zone: 'Europe/Paris' }).toISODate()!;
}

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: {
    accountId: null,
    customerId: null,
    status: 'none',
    holderUserId: null,
    services: [],
    smsConfirmed: false,
    emailConfirmed: false,
    block: null,
    acceptedTermsVersion: null,
    eCorrespondence: false,
    users: {},
    consecutiveFailures: 0,
  },

  decide(command, state, now) {
    const at = now.toISOString();
    switch (command.type) {
      case 'RegisterAccount': {
        if (state.status !== 'none') throw fail('account_exists', 'The account exists', undefined, 'accountId');
        // "En s'inscrivant sur l'Espace Client, le client accepte les présentes Conditions d'utilisation."
        if (command.acceptedTermsVersion !== command.latestTermsVersion) {
          throw fail('terms_not_accepted', `The terms of use in force (version ${command.latestTermsVersion}) must be accepted`, 'ACC-06', 'acceptedTermsVersion');
        }
        return [
          {
            type: 'PortalAccountRegistered',
            data: {
              accountId: command.accountId,
              customerId: command.customerId,
              holderUserId: command.holderUserId,
              holder: command.holder,
              services: command.services,
              acceptedTermsVersion: command.acceptedTermsVersion,
              registeredAt: at,
            },
          },
        ];
      }
      case 'ConfirmActivation': {
        const accountId = requireAccount(state);
        if (state.status !== 'pending') throw fail('already_active', 'The account is already active', 'ACC-01');
        const already = command.channel === 'sms' ? state.smsConfirmed : state.emailConfirmed;
        if (already) return [];
        const events: AccountEvent[] = [{ type: 'PortalActivationConfirmed', data: { accountId, channel: command.channel, confirmedAt: at } }];
        // ACC-01: active only once both the SMS code and the e-mail link are confirmed.
        const both = command.channel === 'sms' ? state.emailConfirmed : state.smsConfirmed;
        if (both) events.push({ type: 'PortalAccountActivated', data: { accountId, activatedAt: at } });
        return events;
      }
      case 'RecordLogin': {
        const accountId = requireAccount(state);
        if (!command.success) {
          const failures = state.consecutiveFailures + 1;
          const events: AccountEvent[] = [
            { type: 'PortalLoginFailed', data: { accountId, userId: command.userId, connection: command.connection, at, consecutiveFailures: failures } },
          ];
          // PRV-07 / ACC-05: repeated failures are an intrusion attempt — a temporary block.
          if (failures >= command.maxFailures && !activeBlock(state, now)) {
            const until = DateTime.fromJSDate(now).plus(Duration.fromISO(command.lockout)).toUTC().toISO()!;
            events.push({
              type: 'PortalAccessBlocked',
              data: { accountId, reason: 'security_risk', until, writtenRequestReference: null, note: `${failures} failed logins in a row`, automatic: true, blockedAt: at },
            });
          }
          return events;
        }
        if (state.status === 'pending') throw fail('account_not_active', 'The account is activated by the SMS code and the e-mail link first', 'ACC-01', 'login');
        const block = activeBlock(state, now);
        if (block) throw fail('account_blocked', `Access is blocked (${block.reason}${block.until ? ` until ${block.until}` : ''})`, 'ACC-05', 'login');
        const problem = userProblem(state, command.userId, now);
        if (problem) throw fail(problem.code, problem.message, problem.rule, 'login');
        return [{ type: 'PortalUserLoggedIn', data: { accountId, userId: command.userId, connection: command.connection, at } }];
      }
      case 'AcceptTerms': {
        const accountId = requireAccount(state);
        if (command.version !== command.latestTermsVersion) {
          throw fail('not_latest_terms', `The version in force is ${command.latestTermsVersion}`, 'ACC-06', 'version');
        }
        if (state.acceptedTermsVersion === command.version) return [];
        return [{ type: 'PortalTermsAccepted', data: { accountId, userId: command.userId, version: command.version, acceptedAt: at } }];
      }
      case 'SetECorrespondence': {
        const accountId = requireAccount(state);
        if (state.eCorrespondence === command.optIn) return [];
        return [{ type: 'PortalECorrespondenceChanged', data: { accountId, userId: command.userId, optedIn: command.optIn, changedAt: at } }];
      }
      case 'DeclareAddressChange': {
        const accountId = requireAccount(state);
        const today = parisDate(now);
        if (state.services.includes('MOBILE')) {
          const earliest = DateTime.fromISO(today, { zone: 'Europe/Paris' }).plus({ days: 7 }).toISODate()!;
          if (command.effectiveOn < earliest) {
            throw fail('address_change_too_late', `With MOBILE lines an address change is declared at least 7 days ahead (effective on ${earliest} or later)`, 'ACC-08', 'effectiveOn');
          }
        }
        return [
          {
            type: 'PortalAddressChangeDeclared',
            data: { accountId, userId: command.userId, kind: command.kind, address: command.address, effectiveOn: command.effectiveOn, declaredAt: at, late: command.effectiveOn < today },
          },
        ];
      }
      case 'BlockAccess': {
        const accountId = requireAccount(state);
        if (command.reason === 'client_request' && !command.writtenRequestReference) {
          throw fail('written_request_required', 'A block at the client\'s request needs its written request', 'ACC-05', 'writtenRequestReference');
        }
        futureOrNull(command.until, now, 'until', 'ACC-05');
        return [
          {
            type: 'PortalAccessBlocked',
            data: { accountId, reason: command.reason, until: command.until, writtenRequestReference: command.writtenRequestReference, note: command.note, automatic: false, blockedAt: at },
          },
        ];
      }
      case 'UnblockAccess': {
        const accountId = requireAccount(state);
        if (!activeBlock(state, now)) throw fail('not_blocked', 'Access is not blocked', 'ACC-05');
        return [{ type: 'PortalAccessUnblocked', data: { accountId, unblockedAt: at } }];
      }
      case 'CloseAccount': {
        const accountId = requireAccount(state);
        return [{ type: 'PortalAccountClosed', data: { accountId, writtenRequestReference: command.writtenRequestReference, closedAt: at } }];
      }
      case 'GrantDelegation': {
        const accountId = requireAccount(state);
        requireRole(state, command.byUserId, ['holder'], 'ACC-03');
        futureOrNull(command.expiresAt, now, 'expiresAt', 'ACC-03');
        return [{ type: 'PortalDelegationGranted', data: { accountId, userId: command.userId, delegate: command.delegate, expiresAt: command.expiresAt, grantedBy: command.byUserId, grantedAt: at } }];
      }
      case 'UpdateDelegation': {
        const accountId = requireAccount(state);
        requireRole(state, command.byUserId, ['holder'], 'ACC-03');
        requireUser(state, command.userId, ['delegate']);
        futureOrNull(command.expiresAt, now, 'expiresAt', 'ACC-03');
        return [{ type: 'PortalDelegationUpdated', data: { accountId, userId: command.userId, expiresAt: command.expiresAt, updatedBy: command.byUserId, updatedAt: at } }];
      }
      case 'RevokeDelegation': {
        const accountId = requireAccount(state);
        requireRole(state, command.byUserId, ['holder'], 'ACC-03');
        requireUser(state, command.userId, ['delegate']);
        return [{ type: 'PortalDelegationRevoked', data: { accountId, userId: command.userId, revokedBy: command.byUserId, revokedAt: at } }];
      }
      case 'DesignatePbxAdministrator': {
        const accountId = requireAccount(state);
        requireRole(state, command.byUserId, ['holder', 'delegate'], 'ACC-09');
        if (!state.services.includes('HOSTED_PBX')) throw fail('no_hosted_pbx', 'The client has no hosted PBX service', 'ACC-09', 'services');
        const events: AccountEvent[] = [];
        // One administrator at a time: designating another revokes the previous one.
        for (const [id, u] of Object.entries(state.users)) {
          if (u.role === 'pbx_admin' && u.status !== 'revoked') events.push({ type: 'PbxUserRevoked', data: { accountId, userId: id, revokedBy: command.byUserId, revokedAt: at } });
        }
        events.push({ type: 'PbxAdministratorDesignated', data: { accountId, userId: command.userId, administrator: command.administrator, designatedBy: command.byUserId, designatedAt: at } });
        return events;
      }
      case 'AuthorisePbxUser': {
        const accountId = requireAccount(state);
        requireRole(state, command.byUserId, ['pbx_admin'], 'ACC-09');
        if (command.access === 'external') {
          if (!command.files?.length) throw fail('external_scope_required', 'An external user is limited to its own files', 'ACC-09', 'files');
          if (!command.function) throw fail('external_scope_required', 'An external user\'s rights follow its function', 'ACC-09', 'function');
          if (!command.expiresAt) throw fail('external_scope_required', 'An external user\'s access has a duration', 'ACC-09', 'expiresAt');
        } else if (command.files?.length || command.expiresAt) {
          throw fail('internal_scope_is_total', 'An internal user uses every file of the client, without end date', 'ACC-09', command.files?.length ? 'files' : 'expiresAt');
        }
        futureOrNull(command.expiresAt, now, 'expiresAt', 'ACC-09');
        return [
          {
            type: 'PbxUserAuthorised',
            data: {
              accountId,
              userId: command.userId,
              access: command.access,
              user: command.user,
              files: command.access === 'external' ? command.files : null,
              function: command.function,
              expiresAt: command.expiresAt,
              authorisedBy: command.byUserId,
              authorisedAt: at,
            },
          },
        ];
      }
      case 'RevokePbxUser': {
        const accountId = requireAccount(state);
        requireRole(state, command.byUserId, ['pbx_admin'], 'ACC-09');
        requireUser(state, command.userId, ['pbx_internal', 'pbx_external']);
        return [{ type: 'PbxUserRevoked', data: { accountId, userId: command.userId, revokedBy: command.byUserId, revokedAt: at } }];
      }
      case 'ActivateUser': {
        const accountId = requireAccount(state);
        const user = state.users[command.userId];
        if (!user || user.status !== 'invited') throw fail('invitation_not_open', 'No open invitation for this user', 'ACC-03', 'token');
        return [{ type: 'PortalUserActivated', data: { accountId, userId: command.userId, activatedAt: at } }];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'PortalAccountRegistered':
        return {
          ...state,
          accountId: event.data.accountId,
          customerId: event.data.customerId,
          status: 'pending',
          holderUserId: event.data.holderUserId,
          services: event.data.services,
          acceptedTermsVersion: event.data.acceptedTermsVersion,
          users: { [event.data.holderUserId]: { role: 'holder', status: 'active', expiresAt: null, files: null, function: null, grantedBy: null } },
        };
      case 'PortalActivationConfirmed':
        return event.data.channel === 'sms' ? { ...state, smsConfirmed: true } : { ...state, emailConfirmed: true };
      case 'PortalAccountActivated':
        return { ...state, status: 'active' };
      case 'PortalUserLoggedIn':
        return { ...state, consecutiveFailures: 0 };
      case 'PortalLoginFailed':
        return { ...state, consecutiveFailures: event.data.consecutiveFailures };
      case 'PortalTermsAccepted':
        return { ...state, acceptedTermsVersion: event.data.version };
      case 'PortalECorrespondenceChanged':
        return { ...state, eCorrespondence: event.data.optedIn };
      case 'PortalAccessBlocked':
        return { ...state, block: { reason: event.data.reason, until: event.data.until, since: event.data.blockedAt } };
      case 'PortalAccessUnblocked':
        return { ...state, block: null, consecutiveFailures: 0 };
      case 'PortalAccountClosed':
        return { ...state, status: 'closed' };
      case 'PortalDelegationGranted':
        return withUser(state, event.data.userId, { role: 'delegate', status: 'invited', expiresAt: event.data.expiresAt, files: null, function: null, grantedBy: event.data.grantedBy });
      case 'PortalDelegationUpdated':
        return withUser(state, event.data.userId, { ...state.users[event.data.userId], expiresAt: event.data.expiresAt });
      case 'PortalDelegationRevoked':
      case 'PbxUserRevoked':
        return withUser(state, event.data.userId, { ...state.users[event.data.userId], status: 'revoked' });
      case 'PbxAdministratorDesignated':
        return withUser(state, event.data.userId, { role: 'pbx_admin', status: 'invited', expiresAt: null, files: null, function: null, grantedBy: event.data.designatedBy });
      case 'PbxUserAuthorised':
        return withUser(state, event.data.userId, {
          role: event.data.access === 'internal' ? 'pbx_internal' : 'pbx_external',
          status: 'invited',
          expiresAt: event.data.expiresAt,
          files: event.data.files,
          function: event.data.function,
          grantedBy: event.data.authorisedBy,
        });
      case 'PortalUserActivated':
        return withUser(state, event.data.userId, { ...state.users[event.data.userId], status: 'active' });
      default:
        return state;
    }
  },
};

function withUser(state: AccountState, userId: string, user: PortalUser): AccountState {
  return { ...state, users: { ...state.users, [userId]: user } };
}

function requireUser(state: AccountState, userId: string, roles: UserRole[]): void {
  const user = state.users[userId];
  if (!user || !roles.includes(user.role)) throw fail('unknown_user', `No ${roles.join('/')} user ${userId} on this account`, undefined, 'userId');
  if (user.status === 'revoked') throw fail('access_revoked', 'This access was already revoked', undefined, 'userId');
}

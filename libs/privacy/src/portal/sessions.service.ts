import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, DomainError } from '@oksio/kernel';
import { EventSourcedRepository, ForbiddenError, UnauthenticatedError } from '@oksio/platform';
import { accountDecider, accountStream, activeBlock, userProblem, type AccountState, type UserRole } from './account.decider';
import { newToken, tokenDigest } from './secrets';
import { SettingsService, durationMs } from './settings.service';

export const SESSION_HEADER = 'x-portal-session';

export interface PortalPrincipal {
  accountId: string;
  userId: string;
  role: UserRole;
  state: AccountState;
  latestTermsVersion: string;
}

/**
 * Portal sessions. The portal front end calls the API with its own `system` key and passes the
 * end user's session token in `X-Portal-Session`. Whoever holds a valid session of an account is
 * authorised for everything the account may do (ACC-02); a session closes after the configured
 * inactivity (ACC-04), on logout, and when its account is blocked or closed or its access revoked.
 * Only the SHA-256 of a token is stored.
 */
@Injectable()
export class PortalSessions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: EventSourcedRepository,
    private readonly settings: SettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async open(accountId: string, userId: string): Promise<string> {
    const token = newToken();
    const now = this.clock.now();
    await this.dataSource.query(
      `INSERT INTO portal_sessions (token_sha256, account_id, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)`,
      [tokenDigest(token), accountId, userId, now],
    );
    return token;
  }

  async latestTerms(now: Date): Promise<string> {
    const rows: Array<{ version: string }> = await this.dataSource.query(
      'SELECT version FROM portal_terms WHERE published_at <= $1 ORDER BY published_at DESC, version DESC LIMIT 1',
      [now],
    );
    if (!rows[0]) throw new Error('no terms of use are in force');
    return rows[0].version;
  }

  /** The session's account and user, checked now; touches the session (inactivity restarts). */
  async authenticate(token: string | undefined, options: { allowOutdatedTerms?: boolean } = {}): Promise<PortalPrincipal> {
    if (!token) {
      throw new UnauthenticatedError('portal_session_required', 'A portal session is required (X-Portal-Session)', [
        { field: 'X-Portal-Session', rule: 'ACC-02', message: 'log in first' },
      ]);
    }
    const digest = tokenDigest(token);
    const now = this.clock.now();
    const rows: Array<{ account_id: string; user_id: string; last_seen_at: Date; closed_at: Date | null; close_reason: string | null }> = await this.dataSource.query(
      'SELECT account_id, user_id, last_seen_at, closed_at, close_reason FROM portal_sessions WHERE token_sha256 = $1',
      [digest],
    );
    const session = rows[0];
    if (!session || session.closed_at) {
      const expired = session?.close_reason === 'inactivity';
      throw new UnauthenticatedError(expired ? 'portal_session_expired' : 'portal_session_invalid', expired ? 'The session closed after inactivity' : 'No open portal session', [
        { field: 'X-Portal-Session', rule: expired ? 'ACC-04' : 'ACC-02', message: 'log in again' },
      ]);
    }
    const inactivity = durationMs((await this.settings.portal()).sessionInactivity);
    if (now.getTime() - session.last_seen_at.getTime() > inactivity) {
      await this.closeToken(digest, 'inactivity');
      throw new UnauthenticatedError('portal_session_expired', 'The session closed after inactivity', [
        { field: 'X-Portal-Session', rule: 'ACC-04', message: 'log in again' },
      ]);
    }
    const { state } = await this.repository.load(accountDecider, accountStream(session.account_id));
    if (state.status === 'closed') {
      await this.closeToken(digest, 'account_closed');
      throw new UnauthenticatedError('account_closed', 'The portal account was closed', [{ field: 'X-Portal-Session', rule: 'ACC-05', message: 'closed' }]);
    }
    const block = activeBlock(state, now);
    if (block) {
      await this.closeToken(digest, 'blocked');
      throw new ForbiddenError('account_blocked', `Access is blocked (${block.reason})`, [{ field: 'X-Portal-Session', rule: 'ACC-05', message: block.until ? `until ${block.until}` : 'until unblocked' }]);
    }
    const problem = userProblem(state, session.user_id, now);
    if (problem) {
      await this.closeToken(digest, problem.code);
      throw new ForbiddenError(problem.code, problem.message, [{ field: 'X-Portal-Session', rule: problem.rule, message: problem.message }]);
    }
    const latestTermsVersion = await this.latestTerms(now);
    if (!options.allowOutdatedTerms && state.acceptedTermsVersion !== latestTermsVersion) {
      // Checked before the touch: an unaccepted version stops every use except accepting it.
      throw new DomainError('terms_not_accepted', `The terms of use version ${latestTermsVersion} must be accepted to continue`, 'ACC-06', 'termsVersion');
    }
    await this.dataSource.query('UPDATE portal_sessions SET last_seen_at = $2 WHERE token_sha256 = $1 AND closed_at IS NULL', [digest, now]);
    return { accountId: session.account_id, userId: session.user_id, role: state.users[session.user_id].role, state, latestTermsVersion };
  }

  async close(token: string | undefined, reason: string): Promise<void> {
    if (token) await this.closeToken(tokenDigest(token), reason);
  }

  async closeForAccount(accountId: string, reason: string): Promise<void> {
    await this.dataSource.query('UPDATE portal_sessions SET closed_at = $2, close_reason = $3 WHERE account_id = $1 AND closed_at IS NULL', [accountId, this.clock.now(), reason]);
  }

  async closeForUser(userId: string, reason: string): Promise<void> {
    await this.dataSource.query('UPDATE portal_sessions SET closed_at = $2, close_reason = $3 WHERE user_id = $1 AND closed_at IS NULL', [userId, this.clock.now(), reason]);
  }

  private async closeToken(digest: string, reason: string): Promise<void> {
    await this.dataSource.query('UPDATE portal_sessions SET closed_at = $2, close_reason = $3 WHERE token_sha256 = $1 AND closed_at IS NULL', [digest, this.clock.now(), reason]);
  }
}

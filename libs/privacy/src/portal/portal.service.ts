import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { CLOCK, type Clock, ConflictError, DomainError, NotFoundError, ValidationError, newId } from '@oksio/kernel';
import { type CommandContext, EventSourcedRepository, ForbiddenError, type MultiStreamCommand, type Paging, RUNTIME, type Runtime, UnauthenticatedError, executeMultiStream, checkPrecondition, pageSlice } from '@oksio/platform';
import { PiiVault } from '../crypto/pii-vault';
import { isEncryptedPii, isErased, type EncryptedPii } from '../crypto/pii';
import { parseMasterKey } from '../crypto/envelope-cipher';
import { RetentionService } from '../retention/retention.service';
import {
  accountDecider,
  accountStream,
  portalUserSubject,
  type AccountCommand,
  type AccountEvent,
  type AccountState,
  type UserRole,
} from './account.decider';
import { PortalConsumptionRegistry } from './consumption.registry';
import { OutboxService } from './outbox.service';
import { PortalAccountRow, PortalTermsRow, PortalUserRow } from './portal.entities';
import type {
  AddressChangeDto,
  BlockDto,
  CloseAccountDto,
  DelegationDto,
  InviteDto,
  LoginDto,
  PublishTermsDto,
  RegisterPortalAccountDto,
} from './portal.dto';
import { SecretHasher, costOf, dummyPasswordHash, hashPassword, newNumericCode, newToken, passwordProblem, verifyPassword } from './secrets';
import { PortalSessions, type PortalPrincipal } from './sessions.service';
import { SettingsService, durationMs } from './settings.service';
import { termsDecider, termsStream } from './terms.decider';

type ChallengePurpose = 'activation_sms' | 'activation_email' | 'invitation';

interface ChallengeRow {
  challenge_id: string;
  account_id: string;
  user_id: string;
  purpose: ChallengePurpose;
  secret_hmac: string;
  expires_at: Date;
  attempts: number;
  max_attempts: number;
  used_at: Date | null;
  voided_at: Date | null;
}

const ACCOUNT_ROLES: UserRole[] = ['holder', 'delegate'];
const PORTAL_URL = 'https://espace-client.oksio.invalid';

/**
 * The customer portal's application service (ACC-01…08, ACC-10, PRV-07): registration with
 * two-channel activation, password login with connection logs, terms, e-correspondence, address
 * changes, consumption, delegations, and the operator's blocking and closure.
 */
@Injectable()
export class PortalService {
  private readonly secrets: SecretHasher;

  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly vault: PiiVault,
    private readonly dataSource: DataSource,
    private readonly sessions: PortalSessions,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
    private readonly retention: RetentionService,
    private readonly consumption: PortalConsumptionRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.secrets = new SecretHasher(parseMasterKey(runtime.config.piiMasterKey));
  }

  // ---- registration and activation (ACC-01) -------------------------------------------------------

  async register(dto: RegisterPortalAccountDto, ctx: CommandContext) {
    requireStrongPassword(dto.password);
    const now = this.clock.now();
    const accountId = newId();
    const userId = newId();
    const passwordHash = await hashPassword(dto.password, (await this.settings.portal()).passwordCost);
    await this.reserveLogin(userId, accountId, dto.email, passwordHash, now);
    try {
      const holder = await this.protect(userId, { name: dto.name, email: dto.email, phone: dto.phone });
      const latestTermsVersion = await this.sessions.latestTerms(now);
      // The account and the start of its holder's contract (the terms of use, whose end starts the
      // identity clock, PRV-02) are one multi-stream command: both or neither.
      await executeMultiStream(this.repository, () => this.clock.now(), async (command) => {
        await this.decide(
          command,
          accountId,
          { type: 'RegisterAccount', accountId, customerId: dto.customerId, holderUserId: userId, holder, services: dto.services, acceptedTermsVersion: dto.acceptedTermsVersion, latestTermsVersion },
          ctx,
        );
        await this.retention.recordInternalFact(command, portalUserSubject(userId), { kind: 'contract_started', contractId: `portal-${accountId}`, service: 'PORTAL', occurredAt: now.toISOString() }, ctx, 'portal-start');
      });
    } catch (error) {
      await this.dataSource.query('DELETE FROM portal_credentials WHERE user_id = $1', [userId]);
      throw error;
    }
    await this.sendActivation(accountId, userId, 'sms', dto.phone);
    await this.sendActivation(accountId, userId, 'email', dto.email);
    return { accountId, userId, status: 'pending', activation: { sms: 'sent', email: 'sent' } };
  }

  async confirmSms(accountId: string, code: string, ctx: CommandContext) {
    // If-Match before the code is spent (the append checks it again).
    checkPrecondition(ctx, accountStream(accountId), (await this.loadAccount(accountId)).events.length - 1);
    const challenge = await this.openChallenge(accountId, 'activation_sms');
    await this.consume(challenge, code, 'invalid_code', 'code');
    return this.confirm(accountId, 'sms', ctx);
  }

  async confirmEmail(token: string, ctx: CommandContext) {
    const challenge = await this.challengeOfToken(token, 'activation_email');
    await this.consume(challenge, token.split('.')[1], 'invalid_link', 'token');
    return this.confirm(challenge.account_id, 'email', ctx);
  }

  async resend(accountId: string, channel: 'sms' | 'email') {
    const { state, events } = await this.loadAccount(accountId);
    if (state.status !== 'pending') throw new DomainError('already_active', 'The account is already active', 'ACC-01', 'accountId');
    const registered = events.find((e) => e.type === 'PortalAccountRegistered')!;
    const holder = await this.reveal<{ email: string; phone: string }>((registered.data as { holder: unknown }).holder);
    if (!holder) throw new DomainError('contact_erased', 'The contact details were erased', 'PRV-02', 'accountId');
    await this.sendActivation(accountId, state.holderUserId!, channel, channel === 'sms' ? holder.phone : holder.email);
    return { accountId, channel, status: 'sent' };
  }

  private async confirm(accountId: string, channel: 'sms' | 'email', ctx: CommandContext) {
    const result = await this.execute(accountId, { type: 'ConfirmActivation', channel }, ctx);
    return { accountId, status: result.state.status, smsConfirmed: result.state.smsConfirmed, emailConfirmed: result.state.emailConfirmed };
  }

  private async sendActivation(accountId: string, userId: string, channel: 'sms' | 'email', recipient: string): Promise<void> {
    const s = await this.settings.portal();
    if (channel === 'sms') {
      const code = newNumericCode();
      await this.newChallenge(accountId, userId, 'activation_sms', code, s.activationCodeTtl, s.maxCodeAttempts);
      await this.outbox.enqueue({
        accountId,
        userId,
        channel: 'sms',
        recipient,
        subject: 'activation',
        body: `OKSIO : votre code d'activation de l'Espace Client est ${code}. Il expire dans ${humanDuration(s.activationCodeTtl)}.`,
      });
    } else {
      const { challengeId, secret } = await this.newLinkChallenge(accountId, userId, 'activation_email', s.activationLinkTtl, s.maxCodeAttempts);
      await this.outbox.enqueue({
        accountId,
        userId,
        channel: 'email',
        recipient,
        subject: 'Activez votre Espace Client OKSIO',
        body: `Bonjour,\n\nPour activer votre Espace Client, ouvrez ce lien :\n${PORTAL_URL}/activation?token=${challengeId}.${secret}\n\nVous recevez aussi un code par SMS : les deux sont nécessaires.`,
      });
    }
  }

  // ---- login, logout (ACC-02, ACC-04, ACC-05, PRV-07) ---------------------------------------------

  async login(dto: LoginDto, connection: { ip: string | null; userAgent: string | null }, ctx: CommandContext) {
    const rows: Array<{ user_id: string; account_id: string; password_hash: string }> = await this.dataSource.query(
      'SELECT user_id, account_id, password_hash FROM portal_credentials WHERE lower(login) = lower($1)',
      [dto.login],
    );
    const credential = rows[0];
    const s = await this.settings.portal();
    // An unknown login is checked against a dummy hash of the configured cost: same work, same time.
    const valid = await verifyPassword(dto.password, credential?.password_hash ?? dummyPasswordHash(s.passwordCost));
    const invalid = () =>
      new UnauthenticatedError('invalid_credentials', 'Unknown login or wrong password', [{ field: 'login', rule: 'ACC-02', message: 'check the login and password' }]);
    if (!credential) throw invalid();
    const now = this.clock.now();
    // PRV-07: the connection data of every attempt (IP, user agent) is kept, encrypted as connection data.
    const log = (await this.vault.protect(portalUserSubject(credential.user_id), 'connection', { ip: connection.ip, userAgent: connection.userAgent, success: valid })) as unknown as Record<string, unknown>;
    const command: AccountCommand = { type: 'RecordLogin', userId: credential.user_id, connection: log, success: valid, maxFailures: s.maxFailedLogins, lockout: s.lockout };
    // The attempt (failed ones too: ACC-04 lockout) and the connection data it collected, whose
    // retention clock starts (PRV-02 connection policy), are recorded together.
    const result = await executeMultiStream(this.repository, () => this.clock.now(), async (unit) => {
      const attempt = await this.decide(unit, credential.account_id, command, ctx);
      await this.retention.recordInternalFact(
        unit,
        portalUserSubject(credential.user_id),
        { kind: 'data_collected', category: 'connection', source: 'portal-login', occurredAt: now.toISOString() },
        ctx,
        'login',
      );
      return attempt;
    });
    if (!valid) throw invalid();
    if (costOf(credential.password_hash) !== s.passwordCost) {
      // The cost setting changed since this hash was made: re-hash now that the password is known.
      await this.dataSource.query('UPDATE portal_credentials SET password_hash = $2, updated_at = $3 WHERE user_id = $1 AND password_hash = $4', [
        credential.user_id,
        await hashPassword(dto.password, s.passwordCost),
        now,
        credential.password_hash,
      ]);
    }
    const token = await this.sessions.open(credential.account_id, credential.user_id);
    const latest = await this.sessions.latestTerms(now);
    return {
      sessionToken: token,
      accountId: credential.account_id,
      userId: credential.user_id,
      role: result.state.users[credential.user_id].role,
      inactivityTimeout: s.sessionInactivity,
      termsAcceptanceRequired: result.state.acceptedTermsVersion !== latest,
      latestTermsVersion: latest,
    };
  }

  async logout(token: string | undefined): Promise<void> {
    await this.sessions.authenticate(token, { allowOutdatedTerms: true });
    await this.sessions.close(token, 'logout');
  }

  // ---- the account seen from the portal ----------------------------------------------------------

  async me(principal: PortalPrincipal) {
    const s = principal.state;
    return {
      accountId: principal.accountId,
      userId: principal.userId,
      role: principal.role,
      customerId: s.customerId,
      status: s.status,
      services: s.services,
      eCorrespondence: s.eCorrespondence,
      acceptedTermsVersion: s.acceptedTermsVersion,
      latestTermsVersion: principal.latestTermsVersion,
      termsAcceptanceRequired: s.acceptedTermsVersion !== principal.latestTermsVersion,
    };
  }

  async acceptTerms(principal: PortalPrincipal, version: string, ctx: CommandContext) {
    requireAccountRole(principal);
    const result = await this.execute(principal.accountId, { type: 'AcceptTerms', userId: principal.userId, version, latestTermsVersion: principal.latestTermsVersion }, ctx);
    return { accountId: principal.accountId, acceptedTermsVersion: result.state.acceptedTermsVersion };
  }

  async setECorrespondence(principal: PortalPrincipal, optIn: boolean, ctx: CommandContext) {
    requireAccountRole(principal);
    const result = await this.execute(principal.accountId, { type: 'SetECorrespondence', userId: principal.userId, optIn }, ctx);
    return { accountId: principal.accountId, eCorrespondence: result.state.eCorrespondence, changedBy: principal.userId };
  }

  async declareAddressChange(principal: PortalPrincipal, dto: AddressChangeDto, ctx: CommandContext) {
    requireAccountRole(principal);
    if (!DateTime.fromISO(dto.effectiveOn).isValid) {
      throw new ValidationError('validation_failed', 'effectiveOn is not a calendar date', [{ field: 'effectiveOn', rule: 'ACC-08', message: 'not a calendar date' }]);
    }
    const value = dto.kind === 'postal' ? { ...dto.postalAddress } : { email: dto.email };
    // The new address is the holder's contact data.
    const address = await this.protect(principal.state.holderUserId!, value);
    const result = await this.execute(principal.accountId, { type: 'DeclareAddressChange', userId: principal.userId, kind: dto.kind, address, effectiveOn: dto.effectiveOn }, ctx);
    const declared = result.events.find((e) => e.type === 'PortalAddressChangeDeclared')!;
    return { accountId: principal.accountId, kind: dto.kind, effectiveOn: dto.effectiveOn, late: Boolean(declared.data.late) };
  }

  /** ACC-10: running consumption from the metering contexts, flagged indicative (invoiced figures prevail). */
  async consumptionOf(principal: PortalPrincipal) {
    requireAccountRole(principal);
    const figures = await this.consumption.figures(principal.state.customerId!);
    return {
      indicative: true,
      notice: 'Consumption figures shown here are indicative; the invoiced figures prevail (ACC-10).',
      figures: figures.map((f) => ({ ...f, indicative: true })),
    };
  }

  // ---- delegations (ACC-03) ------------------------------------------------------------------------

  async delegate(principal: PortalPrincipal, dto: DelegationDto, ctx: CommandContext) {
    const userId = newId();
    const delegate = await this.protect(userId, { name: dto.name, email: dto.email });
    await this.execute(principal.accountId, { type: 'GrantDelegation', byUserId: principal.userId, userId, delegate, expiresAt: dto.expiresAt ?? null }, ctx);
    await this.invite(principal.accountId, userId, dto, 'délégation d\'accès à l\'Espace Client');
    return { userId, status: 'invited', expiresAt: dto.expiresAt ?? null };
  }

  async updateDelegation(principal: PortalPrincipal, userId: string, expiresAt: string | null, ctx: CommandContext) {
    await this.execute(principal.accountId, { type: 'UpdateDelegation', byUserId: principal.userId, userId, expiresAt }, ctx);
    return { userId, expiresAt };
  }

  async revokeDelegation(principal: PortalPrincipal, userId: string, ctx: CommandContext) {
    await this.execute(principal.accountId, { type: 'RevokeDelegation', byUserId: principal.userId, userId }, ctx);
    await this.withdrawAccess(userId, 'revoked');
    return { userId, status: 'revoked' };
  }

  async users(accountId: string): Promise<PortalUserRow[]> {
    return this.dataSource.getRepository(PortalUserRow).find({ where: { accountId }, order: { grantedAt: 'ASC' } });
  }

  /** Sends an invitation link to a delegate or a PBX user; accepting it sets their password. */
  async invite(accountId: string, userId: string, who: InviteDto, what: string): Promise<void> {
    const s = await this.settings.portal();
    const { challengeId, secret } = await this.newLinkChallenge(accountId, userId, 'invitation', s.invitationTtl, s.maxCodeAttempts);
    await this.outbox.enqueue({
      accountId,
      userId,
      channel: 'email',
      recipient: who.email,
      subject: `OKSIO : ${what}`,
      body: `Bonjour ${who.name},\n\nVous avez reçu une ${what}. Choisissez votre mot de passe ici :\n${PORTAL_URL}/invitation?token=${challengeId}.${secret}\n`,
    });
  }

  async acceptInvitation(token: string, password: string, ctx: CommandContext) {
    requireStrongPassword(password);
    const challenge = await this.challengeOfToken(token, 'invitation');
    const { events } = await this.loadAccount(challenge.account_id);
    const granted = events.find(
      (e) => ['PortalDelegationGranted', 'PbxAdministratorDesignated', 'PbxUserAuthorised'].includes(e.type) && (e.data as { userId: string }).userId === challenge.user_id,
    );
    const identity = granted && (granted.data as Record<string, unknown>)[granted.type === 'PortalDelegationGranted' ? 'delegate' : granted.type === 'PbxAdministratorDesignated' ? 'administrator' : 'user'];
    const who = identity ? await this.reveal<{ email: string }>(identity) : null;
    if (!who) throw new DomainError('invitation_not_open', 'No open invitation for this link', 'ACC-03', 'token');
    await this.consume(challenge, token.split('.')[1], 'invalid_link', 'token');
    const now = this.clock.now();
    await this.reserveLogin(challenge.user_id, challenge.account_id, who.email, await hashPassword(password, (await this.settings.portal()).passwordCost), now);
    try {
      const result = await executeMultiStream(this.repository, () => this.clock.now(), async (command) => {
        const activated = await this.decide(command, challenge.account_id, { type: 'ActivateUser', userId: challenge.user_id }, ctx);
        await this.retention.recordInternalFact(
          command,
          portalUserSubject(challenge.user_id),
          { kind: 'contract_started', contractId: `portal-${challenge.account_id}`, service: 'PORTAL', occurredAt: now.toISOString() },
          ctx,
          'portal-start',
        );
        return activated;
      });
      return { accountId: challenge.account_id, userId: challenge.user_id, role: result.state.users[challenge.user_id].role, login: who.email };
    } catch (error) {
      await this.dataSource.query('DELETE FROM portal_credentials WHERE user_id = $1', [challenge.user_id]);
      throw error;
    }
  }

  // ---- operator side (ACC-05, PRV-07, ACC-06 publication) ------------------------------------------

  async account(accountId: string) {
    const row = await this.dataSource.getRepository(PortalAccountRow).findOneBy({ accountId });
    if (!row) throw new NotFoundError('account_not_found', `No portal account ${accountId}`, [{ field: 'accountId', message: 'unknown account' }]);
    return { ...row, users: await this.users(accountId) };
  }

  async block(accountId: string, dto: BlockDto, ctx: CommandContext) {
    await this.loadAccount(accountId);
    await this.execute(accountId, { type: 'BlockAccess', reason: dto.reason, until: dto.until ?? null, writtenRequestReference: dto.writtenRequestReference ?? null, note: dto.note ?? null }, ctx);
    await this.sessions.closeForAccount(accountId, 'blocked');
    return { accountId, blocked: true, reason: dto.reason, until: dto.until ?? null };
  }

  async unblock(accountId: string, ctx: CommandContext) {
    await this.loadAccount(accountId);
    await this.execute(accountId, { type: 'UnblockAccess' }, ctx);
    return { accountId, blocked: false };
  }

  /** ACC-05 deletion of the access at the client's written request: credentials and sessions go. */
  async close(accountId: string, dto: CloseAccountDto, ctx: CommandContext) {
    const { state } = await this.loadAccount(accountId);
    // The closure and the end of every user's contract: one multi-stream command (docs/adr/0008).
    await executeMultiStream(this.repository, () => this.clock.now(), async (command) => {
      await this.decide(command, accountId, { type: 'CloseAccount', writtenRequestReference: dto.writtenRequestReference }, ctx);
      for (const userId of Object.keys(state.users)) {
        await this.retention
          .recordInternalFact(command, portalUserSubject(userId), { kind: 'contract_ended', contractId: `portal-${accountId}`, occurredAt: command.now.toISOString() }, ctx, 'portal-end')
          .catch((error: unknown) => {
            // Users who never activated their access have no contract fact to end (nothing staged for them).
            if (!(error instanceof DomainError && error.code === 'unknown_contract')) throw error;
          });
      }
    });
    for (const userId of Object.keys(state.users)) await this.withdrawAccess(userId, 'account_closed');
    return { accountId, status: 'closed' };
  }

  /** PRV-07: the connection log of an account (IP, user agent, outcome), decrypted for staff. */
  /** One page of the connection log, oldest first; only that page's personal data is decrypted. */
  async connections(accountId: string, page: Paging) {
    const { events } = await this.loadAccount(accountId);
    const logins = events.filter((e) => e.type === 'PortalUserLoggedIn' || e.type === 'PortalLoginFailed');
    const out = [];
    for (const e of pageSlice(logins, page)) {
      const data = e.data as { userId: string; connection: unknown; at: string };
      const clear = await this.reveal<{ ip: string | null; userAgent: string | null }>(data.connection);
      out.push({ userId: data.userId, at: data.at, success: e.type === 'PortalUserLoggedIn', ip: clear?.ip ?? null, userAgent: clear?.userAgent ?? null, erased: clear === null });
    }
    return { accountId, total: logins.length, limit: page.limit, offset: page.offset, connections: out };
  }

  async terms(): Promise<PortalTermsRow[]> {
    return this.dataSource.getRepository(PortalTermsRow).find({ order: { publishedAt: 'DESC' } });
  }

  async publishTerms(dto: PublishTermsDto, ctx: CommandContext) {
    const now = this.clock.now();
    const publishedAt = dto.publishedAt ? new Date(dto.publishedAt).toISOString() : now.toISOString();
    const existing = await this.dataSource.getRepository(PortalTermsRow).findOneBy({ version: dto.version });
    if (existing) throw new DomainError('terms_version_exists', `Version ${dto.version} was already published`, 'ACC-06', 'version');
    await this.repository.execute(termsDecider, termsStream(dto.version), { type: 'PublishTerms', version: dto.version, title: dto.title, publishedAt }, ctx, now);
    return { version: dto.version, title: dto.title, publishedAt };
  }

  // ---- helpers -----------------------------------------------------------------------------------

  async loadAccount(accountId: string): Promise<{ state: AccountState; events: Array<{ type: string; data: Record<string, unknown> }> }> {
    const loaded = await this.repository.load(accountDecider, accountStream(accountId));
    if (loaded.revision < 0) throw new NotFoundError('account_not_found', `No portal account ${accountId}`, [{ field: 'accountId', message: 'unknown account' }]);
    return { state: loaded.state, events: loaded.events };
  }

  /** An account command decided inside a multi-stream command (appended at its commit). */
  private async decide(unit: MultiStreamCommand, accountId: string, command: AccountCommand, ctx: CommandContext) {
    const decided = await unit.decide(accountDecider, accountStream(accountId), command, ctx);
    return { ...decided, events: decided.events as unknown as AccountEvent[] };
  }

  execute(accountId: string, command: AccountCommand, ctx: CommandContext) {
    return this.repository.execute(accountDecider, accountStream(accountId), command, ctx, this.clock.now()).then((r) => ({
      ...r,
      events: r.events as unknown as AccountEvent[],
    }));
  }

  /** Identity data of a portal user, encrypted under that user's own key. */
  protect(userId: string, value: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.vault.protect(portalUserSubject(userId), 'identity_contact', value) as unknown as Promise<Record<string, unknown>>;
  }

  async reveal<T>(value: unknown): Promise<T | null> {
    if (!isEncryptedPii(value)) return null;
    const clear = await this.vault.reveal<T>(value as EncryptedPii);
    return isErased(clear) ? null : (clear as T);
  }

  async withdrawAccess(userId: string, reason: string): Promise<void> {
    await this.dataSource.query('DELETE FROM portal_credentials WHERE user_id = $1', [userId]);
    await this.dataSource.query(`UPDATE portal_challenges SET voided_at = $2 WHERE user_id = $1 AND used_at IS NULL AND voided_at IS NULL`, [userId, this.clock.now()]);
    await this.sessions.closeForUser(userId, reason);
  }

  private async reserveLogin(userId: string, accountId: string, login: string, passwordHash: string, now: Date): Promise<void> {
    const inserted = await this.dataSource.query(
      `INSERT INTO portal_credentials (user_id, account_id, login, password_hash, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING user_id`,
      [userId, accountId, login.toLowerCase(), passwordHash, now],
    );
    if (rowsOf(inserted).length === 0) throw new ConflictError('login_taken', 'This login is already used by a portal account', [{ field: 'email', message: 'login taken' }]);
  }

  private async newChallenge(accountId: string, userId: string, purpose: ChallengePurpose, secret: string, ttl: string, maxAttempts: number, challengeId = newId()) {
    const now = this.clock.now();
    // A new code or link voids the earlier ones of the same purpose.
    await this.dataSource.query(
      `UPDATE portal_challenges SET voided_at = $4 WHERE account_id = $1 AND user_id = $2 AND purpose = $3 AND used_at IS NULL AND voided_at IS NULL`,
      [accountId, userId, purpose, now],
    );
    await this.dataSource.query(
      `INSERT INTO portal_challenges (challenge_id, account_id, user_id, purpose, secret_hmac, expires_at, max_attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [challengeId, accountId, userId, purpose, this.secrets.hash(challengeId, secret), new Date(now.getTime() + durationMs(ttl)), maxAttempts, now],
    );
    return challengeId;
  }

  private async newLinkChallenge(accountId: string, userId: string, purpose: ChallengePurpose, ttl: string, maxAttempts: number) {
    const challengeId = newId();
    const secret = newToken();
    await this.newChallenge(accountId, userId, purpose, secret, ttl, maxAttempts, challengeId);
    return { challengeId, secret };
  }

  private async openChallenge(accountId: string, purpose: ChallengePurpose): Promise<ChallengeRow> {
    const rows: ChallengeRow[] = await this.dataSource.query(
      `SELECT * FROM portal_challenges WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL AND voided_at IS NULL ORDER BY created_at DESC LIMIT 1`,
      [accountId, purpose],
    );
    if (!rows[0]) {
      await this.loadAccount(accountId);
      throw new DomainError('no_open_code', 'No activation code is open for this account; ask for a new one', 'ACC-01', 'code');
    }
    return rows[0];
  }

  private async challengeOfToken(token: string, purpose: ChallengePurpose): Promise<ChallengeRow> {
    const [challengeId] = token.split('.');
    const rows: ChallengeRow[] = await this.dataSource.query('SELECT * FROM portal_challenges WHERE challenge_id = $1 AND purpose = $2', [challengeId, purpose]);
    const rule = purpose === 'invitation' ? 'ACC-03' : 'ACC-01';
    if (!rows[0] || rows[0].used_at || rows[0].voided_at) throw new DomainError('invalid_link', 'This link is not valid (used, replaced or unknown)', rule, 'token');
    return rows[0];
  }

  /**
   * Checks a code or link secret: expiry first, then one attempt counted atomically (the limit
   * holds under concurrent guesses), then the comparison; a match is used once.
   */
  private async consume(challenge: ChallengeRow, secret: string, wrongCode: string, field: string): Promise<void> {
    const rule = challenge.purpose === 'invitation' ? 'ACC-03' : 'ACC-01';
    const now = this.clock.now();
    if (now.getTime() >= new Date(challenge.expires_at).getTime()) {
      throw new DomainError('code_expired', 'This code or link has expired; ask for a new one', rule, field);
    }
    const counted = rowsOf(
      await this.dataSource.query(
        `UPDATE portal_challenges SET attempts = attempts + 1 WHERE challenge_id = $1 AND attempts < max_attempts AND used_at IS NULL AND voided_at IS NULL RETURNING attempts`,
        [challenge.challenge_id],
      ),
    ) as Array<{ attempts: number }>;
    const after = counted[0]?.attempts;
    if (after === undefined) throw new DomainError('too_many_attempts', 'Too many wrong attempts: this code is void; ask for a new one', rule, field);
    if (!this.secrets.matches(challenge.challenge_id, secret, challenge.secret_hmac)) {
      const left = challenge.max_attempts - after;
      if (left <= 0) await this.dataSource.query('UPDATE portal_challenges SET voided_at = $2 WHERE challenge_id = $1', [challenge.challenge_id, now]);
      throw new DomainError(wrongCode, left > 0 ? `Wrong code; ${left} attempt(s) left` : 'Wrong code; this code is now void, ask for a new one', rule, field);
    }
    const used = await this.dataSource.query('UPDATE portal_challenges SET used_at = $2 WHERE challenge_id = $1 AND used_at IS NULL RETURNING challenge_id', [challenge.challenge_id, now]);
    if (rowsOf(used).length === 0) throw new DomainError('invalid_link', 'This code or link was already used', rule, field);
  }
}

function rowsOf(result: unknown): unknown[] {
  // TypeORM returns [rows, count] for UPDATE … RETURNING on PostgreSQL.
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return Array.isArray(result) ? result : [];
}

/** ACC-02 password policy; a password over bcrypt's 72 bytes is refused, never truncated. */
function requireStrongPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError(problem.code, `The password needs ${problem.message}`, [{ field: 'password', rule: 'ACC-02', message: problem.message }]);
}

/** Holder and delegates act as the client (ACC-02, ACC-03); PBX users only use the PBX. */
export function requireAccountRole(principal: PortalPrincipal): void {
  if (!ACCOUNT_ROLES.includes(principal.role)) {
    throw new ForbiddenError('not_allowed', 'This access is limited to the hosted PBX', [{ field: 'X-Portal-Session', rule: 'ACC-09', message: 'hosted-PBX users only use the PBX' }]);
  }
}

function humanDuration(iso: string): string {
  const minutes = Math.round(durationMs(iso) / 60_000);
  return minutes < 120 ? `${minutes} minutes` : `${Math.round(minutes / 60)} heures`;
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';
import type { Projection } from '@oksio/platform';
import { PiiVault } from '../crypto/pii-vault';
import { isEncryptedPii, isErased } from '../crypto/pii';
import { ACCOUNT_EVENT_TYPES, type AccountEvent } from './account.decider';
import type { PbxFilesEvent } from './pbx-files.decider';
import type { TermsEvent } from './terms.decider';
import { PbxFileRow, PortalAccountRow, PortalTermsRow, PortalUserRow } from './portal.entities';

/** Portal read models for support staff and the portal: accounts, users, terms versions, PBX files (PRV-08). */
@Injectable()
export class PortalProjection implements Projection {
  readonly name = 'portal';
  readonly eventTypes = [...ACCOUNT_EVENT_TYPES, 'PortalTermsPublished', 'PbxFileUpdated'];

  constructor(private readonly vault: PiiVault) {}

  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    if (recorded.type === 'PortalTermsPublished') {
      const { data } = recorded as unknown as TermsEvent;
      await tx.upsert(PortalTermsRow, { version: data.version, title: data.title, publishedAt: new Date(data.publishedAt), source: 'event' }, ['version']);
      return;
    }
    if (recorded.type === 'PbxFileUpdated') {
      const { data } = recorded as unknown as PbxFilesEvent;
      const clear = isEncryptedPii(data.content) ? await this.vault.reveal<Record<string, unknown>>(data.content) : null;
      const previous = await tx.findOneBy(PbxFileRow, { accountId: data.accountId, fileId: data.fileId });
      await tx.upsert(
        PbxFileRow,
        {
          accountId: data.accountId,
          fileId: data.fileId,
          customerId: data.customerId,
          content: (clear && !isErased(clear) ? clear : null) as never,
          erased: !clear || isErased(clear),
          lastUpdatedBy: data.updatedBy,
          lastUpdatedRole: data.role,
          lastUpdatedAt: new Date(data.updatedAt),
          updates: (previous?.updates ?? 0) + 1,
        },
        ['accountId', 'fileId'],
      );
      return;
    }
    const event = { type: recorded.type, data: recorded.data } as AccountEvent;
    const accounts = tx.getRepository(PortalAccountRow);
    const users = tx.getRepository(PortalUserRow);
    const user = (userId: string, accountId: string, row: Partial<PortalUserRow>, at: string) =>
      tx.upsert(PortalUserRow, { userId, accountId, expiresAt: null, files: null, function: null, grantedBy: null, grantedAt: new Date(at), ...row }, ['userId']);
    switch (event.type) {
      case 'PortalAccountRegistered': {
        const d = event.data;
        await tx.upsert(
          PortalAccountRow,
          {
            accountId: d.accountId,
            customerId: d.customerId,
            holderUserId: d.holderUserId,
            status: 'pending',
            services: d.services,
            smsConfirmed: false,
            emailConfirmed: false,
            acceptedTermsVersion: d.acceptedTermsVersion,
            eCorrespondence: false,
            eCorrespondenceChangedAt: null,
            blockedReason: null,
            blockedUntil: null,
            registeredAt: new Date(d.registeredAt),
            activatedAt: null,
            closedAt: null,
            lastLoginAt: null,
            lastAddressChangeAt: null,
          },
          ['accountId'],
        );
        await user(d.holderUserId, d.accountId, { role: 'holder', status: 'active' }, d.registeredAt);
        return;
      }
      case 'PortalActivationConfirmed':
        await accounts.update({ accountId: event.data.accountId }, event.data.channel === 'sms' ? { smsConfirmed: true } : { emailConfirmed: true });
        return;
      case 'PortalAccountActivated':
        await accounts.update({ accountId: event.data.accountId }, { status: 'active', activatedAt: new Date(event.data.activatedAt) });
        return;
      case 'PortalUserLoggedIn':
        await accounts.update({ accountId: event.data.accountId }, { lastLoginAt: new Date(event.data.at) });
        return;
      case 'PortalTermsAccepted':
        await accounts.update({ accountId: event.data.accountId }, { acceptedTermsVersion: event.data.version });
        return;
      case 'PortalECorrespondenceChanged':
        await accounts.update({ accountId: event.data.accountId }, { eCorrespondence: event.data.optedIn, eCorrespondenceChangedAt: new Date(event.data.changedAt) });
        return;
      case 'PortalAddressChangeDeclared':
        await accounts.update({ accountId: event.data.accountId }, { lastAddressChangeAt: new Date(event.data.declaredAt) });
        return;
      case 'PortalAccessBlocked':
        await accounts.update({ accountId: event.data.accountId }, { blockedReason: event.data.reason, blockedUntil: event.data.until ? new Date(event.data.until) : null });
        return;
      case 'PortalAccessUnblocked':
        await accounts.update({ accountId: event.data.accountId }, { blockedReason: null, blockedUntil: null });
        return;
      case 'PortalAccountClosed':
        await accounts.update({ accountId: event.data.accountId }, { status: 'closed', closedAt: new Date(event.data.closedAt) });
        return;
      case 'PortalDelegationGranted':
        await user(event.data.userId, event.data.accountId, { role: 'delegate', status: 'invited', expiresAt: event.data.expiresAt ? new Date(event.data.expiresAt) : null, grantedBy: event.data.grantedBy }, event.data.grantedAt);
        return;
      case 'PortalDelegationUpdated':
        await users.update({ userId: event.data.userId }, { expiresAt: event.data.expiresAt ? new Date(event.data.expiresAt) : null });
        return;
      case 'PortalDelegationRevoked':
      case 'PbxUserRevoked':
        await users.update({ userId: event.data.userId }, { status: 'revoked' });
        return;
      case 'PbxAdministratorDesignated':
        await user(event.data.userId, event.data.accountId, { role: 'pbx_admin', status: 'invited', grantedBy: event.data.designatedBy }, event.data.designatedAt);
        return;
      case 'PbxUserAuthorised': {
        const d = event.data;
        await user(
          d.userId,
          d.accountId,
          { role: d.access === 'internal' ? 'pbx_internal' : 'pbx_external', status: 'invited', expiresAt: d.expiresAt ? new Date(d.expiresAt) : null, files: d.files, function: d.function, grantedBy: d.authorisedBy },
          d.authorisedAt,
        );
        return;
      }
      case 'PortalUserActivated':
        await users.update({ userId: event.data.userId }, { status: 'active' });
        return;
      default:
        return;
    }
  }

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM pbx_files');
    await tx.query('DELETE FROM portal_users');
    await tx.query('DELETE FROM portal_accounts');
    await tx.query(`DELETE FROM portal_terms WHERE source = 'event'`);
  }
}

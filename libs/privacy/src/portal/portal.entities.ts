import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('portal_accounts')
export class PortalAccountRow {
  @PrimaryColumn('uuid', { name: 'account_id' }) accountId: string;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('uuid', { name: 'holder_user_id' }) holderUserId: string;
  @Column('text') status: string;
  @Column('text', { array: true }) services: string[];
  @Column('boolean', { name: 'sms_confirmed' }) smsConfirmed: boolean;
  @Column('boolean', { name: 'email_confirmed' }) emailConfirmed: boolean;
  @Column('text', { name: 'accepted_terms_version', nullable: true }) acceptedTermsVersion: string | null;
  @Column('boolean', { name: 'e_correspondence' }) eCorrespondence: boolean;
  @Column('timestamptz', { name: 'e_correspondence_changed_at', nullable: true }) eCorrespondenceChangedAt: Date | null;
  @Column('text', { name: 'blocked_reason', nullable: true }) blockedReason: string | null;
  @Column('timestamptz', { name: 'blocked_until', nullable: true }) blockedUntil: Date | null;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt: Date;
  @Column('timestamptz', { name: 'activated_at', nullable: true }) activatedAt: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('timestamptz', { name: 'last_login_at', nullable: true }) lastLoginAt: Date | null;
  @Column('timestamptz', { name: 'last_address_change_at', nullable: true }) lastAddressChangeAt: Date | null;
}

@Entity('portal_users')
export class PortalUserRow {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'account_id' }) accountId: string;
  @Column('text') role: string;
  @Column('text') status: string;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('text', { array: true, nullable: true }) files: string[] | null;
  @Column('text', { nullable: true }) function: string | null;
  @Column('uuid', { name: 'granted_by', nullable: true }) grantedBy: string | null;
  @Column('timestamptz', { name: 'granted_at' }) grantedAt: Date;
}

@Entity('portal_terms')
export class PortalTermsRow {
  @PrimaryColumn('text') version: string;
  @Column('text') title: string;
  @Column('timestamptz', { name: 'published_at' }) publishedAt: Date;
  @Column('text') source: 'migration' | 'event';
}

/** PRV-08: the last update of each modifiable PBX file, with who made it. */
@Entity('pbx_files')
export class PbxFileRow {
  @PrimaryColumn('uuid', { name: 'account_id' }) accountId: string;
  @PrimaryColumn('text', { name: 'file_id' }) fileId: string;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('jsonb', { nullable: true }) content: Record<string, unknown> | null;
  @Column('boolean') erased: boolean;
  @Column('uuid', { name: 'last_updated_by' }) lastUpdatedBy: string;
  @Column('text', { name: 'last_updated_role' }) lastUpdatedRole: string;
  @Column('timestamptz', { name: 'last_updated_at' }) lastUpdatedAt: Date;
  @Column('integer') updates: number;
}

@Entity('privacy_settings')
export class PrivacySettingRow {
  @PrimaryColumn('text') key: string;
  @Column('text') value: string;
  @Column('text') description: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

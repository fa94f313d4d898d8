import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Duration } from 'luxon';
import { CLOCK, type Clock, DomainError, NotFoundError, type Decider, type DomainEvent } from '@oksio/kernel';
import { type CommandContext, EventSourcedRepository } from '@oksio/platform';
import { PrivacySettingRow } from './portal.entities';
import { PASSWORD_COST_RANGE } from './secrets';

/**
 * Portal settings (ACC-04 session inactivity, code lifetimes and attempts, lockout): rows of
 * `privacy_settings`, seeded by migration. A change is an audited event (stream
 * `privacysetting-<key>`) and takes effect at once.
 */
export type SettingEvent = DomainEvent<'PrivacySettingChanged', { key: string; value: string; changedAt: string }>;
export const settingDecider: Decider<{ type: 'ChangeSetting'; key: string; value: string }, SettingEvent, { value: string | null }> = {
  initialState: { value: null },
  decide(command, _state, now) {
    return [{ type: 'PrivacySettingChanged', data: { key: command.key, value: command.value, changedAt: now.toISOString() } }];
  },
  evolve(_state, event) {
    return { value: event.data.value };
  },
};

const DURATION_KEYS = ['portal.session_inactivity', 'portal.activation_code_ttl', 'portal.activation_link_ttl', 'portal.invitation_ttl', 'portal.lockout'];
const INTEGER_KEYS = ['portal.max_code_attempts', 'portal.max_failed_logins'];

export interface PortalSettings {
  sessionInactivity: string;
  activationCodeTtl: string;
  activationLinkTtl: string;
  invitationTtl: string;
  maxCodeAttempts: number;
  maxFailedLogins: number;
  lockout: string;
  /** ACC-02: bcrypt cost factor of new password hashes. */
  passwordCost: number;
}

export function durationMs(iso: string): number {
  return Duration.fromISO(iso).toMillis();
}

@Injectable()
export class SettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: EventSourcedRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(): Promise<PrivacySettingRow[]> {
    return this.dataSource.getRepository(PrivacySettingRow).find({ order: { key: 'ASC' } });
  }

  async portal(): Promise<PortalSettings> {
    const rows = new Map((await this.list()).map((r) => [r.key, r.value]));
    const get = (key: string) => {
      const v = rows.get(key);
      if (v === undefined) throw new Error(`setting ${key} is missing`);
      return v;
    };
    return {
      sessionInactivity: get('portal.session_inactivity'),
      activationCodeTtl: get('portal.activation_code_ttl'),
      activationLinkTtl: get('portal.activation_link_ttl'),
      invitationTtl: get('portal.invitation_ttl'),
      maxCodeAttempts: Number(get('portal.max_code_attempts')),
      maxFailedLogins: Number(get('portal.max_failed_logins')),
      lockout: get('portal.lockout'),
      passwordCost: Number(get('portal.password_cost')),
    };
  }

  async change(key: string, value: string, ctx: CommandContext): Promise<PrivacySettingRow> {
    const repo = this.dataSource.getRepository(PrivacySettingRow);
    const row = await repo.findOneBy({ key });
    if (!row) throw new NotFoundError('unknown_setting', `No setting ${key}`, [{ field: 'key', message: 'unknown setting' }]);
    if (DURATION_KEYS.includes(key)) {
      const d = Duration.fromISO(value);
      if (!/^P/.test(value) || !d.isValid || d.toMillis() <= 0) {
        throw new DomainError('invalid_setting', `${key} is a positive ISO-8601 duration such as PT15M`, key === 'portal.session_inactivity' ? 'ACC-04' : undefined, 'value');
      }
    }
    if (INTEGER_KEYS.includes(key) && (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100)) {
      throw new DomainError('invalid_setting', `${key} is an integer from 1 to 100`, undefined, 'value');
    }
    const { min, max } = PASSWORD_COST_RANGE;
    if (key === 'portal.password_cost' && (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)) {
      throw new DomainError('invalid_setting', `${key} is the bcrypt cost factor, an integer from ${min} to ${max} (12 in production)`, 'ACC-02', 'value');
    }
    const now = this.clock.now();
    await this.repository.execute(settingDecider, `privacysetting-${key}`, { type: 'ChangeSetting', key, value }, ctx, now);
    await repo.update({ key }, { value, updatedAt: now });
    return { ...row, value, updatedAt: now };
  }
}

import { DomainError, type Decider, type DomainEvent } from '@oksio/kernel';

/**
 * Consents (PRV-05), directory-listing preferences (PRV-06) and objections to prospecting
 * (PRV-04) of one data subject, stream `consents-<subjectId>`. Every change records when and
 * through which channel it was expressed; consent is explicit and withdrawable at any time.
 */
export const CONSENT_PURPOSES = ['prospecting_email', 'prospecting_sms', 'newsletter'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const CONSENT_SOURCES = ['portal', 'web_form', 'email', 'post', 'phone', 'paper_form', 'sales_meeting'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];
export const PROSPECTING_CHANNELS = ['email', 'sms', 'post', 'phone'] as const;
export type ProspectingChannel = (typeof PROSPECTING_CHANNELS)[number];

export type Protected = Record<string, unknown>;

export type DirectoryPreferences = {
  listed: boolean;
  hideFullAddress: boolean;
  noMarketingUse: boolean;
};

export type ConsentCommand =
  | { type: 'GiveConsent'; subjectId: string; purpose: ConsentPurpose; source: ConsentSource; evidence: Protected | null }
  | { type: 'WithdrawConsent'; subjectId: string; purpose: ConsentPurpose; source: ConsentSource }
  | ({ type: 'SetDirectoryPreferences'; subjectId: string; source: ConsentSource } & DirectoryPreferences)
  | { type: 'RecordObjection'; subjectId: string; requestId: string | null; source: ConsentSource };

export type ConsentEvent =
  | DomainEvent<'ConsentGiven', { subjectId: string; purpose: ConsentPurpose; source: ConsentSource; evidence: Protected | null; givenAt: string }>
  | DomainEvent<'ConsentWithdrawn', { subjectId: string; purpose: ConsentPurpose; source: ConsentSource; withdrawnAt: string }>
  | DomainEvent<'DirectoryPreferencesChanged', DirectoryPreferences & { subjectId: string; source: ConsentSource; changedAt: string; charge: string }>
  | DomainEvent<'ProspectingObjected', { subjectId: string; requestId: string | null; source: ConsentSource; objectedAt: string }>;

export interface ConsentRecord {
  granted: boolean;
  source: ConsentSource;
  at: string;
}

export interface ConsentState {
  subjectId: string | null;
  consents: Partial<Record<ConsentPurpose, ConsentRecord>>;
  directory: (DirectoryPreferences & { source: ConsentSource; at: string }) | null;
  objection: { at: string; requestId: string | null } | null;
}

export const consentStream = (subjectId: string) => `consents-${subjectId}`;

export const CONSENT_EVENT_TYPES: ReadonlyArray<ConsentEvent['type']> = ['ConsentGiven', 'ConsentWithdrawn', 'DirectoryPreferencesChanged', 'ProspectingObjected'];

export interface ProspectingAnswer {
  allowed: boolean;
  channel: ProspectingChannel;
  reason: string;
  rule: string;
}

/**
 * Whether the subject may be prospected on a channel (PRV-01, PRV-05): e-mail and SMS need the
 * consent; post and phone rest on legitimate interest. An objection (PRV-04), a restriction of
 * marketing data (PRV-04) or the directory "no direct marketing" choice (PRV-06) forbids all.
 */
export function canProspect(state: ConsentState, channel: ProspectingChannel, marketingRestricted: boolean): ProspectingAnswer {
  if (state.objection) return { allowed: false, channel, reason: `the subject objected to prospecting on ${state.objection.at}`, rule: 'PRV-04' };
  if (marketingRestricted) return { allowed: false, channel, reason: 'processing of marketing data is restricted', rule: 'PRV-04' };
  if (state.directory?.noMarketingUse) return { allowed: false, channel, reason: 'the subject forbade the use of its data for direct marketing', rule: 'PRV-06' };
  if (channel === 'email' || channel === 'sms') {
    const consent = state.consents[channel === 'email' ? 'prospecting_email' : 'prospecting_sms'];
    if (!consent?.granted) {
      return { allowed: false, channel, reason: `electronic prospecting by ${channel} needs the subject's consent`, rule: 'PRV-05' };
    }
    return { allowed: true, channel, reason: `consent given on ${consent.at} (${consent.source})`, rule: 'PRV-05' };
  }
  return { allowed: true, channel, reason: `prospecting by ${channel} rests on legitimate interest`, rule: 'PRV-01' };
}

export const consentDecider: Decider<ConsentCommand, ConsentEvent, ConsentState> = {
  initialState: { subjectId: null, consents: {}, directory: null, objection: null },

  decide(command, state, now) {
    const at = now.toISOString();
    const subjectId = command.subjectId;
    switch (command.type) {
      case 'GiveConsent':
        if (state.consents[command.purpose]?.granted) return [];
        return [{ type: 'ConsentGiven', data: { subjectId, purpose: command.purpose, source: command.source, evidence: command.evidence, givenAt: at } }];
      case 'WithdrawConsent':
        if (!state.consents[command.purpose]?.granted) {
          throw new DomainError('consent_not_given', `No consent for ${command.purpose} to withdraw`, 'PRV-05', 'purpose');
        }
        return [{ type: 'ConsentWithdrawn', data: { subjectId, purpose: command.purpose, source: command.source, withdrawnAt: at } }];
      case 'SetDirectoryPreferences': {
        const { listed, hideFullAddress, noMarketingUse } = command;
        if (!listed && hideFullAddress) {
          throw new DomainError('not_listed', 'An unlisted subject has no address in the directory to hide', 'PRV-06', 'hideFullAddress');
        }
        const current = state.directory;
        if (current && current.listed === listed && current.hideFullAddress === hideFullAddress && current.noMarketingUse === noMarketingUse) return [];
        // PRV-06: these choices are free of charge.
        return [{ type: 'DirectoryPreferencesChanged', data: { subjectId, listed, hideFullAddress, noMarketingUse, source: command.source, changedAt: at, charge: '0.00' } }];
      }
      case 'RecordObjection':
        if (state.objection) return [];
        return [{ type: 'ProspectingObjected', data: { subjectId, requestId: command.requestId, source: command.source, objectedAt: at } }];
    }
  },

  evolve(state, event) {
    const s = { ...state, subjectId: state.subjectId ?? event.data.subjectId };
    switch (event.type) {
      case 'ConsentGiven':
        return { ...s, consents: { ...s.consents, [event.data.purpose]: { granted: true, source: event.data.source, at: event.data.givenAt } } };
      case 'ConsentWithdrawn':
        return { ...s, consents: { ...s.consents, [event.data.purpose]: { granted: false, source: event.data.source, at: event.data.withdrawnAt } } };
      case 'DirectoryPreferencesChanged': {
        const { listed, hideFullAddress, noMarketingUse, source, changedAt } = event.data;
        return { ...s, directory: { listed, hideFullAddress, noMarketingUse, source, at: changedAt } };
      }
      case 'ProspectingObjected':
        return { ...s, objection: { at: event.data.objectedAt, requestId: event.data.requestId } };
      default:
        return s;
    }
  },
};

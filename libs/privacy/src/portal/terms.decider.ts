import { DomainError, type Decider, type DomainEvent } from '@oksio/kernel';

/**
 * Versions of the portal terms of use (ACC-06), stream `portalterms-<version>`. The version in
 * force is the latest one published at or before now; accounts must accept it to keep using the
 * portal. The first edition (10.02.2026) is seeded by migration.
 */
export type TermsCommand = { type: 'PublishTerms'; version: string; title: string; publishedAt: string };
export type TermsEvent = DomainEvent<'PortalTermsPublished', { version: string; title: string; publishedAt: string }>;
export interface TermsState {
  version: string | null;
}

export const termsStream = (version: string) => `portalterms-${version}`;

export const termsDecider: Decider<TermsCommand, TermsEvent, TermsState> = {
  initialState: { version: null },
  decide(command, state) {
    if (state.version) throw new DomainError('terms_version_exists', `Version ${command.version} was already published`, 'ACC-06', 'version');
    return [{ type: 'PortalTermsPublished', data: { version: command.version, title: command.title, publishedAt: command.publishedAt } }];
  },
  evolve(_state, event) {
    return { version: event.data.version };
  },
};

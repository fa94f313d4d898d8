import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, ValidationError, deterministicId } from '@oksio/kernel';
import { type CommandContext, EventSourcedRepository, type MultiStreamCommand, causedBy } from '@oksio/platform';
import { PiiVault } from '../crypto/pii-vault';
import { dataSubjectDecider, dataSubjectStream } from '../retention/data-subject.decider';
import {
  CONSENT_PURPOSES,
  PROSPECTING_CHANNELS,
  canProspect,
  consentDecider,
  consentStream,
  type ConsentCommand,
  type ConsentPurpose,
  type ConsentSource,
  type ConsentState,
  type ProspectingAnswer,
  type ProspectingChannel,
} from './consent.decider';
import type { DirectoryPreferencesDto, GiveConsentDto, WithdrawConsentDto } from './consents.dto';

export interface ConsentsView {
  subjectId: string;
  consents: Array<{ purpose: ConsentPurpose; granted: boolean; source: ConsentSource; at: string }>;
  directory: { listed: boolean; hideFullAddress: boolean; noMarketingUse: boolean; source: ConsentSource; at: string } | null;
  objection: { at: string; requestId: string | null } | null;
}

/** Consents (PRV-05), directory preferences (PRV-06), objections and the prospecting check. */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly vault: PiiVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async give(subjectId: string, dto: GiveConsentDto, ctx: CommandContext): Promise<ConsentsView> {
    // The proof may name the person (form, IP address): it is marketing data of the subject.
    const evidence = dto.evidence ? ((await this.vault.protect(subjectId, 'marketing', dto.evidence)) as unknown as Record<string, unknown>) : null;
    return this.execute(subjectId, { type: 'GiveConsent', subjectId, purpose: dto.purpose, source: dto.source, evidence }, ctx);
  }

  async withdraw(subjectId: string, purpose: string, dto: WithdrawConsentDto, ctx: CommandContext): Promise<ConsentsView> {
    if (!(CONSENT_PURPOSES as readonly string[]).includes(purpose)) {
      throw new ValidationError('validation_failed', `Unknown purpose ${purpose}`, [{ field: 'purpose', rule: 'PRV-05', message: `purposes: ${CONSENT_PURPOSES.join(', ')}` }]);
    }
    return this.execute(subjectId, { type: 'WithdrawConsent', subjectId, purpose: purpose as ConsentPurpose, source: dto.source }, ctx);
  }

  async setDirectory(subjectId: string, dto: DirectoryPreferencesDto, ctx: CommandContext): Promise<ConsentsView> {
    return this.execute(subjectId, { type: 'SetDirectoryPreferences', subjectId, listed: dto.listed, hideFullAddress: dto.hideFullAddress, noMarketingUse: dto.noMarketingUse, source: dto.source }, ctx);
  }

  /** PRV-04 objection to prospecting, decided in the fulfilment of a data-subject request (appended with it). */
  async object(command: MultiStreamCommand, subjectId: string, requestId: string, source: ConsentSource, ctx: CommandContext): Promise<ConsentsView> {
    const decided = await command.decide(
      consentDecider,
      consentStream(subjectId),
      { type: 'RecordObjection', subjectId, requestId, source },
      causedBy(ctx, deterministicId(ctx.commandId, 'objection', subjectId)),
    );
    return toView(subjectId, decided.state);
  }

  async view(subjectId: string): Promise<ConsentsView> {
    const { state } = await this.repository.load(consentDecider, consentStream(subjectId));
    return toView(subjectId, state);
  }

  async canProspect(subjectId: string, channel: string): Promise<ProspectingAnswer> {
    if (!(PROSPECTING_CHANNELS as readonly string[]).includes(channel)) {
      throw new ValidationError('validation_failed', `Unknown channel ${channel}`, [{ field: 'channel', rule: 'PRV-05', message: `channels: ${PROSPECTING_CHANNELS.join(', ')}` }]);
    }
    const [{ state }, subject] = await Promise.all([
      this.repository.load(consentDecider, consentStream(subjectId)),
      this.repository.load(dataSubjectDecider, dataSubjectStream(subjectId)),
    ]);
    return canProspect(state, channel as ProspectingChannel, !!subject.state.restricted.marketing);
  }

  private async execute(subjectId: string, command: ConsentCommand, ctx: CommandContext): Promise<ConsentsView> {
    const result = await this.repository.execute(consentDecider, consentStream(subjectId), command, ctx, this.clock.now());
    return toView(subjectId, result.state);
  }
}

function toView(subjectId: string, state: ConsentState): ConsentsView {
  return {
    subjectId,
    consents: CONSENT_PURPOSES.filter((p) => state.consents[p]).map((p) => ({ purpose: p, ...state.consents[p]! })),
    directory: state.directory,
    objection: state.objection,
  };
}

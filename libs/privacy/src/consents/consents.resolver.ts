import { Args, Field, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg } from '@oksio/platform';
import { SubjectIdPipe } from '../shared/http';
import { DirectoryPreferencesDto, GiveConsentDto, WithdrawConsentDto } from './consents.dto';
import { ConsentsService } from './consents.service';

@ObjectType('PrivacyProspectingAnswer')
class ProspectingAnswerType {
  @Field() allowed: boolean;
  @Field() channel: string;
  @Field() reason: string;
  @Field() rule: string;
}

@ObjectType('PrivacyConsent')
class ConsentType {
  @Field() purpose: string;
  @Field() granted: boolean;
  @Field() source: string;
  @Field() at: string;
}

@ObjectType('PrivacyDirectoryPreferences')
class DirectoryType {
  @Field() listed: boolean;
  @Field() hideFullAddress: boolean;
  @Field() noMarketingUse: boolean;
  @Field() source: string;
  @Field() at: string;
}

@ObjectType('PrivacyConsents')
class ConsentsType {
  @Field() subjectId: string;
  @Field(() => [ConsentType]) consents: ConsentType[];
  @Field(() => DirectoryType, { nullable: true }) directory: DirectoryType | null;
  @Field(() => Boolean, { description: 'The subject objected to prospecting (PRV-04)' }) objected: boolean;
}

@Resolver()
export class ConsentsResolver {
  constructor(private readonly consents: ConsentsService) {}

  @Query(() => ProspectingAnswerType, { description: 'E-mail/SMS prospecting needs consent (PRV-05); post/phone rest on legitimate interest' })
  @Roles('system', 'support', 'admin', 'auditor')
  canProspect(@Args('subjectId', SubjectIdPipe) subjectId: string, @Args('channel') channel: string) {
    return this.consents.canProspect(subjectId, channel);
  }

  @Query(() => ConsentsType, { name: 'subjectConsents' })
  @Roles('system', 'support', 'admin', 'auditor')
  async subjectConsents(@Args('subjectId', SubjectIdPipe) subjectId: string) {
    const view = await this.consents.view(subjectId);
    return { ...view, objected: view.objection !== null };
  }

  @Mutation(() => ConsentsType)
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  async giveConsent(@Args('subjectId', SubjectIdPipe) subjectId: string, @Args('input', { type: () => GiveConsentDto }) input: GiveConsentDto, @Ctx() ctx: CommandContext) {
    const view = await this.consents.give(subjectId, input, ctx);
    return { ...view, objected: view.objection !== null };
  }

  @Mutation(() => ConsentsType)
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  async withdrawConsent(
    @Args('subjectId', SubjectIdPipe) subjectId: string,
    @Args('purpose') purpose: string,
    @Args('input', { type: () => WithdrawConsentDto }) input: WithdrawConsentDto,
    @Ctx() ctx: CommandContext,
  ) {
    const view = await this.consents.withdraw(subjectId, purpose, input, ctx);
    return { ...view, objected: view.objection !== null };
  }

  @Mutation(() => ConsentsType)
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  async setDirectoryPreferences(
    @Args('subjectId', SubjectIdPipe) subjectId: string,
    @Args('input', { type: () => DirectoryPreferencesDto }) input: DirectoryPreferencesDto,
    @Ctx() ctx: CommandContext,
  ) {
    const view = await this.consents.setDirectory(subjectId, input, ctx);
    return { ...view, objected: view.objection !== null };
  }
}

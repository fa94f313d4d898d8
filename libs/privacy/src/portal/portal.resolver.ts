import { Args, Field, GraphQLISODateTime, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg, UuidParam } from '@oksio/platform';
import { PublishTermsDto, RegisterPortalAccountDto } from './portal.dto';
import { PortalService } from './portal.service';

@ObjectType('PortalUser')
class PortalUserType {
  @Field(() => ID) userId: string;
  @Field() role: string;
  @Field() status: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt: Date | null;
  @Field(() => [String], { nullable: true }) files: string[] | null;
}

@ObjectType('PortalAccount')
class PortalAccountType {
  @Field(() => ID) accountId: string;
  @Field() customerId: string;
  @Field() status: string;
  @Field(() => [String]) services: string[];
  @Field(() => String, { nullable: true }) acceptedTermsVersion: string | null;
  @Field({ description: 'Electronic correspondence opt-in (ACC-07)' }) eCorrespondence: boolean;
  @Field(() => String, { nullable: true }) blockedReason: string | null;
  @Field(() => [PortalUserType]) users: PortalUserType[];
}

@ObjectType('PortalTerms')
class PortalTermsType {
  @Field() version: string;
  @Field() title: string;
  @Field() publishedAt: string;
}

@ObjectType('PortalRegistration')
class PortalRegistrationType {
  @Field(() => ID) accountId: string;
  @Field(() => ID) userId: string;
  @Field() status: string;
}

@Resolver()
export class PortalResolver {
  constructor(private readonly portal: PortalService) {}

  @Query(() => PortalAccountType, { name: 'portalAccount' })
  @Roles('support', 'admin', 'auditor')
  account(@Args('accountId', { type: () => ID }, UuidParam()) accountId: string) {
    return this.portal.account(accountId);
  }

  @Query(() => [PortalTermsType], { name: 'portalTerms' })
  @Roles('system', 'support', 'admin', 'auditor')
  async terms() {
    return (await this.portal.terms()).map((t) => ({ ...t, publishedAt: t.publishedAt.toISOString() }));
  }

  @Mutation(() => PortalTermsType)
  @ExpectedRevisionArg()
  @Roles('admin')
  publishPortalTerms(@Args('input', { type: () => PublishTermsDto }) input: PublishTermsDto, @Ctx() ctx: CommandContext) {
    return this.portal.publishTerms(input, ctx);
  }

  @Mutation(() => PortalRegistrationType)
  @ExpectedRevisionArg()
  @Roles('system')
  registerPortalAccount(@Args('input', { type: () => RegisterPortalAccountDto }) input: RegisterPortalAccountDto, @Ctx() ctx: CommandContext) {
    return this.portal.register(input, ctx);
  }
}

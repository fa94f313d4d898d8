import { Args, Field, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg } from '@oksio/platform';
import type { PiiCategory } from '../crypto/pii';
import { SubjectIdPipe } from '../shared/http';
import { ChangeRetentionPolicyDto, RecordFactDto } from './retention.dto';
import { PurgesDueQuery } from './retention.queries';
import { RetentionService } from './retention.service';

@ObjectType('PrivacyRetentionPolicy')
class RetentionPolicyType {
  @Field() category: string;
  @Field(() => [String]) legalBasis: string[];
  @Field() anchor: string;
  @Field(() => String, { nullable: true }) service: string | null;
  @Field() activePeriod: string;
  @Field() extendWhileUnpaidDebt: boolean;
  @Field() rule: string;
  @Field() description: string;
}

@ObjectType('PrivacyCategoryRetention')
class CategoryRetentionType {
  @Field() category: string;
  @Field() rule: string;
  @Field({ description: 'active, archived (restricted archive), due, purged' }) phase: string;
  @Field(() => String, { nullable: true }) anchorAt: string | null;
  @Field(() => String, { nullable: true }) activeUntil: string | null;
  @Field(() => String, { nullable: true }) holdUntil: string | null;
  @Field() debtOpen: boolean;
  @Field(() => String, { nullable: true }) purgeAt: string | null;
  @Field(() => String, { nullable: true }) purgedAt: string | null;
  @Field() restricted: boolean;
  @Field(() => String, { nullable: true }) restrictionReason: string | null;
}

@ObjectType('PrivacySubjectRetention')
class SubjectRetentionType {
  @Field() subjectId: string;
  @Field() asOf: string;
  @Field(() => [CategoryRetentionType]) categories: CategoryRetentionType[];
}

@ObjectType('PrivacyPurgeDue')
class PurgeDueType {
  @Field() subjectId: string;
  @Field() category: string;
  @Field() purgeAt: string;
  @Field({ description: 'Due before now (the scheduler has not carried it out yet)' }) overdue: boolean;
  @Field(() => String, { nullable: true }) anchorAt: string | null;
  @Field(() => String, { nullable: true }) holdUntil: string | null;
  @Field() restricted: boolean;
}

@ObjectType('PrivacyPurgesDue')
class PurgesDueType {
  @Field() asOf: string;
  @Field() until: string;
  @Field(() => Int) total: number;
  @Field(() => Int) limit: number;
  @Field(() => Int) offset: number;
  @Field(() => [PurgeDueType]) purges: PurgeDueType[];
}

@ObjectType('PrivacyFactRecorded')
class FactRecordedType {
  @Field() subjectId: string;
  @Field(() => [String]) recorded: string[];
}

@Resolver()
export class RetentionResolver {
  constructor(private readonly retention: RetentionService) {}

  @Query(() => [RetentionPolicyType], { name: 'retentionPolicies' })
  @Roles('system', 'support', 'admin', 'auditor')
  retentionPolicies() {
    return this.retention.policies();
  }

  @Query(() => PurgesDueType, { name: 'purgesDue', description: 'Purges due by `until` (default now) and not carried out yet, oldest first (PRV-02, PRV-03)' })
  @Roles('system', 'support', 'admin', 'auditor')
  purgesDue(@Args() q: PurgesDueQuery) {
    return this.retention.purgesDue(q);
  }

  @Query(() => SubjectRetentionType, { name: 'subjectRetention' })
  @Roles('system', 'support', 'admin', 'auditor')
  subjectRetention(@Args('subjectId', SubjectIdPipe) subjectId: string) {
    return this.retention.retention(subjectId);
  }

  @Mutation(() => FactRecordedType)
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  recordSubjectFact(@Args('subjectId', SubjectIdPipe) subjectId: string, @Args('input', { type: () => RecordFactDto }) input: RecordFactDto, @Ctx() ctx: CommandContext) {
    return this.retention.recordFact(subjectId, input, ctx);
  }

  @Mutation(() => RetentionPolicyType)
  @ExpectedRevisionArg()
  @Roles('admin')
  changeRetentionPolicy(@Args('category') category: string, @Args('input', { type: () => ChangeRetentionPolicyDto }) input: ChangeRetentionPolicyDto, @Ctx() ctx: CommandContext) {
    return this.retention.changePolicy(category as PiiCategory, input, ctx);
  }
}

import { Args, Field, GraphQLISODateTime, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { ValidationError } from '@oksio/kernel';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg, pageOf } from '@oksio/platform';
import { RatedCallsQueryDto, RejectedCdrsQueryDto } from './rating.dto';
import { RatingService } from './rating.service';

@ObjectType('RatedCall')
class RatedCallType {
  @Field(() => ID) callId: string;
  @Field() subscriptionId: string;
  @Field() lineId: string;
  @Field() billingMonth: string;
  @Field(() => GraphQLISODateTime) startedAt: Date;
  @Field() called: string;
  @Field() destination: string;
  @Field() plan: string;
  @Field(() => Int) durationSeconds: number;
  @Field(() => Int) includedSeconds: number;
  @Field(() => Int) billedSeconds: number;
  @Field({ description: 'EUR HT per minute (decimal string)' }) pricePerMinute: string;
  @Field({ description: 'EUR HT per answered call, decimal string (VGA 118 directory enquiries; 0 otherwise)' }) pricePerCall: string;
  @Field({ description: 'Exact EUR HT amount (decimal string)' }) amount: string;
  @Field({ description: 'SIP: included, included_first_60_minutes, not_in_plan, non_geographic, distinct_numbers_exceeded, unanswered; VGA: billed, emergency_free, unanswered' })
  outcome: string;
  @Field(() => Int, { nullable: true }) distinctNumberRank: number | null;
}

@ObjectType('RatedCalls')
class RatedCallsType {
  @Field() subscriptionId: string;
  @Field(() => String, { nullable: true }) lineId: string | null;
  @Field() month: string;
  @Field(() => [RatedCallType], { description: 'One page of the calls' }) calls: RatedCallType[];
  @Field(() => Int, { description: 'Calls of the month in all pages' }) count: number;
  @Field(() => Int) limit: number;
  @Field(() => Int) offset: number;
  @Field({ description: 'Exact EUR HT total of the whole month (decimal string)' }) total: string;
}

@ObjectType('RejectedCdr')
class RejectedCdrType {
  @Field(() => ID) rejectionId: string;
  @Field() importId: string;
  @Field(() => Int) recordNo: number;
  @Field(() => String, { nullable: true }) callId: string | null;
  @Field(() => String, { nullable: true }) subscriptionId: string | null;
  @Field(() => String, { nullable: true }) lineId: string | null;
  @Field() reason: string;
  @Field() detail: string;
  @Field() raw: string;
  @Field(() => GraphQLISODateTime) rejectedAt: Date;
}

@ObjectType('CdrImport')
class CdrImportType {
  @Field(() => ID) importId: string;
  @Field() format: string;
  @Field(() => Int) received: number;
  @Field(() => Int) accepted: number;
  @Field(() => Int) rejected: number;
  @Field(() => GraphQLJSON) rejectedByReason: Record<string, number>;
  @Field(() => GraphQLJSON) lineMonths: unknown;
  @Field(() => GraphQLJSON, { description: 'The first 200 rejections (all are stored)' }) rejections: unknown;
  @Field() replayed: boolean;
}

@Resolver()
export class RatingResolver {
  constructor(private readonly rating: RatingService) {}

  @Query(() => RatedCallsType, { description: "Rated SIP calls of a subscription's billing month (BIL-09)" })
  @Roles('system', 'support', 'admin', 'auditor')
  ratedCalls(@Args() q: RatedCallsQueryDto) {
    return this.rating.ratedCalls({ subscriptionId: q.subscriptionId, lineId: q.lineId }, q.month, pageOf(q));
  }

  @Query(() => String, { description: "Exact SIP consumption (EUR HT) of a subscription's billing month" })
  @Roles('system', 'support', 'admin', 'auditor')
  async sipConsumption(@Args('subscriptionId') subscriptionId: string, @Args('month') month: string) {
    return (await this.rating.consumptionTotal(subscriptionId, month)).toExactString();
  }

  @Query(() => [RejectedCdrType], { description: 'CDRs that were not rated, with their reason' })
  @Roles('system', 'support', 'admin', 'auditor')
  rejectedCdrs(@Args() q: RejectedCdrsQueryDto) {
    return this.rating.rejectedCdrs(q);
  }

  @Mutation(() => CdrImportType, { description: 'Imports SIP CDRs given as CSV text or a JSON array text' })
  @ExpectedRevisionArg()
  @Roles('system', 'admin')
  importCdrs(@Args('format') format: string, @Args('content') content: string, @Ctx() ctx: CommandContext) {
    if (format !== 'csv' && format !== 'json') {
      throw new ValidationError('invalid_cdr_format', `format "${format}" is neither csv nor json`, [{ field: 'format', message: 'csv or json' }]);
    }
    return this.rating.importCdrs(format, content, ctx);
  }
}

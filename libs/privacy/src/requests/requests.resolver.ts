import { Args, Field, GraphQLISODateTime, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg, UuidParam } from '@oksio/platform';
import { FulfilRequestDto, ReceiveRequestDto } from './requests.dto';
import { RequestsQuery } from './requests.queries';
import { RequestsService } from './requests.service';

@ObjectType('PrivacyRequest')
class RequestType {
  @Field(() => ID) requestId: string;
  @Field() subjectId: string;
  @Field() requestType: string;
  @Field() channel: string;
  @Field() status: string;
  @Field(() => GraphQLISODateTime) receivedAt: Date;
  @Field(() => GraphQLISODateTime) dueAt: Date;
  @Field() extended: boolean;
  @Field() overdue: boolean;
  @Field(() => Boolean, { nullable: true }) late: boolean | null;
  @Field(() => GraphQLJSON, { nullable: true }) outcome: unknown;
  @Field(() => String, { nullable: true }) refusalReason: string | null;
}

@ObjectType('PrivacyRequestReceipt')
class ReceiptType {
  @Field(() => ID) requestId: string;
  @Field() dueAt: string;
}

@ObjectType('PrivacyRequestFulfilment')
class FulfilmentType {
  @Field(() => ID) requestId: string;
  @Field(() => GraphQLJSON) outcome: unknown;
  @Field() late: boolean;
}

@Resolver()
export class RequestsResolver {
  constructor(private readonly requests: RequestsService) {}

  @Query(() => RequestType, { name: 'dataSubjectRequest' })
  @Roles('support', 'admin', 'auditor')
  request(@Args('requestId', { type: () => ID }, UuidParam()) requestId: string) {
    return this.requests.get(requestId);
  }

  @Query(() => [RequestType], { name: 'dataSubjectRequests' })
  @Roles('support', 'admin', 'auditor')
  requestsOf(@Args() q: RequestsQuery) {
    return this.requests.list(q);
  }

  @Mutation(() => ReceiptType)
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  receiveDataSubjectRequest(@Args('input', { type: () => ReceiveRequestDto }) input: ReceiveRequestDto, @Ctx() ctx: CommandContext) {
    return this.requests.receive(input, ctx);
  }

  @Mutation(() => FulfilmentType)
  @ExpectedRevisionArg()
  @Roles('support', 'admin')
  fulfilDataSubjectRequest(
    @Args('requestId', { type: () => ID }, UuidParam()) requestId: string,
    @Args('input', { type: () => FulfilRequestDto }) input: FulfilRequestDto,
    @Ctx() ctx: CommandContext,
  ) {
    return this.requests.fulfil(requestId, input, ctx);
  }
}

import { Args, Field, GraphQLISODateTime, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg } from '@oksio/platform';
import { NonPaymentCasesQueryDto, SetNonPaymentPolicyDto } from './non-payment.dto';
import { NonPaymentService } from './non-payment.service';

const READ = ['system', 'support', 'admin', 'auditor'] as const;

@ObjectType('NonPaymentPolicy')
class NonPaymentPolicyType {
  @Field({ description: 'SUS-02: automatic or manual' }) serviceSuspension: string;
  @Field({ description: 'SUS-06: automatic or manual' }) deliveriesSuspension: string;
  @Field({ description: 'operator (set through the API) or default (installation setting)' }) source: string;
  @Field(() => String, { nullable: true }) setAt: string | null;
}

@ObjectType('SetNonPaymentPolicyResult')
class SetNonPaymentPolicyResultType extends NonPaymentPolicyType {
  @Field(() => [String], { description: 'Events recorded (empty when the policy was already so)' }) events: string[];
}

@ObjectType('NonPaymentCase')
class NonPaymentCaseType {
  @Field(() => ID) invoiceId: string;
  @Field() invoiceRef: string;
  @Field() customerId: string;
  @Field() dueOn: string;
  @Field({ description: 'unpaid or settled' }) status: string;
  @Field(() => String, { nullable: true, description: 'SUS-02: due date + 7 days' }) suspensionAllowedFrom: string | null;
  @Field(() => [String]) subscriptionIds: string[];
  @Field(() => String, { nullable: true, description: 'SUS-06: 9th business day after the due date' }) deliveriesAllowedFrom: string | null;
  @Field(() => [String]) deliveriesSubscriptionIds: string[];
  @Field(() => String, { nullable: true }) settledOn: string | null;
  @Field(() => Int) round: number;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
}

@ObjectType('NonPaymentCasePage')
class NonPaymentCasePageType {
  @Field(() => [NonPaymentCaseType]) items: NonPaymentCaseType[];
  @Field(() => Int) total: number;
  @Field(() => Int) limit: number;
  @Field(() => Int) offset: number;
}

/** The non-payment process manager over GraphQL, on the same service as REST. */
@Resolver()
export class NonPaymentResolver {
  constructor(private readonly service: NonPaymentService) {}

  @Query(() => NonPaymentPolicyType, { name: 'nonPaymentPolicy', description: 'SUS-02 / SUS-06: automatic or manual suspension on non-payment' })
  @Roles(...READ)
  policy() {
    return this.service.policy();
  }

  @Query(() => NonPaymentCasePageType, { name: 'nonPaymentCases', description: 'SUS-02 / SUS-06: invoices Billing allowed a non-payment measure on' })
  @Roles(...READ)
  cases(@Args() q: NonPaymentCasesQueryDto) {
    return this.service.cases(q);
  }

  @Mutation(() => SetNonPaymentPolicyResultType, { description: 'SUS-02 / SUS-06: sets the operator policy; lifting on settlement stays automatic' })
  @ExpectedRevisionArg()
  @Roles('admin')
  setNonPaymentPolicy(@Args('input', { type: () => SetNonPaymentPolicyDto }) input: SetNonPaymentPolicyDto, @Ctx() ctx: CommandContext) {
    return this.service.setPolicy(input, ctx);
  }
}

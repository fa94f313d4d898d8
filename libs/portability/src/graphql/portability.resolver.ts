import { Args, Field, GraphQLISODateTime, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg } from '@oksio/platform';
import {
  AnsweredOnDto,
  AssignNumberDto,
  CheckEligibilityDto,
  ConfirmPortOutDto,
  DocumentDto,
  DonorRefusalDto,
  FixedLineResaleDto,
  InboundPortingDto,
  MandateDocumentDto,
  NdiChangeNoticeDto,
  NewNumberDto,
  OblAcceptanceDto,
  OblRejectionDto,
  OnDateDto,
  PortOutDto,
  PortingFailureDto,
  PortingFormDto,
  PreviousContractEndDto,
  ProvideRioDto,
  ReasonDto,
  RioCheckDto,
  RioRequestDto,
  ServiceRestoredDto,
  PORTING_QUEUES,
} from '../application/dto';
import { MandatesService } from '../application/mandates.service';
import { NumbersService } from '../application/numbers.service';
import { PortingService } from '../application/porting.service';
import { MandatesQuery, NumbersQuery, PortingQueueQuery } from '../application/queries';

@ObjectType('PortingReason')
class ReasonType {
  @Field() code: string;
  @Field() rule: string;
  @Field() message: string;
}

@ObjectType('PortingRequest', { description: 'A porting case (inbound or outbound) as the porting queue shows it' })
export class PortingRequestType {
  @Field(() => ID) portingId: string;
  @Field() direction: string;
  @Field() status: string;
  @Field({ description: `One of ${PORTING_QUEUES.join(', ')}` }) queue: string;
  @Field() customerId: string;
  @Field() subscriptionId: string;
  @Field() lineId: string;
  @Field() msisdn: string;
  @Field(() => String, { nullable: true }) holderKind: string | null;
  @Field(() => String, { nullable: true, description: 'Third-party holder (personal data; null once erased)' }) holderName: string | null;
  @Field(() => String, { nullable: true }) contractSignedOn: string | null;
  @Field(() => String, { nullable: true, description: 'POR-01: last day for the documents (signature + 30 days)' }) documentsDueOn: string | null;
  @Field(() => String, { nullable: true, description: 'SUB-15: last day for the RIO and previous end date' }) lineInfoDueOn: string | null;
  @Field(() => String, { nullable: true }) portingDate: string | null;
  @Field(() => String, { nullable: true, description: 'POR-05: last day for the complete file (porting date − 30 days)' }) fileDueOn: string | null;
  @Field(() => String, { nullable: true }) completeOn: string | null;
  @Field(() => [String], { description: 'Documents still missing from the file' }) missingDocuments: string[];
  @Field(() => [String]) outstandingLineInfo: string[];
  @Field(() => GraphQLJSON) documents: unknown;
  @Field(() => String, { nullable: true }) rio: string | null;
  @Field(() => Int) rejectedRios: number;
  @Field(() => String, { nullable: true }) previousContractEndsOn: string | null;
  @Field(() => String, { nullable: true }) nextDeadlineOn: string | null;
  @Field(() => String, { nullable: true }) nextDeadlineKind: string | null;
  @Field(() => String, { nullable: true }) nextDeadlineRule: string | null;
  @Field(() => [ReasonType]) ineligibilityReasons: ReasonType[];
  @Field(() => String, { nullable: true }) fallbackCause: string | null;
  @Field(() => String, { nullable: true }) fallbackRule: string | null;
  @Field(() => [ReasonType]) fallbackReasons: ReasonType[];
  @Field(() => String, { nullable: true }) donorRefusal: string | null;
  @Field(() => String, { nullable: true }) portedOn: string | null;
  @Field(() => String, { nullable: true }) donorContractTerminatedOn: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) interruptionStartedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) interruptionExpectedEndAt: Date | null;
  @Field(() => GraphQLJSON, { nullable: true }) portOut: unknown;
  @Field(() => String, { nullable: true }) newNumber?: string | null;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
}

@ObjectType('PortingOutcome')
class PortingOutcomeType {
  @Field(() => ID) portingId: string;
  @Field() status: string;
  @Field(() => [String]) recorded: string[];
  @Field(() => [ReasonType], { nullable: true }) reasons?: ReasonType[];
}

@ObjectType('MobileNumber')
class NumberType {
  @Field() msisdn: string;
  @Field() status: string;
  @Field(() => String, { nullable: true }) customerId: string | null;
  @Field(() => String, { nullable: true }) subscriptionId: string | null;
  @Field(() => String, { nullable: true }) lineId: string | null;
  @Field(() => String, { nullable: true }) source: string | null;
  @Field(() => String, { nullable: true }) since: string | null;
  @Field(() => String, { nullable: true }) pendingPortingId: string | null;
  @Field(() => String, { nullable: true }) pendingDirection: string | null;
  @Field(() => String, { nullable: true }) lineStatus?: string | null;
  @Field(() => String, { nullable: true }) rio?: string | null;
}

@ObjectType('IssuedRio')
class IssuedRioType {
  @Field() msisdn: string;
  @Field() rio: string;
  @Field({ nullable: true }) fee?: string;
}

@ObjectType('RioCheck')
class RioCheckType {
  @Field() valid: boolean;
  @Field(() => String, { nullable: true }) rio: string | null;
  @Field() message: string;
}

@ObjectType('FixedLineMandate')
class MandateType {
  @Field(() => ID) mandateId: string;
  @Field() customerId: string;
  @Field() subscriptionId: string;
  @Field() lineId: string;
  @Field() service: string;
  @Field() status: string;
  @Field(() => String, { nullable: true }) accessKind: string | null;
  @Field(() => String, { nullable: true }) number: string | null;
  @Field(() => [ReasonType]) refusalReasons: ReasonType[];
  @Field(() => String, { nullable: true }) oblRejection: string | null;
  @Field(() => GraphQLJSON) ndiChanges: unknown;
  @Field(() => String, { nullable: true }) nextNdiChangeOn: string | null;
}

@ObjectType('MandateOutcome')
class MandateOutcomeType {
  @Field(() => ID) mandateId: string;
  @Field() status: string;
  @Field(() => [String]) recorded: string[];
  @Field(() => [ReasonType], { nullable: true }) reasons?: ReasonType[];
}

@ObjectType('NewNumberAssignment')
class NewNumberType {
  @Field(() => ID) portingId: string;
  @Field() msisdn: string;
}

const WRITE = ['system', 'support', 'admin'] as const;
const READ = ['system', 'support', 'admin', 'auditor'] as const;

/** GraphQL on the same application services as REST (admin client: the porting queue). */
@Resolver(() => PortingRequestType)
export class PortabilityResolver {
  constructor(
    private readonly porting: PortingService,
    private readonly numbers: NumbersService,
    private readonly mandates: MandatesService,
  ) {}

  // ---- queries -----------------------------------------------------------------------------------

  @Query(() => [PortingRequestType], { name: 'portingQueue', description: 'Porting cases by queue and next deadline (documents missing first by their POR-01 day)' })
  @Roles(...READ)
  portingQueue(@Args() q: PortingQueueQuery) {
    return this.porting.queue(q);
  }

  @Query(() => PortingRequestType, { name: 'portingRequest' })
  @Roles(...READ)
  portingRequest(@Args('portingId', { type: () => ID }) portingId: string) {
    return this.porting.get(portingId);
  }

  @Query(() => NumberType, { name: 'mobileNumber', description: 'Number registry: owner line, pending porting, RIO' })
  @Roles(...READ)
  mobileNumber(@Args('msisdn') msisdn: string) {
    return this.numbers.get(msisdn);
  }

  @Query(() => [NumberType], { name: 'mobileNumbers' })
  @Roles(...READ)
  mobileNumbers(@Args() q: NumbersQuery) {
    return this.numbers.list(q);
  }

  @Query(() => IssuedRioType, { name: 'rioOfNumber' })
  @Roles(...READ)
  rioOfNumber(@Args('msisdn') msisdn: string) {
    return this.numbers.rioOf(msisdn);
  }

  @Query(() => RioCheckType, { name: 'checkRio', description: 'POR-07 syntax and control key of a RIO for a number' })
  @Roles(...READ)
  checkRio(@Args('input', { type: () => RioCheckDto }) input: RioCheckDto) {
    return this.numbers.checkRio(input);
  }

  @Query(() => [MandateType], { name: 'fixedLineMandates' })
  @Roles(...READ)
  fixedLineMandates(@Args() q: MandatesQuery) {
    return this.mandates.list(q);
  }

  @Query(() => MandateType, { name: 'fixedLineMandate' })
  @Roles(...READ)
  fixedLineMandate(@Args('mandateId', { type: () => ID }) mandateId: string) {
    return this.mandates.get(mandateId);
  }

  // ---- mutations: inbound ------------------------------------------------------------------------

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  requestInboundPorting(@Args('input', { type: () => InboundPortingDto }) input: InboundPortingDto, @Ctx() ctx: CommandContext) {
    return this.porting.requestInbound(input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  providePortingRio(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => ProvideRioDto }) input: ProvideRioDto, @Ctx() ctx: CommandContext) {
    return this.porting.provideRio(id, input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  receivePortingDocument(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => DocumentDto }) input: DocumentDto, @Ctx() ctx: CommandContext) {
    return this.porting.receiveDocument(id, input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  receivePortingForm(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => PortingFormDto }) input: PortingFormDto, @Ctx() ctx: CommandContext) {
    return this.porting.receivePortingForm(id, input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordPortingHolderMandate(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => MandateDocumentDto }) input: MandateDocumentDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordHolderMandate(id, input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordPreviousContractEnd(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => PreviousContractEndDto }) input: PreviousContractEndDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordPreviousContractEnd(id, input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  checkPortingEligibility(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => CheckEligibilityDto }) input: CheckEligibilityDto, @Ctx() ctx: CommandContext) {
    return this.porting.checkEligibility(id, input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordDonorAcceptance(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => AnsweredOnDto, nullable: true }) input: AnsweredOnDto | null, @Ctx() ctx: CommandContext) {
    return this.porting.recordDonorAcceptance(id, input ?? {}, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordDonorRefusal(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => DonorRefusalDto }) input: DonorRefusalDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordDonorRefusal(id, input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordPortingServiceRestored(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => ServiceRestoredDto }) input: ServiceRestoredDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordServiceRestored(id, input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordPortingFailure(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => PortingFailureDto }) input: PortingFailureDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordPortingFailure(id, input, ctx);
  }

  @Mutation(() => NewNumberType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  assignNewNumberAfterFallback(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => NewNumberDto }) input: NewNumberDto, @Ctx() ctx: CommandContext) {
    return this.porting.assignNewNumber(id, input, ctx);
  }

  // ---- mutations: outbound, numbers, RIO ---------------------------------------------------------

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  notifyPortOut(@Args('input', { type: () => PortOutDto }) input: PortOutDto, @Ctx() ctx: CommandContext) {
    return this.porting.notifyPortOut(input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  confirmPortOut(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => ConfirmPortOutDto }) input: ConfirmPortOutDto, @Ctx() ctx: CommandContext) {
    return this.porting.confirmPortOut(id, input, ctx);
  }

  @Mutation(() => PortingOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  cancelPortOut(@Args('portingId', { type: () => ID }) id: string, @Args('input', { type: () => ReasonDto }) input: ReasonDto, @Ctx() ctx: CommandContext) {
    return this.porting.cancelPortOut(id, input, ctx);
  }

  @Mutation(() => NumberType, { description: 'POR-07 a number from OKSIO ranges on a MOBILE line' })
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  async assignMobileNumber(@Args('input', { type: () => AssignNumberDto }) input: AssignNumberDto, @Ctx() ctx: CommandContext) {
    const { msisdn } = await this.numbers.assign(input, ctx);
    return { msisdn, status: 'active', customerId: null, subscriptionId: input.subscriptionId, lineId: input.lineId, source: 'oksio_range', since: null, pendingPortingId: null, pendingDirection: null };
  }

  @Mutation(() => IssuedRioType, { description: 'POR-06 the RIO of an active OKSIO number (free)' })
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  issueRio(@Args('input', { type: () => RioRequestDto }) input: RioRequestDto, @Ctx() ctx: CommandContext) {
    return this.numbers.issueRio(input, ctx);
  }

  // ---- mutations: fixed-line mandates ------------------------------------------------------------

  @Mutation(() => MandateOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  requestFixedLineResale(@Args('input', { type: () => FixedLineResaleDto }) input: FixedLineResaleDto, @Ctx() ctx: CommandContext) {
    return this.mandates.request(input, ctx);
  }

  @Mutation(() => MandateOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  submitFixedLineMandate(@Args('mandateId', { type: () => ID }) id: string, @Args('input', { type: () => OnDateDto, nullable: true }) input: OnDateDto | null, @Ctx() ctx: CommandContext) {
    return this.mandates.submit(id, input ?? {}, ctx);
  }

  @Mutation(() => MandateOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordOblAcceptance(@Args('mandateId', { type: () => ID }) id: string, @Args('input', { type: () => OblAcceptanceDto }) input: OblAcceptanceDto, @Ctx() ctx: CommandContext) {
    return this.mandates.recordOblAcceptance(id, input, ctx);
  }

  @Mutation(() => MandateOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordOblRejection(@Args('mandateId', { type: () => ID }) id: string, @Args('input', { type: () => OblRejectionDto }) input: OblRejectionDto, @Ctx() ctx: CommandContext) {
    return this.mandates.recordOblRejection(id, input, ctx);
  }

  @Mutation(() => MandateOutcomeType)
  @ExpectedRevisionArg()
  @Roles(...WRITE)
  recordNdiChangeNotice(@Args('mandateId', { type: () => ID }) id: string, @Args('input', { type: () => NdiChangeNoticeDto }) input: NdiChangeNoticeDto, @Ctx() ctx: CommandContext) {
    return this.mandates.recordNdiChangeNotice(id, input, ctx);
  }
}

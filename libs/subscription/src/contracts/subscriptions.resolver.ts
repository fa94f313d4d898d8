import { Args, Field, GraphQLISODateTime, ID, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg, UuidParam } from '@oksio/platform';
import {
  ActivateMobileLineDto,
  ActivateServiceDto,
  AnnounceSoftwareWithdrawalDto,
  AnswerEquipmentModificationDto,
  AnswerPlanMigrationDto,
  ApplyRenewalDto,
  ApplyTerminationDto,
  CancelOrderByClientDto,
  ChangeDataLinkCapacityDto,
  CommitmentsQueryDto,
  CompleteDataChangeDto,
  CompletePlanMigrationDto,
  ConfirmLostOrStolenSimDto,
  DateRangeQueryDto,
  LiftSuspensionDto,
  NotifySipRateChangeDto,
  NotifyTariffChangeDto,
  NotifyTerminationForNonPaymentDto,
  NotifyTermsChangeDto,
  OrdersQueryDto,
  PlaceOrderDto,
  PlanMigrationRefDto,
  ReceiveTerminationNoticeDto,
  RecordDataChangeFeasibilityDto,
  RecordDeadlinePassedDto,
  RecordFeasibilityResultDto,
  RecordGuaranteeAnswerDto,
  RecordLineInfoDto,
  RecordLocalLoopSubscriptionEndedDto,
  RecordSaturationDto,
  ReportLostOrStolenSimDto,
  RequestDataChangeDto,
  RequestEquipmentModificationDto,
  RequestGuaranteeDto,
  RequestPlanMigrationDto,
  SaturationRefDto,
  SignSubscriptionDto,
  SubscriptionsQueryDto,
  SuspendDeliveriesDto,
  SuspendServiceDto,
  SuspensionsQueryDto,
  TerminateForForceMajeureDto,
  TerminateImmediatelyDto,
  TerminateLineByPortOutDto,
} from './subscriptions.dto';
import { SubscriptionsService, type CommitmentView } from './subscriptions.service';

const uuid = UuidParam();
const READ = ['system', 'support', 'admin', 'auditor'] as const;

@ObjectType('SubscriptionItem')
class SubscriptionItemType {
  @Field() itemId: string;
  @Field() label: string;
  @Field(() => String, { nullable: true }) plan: string | null;
  @Field({ description: 'ordered, active, terminated' }) status: string;
  @Field(() => String, { nullable: true }) serviceStartOn: string | null;
  @Field(() => String, { nullable: true }) endsOn: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'SUB-15: RIO and previous end-of-contract date' }) lineInfo: unknown;
}

@ObjectType('Commitment')
export class CommitmentType {
  @Field(() => ID) subscriptionId: string;
  @Field({ description: "'' for the contract, the line id for a MOBILE line" }) lineId: string;
  @Field({ description: 'contract or line' }) scope: string;
  @Field(() => ID) customerId: string;
  @Field() service: string;
  @Field({ description: 'active or terminated' }) status: string;
  @Field(() => String, { nullable: true }) serviceStartOn: string | null;
  @Field({ description: 'SUB-04 before_period_end or SUB-05 from_receipt' }) noticeRule: string;
  @Field(() => Int) noticeMonths: number;
  @Field({ description: 'First day of the initial period (SUB-02) or of the re-commitment (SUB-13)' }) anchorOn: string;
  @Field(() => Int) initialTermMonths: number;
  @Field(() => Int) renewalPeriodMonths: number;
  @Field() initialEndOn: string;
  @Field(() => Int) periodIndex: number;
  @Field() periodKind: string;
  @Field() periodStartOn: string;
  @Field() periodEndOn: string;
  @Field(() => String, { nullable: true, description: 'SUB-04: latest receipt date of a letter ending the contract at this period end' }) noticeDeadlineOn: string | null;
  @Field() renewsAtPeriodEnd: boolean;
  @Field(() => String, { nullable: true }) pendingEndOn: string | null;
  @Field(() => String, { nullable: true }) endedOn: string | null;
  @Field(() => Int, { description: 'SUB-07 convention, as of `asOf` (the injected clock)' }) monthsRemaining: number;
  @Field(() => Int, { description: 'SUB-03: tacit renewals of the current commitment' }) renewalCount: number;
  @Field() asOf: string;
}

@ObjectType('SubscriptionContract')
export class SubscriptionContractType {
  @Field(() => ID) subscriptionId: string;
  @Field(() => ID) customerId: string;
  @Field() service: string;
  @Field({ description: 'ordered, refused, cancelled, signed, active, terminated' }) status: string;
  @Field({ description: 'pending_feasibility, accepted, refused, cancelled, delivered' }) orderStatus: string;
  @Field() guarantee: string;
  @Field(() => String, { nullable: true }) quoteDate: string | null;
  @Field(() => String, { nullable: true }) orderAmount: string | null;
  @Field(() => String, { nullable: true }) signedOn: string | null;
  @Field(() => String, { nullable: true }) activatedOn: string | null;
  @Field(() => String, { nullable: true }) endedOn: string | null;
  @Field(() => String, { nullable: true }) pendingEndOn: string | null;
  @Field(() => String, { nullable: true }) pendingEndCause: string | null;
  @Field(() => String, { nullable: true }) pendingEndRule: string | null;
  @Field() deliveriesSuspended: boolean;
  @Field(() => Int) activeSuspensions: number;
  @Field(() => [SubscriptionItemType]) items: SubscriptionItemType[];
  @Field(() => GraphQLJSON, { nullable: true, description: 'CON-01: resolved terms snapshot stored at signature' }) terms: unknown;
  @Field(() => Int) revision: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) placedAt: Date | null;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
  @Field(() => CommitmentType, { nullable: true }) commitment?: CommitmentView | null;
}

@ObjectType('Suspension')
class SuspensionType {
  @Field(() => ID) subscriptionId: string;
  @Field() suspensionId: string;
  @Field(() => ID) customerId: string;
  @Field() service: string;
  @Field() reason: string;
  @Field() scope: string;
  @Field(() => [String]) itemIds: string[];
  @Field(() => String, { nullable: true }) rule: string | null;
  @Field(() => Boolean, { nullable: true }) conservatory: boolean | null;
  @Field() active: boolean;
  @Field(() => GraphQLISODateTime) suspendedAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) endedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'lifted or termination' }) endedBy: string | null;
  @Field(() => GraphQLJSON) details: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) lostOrStolen: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) forceMajeure: unknown;
  @Field(() => Boolean, { nullable: true }) reconnectionCostsBillable: boolean | null;
  @Field(() => String, { nullable: true }) newNumber: string | null;
}

@ObjectType('SubscriptionPage')
class SubscriptionPageType {
  @Field(() => [SubscriptionContractType]) items: SubscriptionContractType[];
  @Field(() => Int) total: number;
  @Field(() => Int) limit: number;
  @Field(() => Int) offset: number;
}

@ObjectType('CommitmentPage')
class CommitmentPageType {
  @Field(() => [CommitmentType]) items: CommitmentType[];
  @Field(() => Int) total: number;
  @Field(() => Int) limit: number;
  @Field(() => Int) offset: number;
}

@ObjectType('SuspensionPage')
class SuspensionPageType {
  @Field(() => [SuspensionType]) items: SuspensionType[];
  @Field(() => Int) total: number;
  @Field(() => Int) limit: number;
  @Field(() => Int) offset: number;
}

@ObjectType('SubscriptionCommandResult')
class SubscriptionCommandResultType {
  @Field(() => ID) subscriptionId: string;
  @Field(() => Int, { description: 'Stream revision after the command: pass it as expectedRevision next time' }) revision: number;
  @Field(() => [String]) events: string[];
  @Field() duplicate: boolean;
  @Field(() => String, { nullable: true }) createdId: string | null;
}

/** Subscription contracts over GraphQL: the same application service as REST. */
@Resolver(() => SubscriptionContractType)
export class SubscriptionsResolver {
  constructor(private readonly service: SubscriptionsService) {}

  // ---- queries ---------------------------------------------------------------------------------------

  @Query(() => SubscriptionPageType, { name: 'subscriptions', description: 'Subscriptions by customer, status and service, paginated' })
  @Roles(...READ)
  subscriptions(@Args() q: SubscriptionsQueryDto) {
    return this.service.list(q);
  }

  @Query(() => SubscriptionContractType, { name: 'subscription' })
  @Roles(...READ)
  subscription(@Args('id', { type: () => ID }, uuid) id: string) {
    return this.service.get(id);
  }

  @Query(() => SubscriptionPageType, { name: 'orders', description: 'SUB-09: orders by status' })
  @Roles(...READ)
  orders(@Args() q: OrdersQueryDto) {
    return this.service.orders(q);
  }

  @Query(() => CommitmentPageType, { name: 'commitments', description: 'Commitment calendars per contract and MOBILE line; months remaining as of the clock' })
  @Roles(...READ)
  commitments(@Args() q: CommitmentsQueryDto) {
    return this.service.commitments(q);
  }

  @Query(() => CommitmentPageType, { name: 'renewalsDue', description: 'SUB-03: contracts renewing tacitly at a period end in [from, to]' })
  @Roles(...READ)
  renewalsDue(@Args() q: DateRangeQueryDto) {
    return this.service.renewalsDue(q);
  }

  @Query(() => CommitmentPageType, { name: 'noticeDeadlines', description: 'SUB-04: notice deadlines of the current period in [from, to]' })
  @Roles(...READ)
  noticeDeadlines(@Args() q: DateRangeQueryDto) {
    return this.service.noticeDeadlines(q);
  }

  @Query(() => SuspensionPageType, { name: 'suspensions', description: 'SUS-01…05: suspensions in force and their history' })
  @Roles(...READ)
  suspensions(@Args() q: SuspensionsQueryDto) {
    return this.service.suspensions(q);
  }

  @ResolveField('commitment', () => CommitmentType, { nullable: true })
  async commitment(@Parent() parent: SubscriptionContractType) {
    if (parent.commitment !== undefined) return parent.commitment;
    const page = await this.service.commitments({ subscriptionId: parent.subscriptionId, scope: 'contract', limit: 1, offset: 0 });
    return page.items[0] ?? null;
  }

  // ---- commands ------------------------------------------------------------------------------------

  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-09 / SUB-17 / SUB-18 / CON-01: places an order (expectedRevision -1 requires a new stream)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  placeOrder(@Args('input', { type: () => PlaceOrderDto }) input: PlaceOrderDto, @Ctx() ctx: CommandContext) {
    return this.service.placeOrder(input, ctx);
  }

  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-09: records the feasibility study; a positive one accepts the order, a negative one refuses it' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  recordFeasibilityResult(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RecordFeasibilityResultDto }) input: RecordFeasibilityResultDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RecordFeasibilityResult', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-09: demands a guarantee on an insolvency risk' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  requestGuarantee(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RequestGuaranteeDto }) input: RequestGuaranteeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RequestGuarantee', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-09: the client provided or refused the guarantee' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  recordGuaranteeAnswer(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RecordGuaranteeAnswerDto }) input: RecordGuaranteeAnswerDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RecordGuaranteeAnswer', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-09: OKSIO cancels the order when the guarantee is refused' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  cancelOrderForRefusedGuarantee(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'CancelOrderForRefusedGuarantee', {}, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: "SUB-09: the client cancels; the order amount stays due after acceptance without OKSIO's written agreement" })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  cancelOrderByClient(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => CancelOrderByClientDto }) input: CancelOrderByClientDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'CancelOrderByClient', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-01 / CON-01: signature; the agreement takes effect on that date with the resolved terms snapshot' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  signSubscription(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => SignSubscriptionDto }) input: SignSubscriptionDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'SignSubscription', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-02: activation; the commitment starts on the 1st of the next month' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  activateService(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => ActivateServiceDto }) input: ActivateServiceDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'ActivateService', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-15: a MOBILE line starts on its SIM activation' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  activateMobileLine(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => ActivateMobileLineDto }) input: ActivateMobileLineDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'ActivateMobileLine', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-15: RIO and previous end-of-contract date of a line (firm and final)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  recordLineInfo(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RecordLineInfoDto }) input: RecordLineInfoDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RecordLineInfo', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-03: tacit renewal at a period end (normally sent by the scheduler)' })
  @ExpectedRevisionArg()
  @Roles('system', 'admin')
  applyRenewal(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => ApplyRenewalDto }) input: ApplyRenewalDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'ApplyRenewal', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-04 / SUB-05 / SUB-07: a termination letter with its receipt date; the response events give the effective date' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  receiveTerminationNotice(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => ReceiveTerminationNoticeDto }) input: ReceiveTerminationNoticeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'ReceiveTerminationNotice', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-04 / SUB-05: ends the contract once the last day is over (normally sent by the scheduler)' })
  @ExpectedRevisionArg()
  @Roles('system', 'admin')
  applyTermination(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => ApplyTerminationDto }) input: ApplyTerminationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'ApplyTermination', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-08 / SUS-03: immediate termination by OKSIO (breach, false declaration, payment incident, SIM fraud)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  terminateImmediately(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => TerminateImmediatelyDto }) input: TerminateImmediatelyDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'TerminateImmediately', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUS-05: termination after more than one month of force majeure, no indemnity' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  terminateForForceMajeure(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => TerminateForForceMajeureDto }) input: TerminateForForceMajeureDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'TerminateForForceMajeure', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-16: the local-loop subscription ended at the incumbent; the fixed line ends' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  recordLocalLoopSubscriptionEnded(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RecordLocalLoopSubscriptionEndedDto }) input: RecordLocalLoopSubscriptionEndedDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RecordLocalLoopSubscriptionEnded', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: "POR-06: the line's number was ported out; the line ends on the porting date (SUB-07 basis inside a commitment)" })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  terminateLineByPortOut(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => TerminateLineByPortOutDto }) input: TerminateLineByPortOutDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'TerminateLineByPortOut', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: "SUB-19: HOSTED_PBX software withdrawn with at least 18 months' notice" })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  announceSoftwareWithdrawal(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => AnnounceSoftwareWithdrawalDto }) input: AnnounceSoftwareWithdrawalDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'AnnounceSoftwareWithdrawal', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUS-02: termination for an unpaid invoice, 2 days after the LRAR is received' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  notifyTerminationForNonPayment(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => NotifyTerminationForNonPaymentDto }) input: NotifyTerminationForNonPaymentDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'NotifyTerminationForNonPayment', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-12: DATA plan migration request (answer within 15 days)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  requestPlanMigration(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RequestPlanMigrationDto }) input: RequestPlanMigrationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RequestPlanMigration', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: "SUB-12: OKSIO's answer to a plan migration" })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  answerPlanMigration(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => AnswerPlanMigrationDto }) input: AnswerPlanMigrationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'AnswerPlanMigration', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-12: the client cancels a migration delayed beyond 12 weeks' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  cancelPlanMigration(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => PlanMigrationRefDto }) input: PlanMigrationRefDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'CancelPlanMigration', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-12 / SUB-13: the migration is done (a speed change re-commits)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  completePlanMigration(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => CompletePlanMigrationDto }) input: CompletePlanMigrationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'CompletePlanMigration', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-13: speed or SDSL pair change, re-commitment from the change date' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  changeDataLinkCapacity(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => ChangeDataLinkCapacityDto }) input: ChangeDataLinkCapacityDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'ChangeDataLinkCapacity', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-14: range, endpoint or address change request' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  requestDataChange(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RequestDataChangeDto }) input: RequestDataChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RequestDataChange', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-14: feasibility of a range/endpoint/address change' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  recordDataChangeFeasibility(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RecordDataChangeFeasibilityDto }) input: RecordDataChangeFeasibilityDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RecordDataChangeFeasibility', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-14: the change is done (an address change ends the link, remaining fees due)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  completeDataChange(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => CompleteDataChangeDto }) input: CompleteDataChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'CompleteDataChange', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-11: equipment modification request (electronic, answer within 7 days)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  requestEquipmentModification(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RequestEquipmentModificationDto }) input: RequestEquipmentModificationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RequestEquipmentModification', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: "SUB-11: OKSIO's answer to an equipment modification" })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  answerEquipmentModification(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => AnswerEquipmentModificationDto }) input: AnswerEquipmentModificationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'AnswerEquipmentModification', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-10: a saturation is detected (delay to notify within 15 days)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  recordSaturation(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RecordSaturationDto }) input: RecordSaturationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RecordSaturation', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUB-10: the saturation delay is notified to the client' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  notifySaturationDelay(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => SaturationRefDto }) input: SaturationRefDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'NotifySaturationDelay', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUS-01 / SUS-02 / SUS-03 / SUS-05: suspends the service (full or conservatory scope) for a reason' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  suspendService(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => SuspendServiceDto }) input: SuspendServiceDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'SuspendService', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUS-04: a lost or stolen SIM is put out of service at once' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  reportLostOrStolenSim(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => ReportLostOrStolenSimDto }) input: ReportLostOrStolenSimDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'ReportLostOrStolenSim', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUS-04: the confirming LRAR (within 2 business days)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  confirmLostOrStolenSim(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => ConfirmLostOrStolenSimDto }) input: ConfirmLostOrStolenSimDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'ConfirmLostOrStolenSim', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUS-01 / SUS-04 / SUS-05: reactivation (reconnection costs when the client was at fault)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  liftSuspension(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => LiftSuspensionDto }) input: LiftSuspensionDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'LiftSuspension', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUS-06: deliveries suspended for an invoice unpaid more than 8 business days' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  suspendDeliveries(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => SuspendDeliveriesDto }) input: SuspendDeliveriesDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'SuspendDeliveries', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'SUS-06: deliveries resume' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  resumeDeliveries(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'ResumeDeliveries', {}, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'A deadline listed by the contract is over (normally sent by the scheduler)' })
  @ExpectedRevisionArg()
  @Roles('system', 'admin')
  recordDeadlinePassed(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => RecordDeadlinePassedDto }) input: RecordDeadlinePassedDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'RecordDeadlinePassed', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'CON-02: notice of a tariff change (2 months at least, except force majeure or supplier surge)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  notifyTariffChange(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => NotifyTariffChangeDto }) input: NotifyTariffChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'NotifyTariffChange', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'CON-03: notice of new general terms (1 month at least)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  notifyTermsChange(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => NotifyTermsChangeDto }) input: NotifyTermsChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'NotifyTermsChange', input, ctx);
  }
  @Mutation(() => SubscriptionCommandResultType, { description: 'CON-04: notice of new SIP per-minute rates (on 1 January only)' })
  @ExpectedRevisionArg()
  @Roles('system', 'support', 'admin')
  notifySipRateChange(@Args('subscriptionId', { type: () => ID }, uuid) subscriptionId: string, @Args('input', { type: () => NotifySipRateChangeDto }) input: NotifySipRateChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(subscriptionId, 'NotifySipRateChange', input, ctx);
  }
}

import { Args, Field, Float, GraphQLISODateTime, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { type CommandContext, Ctx, Roles, ExpectedRevisionArg, PageArgs, pageOf, UuidParam } from '@oksio/platform';
import {
  ClassifyIncidentDto,
  CloseTicketDto,
  ConfirmResolutionDto,
  ExpertiseOutcomeDto,
  ExpertiseRequestDto,
  FactInstantDto,
  IncidentTermsDto,
  OpenTicketDto,
  PenaltyRequestDto,
  QualifyCallDto,
  ReopenTicketDto,
  RestorationDto,
  SiteAccessRequestDto,
  SlaExclusionDto,
  UnjustifiedTicketDto,
} from './tickets.dto';
import { PenaltiesQueryDto, TicketsQueryDto } from './tickets.query';
import { TicketsService } from './tickets.service';

@ObjectType('FrozenPeriod')
class FrozenPeriodType {
  @Field(() => GraphQLISODateTime) from: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) to: Date | null;
  @Field({ description: 'site_access (INC-06) or restored_until_reopened (INC-09)' }) reason: string;
}

@ObjectType('TicketClock', { description: 'The interruption clock computed at `asOf` (now) from its stored intervals' })
class TicketClockType {
  @Field(() => GraphQLISODateTime) asOf: Date;
  @Field({ description: 'running | frozen | stopped' }) status: string;
  @Field({ description: 'business_hours | calendar (INC-10)' }) basis: string;
  @Field(() => GraphQLISODateTime) notifiedAt: Date;
  @Field(() => Float) elapsedMs: number;
  @Field({ description: 'h:mm:ss of counted time' }) elapsed: string;
  @Field(() => Float, { nullable: true }) allowanceMs: number | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'SLA deadline; null while frozen or without SLA' }) deadline: Date | null;
  @Field(() => Float, { nullable: true }) remainingMs: number | null;
  @Field(() => String, { nullable: true }) remaining: string | null;
  @Field() breached: boolean;
  @Field(() => [FrozenPeriodType]) frozen: FrozenPeriodType[];
}

@ObjectType('Ticket')
class TicketType {
  @Field(() => ID) ticketId: string;
  @Field(() => String, { nullable: true }) reference: string | null;
  @Field({ description: 'qualified | open | resolved | closed' }) status: string;
  @Field(() => ID) customerId: string;
  @Field(() => String, { nullable: true }) subscriptionId: string | null;
  @Field(() => String, { nullable: true }) serviceType: string | null;
  @Field(() => [String]) impactedSiteIds: string[];
  @Field(() => String, { nullable: true }) callerContactId: string | null;
  @Field(() => String, { nullable: true }) declaredByContactId: string | null;
  @Field(() => String, { nullable: true }) classification: string | null;
  @Field() slaApplies: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) qualifiedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) notifiedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) receivedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) openedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) resolvedAt: Date | null;
  @Field(() => String, { nullable: true }) resolution: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) closedAt: Date | null;
  @Field(() => String, { nullable: true }) closureMode: string | null;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => String, { nullable: true }) location: string | null;
  @Field(() => String, { nullable: true }) consequences: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) breachDeadline: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) breachRecordedAt: Date | null;
  @Field(() => String, { nullable: true }) exclusionCause: string | null;
  @Field(() => String, { nullable: true }) monthlyFee: string | null;
  @Field(() => String, { nullable: true }) penaltyComputed: string | null;
  @Field(() => String, { nullable: true }) penaltyTier: string | null;
  @Field() penaltyGranted: string;
  @Field(() => [String]) feesCharged: string[];
  @Field() expertise: string;
  @Field(() => Int, { description: 'Pass as expectedRevision to the next mutation' }) revision: number;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
  @Field(() => TicketClockType, { nullable: true }) clock: TicketClockType | null;
}

@ObjectType('TicketPage')
class TicketPageType {
  @Field(() => [TicketType]) items: TicketType[];
  @Field(() => Int) total: number;
  @Field(() => Int) limit: number;
  @Field(() => Int) offset: number;
}

@ObjectType('TicketCommandResult')
class TicketCommandResultType {
  @Field(() => ID) ticketId: string;
  @Field(() => String, { nullable: true }) reference: string | null;
  @Field() status: string;
  @Field(() => Int) revision: number;
  @Field(() => [String]) events: string[];
}

@ObjectType('PenaltyLine')
class PenaltyLineType {
  @Field(() => ID) ticketId: string;
  @Field() reference: string;
  @Field(() => GraphQLISODateTime) notifiedAt: Date;
  @Field(() => Float) interruptionMs: number;
  @Field() tierPercentage: string;
  @Field() computedAmount: string;
  @Field(() => String, { nullable: true }) exclusionCause: string | null;
  @Field() dueAmount: string;
  @Field() cappedAmount: string;
  @Field() grantedAmount: string;
}

@ObjectType('PenaltyMonth')
class PenaltyMonthType {
  @Field() subscriptionId: string;
  @Field() billingMonth: string;
  @Field() monthlyCap: string;
  @Field() computedTotal: string;
  @Field() dueTotal: string;
  @Field() cappedTotal: string;
  @Field() grantedTotal: string;
  @Field() remainingCap: string;
  @Field() capReached: boolean;
  @Field(() => [PenaltyLineType]) tickets: PenaltyLineType[];
}

@ObjectType('LinkIncidentTerms', { description: "A link's incident terms from its contract (CON-01): what the contract overrides and the terms a ticket opened now takes" })
class LinkIncidentTermsType {
  @Field(() => ID) subscriptionId: string;
  @Field() service: string;
  @Field({ description: 'False while never recorded: the defaults apply (no SLA)' }) recorded: boolean;
  @Field(() => GraphQLJSON) overrides: unknown;
  @Field(() => GraphQLJSON) terms: unknown;
}

const ticketId = () => Args('ticketId', { type: () => ID });
const COMMAND_ROLES = ['system', 'support', 'admin'] as const;
const SUBSCRIPTION_ID = UuidParam();
const READ_ROLES = ['system', 'support', 'admin', 'auditor'] as const;

@Resolver(() => TicketType)
export class TicketsResolver {
  constructor(private readonly service: TicketsService) {}

  @Query(() => TicketPageType, { name: 'tickets', description: 'Ticket history filtered by status, customer, site or subscription' })
  @Roles(...READ_ROLES)
  tickets(@Args() q: TicketsQueryDto) {
    return this.service.list({ status: q.status ?? undefined, customerId: q.customerId ?? undefined, siteId: q.siteId ?? undefined, subscriptionId: q.subscriptionId ?? undefined, ...pageOf(q) });
  }

  @Query(() => TicketType, { name: 'ticket' })
  @Roles(...READ_ROLES)
  ticket(@ticketId() id: string) {
    return this.service.get(id);
  }

  @Query(() => TicketPageType, { name: 'ticketBoard', description: 'Tickets not closed, with live clocks, most urgent first' })
  @Roles(...READ_ROLES)
  ticketBoard(@Args() page: PageArgs) {
    return this.service.board(page);
  }

  @Query(() => [PenaltyMonthType], { name: 'penalties', description: 'SLA penalties of a link per billing month with the INC-12 cap' })
  @Roles(...READ_ROLES)
  penalties(@Args() q: PenaltiesQueryDto) {
    return this.service.penalties(q.subscriptionId, q.month ?? undefined, q);
  }

  @Query(() => LinkIncidentTermsType, { name: 'linkIncidentTerms' })
  @Roles(...READ_ROLES)
  linkIncidentTerms(@Args('subscriptionId', { type: () => ID }, SUBSCRIPTION_ID) subscriptionId: string) {
    return this.service.linkTerms(subscriptionId);
  }

  @Mutation(() => LinkIncidentTermsType, { description: 'CON-01: records the incident terms of a link from its contract; tickets opened on it take them' })
  @ExpectedRevisionArg()
  @Roles('system', 'admin')
  setLinkIncidentTerms(
    @Args('subscriptionId', { type: () => ID }, SUBSCRIPTION_ID) subscriptionId: string,
    @Args('input', { type: () => IncidentTermsDto }) input: IncidentTermsDto,
    @Ctx() ctx: CommandContext,
  ) {
    return this.service.setLinkTerms(subscriptionId, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-02' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  qualifyCall(@Args('input', { type: () => QualifyCallDto }) input: QualifyCallDto, @Ctx() ctx: CommandContext) {
    return this.service.qualifyCall(input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-03/04/13' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  openTicket(@ticketId() id: string, @Args('input', { type: () => OpenTicketDto }) input: OpenTicketDto, @Ctx() ctx: CommandContext) {
    return this.service.openTicket(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-05' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  classifyIncident(@ticketId() id: string, @Args('input', { type: () => ClassifyIncidentDto }) input: ClassifyIncidentDto, @Ctx() ctx: CommandContext) {
    return this.service.classify(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-06 freeze' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  requestSiteAccess(@ticketId() id: string, @Args('input', { type: () => SiteAccessRequestDto }) input: SiteAccessRequestDto, @Ctx() ctx: CommandContext) {
    return this.service.requestSiteAccess(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-06 resume' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  recordSiteAccessObtained(
    @ticketId() id: string,
    @Ctx() ctx: CommandContext,
    @Args('input', { type: () => FactInstantDto, nullable: true }) input?: FactInstantDto,
  ) {
    return this.service.recordSiteAccessObtained(id, input ?? {}, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-13 (+ INC-10 breach, INC-11 penalty computed)' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  notifyRestoration(@ticketId() id: string, @Args('input', { type: () => RestorationDto }) input: RestorationDto, @Ctx() ctx: CommandContext) {
    return this.service.notifyRestoration(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-14' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  recordSlaExclusion(@ticketId() id: string, @Args('input', { type: () => SlaExclusionDto }) input: SlaExclusionDto, @Ctx() ctx: CommandContext) {
    return this.service.recordExclusion(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-15 within the INC-12 cap' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  requestSlaPenalty(@ticketId() id: string, @Args('input', { type: () => PenaltyRequestDto }) input: PenaltyRequestDto, @Ctx() ctx: CommandContext) {
    return this.service.requestPenalty(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-07' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  declareTicketUnjustified(@ticketId() id: string, @Args('input', { type: () => UnjustifiedTicketDto }) input: UnjustifiedTicketDto, @Ctx() ctx: CommandContext) {
    return this.service.declareUnjustified(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-08' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  requestExpertise(@ticketId() id: string, @Args('input', { type: () => ExpertiseRequestDto }) input: ExpertiseRequestDto, @Ctx() ctx: CommandContext) {
    return this.service.requestExpertise(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-08' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  recordExpertiseOutcome(@ticketId() id: string, @Args('input', { type: () => ExpertiseOutcomeDto }) input: ExpertiseOutcomeDto, @Ctx() ctx: CommandContext) {
    return this.service.recordExpertiseOutcome(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-09' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  closeTicket(@ticketId() id: string, @Args('input', { type: () => CloseTicketDto }) input: CloseTicketDto, @Ctx() ctx: CommandContext) {
    return this.service.close(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-09' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  confirmResolution(@ticketId() id: string, @Args('input', { type: () => ConfirmResolutionDto }) input: ConfirmResolutionDto, @Ctx() ctx: CommandContext) {
    return this.service.confirmResolution(id, input, ctx);
  }

  @Mutation(() => TicketCommandResultType, { description: 'INC-09' })
  @ExpectedRevisionArg()
  @Roles(...COMMAND_ROLES)
  reopenTicket(@ticketId() id: string, @Args('input', { type: () => ReopenTicketDto }) input: ReopenTicketDto, @Ctx() ctx: CommandContext) {
    return this.service.reopen(id, input, ctx);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, PageArgs, RevisionETag, Roles, pageOf, UuidParam } from '@oksio/platform';
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
import { linkTermsStream, ticketStream } from '../domain';
import { PenaltiesQueryDto, TicketsQueryDto } from './tickets.query';
import { TicketsService } from './tickets.service';

const uuid = UuidParam();

@ApiTags('incident')
@ApiSecurity('api-key')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  // ---- queries (declared before :ticketId) ----------------------------------------------------

  @Get()
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Ticket history, filtered by status, customer, site or subscription; paginated' })
  list(@Query() q: TicketsQueryDto) {
    return this.tickets.list({ status: q.status ?? undefined, customerId: q.customerId ?? undefined, siteId: q.siteId ?? undefined, subscriptionId: q.subscriptionId ?? undefined, ...pageOf(q) });
  }

  @Get('board')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Ticket board: tickets not closed with their live clock (running/frozen/stopped, elapsed, deadline, remaining, breached)' })
  board(@Query() page: PageArgs) {
    return this.tickets.board(page);
  }

  @Get('penalties')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'SLA penalties of a link per billing month, with the monthly cap applied (INC-11, INC-12, INC-14, INC-15)' })
  penalties(@Query() q: PenaltiesQueryDto) {
    return this.tickets.penalties(q.subscriptionId, q.month ?? undefined, q);
  }

  @Get(':ticketId')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'One ticket with its live interruption clock; ETag = revision' })
  @RevisionETag((params) => ticketStream(params.ticketId))
  get(@Param('ticketId', uuid) ticketId: string) {
    return this.tickets.get(ticketId);
  }

  // ---- commands ---------------------------------------------------------------------------------

  @Put('links/:subscriptionId/terms')
  @Roles('system', 'admin')
  @ApiOperation({ summary: "CON-01: records the incident terms of a link from its contract (guaranteed link, clock basis, monthly fee HT, tiers, fees); every ticket opened on it takes them" })
  setLinkTerms(@Param('subscriptionId', uuid) subscriptionId: string, @Body() dto: IncidentTermsDto, @Ctx() ctx: CommandContext) {
    return this.tickets.setLinkTerms(subscriptionId, dto, ctx);
  }

  @Get('links/:subscriptionId/terms')
  @Roles('system', 'support', 'admin', 'auditor')
  @RevisionETag((params) => linkTermsStream(params.subscriptionId))
  @ApiOperation({ summary: "A link's incident terms: the contract's overrides and the terms a ticket opened now takes" })
  linkTerms(@Param('subscriptionId', uuid) subscriptionId: string) {
    return this.tickets.linkTerms(subscriptionId);
  }

  @Post('calls')
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-02: qualifies a call (caller authorised, impacted sites of the customer); returns the ticket id' })
  qualify(@Body() dto: QualifyCallDto, @Ctx() ctx: CommandContext) {
    return this.tickets.qualifyCall(dto, ctx);
  }

  @Post(':ticketId/open')
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-03/04/13: opens the ticket with a unique reference; the client notification starts the clock' })
  open(@Param('ticketId', uuid) ticketId: string, @Body() dto: OpenTicketDto, @Ctx() ctx: CommandContext) {
    return this.tickets.openTicket(ticketId, dto, ctx);
  }

  @Post(':ticketId/classification')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-05: Interruption (total, network only) or minor anomaly' })
  classify(@Param('ticketId', uuid) ticketId: string, @Body() dto: ClassifyIncidentDto, @Ctx() ctx: CommandContext) {
    return this.tickets.classify(ticketId, dto, ctx);
  }

  @Post(':ticketId/site-access-requests')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-06: site access requested → the clock freezes (409 when the clock is stopped or already frozen)' })
  freeze(@Param('ticketId', uuid) ticketId: string, @Body() dto: SiteAccessRequestDto, @Ctx() ctx: CommandContext) {
    return this.tickets.requestSiteAccess(ticketId, dto, ctx);
  }

  @Post(':ticketId/site-access-obtained')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-06: physical access obtained → the clock resumes' })
  resume(@Param('ticketId', uuid) ticketId: string, @Body() dto: FactInstantDto, @Ctx() ctx: CommandContext) {
    return this.tickets.recordSiteAccessObtained(ticketId, dto, ctx);
  }

  @Post(':ticketId/restoration')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-13: restoration notified → the clock stops; INC-11 penalty computed' })
  restore(@Param('ticketId', uuid) ticketId: string, @Body() dto: RestorationDto, @Ctx() ctx: CommandContext) {
    return this.tickets.notifyRestoration(ticketId, dto, ctx);
  }

  @Post(':ticketId/exclusion')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-14: records the exclusion cause; no penalty is then due' })
  exclusion(@Param('ticketId', uuid) ticketId: string, @Body() dto: SlaExclusionDto, @Ctx() ctx: CommandContext) {
    return this.tickets.recordExclusion(ticketId, dto, ctx);
  }

  @Post(':ticketId/penalty-requests')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-15: the client asks for the penalty; granted within the INC-12 monthly cap → SlaPenaltyGranted for Billing' })
  penalty(@Param('ticketId', uuid) ticketId: string, @Body() dto: PenaltyRequestDto, @Ctx() ctx: CommandContext) {
    return this.tickets.requestPenalty(ticketId, dto, ctx);
  }

  @Post(':ticketId/unjustified')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-07: ticket outside OKSIO responsibility / abnormal or fraudulent use → 40 € HT fee (IncidentFeeCharged)' })
  unjustified(@Param('ticketId', uuid) ticketId: string, @Body() dto: UnjustifiedTicketDto, @Ctx() ctx: CommandContext) {
    return this.tickets.declareUnjustified(ticketId, dto, ctx);
  }

  @Post(':ticketId/expertise-requests')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-08: the client asks for an expertise by the incumbent' })
  expertise(@Param('ticketId', uuid) ticketId: string, @Body() dto: ExpertiseRequestDto, @Ctx() ctx: CommandContext) {
    return this.tickets.requestExpertise(ticketId, dto, ctx);
  }

  @Post(':ticketId/expertise-outcome')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-08: expertise outcome; unjustified → 250 € HT fee (IncidentFeeCharged)' })
  expertiseOutcome(@Param('ticketId', uuid) ticketId: string, @Body() dto: ExpertiseOutcomeDto, @Ctx() ctx: CommandContext) {
    return this.tickets.recordExpertiseOutcome(ticketId, dto, ctx);
  }

  @Post(':ticketId/closure')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-09: support closes the resolved ticket after informing the client' })
  close(@Param('ticketId', uuid) ticketId: string, @Body() dto: CloseTicketDto, @Ctx() ctx: CommandContext) {
    return this.tickets.close(ticketId, dto, ctx);
  }

  @Post(':ticketId/confirmation')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-09: the client confirmed the resolution → closed' })
  confirm(@Param('ticketId', uuid) ticketId: string, @Body() dto: ConfirmResolutionDto, @Ctx() ctx: CommandContext) {
    return this.tickets.confirmResolution(ticketId, dto, ctx);
  }

  @Post(':ticketId/reopen')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'INC-09: reopens a closed ticket within the reopening window; the same clock runs on' })
  reopen(@Param('ticketId', uuid) ticketId: string, @Body() dto: ReopenTicketDto, @Ctx() ctx: CommandContext) {
    return this.tickets.reopen(ticketId, dto, ctx);
  }
}

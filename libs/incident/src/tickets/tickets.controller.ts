import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ValidationError } from '@oksio/kernel';
import { type CommandContext, Ctx, Roles } from '@oksio/platform';
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
import { TicketsService } from './tickets.service';

const uuid = new ParseUUIDPipe({ version: undefined });
const STATUSES = ['qualified', 'open', 'resolved', 'closed'];

/** `If-Match: "3"` (or 3, or W/"3") → 3; absent → no expectation. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw new ValidationError('validation_failed', 'If-Match must carry the ticket revision, e.g. "3"', [{ field: 'If-Match', message: 'a revision number' }]);
  return Number(match[1]);
}

function intQuery(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,6}$/.test(raw)) throw new ValidationError('validation_failed', `${field} must be a whole number`, [{ field, message: 'a whole number' }]);
  return Number(raw);
}

const IF_MATCH = { name: 'If-Match', required: false, description: 'Expected ticket revision (from GET /tickets/{id} or the last command result); 409 when it moved' };

@ApiTags('incident')
@ApiSecurity('api-key')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  // ---- queries (declared before :ticketId) ----------------------------------------------------

  @Get()
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Ticket history, filtered by status, customer, site or subscription; paginated' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'customerId', required: false })
  @ApiQuery({ name: 'siteId', required: false })
  @ApiQuery({ name: 'subscriptionId', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  list(
    @Query('status') status?: string,
    @Query('customerId') customerId?: string,
    @Query('siteId') siteId?: string,
    @Query('subscriptionId') subscriptionId?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ) {
    if (status !== undefined && !STATUSES.includes(status)) {
      throw new ValidationError('validation_failed', `status must be one of ${STATUSES.join(', ')}`, [{ field: 'status', message: STATUSES.join(', ') }]);
    }
    if (customerId !== undefined && !/^[0-9a-f-]{36}$/i.test(customerId)) {
      throw new ValidationError('validation_failed', 'customerId must be a UUID', [{ field: 'customerId', message: 'a UUID' }]);
    }
    return this.tickets.list({ status, customerId, siteId, subscriptionId, limit: intQuery(limit, 'limit'), offset: intQuery(offset, 'offset') });
  }

  @Get('board')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Ticket board: tickets not closed with their live clock (running/frozen/stopped, elapsed, deadline, remaining, breached)' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  board(@Query('limit') limit?: string, @Query('offset') offset?: string) {
    return this.tickets.board(intQuery(limit, 'limit'), intQuery(offset, 'offset'));
  }

  @Get('penalties')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'SLA penalties of a link per billing month, with the monthly cap applied (INC-11, INC-12, INC-14, INC-15)' })
  @ApiQuery({ name: 'subscriptionId', required: true })
  @ApiQuery({ name: 'month', required: false, description: 'YYYY-MM (Paris month of the notification)' })
  penalties(@Query('subscriptionId') subscriptionId: string | undefined, @Query('month') month?: string, @Query('limit') limit?: string, @Query('offset') offset?: string) {
    if (!subscriptionId) throw new ValidationError('validation_failed', 'subscriptionId is required', [{ field: 'subscriptionId', message: 'required' }]);
    return this.tickets.penalties(subscriptionId, month, intQuery(limit, 'limit'), intQuery(offset, 'offset'));
  }

  @Get(':ticketId')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'One ticket with its live interruption clock; ETag = revision' })
  async get(@Param('ticketId', uuid) ticketId: string, @Res({ passthrough: true }) res: Response) {
    const view = await this.tickets.get(ticketId);
    res.setHeader('ETag', `"${view.revision}"`);
    return view;
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
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-03/04/13: opens the ticket with a unique reference; the client notification starts the clock' })
  open(@Param('ticketId', uuid) ticketId: string, @Body() dto: OpenTicketDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.openTicket(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/classification')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-05: Interruption (total, network only) or minor anomaly' })
  classify(@Param('ticketId', uuid) ticketId: string, @Body() dto: ClassifyIncidentDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.classify(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/site-access-requests')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-06: site access requested → the clock freezes (409 when the clock is stopped or already frozen)' })
  freeze(@Param('ticketId', uuid) ticketId: string, @Body() dto: SiteAccessRequestDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.requestSiteAccess(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/site-access-obtained')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-06: physical access obtained → the clock resumes' })
  resume(@Param('ticketId', uuid) ticketId: string, @Body() dto: FactInstantDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.recordSiteAccessObtained(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/restoration')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-13: restoration notified → the clock stops; INC-11 penalty computed' })
  restore(@Param('ticketId', uuid) ticketId: string, @Body() dto: RestorationDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.notifyRestoration(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/exclusion')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-14: records the exclusion cause; no penalty is then due' })
  exclusion(@Param('ticketId', uuid) ticketId: string, @Body() dto: SlaExclusionDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.recordExclusion(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/penalty-requests')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-15: the client asks for the penalty; granted within the INC-12 monthly cap → SlaPenaltyGranted for Billing' })
  penalty(@Param('ticketId', uuid) ticketId: string, @Body() dto: PenaltyRequestDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.requestPenalty(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/unjustified')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-07: ticket outside OKSIO responsibility / abnormal or fraudulent use → 40 € HT fee (IncidentFeeCharged)' })
  unjustified(@Param('ticketId', uuid) ticketId: string, @Body() dto: UnjustifiedTicketDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.declareUnjustified(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/expertise-requests')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-08: the client asks for an expertise by the incumbent' })
  expertise(@Param('ticketId', uuid) ticketId: string, @Body() dto: ExpertiseRequestDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.requestExpertise(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/expertise-outcome')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-08: expertise outcome; unjustified → 250 € HT fee (IncidentFeeCharged)' })
  expertiseOutcome(@Param('ticketId', uuid) ticketId: string, @Body() dto: ExpertiseOutcomeDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.recordExpertiseOutcome(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/closure')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-09: support closes the resolved ticket after informing the client' })
  close(@Param('ticketId', uuid) ticketId: string, @Body() dto: CloseTicketDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.close(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/confirmation')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-09: the client confirmed the resolution → closed' })
  confirm(@Param('ticketId', uuid) ticketId: string, @Body() dto: ConfirmResolutionDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.confirmResolution(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }

  @Post(':ticketId/reopen')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'INC-09: reopens a closed ticket within the reopening window; the same clock runs on' })
  reopen(@Param('ticketId', uuid) ticketId: string, @Body() dto: ReopenTicketDto, @Ctx() ctx: CommandContext, @Headers('if-match') ifMatch?: string) {
    return this.tickets.reopen(ticketId, dto, ctx, parseIfMatch(ifMatch));
  }
}

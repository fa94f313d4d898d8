import { Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ValidationError } from '@oksio/kernel';
import { type CommandContext, Ctx, Roles, pageOf } from '@oksio/platform';
import type { CdrFormat } from './domain/cdr-parsing';
import { ConsumptionQueryDto, RatedCallsQueryDto, RejectedCdrsQueryDto } from './rating.dto';
import { RatingService } from './rating.service';

/** The format of an import: `?format=` when given, else the Content-Type. */
function formatOf(req: Request, format: string | undefined): CdrFormat {
  if (format !== undefined) {
    if (format === 'csv' || format === 'json') return format;
    throw new ValidationError('invalid_cdr_format', `format "${format}" is neither csv nor json`, [{ field: 'format', message: 'csv or json' }]);
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv' || type === 'text/plain') return 'csv';
  if (type === 'application/json') return 'json';
  throw new ValidationError('unsupported_cdr_media_type', `Content-Type "${type}" is neither text/csv nor application/json`, [
    { field: 'Content-Type', message: 'text/csv or application/json' },
  ]);
}

@ApiTags('billing')
@ApiSecurity('api-key')
@Controller('billing')
export class RatingController {
  constructor(private readonly rating: RatingService) {}

  @Post('cdrs')
  @HttpCode(201)
  @Roles('system', 'admin')
  @ApiConsumes('text/csv', 'application/json')
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'json'], description: 'Overrides the Content-Type' })
  @ApiBody({
    description:
      'CSV with header `call_id,subscription_id,line_id,caller,called,started_at,duration_seconds` (`,` or `;`), or a JSON array ' +
      '(or `{ "cdrs": [...] }`) of `{ callId, subscriptionId, lineId, caller, called, startedAt, durationSeconds }`. ' +
      '`startedAt` is an ISO-8601 instant with offset. Every record is rated or rejected with its reason (BIL-07, BIL-09, BIL-10).',
  })
  @ApiOperation({ summary: 'Imports SIP and FIXED_VGA CDRs (CSV or JSON), rates their line-months, keeps rejected CDRs with their reason' })
  importCdrs(@Req() req: Request, @Query('format') format: string | undefined, @Ctx() ctx: CommandContext) {
    return this.rating.importCdrs(formatOf(req, format), req.body, ctx);
  }

  @Get('rated-calls')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: "Rated calls (SIP, FIXED_VGA) of a subscription's billing month, with the exact total (EUR HT)" })
  ratedCalls(@Query() q: RatedCallsQueryDto) {
    return this.rating.ratedCalls({ subscriptionId: q.subscriptionId, lineId: q.lineId }, q.month, pageOf(q));
  }

  @Get('consumption')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: "SIP consumption of a subscription's billing month (exact, EUR HT)" })
  async consumption(@Query() q: ConsumptionQueryDto) {
    const total = await this.rating.consumptionTotal(q.subscriptionId, q.month);
    return { subscriptionId: q.subscriptionId, month: q.month, total: total.toExactString(), totalRounded: total.toString() };
  }

  @Get('rejected-cdrs')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'CDRs that were not rated, with their reason and raw record' })
  rejected(@Query() q: RejectedCdrsQueryDto) {
    return this.rating.rejectedCdrs(q);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CommandContext, Ctx, Roles, RevisionETag, UuidParam } from '@oksio/platform';
import { ExtendDeadlineDto, FulfilRequestDto, ReceiveRequestDto, RefuseRequestDto } from './requests.dto';
import { RequestsQuery } from './requests.queries';
import { RequestsService } from './requests.service';
import { requestStream } from './request.decider';

const uuid = UuidParam();

@ApiTags('privacy')
@ApiSecurity('api-key')
@Controller('privacy/requests')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Post()
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'Registers a data-subject request received by e-mail or post; the answer is due within one month (PRV-04)' })
  receive(@Body() dto: ReceiveRequestDto, @Ctx() ctx: CommandContext) {
    return this.requests.receive(dto, ctx);
  }

  @Get()
  @Roles('support', 'admin', 'auditor')
  list(@Query() q: RequestsQuery) {
    return this.requests.list(q);
  }

  @Get(':requestId')
  @RevisionETag((params) => requestStream(params.requestId))
  @Roles('support', 'admin', 'auditor')
  get(@Param('requestId', uuid) requestId: string) {
    return this.requests.get(requestId);
  }

  @Post(':requestId/extend')
  @HttpCode(200)
  @Roles('support', 'admin')
  @ApiOperation({ summary: 'Extends the deadline once, by up to two further months, with a reason (PRV-04)' })
  extend(@Param('requestId', uuid) requestId: string, @Body() dto: ExtendDeadlineDto, @Ctx() ctx: CommandContext) {
    return this.requests.extend(requestId, dto, ctx);
  }

  @Get(':requestId/export')
  @Roles('support', 'admin')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiOperation({ summary: 'Access/portability export across contexts, JSON or CSV (PRV-04); archived data is included and its read recorded' })
  async export(@Param('requestId', uuid) requestId: string, @Query('format') format: string | undefined, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) res: Response) {
    const result = await this.requests.export(requestId, format, ctx);
    if (result.format === 'csv') {
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="dsr-${requestId}.csv"`);
      return result.csv;
    }
    return result;
  }

  @Post(':requestId/fulfil')
  @HttpCode(200)
  @Roles('support', 'admin')
  @ApiOperation({ summary: 'Carries out the right asked and closes the request (erasure under a legal hold is turned into a restriction, with the reason)' })
  fulfil(@Param('requestId', uuid) requestId: string, @Body() dto: FulfilRequestDto, @Ctx() ctx: CommandContext) {
    return this.requests.fulfil(requestId, dto, ctx);
  }

  @Post(':requestId/refuse')
  @HttpCode(200)
  @Roles('support', 'admin')
  refuse(@Param('requestId', uuid) requestId: string, @Body() dto: RefuseRequestDto, @Ctx() ctx: CommandContext) {
    return this.requests.refuse(requestId, dto, ctx);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, Roles, RevisionETag } from '@oksio/platform';
import { SubjectIdPipe } from '../shared/http';
import { DirectoryPreferencesDto, GiveConsentDto, WithdrawConsentDto } from './consents.dto';
import { ConsentsService } from './consents.service';
import { consentStream } from './consent.decider';

@ApiTags('privacy')
@ApiSecurity('api-key')
@Controller('privacy/subjects/:subjectId')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Get('consents')
  @RevisionETag((params) => consentStream(params.subjectId))
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Consents with time and source, directory preferences and objection of a subject' })
  view(@Param('subjectId', SubjectIdPipe) subjectId: string) {
    return this.consents.view(subjectId);
  }

  @Post('consents')
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'Records an explicit consent with its time and source (PRV-05)' })
  give(@Param('subjectId', SubjectIdPipe) subjectId: string, @Body() dto: GiveConsentDto, @Ctx() ctx: CommandContext) {
    return this.consents.give(subjectId, dto, ctx);
  }

  @Post('consents/:purpose/withdraw')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'Withdraws a consent, at any time (PRV-05)' })
  withdraw(@Param('subjectId', SubjectIdPipe) subjectId: string, @Param('purpose') purpose: string, @Body() dto: WithdrawConsentDto, @Ctx() ctx: CommandContext) {
    return this.consents.withdraw(subjectId, purpose, dto, ctx);
  }

  @Put('directory')
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'Directory listing: unlisted, address hidden, no direct marketing — free of charge (PRV-06)' })
  directory(@Param('subjectId', SubjectIdPipe) subjectId: string, @Body() dto: DirectoryPreferencesDto, @Ctx() ctx: CommandContext) {
    return this.consents.setDirectory(subjectId, dto, ctx);
  }

  @Get('can-prospect')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiQuery({ name: 'channel', enum: ['email', 'sms', 'post', 'phone'] })
  @ApiOperation({ summary: 'Whether the subject may be prospected on a channel (e-mail/SMS need consent)' })
  canProspect(@Param('subjectId', SubjectIdPipe) subjectId: string, @Query('channel') channel: string) {
    return this.consents.canProspect(subjectId, channel);
  }
}

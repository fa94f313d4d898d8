import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CommandContext, Ctx, Roles, NoAggregateRevision, PageArgs, RevisionETag, pageOf, UuidParam } from '@oksio/platform';
import { BlockDto, CloseAccountDto, PublishTermsDto, SettingDto } from './portal.dto';
import { OutboxService } from './outbox.service';
import { PbxService } from './pbx.service';
import { PortalService } from './portal.service';
import { SettingsService } from './settings.service';
import { accountStream } from './account.decider';

const uuid = UuidParam();

/** The operator's side of the portal: accounts, blocking, connection logs, terms, settings, the message outbox. */
@ApiTags('portal')
@ApiSecurity('api-key')
@Controller('portal')
export class PortalAdminController {
  constructor(
    private readonly portal: PortalService,
    private readonly pbx: PbxService,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
  ) {}

  @Get('accounts/:accountId')
  @RevisionETag((params) => accountStream(params.accountId))
  @Roles('support', 'admin', 'auditor')
  account(@Param('accountId', uuid) accountId: string) {
    return this.portal.account(accountId);
  }

  @Get('accounts/:accountId/connections')
  @Roles('support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Connection log (IP, user agent, outcome) to detect abnormal use and intrusions (PRV-07)' })
  connections(@Param('accountId', uuid) accountId: string, @Query() page: PageArgs) {
    return this.portal.connections(accountId, pageOf(page));
  }

  @Post('accounts/:accountId/block')
  @HttpCode(200)
  @Roles('support', 'admin')
  @ApiOperation({ summary: 'Blocks access, temporarily or not, on a security risk or at the client\'s written request (ACC-05)' })
  block(@Param('accountId', uuid) accountId: string, @Body() dto: BlockDto, @Ctx() ctx: CommandContext) {
    return this.portal.block(accountId, dto, ctx);
  }

  @Post('accounts/:accountId/unblock')
  @HttpCode(200)
  @Roles('support', 'admin')
  unblock(@Param('accountId', uuid) accountId: string, @Ctx() ctx: CommandContext) {
    return this.portal.unblock(accountId, ctx);
  }

  @Post('accounts/:accountId/close')
  @HttpCode(200)
  @Roles('support', 'admin')
  @ApiOperation({ summary: 'Deletes the access at the client\'s written request (ACC-05)' })
  close(@Param('accountId', uuid) accountId: string, @Body() dto: CloseAccountDto, @Ctx() ctx: CommandContext) {
    return this.portal.close(accountId, dto, ctx);
  }

  @Get('accounts/:accountId/pbx-authorisations')
  @Roles('support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Number and type of hosted-PBX authorisations in force (ACC-09)' })
  authorisations(@Param('accountId', uuid) accountId: string) {
    return this.pbx.authorisations(accountId);
  }

  @Get('accounts/:accountId/pbx-export')
  @Roles('support', 'admin')
  @ApiQuery({ name: 'format', enum: ['txt', 'csv', 'xml'] })
  @ApiOperation({ summary: 'Exports the client\'s PBX data files on its request (PRV-03)' })
  async pbxExport(@Param('accountId', uuid) accountId: string, @Query('format') format: string | undefined, @Res({ passthrough: true }) res: Response) {
    const out = await this.pbx.export(accountId, format);
    res.type(out.contentType);
    return out.body;
  }

  @Get('terms')
  @Roles('system', 'support', 'admin', 'auditor')
  terms() {
    return this.portal.terms();
  }

  @Post('terms')
  @Roles('admin')
  @ApiOperation({ summary: 'Publishes a new version of the terms of use; users must accept it to continue (ACC-06)' })
  publish(@Body() dto: PublishTermsDto, @Ctx() ctx: CommandContext) {
    return this.portal.publishTerms(dto, ctx);
  }

  @Get('settings')
  @Roles('support', 'admin', 'auditor')
  listSettings() {
    return this.settings.list();
  }

  @Put('settings/:key')
  @Roles('admin')
  @ApiOperation({ summary: 'Changes a portal setting, e.g. portal.session_inactivity (ACC-04)' })
  changeSetting(@Param('key') key: string, @Body() dto: SettingDto, @Ctx() ctx: CommandContext) {
    return this.settings.change(key, dto.value, ctx);
  }

  @Get('outbox')
  @Roles('system')
  @ApiOperation({ summary: 'SMS and e-mails to deliver (activation codes and links, invitations), oldest first, one page' })
  pending(@Query() page: PageArgs) {
    return this.outbox.pending(pageOf(page));
  }

  @Delete('outbox/:messageId')
  @NoAggregateRevision('the outbox is not an event-sourced aggregate')
  @HttpCode(204)
  @Roles('system')
  async acknowledge(@Param('messageId', uuid) messageId: string) {
    await this.outbox.acknowledge(messageId);
  }
}

import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type CommandContext, Ctx, Roles, NoAggregateRevision, RevisionETag, UuidParam } from '@oksio/platform';
import {
  AcceptInvitationDto,
  AcceptTermsDto,
  AddressChangeDto,
  ConfirmCodeDto,
  ConfirmLinkDto,
  DelegationDto,
  ECorrespondenceDto,
  InviteDto,
  LoginDto,
  PbxFileDto,
  PbxUserDto,
  RegisterPortalAccountDto,
  ResendDto,
  UpdateDelegationDto,
} from './portal.dto';
import { PbxService } from './pbx.service';
import { PortalService } from './portal.service';
import { PortalSessions, SESSION_HEADER } from './sessions.service';
import { accountStream } from './account.decider';
import { pbxFilesStream } from './pbx-files.decider';

const uuid = UuidParam();

/**
 * The customer portal's API, called by the portal front end with its `system` key; end users
 * are identified by their session (`X-Portal-Session`) once logged in.
 */
@ApiTags('portal')
@ApiSecurity('api-key')
@Roles('system')
@Controller('portal')
export class PortalController {
  constructor(
    private readonly portal: PortalService,
    private readonly pbx: PbxService,
    private readonly sessions: PortalSessions,
  ) {}

  @Post('registrations')
  @ApiOperation({ summary: 'Registers a portal account: an SMS code and an e-mail link are sent; both activate it (ACC-01)' })
  register(@Body() dto: RegisterPortalAccountDto, @Ctx() ctx: CommandContext) {
    return this.portal.register(dto, ctx);
  }

  @Post('registrations/:accountId/confirm-sms')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirms the SMS activation code (limited attempts, expiring) — ACC-01' })
  confirmSms(@Param('accountId', uuid) accountId: string, @Body() dto: ConfirmCodeDto, @Ctx() ctx: CommandContext) {
    return this.portal.confirmSms(accountId, dto.code, ctx);
  }

  @Post('registrations/:accountId/resend')
  @NoAggregateRevision('a new code changes no aggregate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sends a new SMS code or e-mail link (the previous one is void)' })
  resend(@Param('accountId', uuid) accountId: string, @Body() dto: ResendDto) {
    return this.portal.resend(accountId, dto.channel);
  }

  @Post('activation-links/confirm')
  @NoAggregateRevision('addressed by a secret link, not by an aggregate its sender knows the revision of')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirms the e-mail activation link — ACC-01' })
  confirmLink(@Body() dto: ConfirmLinkDto, @Ctx() ctx: CommandContext) {
    return this.portal.confirmEmail(dto.token, ctx);
  }

  @Post('invitations/accept')
  @NoAggregateRevision('addressed by a secret link, not by an aggregate its sender knows the revision of')
  @HttpCode(200)
  @ApiOperation({ summary: 'A delegate or PBX user accepts its invitation and chooses a password (ACC-03, ACC-09)' })
  acceptInvitation(@Body() dto: AcceptInvitationDto, @Ctx() ctx: CommandContext) {
    return this.portal.acceptInvitation(dto.token, dto.password, ctx);
  }

  @Post('sessions')
  @NoAggregateRevision('addressed by credentials: a revision check would tell whether the login exists')
  @ApiOperation({ summary: 'Password login; every attempt is logged with its connection data (PRV-07)' })
  login(@Body() dto: LoginDto, @Req() req: Request, @Ctx() ctx: CommandContext) {
    return this.portal.login(dto, { ip: dto.clientIp ?? req.ip ?? null, userAgent: dto.userAgent ?? req.headers['user-agent'] ?? null }, ctx);
  }

  @Delete('sessions/current')
  @NoAggregateRevision('a session is not an event-sourced aggregate')
  @HttpCode(204)
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  async logout(@Headers(SESSION_HEADER) token: string | undefined) {
    await this.portal.logout(token);
  }

  @Get('me')
  @RevisionETag((_, me: { accountId?: string }) => me?.accountId && accountStream(me.accountId))
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiOperation({ summary: 'The logged-in user\'s account (also answers when new terms must be accepted)' })
  async me(@Headers(SESSION_HEADER) token: string | undefined) {
    return this.portal.me(await this.sessions.authenticate(token, { allowOutdatedTerms: true }));
  }

  @Post('me/terms')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiOperation({ summary: 'Accepts the terms of use in force (ACC-06)' })
  async acceptTerms(@Headers(SESSION_HEADER) token: string | undefined, @Body() dto: AcceptTermsDto, @Ctx() ctx: CommandContext) {
    return this.portal.acceptTerms(await this.sessions.authenticate(token, { allowOutdatedTerms: true }), dto.version, ctx);
  }

  @Put('me/e-correspondence')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiOperation({ summary: 'Opts in or out of electronic correspondence (ACC-07)' })
  async eCorrespondence(@Headers(SESSION_HEADER) token: string | undefined, @Body() dto: ECorrespondenceDto, @Ctx() ctx: CommandContext) {
    return this.portal.setECorrespondence(await this.sessions.authenticate(token), dto.optIn, ctx);
  }

  @Post('me/address-changes')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiOperation({ summary: 'Declares a postal or e-mail address change (MOBILE: at least 7 days ahead, ACC-08)' })
  async addressChange(@Headers(SESSION_HEADER) token: string | undefined, @Body() dto: AddressChangeDto, @Ctx() ctx: CommandContext) {
    return this.portal.declareAddressChange(await this.sessions.authenticate(token), dto, ctx);
  }

  @Get('me/consumption')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiOperation({ summary: 'Running consumption, flagged indicative: invoiced figures prevail (ACC-10)' })
  async consumption(@Headers(SESSION_HEADER) token: string | undefined) {
    return this.portal.consumptionOf(await this.sessions.authenticate(token));
  }

  @Get('me/delegations')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  async delegations(@Headers(SESSION_HEADER) token: string | undefined) {
    const principal = await this.sessions.authenticate(token);
    return (await this.portal.users(principal.accountId)).filter((u) => u.role === 'delegate');
  }

  @Post('me/delegations')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiOperation({ summary: 'Delegates access to a third party, who then acts as the client (ACC-03)' })
  async delegate(@Headers(SESSION_HEADER) token: string | undefined, @Body() dto: DelegationDto, @Ctx() ctx: CommandContext) {
    return this.portal.delegate(await this.sessions.authenticate(token), dto, ctx);
  }

  @Patch('me/delegations/:userId')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  async updateDelegation(@Headers(SESSION_HEADER) token: string | undefined, @Param('userId', uuid) userId: string, @Body() dto: UpdateDelegationDto, @Ctx() ctx: CommandContext) {
    return this.portal.updateDelegation(await this.sessions.authenticate(token), userId, dto.expiresAt, ctx);
  }

  @Delete('me/delegations/:userId')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  async revokeDelegation(@Headers(SESSION_HEADER) token: string | undefined, @Param('userId', uuid) userId: string, @Ctx() ctx: CommandContext) {
    return this.portal.revokeDelegation(await this.sessions.authenticate(token), userId, ctx);
  }

  @Post('me/pbx/administrator')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiOperation({ summary: 'Designates the hosted-PBX administrator, who receives the first credentials (ACC-09)' })
  async designate(@Headers(SESSION_HEADER) token: string | undefined, @Body() dto: InviteDto, @Ctx() ctx: CommandContext) {
    return this.pbx.designateAdministrator(await this.sessions.authenticate(token), dto, ctx);
  }

  @Post('me/pbx/users')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiOperation({ summary: 'The PBX administrator authorises an internal or external user (ACC-09)' })
  async authorise(@Headers(SESSION_HEADER) token: string | undefined, @Body() dto: PbxUserDto, @Ctx() ctx: CommandContext) {
    return this.pbx.authoriseUser(await this.sessions.authenticate(token), dto, ctx);
  }

  @Delete('me/pbx/users/:userId')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  async revoke(@Headers(SESSION_HEADER) token: string | undefined, @Param('userId', uuid) userId: string, @Ctx() ctx: CommandContext) {
    return this.pbx.revokeUser(await this.sessions.authenticate(token), userId, ctx);
  }

  @Put('me/pbx/files/:fileId')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiOperation({ summary: 'Updates a PBX data file; who and when are traced (PRV-08)' })
  async updateFile(@Headers(SESSION_HEADER) token: string | undefined, @Param('fileId') fileId: string, @Body() dto: PbxFileDto, @Ctx() ctx: CommandContext) {
    return this.pbx.updateFile(await this.sessions.authenticate(token), fileId, dto.content, ctx);
  }

  @Get('me/pbx/files/:fileId')
  @RevisionETag((_, file: { accountId?: string }) => file?.accountId && pbxFilesStream(file.accountId))
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  async file(@Headers(SESSION_HEADER) token: string | undefined, @Param('fileId') fileId: string) {
    return this.pbx.file(await this.sessions.authenticate(token), fileId);
  }

  @Get('me/pbx/export')
  @ApiHeader({ name: 'X-Portal-Session', required: true })
  @ApiQuery({ name: 'format', enum: ['txt', 'csv', 'xml'] })
  @ApiOperation({ summary: 'Exports the PBX data files on the client\'s request (PRV-03)' })
  async export(@Headers(SESSION_HEADER) token: string | undefined, @Query('format') format: string | undefined, @Res({ passthrough: true }) res: Response) {
    const principal = await this.sessions.authenticate(token);
    const out = await this.pbx.export(principal.accountId, format);
    res.type(out.contentType);
    return out.body;
  }
}

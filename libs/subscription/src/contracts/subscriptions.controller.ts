import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, RevisionETag, Roles, UuidParam } from '@oksio/platform';
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
import { subscriptionStream } from '../domain/events';
import { SubscriptionsService } from './subscriptions.service';

const uuid = UuidParam();

/**
 * Subscription contracts over REST: one POST per command of the decider (all share the
 * application service with GraphQL), the read models as paginated, filterable GETs.
 */
@ApiTags('subscriptions')
@ApiSecurity('api-key')
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly service: SubscriptionsService) {}

  // ---- queries (static paths first: they must not be taken for a subscription id) -------------------

  @Get()
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Subscriptions by customer, status (phase) and service, paginated' })
  list(@Query() q: SubscriptionsQueryDto) {
    return this.service.list(q);
  }

  @Get('orders')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'SUB-09: orders by status (pending_feasibility, accepted, refused, cancelled, delivered)' })
  orders(@Query() q: OrdersQueryDto) {
    return this.service.orders(q);
  }

  @Get('commitments')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'SUB-02 / SUB-03 / SUB-04 / SUB-07: commitment calendars per contract and per MOBILE line; months remaining as of today' })
  commitments(@Query() q: CommitmentsQueryDto) {
    return this.service.commitments(q);
  }

  @Get('renewals-due')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'SUB-03: contracts whose current period ends in [from, to] and renews tacitly' })
  renewalsDue(@Query() q: DateRangeQueryDto) {
    return this.service.renewalsDue(q);
  }

  @Get('notice-deadlines')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'SUB-04: latest receipt dates of a termination letter for the current period, in [from, to]' })
  noticeDeadlines(@Query() q: DateRangeQueryDto) {
    return this.service.noticeDeadlines(q);
  }

  @Get('suspensions')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'SUS-01…05: suspensions in force (state=active) and their history (ended, all)' })
  suspensions(@Query() q: SuspensionsQueryDto) {
    return this.service.suspensions(q);
  }

  @Get(':subscriptionId')
  @Roles('system', 'support', 'admin', 'auditor')
  @RevisionETag((params) => subscriptionStream(params.subscriptionId))
  @ApiOperation({ summary: 'One contract: status, order status, items, terms snapshot, commitment' })
  get(@Param('subscriptionId', uuid) id: string) {
    return this.service.get(id);
  }

  // ---- commands ------------------------------------------------------------------------------------

  @Post()
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-09 / SUB-17 / SUB-18 / CON-01: places an order (stream subscription-<id>); If-Match: -1 requires a new stream' })
  placeOrder(@Body() dto: PlaceOrderDto, @Ctx() ctx: CommandContext) {
    return this.service.placeOrder(dto, ctx);
  }

  @Post(':subscriptionId/feasibility')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-09: records the feasibility study; a positive one accepts the order, a negative one refuses it' })
  recordFeasibilityResult(@Param('subscriptionId', uuid) id: string, @Body() dto: RecordFeasibilityResultDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RecordFeasibilityResult', dto, ctx);
  }
  @Post(':subscriptionId/guarantee/request')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-09: demands a guarantee on an insolvency risk' })
  requestGuarantee(@Param('subscriptionId', uuid) id: string, @Body() dto: RequestGuaranteeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RequestGuarantee', dto, ctx);
  }
  @Post(':subscriptionId/guarantee/answer')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-09: the client provided or refused the guarantee' })
  recordGuaranteeAnswer(@Param('subscriptionId', uuid) id: string, @Body() dto: RecordGuaranteeAnswerDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RecordGuaranteeAnswer', dto, ctx);
  }
  @Post(':subscriptionId/order/cancel-for-refused-guarantee')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-09: OKSIO cancels the order when the guarantee is refused' })
  cancelOrderForRefusedGuarantee(@Param('subscriptionId', uuid) id: string, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'CancelOrderForRefusedGuarantee', {}, ctx);
  }
  @Post(':subscriptionId/order/cancel-by-client')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: "SUB-09: the client cancels; the order amount stays due after acceptance without OKSIO's written agreement" })
  cancelOrderByClient(@Param('subscriptionId', uuid) id: string, @Body() dto: CancelOrderByClientDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'CancelOrderByClient', dto, ctx);
  }
  @Post(':subscriptionId/sign')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-01 / CON-01: signature; the agreement takes effect on that date with the resolved terms snapshot' })
  signSubscription(@Param('subscriptionId', uuid) id: string, @Body() dto: SignSubscriptionDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'SignSubscription', dto, ctx);
  }
  @Post(':subscriptionId/activate')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-02: activation; the commitment starts on the 1st of the next month' })
  activateService(@Param('subscriptionId', uuid) id: string, @Body() dto: ActivateServiceDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'ActivateService', dto, ctx);
  }
  @Post(':subscriptionId/lines/activate')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-15: a MOBILE line starts on its SIM activation' })
  activateMobileLine(@Param('subscriptionId', uuid) id: string, @Body() dto: ActivateMobileLineDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'ActivateMobileLine', dto, ctx);
  }
  @Post(':subscriptionId/lines/info')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-15: RIO and previous end-of-contract date of a line (firm and final)' })
  recordLineInfo(@Param('subscriptionId', uuid) id: string, @Body() dto: RecordLineInfoDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RecordLineInfo', dto, ctx);
  }
  @Post(':subscriptionId/renewals')
  @HttpCode(200)
  @Roles('system', 'admin')
  @ApiOperation({ summary: 'SUB-03: tacit renewal at a period end (normally sent by the scheduler)' })
  applyRenewal(@Param('subscriptionId', uuid) id: string, @Body() dto: ApplyRenewalDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'ApplyRenewal', dto, ctx);
  }
  @Post(':subscriptionId/termination-notices')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-04 / SUB-05 / SUB-07: a termination letter with its receipt date; the response events give the effective date' })
  receiveTerminationNotice(@Param('subscriptionId', uuid) id: string, @Body() dto: ReceiveTerminationNoticeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'ReceiveTerminationNotice', dto, ctx);
  }
  @Post(':subscriptionId/terminations/apply')
  @HttpCode(200)
  @Roles('system', 'admin')
  @ApiOperation({ summary: 'SUB-04 / SUB-05: ends the contract once the last day is over (normally sent by the scheduler)' })
  applyTermination(@Param('subscriptionId', uuid) id: string, @Body() dto: ApplyTerminationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'ApplyTermination', dto, ctx);
  }
  @Post(':subscriptionId/terminations/immediate')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-08 / SUS-03: immediate termination by OKSIO (breach, false declaration, payment incident, SIM fraud)' })
  terminateImmediately(@Param('subscriptionId', uuid) id: string, @Body() dto: TerminateImmediatelyDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'TerminateImmediately', dto, ctx);
  }
  @Post(':subscriptionId/terminations/force-majeure')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUS-05: termination after more than one month of force majeure, no indemnity' })
  terminateForForceMajeure(@Param('subscriptionId', uuid) id: string, @Body() dto: TerminateForForceMajeureDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'TerminateForForceMajeure', dto, ctx);
  }
  @Post(':subscriptionId/lines/local-loop-ended')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-16: the local-loop subscription ended at the incumbent; the fixed line ends' })
  recordLocalLoopSubscriptionEnded(@Param('subscriptionId', uuid) id: string, @Body() dto: RecordLocalLoopSubscriptionEndedDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RecordLocalLoopSubscriptionEnded', dto, ctx);
  }
  @Post(':subscriptionId/lines/port-out')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'POR-06: the line\'s number was ported out; the line ends on the porting date (SUB-07 basis inside a commitment)' })
  terminateLineByPortOut(@Param('subscriptionId', uuid) id: string, @Body() dto: TerminateLineByPortOutDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'TerminateLineByPortOut', dto, ctx);
  }
  @Post(':subscriptionId/software-withdrawal')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: "SUB-19: HOSTED_PBX software withdrawn with at least 18 months' notice" })
  announceSoftwareWithdrawal(@Param('subscriptionId', uuid) id: string, @Body() dto: AnnounceSoftwareWithdrawalDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'AnnounceSoftwareWithdrawal', dto, ctx);
  }
  @Post(':subscriptionId/terminations/non-payment')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUS-02: termination for an unpaid invoice, 2 days after the LRAR is received' })
  notifyTerminationForNonPayment(@Param('subscriptionId', uuid) id: string, @Body() dto: NotifyTerminationForNonPaymentDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'NotifyTerminationForNonPayment', dto, ctx);
  }
  @Post(':subscriptionId/plan-migrations')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-12: DATA plan migration request (answer within 15 days)' })
  requestPlanMigration(@Param('subscriptionId', uuid) id: string, @Body() dto: RequestPlanMigrationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RequestPlanMigration', dto, ctx);
  }
  @Post(':subscriptionId/plan-migrations/answer')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: "SUB-12: OKSIO's answer to a plan migration" })
  answerPlanMigration(@Param('subscriptionId', uuid) id: string, @Body() dto: AnswerPlanMigrationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'AnswerPlanMigration', dto, ctx);
  }
  @Post(':subscriptionId/plan-migrations/cancel')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-12: the client cancels a migration delayed beyond 12 weeks' })
  cancelPlanMigration(@Param('subscriptionId', uuid) id: string, @Body() dto: PlanMigrationRefDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'CancelPlanMigration', dto, ctx);
  }
  @Post(':subscriptionId/plan-migrations/complete')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-12 / SUB-13: the migration is done (a speed change re-commits)' })
  completePlanMigration(@Param('subscriptionId', uuid) id: string, @Body() dto: CompletePlanMigrationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'CompletePlanMigration', dto, ctx);
  }
  @Post(':subscriptionId/capacity-changes')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-13: speed or SDSL pair change, re-commitment from the change date' })
  changeDataLinkCapacity(@Param('subscriptionId', uuid) id: string, @Body() dto: ChangeDataLinkCapacityDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'ChangeDataLinkCapacity', dto, ctx);
  }
  @Post(':subscriptionId/data-changes')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-14: range, endpoint or address change request' })
  requestDataChange(@Param('subscriptionId', uuid) id: string, @Body() dto: RequestDataChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RequestDataChange', dto, ctx);
  }
  @Post(':subscriptionId/data-changes/feasibility')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-14: feasibility of a range/endpoint/address change' })
  recordDataChangeFeasibility(@Param('subscriptionId', uuid) id: string, @Body() dto: RecordDataChangeFeasibilityDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RecordDataChangeFeasibility', dto, ctx);
  }
  @Post(':subscriptionId/data-changes/complete')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-14: the change is done (an address change ends the link, remaining fees due)' })
  completeDataChange(@Param('subscriptionId', uuid) id: string, @Body() dto: CompleteDataChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'CompleteDataChange', dto, ctx);
  }
  @Post(':subscriptionId/equipment-modifications')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-11: equipment modification request (electronic, answer within 7 days)' })
  requestEquipmentModification(@Param('subscriptionId', uuid) id: string, @Body() dto: RequestEquipmentModificationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RequestEquipmentModification', dto, ctx);
  }
  @Post(':subscriptionId/equipment-modifications/answer')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: "SUB-11: OKSIO's answer to an equipment modification" })
  answerEquipmentModification(@Param('subscriptionId', uuid) id: string, @Body() dto: AnswerEquipmentModificationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'AnswerEquipmentModification', dto, ctx);
  }
  @Post(':subscriptionId/saturations')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-10: a saturation is detected (delay to notify within 15 days)' })
  recordSaturation(@Param('subscriptionId', uuid) id: string, @Body() dto: RecordSaturationDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RecordSaturation', dto, ctx);
  }
  @Post(':subscriptionId/saturations/notify-delay')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUB-10: the saturation delay is notified to the client' })
  notifySaturationDelay(@Param('subscriptionId', uuid) id: string, @Body() dto: SaturationRefDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'NotifySaturationDelay', dto, ctx);
  }
  @Post(':subscriptionId/suspensions')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUS-01 / SUS-02 / SUS-03 / SUS-05: suspends the service (full or conservatory scope) for a reason' })
  suspendService(@Param('subscriptionId', uuid) id: string, @Body() dto: SuspendServiceDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'SuspendService', dto, ctx);
  }
  @Post(':subscriptionId/suspensions/lost-or-stolen-sim')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUS-04: a lost or stolen SIM is put out of service at once' })
  reportLostOrStolenSim(@Param('subscriptionId', uuid) id: string, @Body() dto: ReportLostOrStolenSimDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'ReportLostOrStolenSim', dto, ctx);
  }
  @Post(':subscriptionId/suspensions/lost-or-stolen-sim/confirm')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUS-04: the confirming LRAR (within 2 business days)' })
  confirmLostOrStolenSim(@Param('subscriptionId', uuid) id: string, @Body() dto: ConfirmLostOrStolenSimDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'ConfirmLostOrStolenSim', dto, ctx);
  }
  @Post(':subscriptionId/suspensions/lift')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUS-01 / SUS-04 / SUS-05: reactivation (reconnection costs when the client was at fault)' })
  liftSuspension(@Param('subscriptionId', uuid) id: string, @Body() dto: LiftSuspensionDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'LiftSuspension', dto, ctx);
  }
  @Post(':subscriptionId/deliveries/suspend')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUS-06: deliveries suspended for an invoice unpaid more than 8 business days' })
  suspendDeliveries(@Param('subscriptionId', uuid) id: string, @Body() dto: SuspendDeliveriesDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'SuspendDeliveries', dto, ctx);
  }
  @Post(':subscriptionId/deliveries/resume')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'SUS-06: deliveries resume' })
  resumeDeliveries(@Param('subscriptionId', uuid) id: string, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'ResumeDeliveries', {}, ctx);
  }
  @Post(':subscriptionId/deadlines/passed')
  @HttpCode(200)
  @Roles('system', 'admin')
  @ApiOperation({ summary: 'A deadline listed by the contract is over (normally sent by the scheduler)' })
  recordDeadlinePassed(@Param('subscriptionId', uuid) id: string, @Body() dto: RecordDeadlinePassedDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'RecordDeadlinePassed', dto, ctx);
  }
  @Post(':subscriptionId/tariff-change-notices')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'CON-02: notice of a tariff change (2 months at least, except force majeure or supplier surge)' })
  notifyTariffChange(@Param('subscriptionId', uuid) id: string, @Body() dto: NotifyTariffChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'NotifyTariffChange', dto, ctx);
  }
  @Post(':subscriptionId/terms-change-notices')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'CON-03: notice of new general terms (1 month at least)' })
  notifyTermsChange(@Param('subscriptionId', uuid) id: string, @Body() dto: NotifyTermsChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'NotifyTermsChange', dto, ctx);
  }
  @Post(':subscriptionId/sip-rate-change-notices')
  @HttpCode(200)
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'CON-04: notice of new SIP per-minute rates (on 1 January only)' })
  notifySipRateChange(@Param('subscriptionId', uuid) id: string, @Body() dto: NotifySipRateChangeDto, @Ctx() ctx: CommandContext) {
    return this.service.command(id, 'NotifySipRateChange', dto, ctx);
  }
}

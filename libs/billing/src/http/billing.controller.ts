import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CommandContext, Ctx, Roles, NoAggregateRevision, PageArgs, pageOf, RevisionETag } from '@oksio/platform';
import { BillingQueries } from '../application/billing-queries.service';
import { BillingService } from '../application/billing.service';
import {
  AsOfQueryDto,
  AssessLateInterestDto,
  ChangeOptionDto,
  DisputeDocumentsDto,
  GrantCreditDto,
  LegalRateDto,
  LiabilityQueryDto,
  OpenDisputeDto,
  PlaceHandsetOrderDto,
  PriceChangeDto,
  RecordChargeDto,
  RecordHandsetShipmentDto,
  RecordPaymentDto,
  RegisterMandateDto,
  RejectPaymentDto,
  ResolveDisputeDto,
  RevokeMandateDto,
  RunBillingMonthDto,
} from './billing.dto';
import { DisputesQueryDto, HandsetOrdersQueryDto, InvoicesQueryDto, PageQueryDto } from './billing.queries';
import { chargesStream, handsetOrderStream, invoiceStream, mandateStream, REFERENCE_STREAM } from '../domain';

const READ = ['system', 'support', 'admin', 'auditor'] as const;
const WRITE = ['system', 'support', 'admin'] as const;

@ApiTags('billing')
@ApiSecurity('api-key')
@Controller('billing')
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly queries: BillingQueries,
  ) {}

  // ---- catalogue and reference data
  @Get('catalogue')
  @RevisionETag(() => REFERENCE_STREAM)
  @Roles(...READ)
  @ApiOperation({ summary: 'Versioned price list (EUR HT): each code with the version in force on asOf and its history (BIL-01, CON-02)' })
  catalogue(@Query() q: AsOfQueryDto) {
    return this.queries.catalogue(q.asOf);
  }

  @Post('catalogue/prices')
  @Roles('admin', 'system')
  @ApiOperation({ summary: 'Publishes a price version; a changed tariff applies no earlier than 2 months after today (CON-02)' })
  publishPrice(@Body() dto: PriceChangeDto, @Ctx() ctx: CommandContext) {
    return this.billing.publishPriceChange(dto, ctx);
  }

  @Get('legal-interest-rates')
  @RevisionETag(() => REFERENCE_STREAM)
  @Roles(...READ)
  legalRates() {
    return this.queries.legalRates();
  }

  @Post('legal-interest-rates')
  @Roles('admin', 'system')
  @ApiOperation({ summary: 'Adds the legal interest rate of a half-year (BIL-05; "all other cases" column)' })
  publishLegalRate(@Body() dto: LegalRateDto, @Ctx() ctx: CommandContext) {
    return this.billing.publishLegalRate(dto, ctx);
  }

  // ---- runs
  @Post('runs')
  @NoAggregateRevision('a billing run invoices every customer of the month')
  @Roles('admin', 'system')
  @ApiOperation({ summary: 'RunBillingMonth: issues the invoices of a month (arrears); re-running never bills twice' })
  run(@Body() dto: RunBillingMonthDto, @Ctx() ctx: CommandContext) {
    return this.billing.runMonth(dto.month, ctx);
  }

  // ---- invoices
  @Get('invoices')
  @Roles(...READ)
  @ApiOperation({ summary: 'Invoices and credit notes, newest first, paginated' })
  invoices(@Query() q: InvoicesQueryDto) {
    return this.queries.invoices(q);
  }

  @Get('invoices/:invoiceId/document')
  @Roles(...READ)
  @ApiOperation({ summary: 'The invoice (or credit note) as HTML with the legal mentions of a French B2B invoice' })
  async document(@Param('invoiceId') invoiceId: string, @Res() res: Response) {
    res.type('html').send(await this.queries.html(invoiceId));
  }

  @Get('invoices/:invoiceId')
  @RevisionETag((params) => invoiceStream(params.invoiceId))
  @Roles(...READ)
  @ApiOperation({ summary: 'One invoice with lines, payments, disputes and credit notes; `<id>.html` gives the HTML document' })
  async invoice(@Param('invoiceId') invoiceId: string, @Res({ passthrough: true }) res: Response) {
    if (invoiceId.endsWith('.html')) {
      res.type('html');
      return this.queries.html(invoiceId.slice(0, -'.html'.length));
    }
    return this.queries.invoice(invoiceId);
  }

  @Get('invoices/:invoiceId/late-interest')
  @Roles(...READ)
  @ApiOperation({ summary: 'Late interest owed to date (BIL-05), per half-year' })
  lateInterest(@Param('invoiceId') invoiceId: string, @Query() q: AsOfQueryDto) {
    return this.billing.lateInterest(invoiceId, q.asOf);
  }

  @Post('invoices/:invoiceId/late-interest')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Records the late interest owed up to a date (BIL-05)' })
  assessLateInterest(@Param('invoiceId') invoiceId: string, @Body() dto: AssessLateInterestDto, @Ctx() ctx: CommandContext) {
    return this.billing.assessLateInterest(invoiceId, dto.asOf, ctx);
  }

  @Post('invoices/:invoiceId/payments')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Records a payment (SEPA direct debit under the active mandate, or transfer) (BIL-04)' })
  pay(@Param('invoiceId') invoiceId: string, @Body() dto: RecordPaymentDto, @Ctx() ctx: CommandContext) {
    return this.billing.recordPayment(invoiceId, dto, ctx);
  }

  @Post('payments/:paymentId/rejection')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Records a SEPA rejection: the invoice is unpaid again (BIL-04)' })
  reject(@Param('paymentId') paymentId: string, @Body() dto: RejectPaymentDto, @Ctx() ctx: CommandContext) {
    return this.billing.rejectPayment(paymentId, dto, ctx);
  }

  @Post('invoices/:invoiceId/disputes')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Opens a dispute received by LRAR within 30 days; only the disputed amount is suspended (BIL-06)' })
  openDispute(@Param('invoiceId') invoiceId: string, @Body() dto: OpenDisputeDto, @Ctx() ctx: CommandContext) {
    return this.billing.openDispute(invoiceId, dto, ctx);
  }

  @Post('invoices/:invoiceId/credits')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Corrects an issued invoice by a credit note (an issued invoice never changes)' })
  credit(@Param('invoiceId') invoiceId: string, @Body() dto: GrantCreditDto, @Ctx() ctx: CommandContext) {
    return this.billing.grantCredit(invoiceId, dto, ctx);
  }

  // ---- disputes
  @Get('disputes')
  @Roles(...READ)
  disputes(@Query() q: DisputesQueryDto) {
    return this.queries.disputes(q);
  }

  @Post('disputes/:disputeId/documents')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Supporting documents, within 30 days of the dispute (BIL-06)' })
  documents(@Param('disputeId') disputeId: string, @Body() dto: DisputeDocumentsDto, @Ctx() ctx: CommandContext) {
    return this.billing.recordDisputeDocuments(disputeId, dto, ctx);
  }

  @Post('disputes/:disputeId/resolution')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Resolves a dispute; an upheld amount is credited by a credit note (BIL-06)' })
  resolve(@Param('disputeId') disputeId: string, @Body() dto: ResolveDisputeDto, @Ctx() ctx: CommandContext) {
    return this.billing.resolveDispute(disputeId, dto, ctx);
  }

  // ---- balances and overdue
  @Get('balances')
  @Roles(...READ)
  @ApiOperation({ summary: 'Balance per customer: invoiced, paid, credited, outstanding, overdue, indemnities and interest (BIL-05)' })
  balances(@Query() q: PageQueryDto) {
    return this.queries.balances(q);
  }

  @Get('overdue')
  @Roles(...READ)
  @ApiOperation({ summary: 'Overdue invoices with days late, 40 € indemnity and interest accrued to date (BIL-05)' })
  overdue(@Query() q: PageQueryDto) {
    return this.queries.overdue(q);
  }

  // ---- billing accounts
  @Get('accounts/:subscriptionId')
  @RevisionETag((params) => chargesStream(params.subscriptionId))
  @Roles(...READ)
  account(@Param('subscriptionId') subscriptionId: string) {
    return this.billing.account(subscriptionId);
  }

  @Post('accounts/:subscriptionId/charges')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'A one-off fee of the catalogue (BIL-08: SIM network swap 32 € HT per SIM …) on the next invoice' })
  charge(@Param('subscriptionId') subscriptionId: string, @Body() dto: RecordChargeDto, @Ctx() ctx: CommandContext) {
    return this.billing.recordCharge(subscriptionId, dto, ctx);
  }

  @Post('accounts/:subscriptionId/options')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Sets the quantity of a monthly option (SDA blocks of ten numbers); 0 ends it' })
  option(@Param('subscriptionId') subscriptionId: string, @Body() dto: ChangeOptionDto, @Ctx() ctx: CommandContext) {
    return this.billing.changeOption(subscriptionId, dto, ctx);
  }

  @Get('accounts/:subscriptionId/liability-cap')
  @Roles(...READ)
  @ApiOperation({ summary: 'Liability cap for a claim about this subscription (BIL-12)' })
  liability(@Param('subscriptionId') subscriptionId: string, @Query() q: LiabilityQueryDto) {
    return this.billing.liabilityCap(subscriptionId, q.eventOn);
  }

  // ---- BIL-13 handset orders
  @Get('handset-orders')
  @Roles(...READ)
  @ApiOperation({ summary: 'MOBILE handset orders: awaiting payment, released for delivery, shipped (BIL-13)' })
  handsetOrders(@Query() q: HandsetOrdersQueryDto) {
    return this.queries.handsetOrders(q);
  }

  @Get('handset-orders/:orderId')
  @RevisionETag((params) => handsetOrderStream(params.orderId))
  @Roles(...READ)
  handsetOrder(@Param('orderId') orderId: string) {
    return this.queries.handsetOrder(orderId);
  }

  @Post('handset-orders')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Places a handset order on a MOBILE subscription: invoiced at once (BIL-02), served only after payment (BIL-13)' })
  placeHandsetOrder(@Body() dto: PlaceHandsetOrderDto, @Ctx() ctx: CommandContext) {
    return this.billing.placeHandsetOrder(dto, ctx);
  }

  @Post('handset-orders/:orderId/shipment')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Records the shipment of a handset order; refused (422, BIL-13) until its invoice is paid and the order released' })
  shipHandsetOrder(@Param('orderId') orderId: string, @Body() dto: RecordHandsetShipmentDto, @Ctx() ctx: CommandContext) {
    return this.billing.recordHandsetShipment(orderId, dto, ctx);
  }

  // ---- SEPA mandates
  @Get('customers/:customerId/mandates')
  @RevisionETag((params) => mandateStream(params.customerId))
  @Roles(...READ)
  mandates(@Param('customerId') customerId: string, @Query() page: PageArgs) {
    return this.queries.mandates(customerId, pageOf(page));
  }

  @Post('customers/:customerId/mandates')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'Registers a signed SEPA mandate; it supersedes the previous one (BIL-04)' })
  mandate(@Param('customerId') customerId: string, @Body() dto: RegisterMandateDto, @Ctx() ctx: CommandContext) {
    return this.billing.registerMandate(customerId, dto, ctx);
  }

  @Post('customers/:customerId/mandates/:mandateId/revocation')
  @Roles(...WRITE)
  revoke(@Param('customerId') customerId: string, @Param('mandateId') mandateId: string, @Body() dto: RevokeMandateDto, @Ctx() ctx: CommandContext) {
    return this.billing.revokeMandate(customerId, mandateId, dto.reason, ctx);
  }
}

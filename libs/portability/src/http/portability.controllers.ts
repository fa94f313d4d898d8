import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, Roles, NoAggregateRevision, RevisionETag } from '@oksio/platform';
import {
  AnsweredOnDto,
  AssignNumberDto,
  CheckEligibilityDto,
  ConfirmPortOutDto,
  DocumentDto,
  DonorRefusalDto,
  ExecutePortingDto,
  FixedLineResaleDto,
  InboundPortingDto,
  MandateDocumentDto,
  NdiChangeNoticeDto,
  NewNumberDto,
  OblAcceptanceDto,
  OblRejectionDto,
  OnDateDto,
  PortOutDto,
  PortingFailureDto,
  PortingFormDto,
  PreviousContractEndDto,
  ProvideRioDto,
  ReasonDto,
  RioCheckDto,
  RioRequestDto,
  ServiceRestoredDto,
} from '../application/dto';
import { MandatesQuery, NumbersQuery, PortingQueueQuery } from '../application/queries';
import { MandatesService } from '../application/mandates.service';
import { NumbersService } from '../application/numbers.service';
import { PortingService } from '../application/porting.service';
import { fixedLineMandateStream, mobileRioStream, numberStream, portingStream } from '../domain';

const WRITE = ['system', 'support', 'admin'] as const;
const READ = ['system', 'support', 'admin', 'auditor'] as const;

@ApiTags('porting')
@ApiSecurity('api-key')
@Controller('porting')
export class PortingController {
  constructor(private readonly porting: PortingService) {}

  @Post()
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-01/02/03/07 inbound porting request: keep a number (checked, reserved in the number registry)' })
  requestInbound(@Body() dto: InboundPortingDto, @Ctx() ctx: CommandContext) {
    return this.porting.requestInbound(dto, ctx);
  }

  @Get()
  @Roles(...READ)
  @ApiOperation({ summary: 'Porting queue by queue (documents_missing, ready, scheduled, ported, new_number, …) and next deadline' })
  queue(@Query() query: PortingQueueQuery) {
    return this.porting.queue(query);
  }

  @Post('port-out')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-06 port-out notified by the recipient operator (terminates the OKSIO contract for the number on the porting date)' })
  notifyPortOut(@Body() dto: PortOutDto, @Ctx() ctx: CommandContext) {
    return this.porting.notifyPortOut(dto, ctx);
  }

  @Get(':portingId')
  @RevisionETag((params) => portingStream(params.portingId))
  @Roles(...READ)
  get(@Param('portingId') portingId: string) {
    return this.porting.get(portingId);
  }

  @Post(':portingId/rio')
  @HttpCode(200)
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-01/07 the RIO of the number (syntax and key checked)' })
  provideRio(@Param('portingId') id: string, @Body() dto: ProvideRioDto, @Ctx() ctx: CommandContext) {
    return this.porting.provideRio(id, dto, ctx);
  }

  @Post(':portingId/documents')
  @HttpCode(200)
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-01 a document of the file (within 30 days of signature)' })
  receiveDocument(@Param('portingId') id: string, @Body() dto: DocumentDto, @Ctx() ctx: CommandContext) {
    return this.porting.receiveDocument(id, dto, ctx);
  }

  @Post(':portingId/porting-form')
  @HttpCode(200)
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-05 the porting form stating the porting date (≥ 30 days after the complete file)' })
  receivePortingForm(@Param('portingId') id: string, @Body() dto: PortingFormDto, @Ctx() ctx: CommandContext) {
    return this.porting.receivePortingForm(id, dto, ctx);
  }

  @Post(':portingId/holder-mandate')
  @HttpCode(200)
  @Roles(...WRITE)
  recordHolderMandate(@Param('portingId') id: string, @Body() dto: MandateDocumentDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordHolderMandate(id, dto, ctx);
  }

  @Post(':portingId/previous-contract-end')
  @HttpCode(200)
  @Roles(...WRITE)
  @ApiOperation({ summary: 'SUB-15 end date of the donor contract (firm and final)' })
  recordPreviousContractEnd(@Param('portingId') id: string, @Body() dto: PreviousContractEndDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordPreviousContractEnd(id, dto, ctx);
  }

  @Post(':portingId/eligibility')
  @HttpCode(200)
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-03 eligibility decision on the complete file (reasons given on refusal)' })
  checkEligibility(@Param('portingId') id: string, @Body() dto: CheckEligibilityDto, @Ctx() ctx: CommandContext) {
    return this.porting.checkEligibility(id, dto, ctx);
  }

  @Post(':portingId/donor-acceptance')
  @HttpCode(200)
  @Roles(...WRITE)
  recordDonorAcceptance(@Param('portingId') id: string, @Body() dto: AnsweredOnDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordDonorAcceptance(id, dto, ctx);
  }

  @Post(':portingId/donor-refusal')
  @HttpCode(200)
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-03 reasoned refusal of the donor operator → new number' })
  recordDonorRefusal(@Param('portingId') id: string, @Body() dto: DonorRefusalDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordDonorRefusal(id, dto, ctx);
  }

  @Post(':portingId/execute')
  @HttpCode(200)
  @Roles('system', 'admin')
  @ApiOperation({ summary: 'POR-04 the port on the porting date (normally sent by the scheduler)' })
  execute(@Param('portingId') id: string, @Body() dto: ExecutePortingDto, @Ctx() ctx: CommandContext) {
    return this.porting.executePorting(id, dto, ctx);
  }

  @Post(':portingId/service-restored')
  @HttpCode(200)
  @Roles(...WRITE)
  recordServiceRestored(@Param('portingId') id: string, @Body() dto: ServiceRestoredDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordServiceRestored(id, dto, ctx);
  }

  @Post(':portingId/failure')
  @HttpCode(200)
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-09 the PNM exchange failed (other operator, loss of eligibility) → new number' })
  recordPortingFailure(@Param('portingId') id: string, @Body() dto: PortingFailureDto, @Ctx() ctx: CommandContext) {
    return this.porting.recordPortingFailure(id, dto, ctx);
  }

  @Post(':portingId/new-number')
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-01/03/05 after a fallback: the new number of the line' })
  assignNewNumber(@Param('portingId') id: string, @Body() dto: NewNumberDto, @Ctx() ctx: CommandContext) {
    return this.porting.assignNewNumber(id, dto, ctx);
  }

  @Post(':portingId/port-out/confirm')
  @HttpCode(200)
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-06 the port-out happened: the line ends that day; inside a commitment Billing gets the SUB-07 case' })
  confirmPortOut(@Param('portingId') id: string, @Body() dto: ConfirmPortOutDto, @Ctx() ctx: CommandContext) {
    return this.porting.confirmPortOut(id, dto, ctx);
  }

  @Post(':portingId/port-out/cancel')
  @HttpCode(200)
  @Roles(...WRITE)
  cancelPortOut(@Param('portingId') id: string, @Body() dto: ReasonDto, @Ctx() ctx: CommandContext) {
    return this.porting.cancelPortOut(id, dto, ctx);
  }
}

@ApiTags('numbers')
@ApiSecurity('api-key')
@Controller('numbers')
export class NumbersController {
  constructor(private readonly numbers: NumbersService) {}

  @Post()
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-07 a number from OKSIO ranges put in service on a MOBILE line (one active owner per number)' })
  assign(@Body() dto: AssignNumberDto, @Ctx() ctx: CommandContext) {
    return this.numbers.assign(dto, ctx);
  }

  @Get()
  @Roles(...READ)
  list(@Query() q: NumbersQuery) {
    return this.numbers.list(q);
  }

  @Get(':msisdn')
  @RevisionETag((_, number: { msisdn?: string }) => number?.msisdn && numberStream(number.msisdn))
  @Roles(...READ)
  get(@Param('msisdn') msisdn: string) {
    return this.numbers.get(msisdn);
  }

  @Get(':msisdn/rio')
  @RevisionETag((_, rio: { msisdn?: string }) => rio?.msisdn && mobileRioStream(rio.msisdn))
  @Roles(...READ)
  rioOf(@Param('msisdn') msisdn: string) {
    return this.numbers.rioOf(msisdn);
  }
}

@ApiTags('rio')
@ApiSecurity('api-key')
@Controller('rio')
export class RioController {
  constructor(private readonly numbers: NumbersService) {}

  @Post()
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-06 the RIO of an active OKSIO number, free, on SIM number + number + SIRET' })
  issue(@Body() dto: RioRequestDto, @Ctx() ctx: CommandContext) {
    return this.numbers.issueRio(dto, ctx);
  }

  @Post('check')
  @NoAggregateRevision('a check records nothing')
  @HttpCode(200)
  @Roles(...READ)
  @ApiOperation({ summary: 'POR-07 checks a RIO against a number (syntax and control key); 422 naming the reason' })
  check(@Body() dto: RioCheckDto) {
    return this.numbers.checkRio(dto);
  }

  @Get(':rio')
  @RevisionETag((_, rio: { msisdn?: string }) => rio?.msisdn && mobileRioStream(rio.msisdn))
  @Roles(...READ)
  find(@Param('rio') rio: string) {
    return this.numbers.findByRio(rio);
  }
}

@ApiTags('fixed-line-mandates')
@ApiSecurity('api-key')
@Controller('fixed-line-mandates')
export class FixedLineMandatesController {
  constructor(private readonly mandates: MandatesService) {}

  @Post()
  @Roles(...WRITE)
  @ApiOperation({ summary: 'SUB-17/POR-08 fixed-line resale: eligibility, then the mandate towards the OBL' })
  request(@Body() dto: FixedLineResaleDto, @Ctx() ctx: CommandContext) {
    return this.mandates.request(dto, ctx);
  }

  @Get()
  @Roles(...READ)
  list(@Query() q: MandatesQuery) {
    return this.mandates.list(q);
  }

  @Get(':mandateId')
  @RevisionETag((params) => fixedLineMandateStream(params.mandateId))
  @Roles(...READ)
  get(@Param('mandateId') id: string) {
    return this.mandates.get(id);
  }

  @Post(':mandateId/submit')
  @HttpCode(200)
  @Roles(...WRITE)
  submit(@Param('mandateId') id: string, @Body() dto: OnDateDto, @Ctx() ctx: CommandContext) {
    return this.mandates.submit(id, dto, ctx);
  }

  @Post(':mandateId/obl-acceptance')
  @HttpCode(200)
  @Roles(...WRITE)
  accept(@Param('mandateId') id: string, @Body() dto: OblAcceptanceDto, @Ctx() ctx: CommandContext) {
    return this.mandates.recordOblAcceptance(id, dto, ctx);
  }

  @Post(':mandateId/obl-rejection')
  @HttpCode(200)
  @Roles(...WRITE)
  reject(@Param('mandateId') id: string, @Body() dto: OblRejectionDto, @Ctx() ctx: CommandContext) {
    return this.mandates.recordOblRejection(id, dto, ctx);
  }

  @Post(':mandateId/ndi-change-notices')
  @HttpCode(200)
  @Roles(...WRITE)
  @ApiOperation({ summary: 'POR-08 the incumbent changes the NDI with 6 months’ notice (applied on its date)' })
  ndiChange(@Param('mandateId') id: string, @Body() dto: NdiChangeNoticeDto, @Ctx() ctx: CommandContext) {
    return this.mandates.recordNdiChangeNotice(id, dto, ctx);
  }
}

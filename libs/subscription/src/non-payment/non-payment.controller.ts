import { Body, Controller, Get, HttpCode, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, Roles, RevisionETag } from '@oksio/platform';
import { NonPaymentCasesQueryDto, SetNonPaymentPolicyDto } from './non-payment.dto';
import { NonPaymentService } from './non-payment.service';
import { NON_PAYMENT_POLICY_STREAM } from './non-payment.process';

/** The non-payment process manager over REST: the operator's policy and the cases (SUS-02, SUS-06). */
@ApiTags('subscriptions')
@ApiSecurity('api-key')
@Controller('non-payment')
export class NonPaymentController {
  constructor(private readonly service: NonPaymentService) {}

  @Get('policy')
  @RevisionETag(() => NON_PAYMENT_POLICY_STREAM)
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'SUS-02 / SUS-06: whether the service and MOBILE deliveries are suspended automatically once Billing allows it' })
  policy() {
    return this.service.policy();
  }

  @Put('policy')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'SUS-02 / SUS-06: sets the operator policy (automatic or manual suspension on non-payment); lifting on settlement stays automatic' })
  setPolicy(@Body() dto: SetNonPaymentPolicyDto, @Ctx() ctx: CommandContext) {
    return this.service.setPolicy(dto, ctx);
  }

  @Get('cases')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'SUS-02 / SUS-06: invoices Billing allowed a non-payment measure on, unpaid or settled' })
  cases(@Query() q: NonPaymentCasesQueryDto) {
    return this.service.cases(q);
  }
}

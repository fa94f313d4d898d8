import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageArgs } from '@oksio/platform';
import type { Automation } from './non-payment.process';

const AUTOMATION = ['automatic', 'manual'] as const;

/** The operator's non-payment policy: OKSIO *may* suspend (CG 6.1 II, CP Mobile 14.4). */
@InputType('SetNonPaymentPolicyInput')
export class SetNonPaymentPolicyDto {
  @Field(() => String, { description: 'SUS-02: suspend the service by itself once Billing allows it (automatic) or leave it to an operator (manual)' })
  @ApiProperty({ enum: AUTOMATION })
  @IsIn(AUTOMATION, { context: { rule: 'SUS-02' } })
  serviceSuspension: Automation;
  @Field(() => String, { description: 'SUS-06: suspend MOBILE deliveries by itself once Billing allows it, or not' })
  @ApiProperty({ enum: AUTOMATION })
  @IsIn(AUTOMATION, { context: { rule: 'SUS-06' } })
  deliveriesSuspension: Automation;
  @Field() @ApiProperty({ description: 'Why the policy changes (kept on the policy stream)' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

@ArgsType()
export class NonPaymentCasesQueryDto extends PageArgs {
  @Field(() => String, { nullable: true, description: 'unpaid (a measure is allowed, the invoice is not settled) or settled' })
  @ApiPropertyOptional({ enum: ['unpaid', 'settled'] })
  @IsOptional()
  @IsIn(['unpaid', 'settled'])
  status?: 'unpaid' | 'settled';
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() subscriptionId?: string;
}

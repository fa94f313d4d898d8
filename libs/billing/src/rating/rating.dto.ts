import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArgsType, Field } from '@nestjs/graphql';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsYearMonth, PageArgs } from '@oksio/platform';

export const REJECTION_REASONS = [
  'unparseable',
  'negative_duration',
  'invalid_number',
  'unknown_destination',
  'no_rate_table',
  'unknown_line',
  'line_not_active',
  'no_sip_plan',
  'no_vga_special_rate',
  'duplicate',
] as const;

/** GET /billing/rated-calls and GraphQL `ratedCalls`: one page of a billing month's calls (the total is the month's). */
@ArgsType()
export class RatedCallsQueryDto extends PageArgs {
  @Field(() => String) @ApiProperty({ example: '0190a1c2-…' }) @IsString() @IsNotEmpty() @MaxLength(100) subscriptionId: string;
  @Field(() => String, { description: 'YYYY-MM (Europe/Paris)' })
  @ApiProperty({ example: '2026-03', description: 'Billing month (Europe/Paris)' })
  @IsYearMonth('BIL-09')
  month: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ description: 'One line of the subscription (all lines when absent)' }) @IsOptional() @IsString() @MaxLength(100) lineId?: string | null;
}

export class ConsumptionQueryDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) subscriptionId: string;
  @ApiProperty({ example: '2026-03' }) @IsYearMonth('BIL-09') month: string;
}

/** GET /billing/rejected-cdrs and GraphQL `rejectedCdrs`: newest first, one page. */
@ArgsType()
export class RejectedCdrsQueryDto extends PageArgs {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() importId?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subscriptionId?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: REJECTION_REASONS }) @IsOptional() @IsIn(REJECTION_REASONS) reason?: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
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

export class RatedCallsQueryDto {
  @ApiProperty({ example: '0190a1c2-…' }) @IsString() @IsNotEmpty() @MaxLength(100) subscriptionId: string;
  @ApiProperty({ example: '2026-03', description: 'Billing month (Europe/Paris)' })
  @Matches(MONTH_PATTERN, { message: 'month must be YYYY-MM', context: { rule: 'BIL-09' } })
  month: string;
  @ApiPropertyOptional({ description: 'One line of the subscription (all lines when absent)' }) @IsOptional() @IsString() @MaxLength(100) lineId?: string;
}

export class ConsumptionQueryDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) subscriptionId: string;
  @ApiProperty({ example: '2026-03' }) @Matches(MONTH_PATTERN, { message: 'month must be YYYY-MM', context: { rule: 'BIL-09' } }) month: string;
}

export class RejectedCdrsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() importId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subscriptionId?: string;
  @ApiPropertyOptional({ enum: REJECTION_REASONS }) @IsOptional() @IsIn(REJECTION_REASONS) reason?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

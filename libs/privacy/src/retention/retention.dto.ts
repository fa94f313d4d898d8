import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsInstant } from '@oksio/platform';
import { PII_CATEGORIES, type PiiCategory } from '../crypto/pii';
import { LEGAL_BASES, RETENTION_ANCHORS, type LegalBasis, type RetentionAnchor } from './retention-policy';

export const SERVICES = ['DATA', 'MOBILE', 'FIXED_VGA', 'FIXED_SIP', 'HOSTED_PBX'] as const;
export const FACT_KINDS = ['contract_started', 'contract_ended', 'data_collected', 'invoice_issued', 'unpaid_debt_opened', 'unpaid_debt_settled'] as const;
export type FactKind = (typeof FACT_KINDS)[number];
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_.:\/-]{0,99}$/;

/** A fact that drives a subject's retention clocks (PRV-02), recorded by the context that knows it. */
@InputType('PrivacySubjectFactInput')
export class RecordFactDto {
  @Field(() => String)
  @ApiProperty({ enum: FACT_KINDS, description: 'contract_started/ended anchor identity data (PRV-02) and hosted-PBX files (PRV-03); data_collected anchors communications, payments (receipt), legitimate-interest data; invoice_issued starts the 10-year legal hold' })
  @IsIn(FACT_KINDS)
  kind: FactKind;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ description: 'contract_started, contract_ended' })
  @ValidateIf((o: RecordFactDto) => o.kind === 'contract_started' || o.kind === 'contract_ended')
  @Matches(REFERENCE, { message: 'contractId must be a reference of 1-100 letters, digits or _.:/-' })
  contractId?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ enum: SERVICES, description: 'contract_started' })
  @ValidateIf((o: RecordFactDto) => o.kind === 'contract_started')
  @IsIn(SERVICES)
  service?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ enum: PII_CATEGORIES, description: 'data_collected' })
  @ValidateIf((o: RecordFactDto) => o.kind === 'data_collected')
  @IsIn(PII_CATEGORIES)
  category?: PiiCategory;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ example: 'support-ticket', description: 'data_collected: where the data came from' })
  @ValidateIf((o: RecordFactDto) => o.kind === 'data_collected')
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  source?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ example: 'F-2026-000123', description: 'invoice_issued' })
  @ValidateIf((o: RecordFactDto) => o.kind === 'invoice_issued')
  @Matches(REFERENCE, { message: 'reference must be a reference of 1-100 letters, digits or _.:/-' })
  reference?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ description: 'unpaid_debt_opened, unpaid_debt_settled' })
  @ValidateIf((o: RecordFactDto) => o.kind === 'unpaid_debt_opened' || o.kind === 'unpaid_debt_settled')
  @Matches(REFERENCE, { message: 'debtId must be a reference of 1-100 letters, digits or _.:/-' })
  debtId?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ example: '2026-03-01T10:00:00Z', description: 'When it happened (default: now); never in the future' })
  @IsOptional()
  @IsInstant()
  occurredAt?: string;
}

@InputType('PrivacyRetentionPolicyInput')
export class ChangeRetentionPolicyDto {
  @Field(() => [String])
  @ApiProperty({ enum: LEGAL_BASES, isArray: true })
  @ArrayMinSize(1, { context: { rule: 'PRV-01' } })
  @ArrayUnique()
  @IsIn(LEGAL_BASES, { each: true })
  legalBasis: LegalBasis[];

  @Field(() => String)
  @ApiProperty({ enum: RETENTION_ANCHORS })
  @IsIn(RETENTION_ANCHORS)
  anchor: RetentionAnchor;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ enum: SERVICES, description: 'Required with anchor service_contract_end' })
  @IsOptional()
  @IsIn(SERVICES)
  service?: string;

  @Field(() => String)
  @ApiProperty({ example: 'P5Y', description: 'ISO-8601 duration (years, months, weeks, days)' })
  @Matches(DURATION, { message: 'activePeriod must be an ISO-8601 duration such as P5Y, P12M or P0D', context: { rule: 'PRV-02' } })
  activePeriod: string;

  @Field(() => Boolean)
  @ApiProperty()
  @IsBoolean()
  extendWhileUnpaidDebt: boolean;

  @Field(() => String)
  @ApiProperty({ example: 'Identity data: 5 years after the relationship ends' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description: string;
}

@InputType('PrivacyLegalHoldInput')
export class ChangeLegalHoldDto {
  @Field(() => String)
  @ApiProperty({ example: 'P10Y' })
  @Matches(DURATION, { message: 'period must be an ISO-8601 duration such as P10Y', context: { rule: 'PRV-02' } })
  period: string;

  @Field(() => [String])
  @ApiProperty({ enum: PII_CATEGORIES, isArray: true })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PII_CATEGORIES, { each: true })
  categories: PiiCategory[];

  @Field(() => String)
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description: string;
}

@InputType('PrivacyCategoriesInput')
export class CategoriesDto {
  @Field(() => [String])
  @ApiProperty({ enum: PII_CATEGORIES, isArray: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(PII_CATEGORIES.length)
  @ArrayUnique()
  @IsIn(PII_CATEGORIES, { each: true })
  categories: PiiCategory[];

  @Field(() => String)
  @ApiProperty({ example: 'The dispute is closed' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

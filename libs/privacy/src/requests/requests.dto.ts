import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsInstant } from '@oksio/platform';
import { PII_CATEGORIES, type PiiCategory } from '../crypto/pii';
import { SUBJECT_ID_PATTERN } from '../retention/data-subject.decider';
import { REQUEST_CHANNELS, REQUEST_TYPES, type RequestChannel, type RequestType } from './request.decider';

@InputType('PrivacyCorrectionInput')
export class CorrectionDto {
  @Field(() => String)
  @ApiProperty({ enum: PII_CATEGORIES })
  @IsIn(PII_CATEGORIES)
  category: PiiCategory;

  @Field(() => String)
  @ApiProperty({ example: 'email' })
  @Matches(/^[A-Za-z][A-Za-z0-9_.]{0,63}$/, { message: 'field must be a field name' })
  field: string;

  @Field(() => String)
  @ApiProperty({ example: 'jeanne.martin@example.fr', description: 'The corrected value (stored encrypted)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  value: string;
}

@InputType('PrivacyRequestInput')
export class ReceiveRequestDto {
  @Field(() => ID, { nullable: true })
  @ApiPropertyOptional({ description: 'Generated when absent' })
  @IsOptional()
  @IsUUID()
  requestId?: string;

  @Field(() => String)
  @ApiProperty({ example: 'contact-0195f3c2-7d2a-7c4e-9f00-000000000001' })
  @Matches(SUBJECT_ID_PATTERN, { message: 'subjectId must look like <kind>-<id>' })
  subjectId: string;

  @Field(() => String)
  @ApiProperty({ enum: REQUEST_TYPES })
  @IsIn(REQUEST_TYPES, { context: { rule: 'PRV-04' } })
  type: RequestType;

  @Field(() => String)
  @ApiProperty({ enum: REQUEST_CHANNELS, description: 'Requests arrive by e-mail or post (PRV-04)' })
  @IsIn(REQUEST_CHANNELS, { message: 'channel must be email or post', context: { rule: 'PRV-04' } })
  channel: RequestChannel;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ description: 'When the e-mail or letter was received (default: now); starts the one-month deadline' })
  @IsOptional()
  @IsInstant()
  receivedAt?: string;

  @Field(() => [String], { nullable: true })
  @ApiPropertyOptional({ enum: PII_CATEGORIES, isArray: true, description: 'restriction, erasure: the categories concerned (default: all)' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PII_CATEGORIES, { each: true })
  categories?: PiiCategory[];

  @Field(() => [CorrectionDto], { nullable: true })
  @ApiPropertyOptional({ type: [CorrectionDto], description: 'rectification: the corrections asked' })
  @ValidateIf((o: ReceiveRequestDto) => o.type === 'rectification' || o.corrections !== undefined)
  @ArrayMinSize(1, { context: { rule: 'PRV-04' } })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CorrectionDto)
  corrections?: CorrectionDto[];
}

@InputType('PrivacyRequestExtensionInput')
export class ExtendDeadlineDto {
  @Field(() => Int)
  @ApiProperty({ minimum: 1, maximum: 2 })
  @IsInt()
  @Min(1)
  @Max(2, { context: { rule: 'PRV-04' } })
  months: number;

  @Field(() => String)
  @ApiProperty({ example: 'Complex request spanning 5 contracts' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

@InputType('PrivacyRequestFulfilmentInput')
export class FulfilRequestDto {
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'access/portability: the format the export was delivered in' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

@InputType('PrivacyRequestRefusalInput')
export class RefuseRequestDto {
  @Field(() => String)
  @ApiProperty({ example: 'The requester could not prove their identity' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

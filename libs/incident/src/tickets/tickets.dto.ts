import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsInstant } from '@oksio/platform';
import { SERVICE_TYPES, SLA_EXCLUSION_CAUSES } from '../domain';

/** Amounts of at most 10 integer digits: the read models hold them in numeric(12,2). */
const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;

/** INC-02: the caller and the impacted sites of a call. */
@InputType('QualifyCallInput')
export class QualifyCallDto {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ description: 'Generated when absent' }) @IsOptional() @IsUUID() ticketId?: string;
  @Field(() => ID) @ApiProperty() @IsUUID(undefined, { context: { rule: 'INC-02' } }) customerId: string;
  @Field(() => ID) @ApiProperty({ description: 'A contact of the customer authorised to call support' })
  @IsString({ context: { rule: 'INC-02' } })
  @IsNotEmpty({ context: { rule: 'INC-02' } })
  @MaxLength(100)
  callerContactId: string;
  @Field(() => [String]) @ApiProperty({ type: [String], description: 'Sites (order items) of the customer impacted' })
  @IsArray({ context: { rule: 'INC-02' } })
  @ArrayMinSize(1, { context: { rule: 'INC-02' } })
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  impactedSiteIds: string[];
}

@InputType('RestorationCommitmentInput')
export class CommitmentDto {
  @Field(() => Float) @ApiProperty({ example: 4 }) @IsNumber() @Min(0.01) @Max(1000) hours: number;
  @Field(() => Int) @ApiProperty({ example: 12 }) @IsInt() @Min(0) @Max(23) outsideHoursRestoreBeforeHour: number;
}

@InputType('PenaltyTierInput')
export class PenaltyTierDto {
  @Field(() => Float) @ApiProperty({ example: 4 }) @IsNumber() @Min(0) overHours: number;
  @Field(() => Float, { nullable: true }) @ApiPropertyOptional({ example: 8, nullable: true }) @IsOptional() @IsNumber() upToHours?: number | null;
  @Field() @ApiProperty({ example: '20' }) @Matches(/^\d+(\.\d+)?$/, { message: 'percentage must be a decimal string' }) percentage: string;
}

/** The incident terms of the link, from its contract (CON-01); missing keys take the defaults. */
@InputType('IncidentTermsInput')
export class IncidentTermsDto {
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'DATA guaranteed link (INC-10)' }) @IsOptional() @IsBoolean() guaranteedLink?: boolean;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: ['business_hours', 'calendar'] }) @IsOptional() @IsIn(['business_hours', 'calendar'], { context: { rule: 'INC-10' } }) clockBasis?:
    | 'business_hours'
    | 'calendar';
  @Field(() => CommitmentDto, { nullable: true }) @ApiPropertyOptional({ type: CommitmentDto }) @IsOptional() @ValidateNested() @Type(() => CommitmentDto) commitment?: CommitmentDto;
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'Site in Alsace-Moselle' }) @IsOptional() @IsBoolean() alsaceMoselle?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional({ example: '450.00', description: 'Monthly fee HT: penalty base (INC-11) and cap (INC-12)' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'monthlyFee must be a decimal string such as 450.00', context: { rule: 'INC-11' } })
  monthlyFee?: string;
  @Field(() => [PenaltyTierDto], { nullable: true }) @ApiPropertyOptional({ type: [PenaltyTierDto] }) @IsOptional() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => PenaltyTierDto)
  penaltyTiers?: PenaltyTierDto[];
  @Field({ nullable: true }) @ApiPropertyOptional({ example: '40.00' }) @IsOptional() @Matches(AMOUNT, { message: 'unjustifiedTicketFee must be a decimal string', context: { rule: 'INC-07' } })
  unjustifiedTicketFee?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ example: '250.00' }) @IsOptional() @Matches(AMOUNT, { message: 'unjustifiedExpertiseFee must be a decimal string', context: { rule: 'INC-08' } })
  unjustifiedExpertiseFee?: string;
  @Field(() => Int, { nullable: true }) @ApiPropertyOptional({ example: 7 }) @IsOptional() @IsInt() @Min(0) @Max(365) reopenWindowDays?: number;
  @Field(() => Int, { nullable: true }) @ApiPropertyOptional({ example: 3 }) @IsOptional() @IsInt() @Min(0) @Max(365) autoCloseAfterDays?: number;
}

/** The person to keep informed (INC-04, optional): personal data, encrypted before deciding. */
@InputType('KeepInformedInput')
export class KeepInformedDto {
  @Field() @ApiProperty({ example: 'Paul Durand' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(30) phone?: string;
}

/** INC-03/04/13: the ticket information; `notifiedAt` (the client's notification) starts the clock. */
@InputType('OpenTicketInput')
export class OpenTicketDto {
  @Field() @ApiProperty({ example: '2026-05-15T17:00:00+02:00' }) @IsInstant('INC-13') notifiedAt: string;
  @Field(() => ID) @ApiProperty() @IsString({ context: { rule: 'INC-04' } }) @IsNotEmpty({ context: { rule: 'INC-04' } }) @MaxLength(100) declaredByContactId: string;
  @Field(() => String) @ApiProperty({ enum: SERVICE_TYPES }) @IsIn(SERVICE_TYPES as unknown as string[], { context: { rule: 'INC-04' } }) serviceType: (typeof SERVICE_TYPES)[number];
  @Field(() => ID) @ApiProperty() @IsString({ context: { rule: 'INC-04' } }) @IsNotEmpty({ context: { rule: 'INC-04' } }) @MaxLength(100) subscriptionId: string;
  @Field() @ApiProperty() @IsString({ context: { rule: 'INC-04' } }) @IsNotEmpty({ context: { rule: 'INC-04' } }) @MaxLength(4000) description: string;
  @Field() @ApiProperty() @IsString({ context: { rule: 'INC-04' } }) @IsNotEmpty({ context: { rule: 'INC-04' } }) @MaxLength(1000) location: string;
  @Field() @ApiProperty() @IsString({ context: { rule: 'INC-04' } }) @IsNotEmpty({ context: { rule: 'INC-04' } }) @MaxLength(4000) consequences: string;
  @Field(() => KeepInformedDto, { nullable: true }) @ApiPropertyOptional({ type: KeepInformedDto }) @IsOptional() @ValidateNested() @Type(() => KeepInformedDto) keepInformed?: KeepInformedDto;
  @Field(() => IncidentTermsDto, { nullable: true }) @ApiPropertyOptional({ type: IncidentTermsDto }) @IsOptional() @ValidateNested() @Type(() => IncidentTermsDto) terms?: IncidentTermsDto;
}

/** INC-05: OKSIO's findings; the classification is derived from them. */
@InputType('ClassifyIncidentInput')
export class ClassifyIncidentDto {
  @Field() @ApiProperty() @IsBoolean({ context: { rule: 'INC-05' } }) totalUnavailability: boolean;
  @Field() @ApiProperty() @IsBoolean({ context: { rule: 'INC-05' } }) attributableToNetworkOnly: boolean;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: ['micro_cuts', 'slow_responses', 'unreachable_destination', 'other'] })
  @IsOptional()
  @IsIn(['micro_cuts', 'slow_responses', 'unreachable_destination', 'other'], { context: { rule: 'INC-05' } })
  minorSymptom?: 'micro_cuts' | 'slow_responses' | 'unreachable_destination' | 'other';
}

/** The instant of a past fact; defaults to now. */
@InputType('FactInstantInput')
export class FactInstantDto {
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'When it happened (defaults to now)' }) @IsOptional() @IsInstant() at?: string;
}

/** INC-06: OKSIO asked the client for access to a site → the clock freezes. */
@InputType('SiteAccessRequestInput')
export class SiteAccessRequestDto extends FactInstantDto {
  @Field() @ApiProperty() @IsString({ context: { rule: 'INC-06' } }) @IsNotEmpty({ context: { rule: 'INC-06' } }) @MaxLength(100) siteId: string;
}

/** INC-13: OKSIO notified the client of the restoration → the clock stops. */
@InputType('RestorationInput')
export class RestorationDto extends FactInstantDto {
  @Field(() => String) @ApiProperty({ enum: ['phone', 'email'] }) @IsIn(['phone', 'email'], { context: { rule: 'INC-13' } }) via: 'phone' | 'email';
}

/** INC-14: the interruption comes from an excluded cause. */
@InputType('SlaExclusionInput')
export class SlaExclusionDto {
  @Field(() => String) @ApiProperty({ enum: SLA_EXCLUSION_CAUSES }) @IsIn(SLA_EXCLUSION_CAUSES as unknown as string[], { context: { rule: 'INC-14' } }) cause: (typeof SLA_EXCLUSION_CAUSES)[number];
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** INC-15: the client asks for the penalty. */
@InputType('PenaltyRequestInput')
export class PenaltyRequestDto {
  @Field(() => ID) @ApiProperty() @IsString({ context: { rule: 'INC-15' } }) @IsNotEmpty({ context: { rule: 'INC-15' } }) @MaxLength(100) requestedByContactId: string;
}

/** INC-07: found outside OKSIO's responsibility, or abnormal/fraudulent use. */
@InputType('UnjustifiedTicketInput')
export class UnjustifiedTicketDto {
  @Field(() => String) @ApiProperty({ enum: ['outside_oksio_responsibility', 'abnormal_use', 'fraudulent_use'] })
  @IsIn(['outside_oksio_responsibility', 'abnormal_use', 'fraudulent_use'], { context: { rule: 'INC-07' } })
  finding: 'outside_oksio_responsibility' | 'abnormal_use' | 'fraudulent_use';
  @Field({ nullable: true }) @ApiPropertyOptional({ default: true, description: 'The fee "may" be billed: false waives it' }) @IsOptional() @IsBoolean() chargeFee?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** INC-08: the client asks for an expertise by the incumbent. */
@InputType('ExpertiseRequestInput')
export class ExpertiseRequestDto {
  @Field(() => ID) @ApiProperty() @IsString({ context: { rule: 'INC-08' } }) @IsNotEmpty({ context: { rule: 'INC-08' } }) @MaxLength(100) requestedByContactId: string;
}

@InputType('ExpertiseOutcomeInput')
export class ExpertiseOutcomeDto {
  @Field() @ApiProperty() @IsBoolean({ context: { rule: 'INC-08' } }) justified: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** INC-09: support closes after informing the client. */
@InputType('CloseTicketInput')
export class CloseTicketDto {
  @Field(() => String) @ApiProperty({ enum: ['phone', 'email'] }) @IsIn(['phone', 'email'], { context: { rule: 'INC-09' } }) clientInformedVia: 'phone' | 'email';
}

@InputType('ConfirmResolutionInput')
export class ConfirmResolutionDto {
  @Field(() => ID) @ApiProperty() @IsString({ context: { rule: 'INC-09' } }) @IsNotEmpty({ context: { rule: 'INC-09' } }) @MaxLength(100) contactId: string;
}

@InputType('ReopenTicketInput')
export class ReopenTicketDto {
  @Field(() => ID) @ApiProperty() @IsString({ context: { rule: 'INC-09' } }) @IsNotEmpty({ context: { rule: 'INC-09' } }) @MaxLength(100) requestedByContactId: string;
  @Field() @ApiProperty() @IsString({ context: { rule: 'INC-09' } }) @IsNotEmpty({ context: { rule: 'INC-09' } }) @MaxLength(2000) reason: string;
}

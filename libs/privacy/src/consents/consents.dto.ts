import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CONSENT_PURPOSES, CONSENT_SOURCES, type ConsentPurpose, type ConsentSource } from './consent.decider';

@InputType('PrivacyConsentInput')
export class GiveConsentDto {
  @Field(() => String)
  @ApiProperty({ enum: CONSENT_PURPOSES })
  @IsIn(CONSENT_PURPOSES, { context: { rule: 'PRV-05' } })
  purpose: ConsentPurpose;

  @Field(() => String)
  @ApiProperty({ enum: CONSENT_SOURCES, description: 'Where the explicit consent was expressed (PRV-05)' })
  @IsIn(CONSENT_SOURCES, { context: { rule: 'PRV-05' } })
  source: ConsentSource;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ example: 'checkbox "offers by e-mail" ticked on form v3', description: 'Proof of the consent (stored encrypted)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  evidence?: string;
}

@InputType('PrivacyConsentWithdrawalInput')
export class WithdrawConsentDto {
  @Field(() => String)
  @ApiProperty({ enum: CONSENT_SOURCES })
  @IsIn(CONSENT_SOURCES, { context: { rule: 'PRV-05' } })
  source: ConsentSource;
}

@InputType('PrivacyDirectoryInput')
export class DirectoryPreferencesDto {
  @Field(() => Boolean)
  @ApiProperty({ description: 'Listed in the directory (false: "liste rouge")' })
  @IsBoolean()
  listed: boolean;

  @Field(() => Boolean)
  @ApiProperty({ description: 'Listed without the full address' })
  @IsBoolean()
  hideFullAddress: boolean;

  @Field(() => Boolean)
  @ApiProperty({ description: 'The directory data may not be used for direct marketing ("liste orange")' })
  @IsBoolean()
  noMarketingUse: boolean;

  @Field(() => String)
  @ApiProperty({ enum: CONSENT_SOURCES })
  @IsIn(CONSENT_SOURCES, { context: { rule: 'PRV-06' } })
  source: ConsentSource;
}

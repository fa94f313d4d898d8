import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsEmail,
  IsIn,
  IsIP,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { IsCalendarDate, IsInstant } from '@oksio/platform';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { BLOCK_REASONS, type BlockReason } from './account.decider';

const SERVICES = ['DATA', 'MOBILE', 'FIXED_VGA', 'FIXED_SIP', 'HOSTED_PBX'] as const;
const FILE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function IsPhone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPhone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a valid telephone number`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && isValidPhoneNumber(v, 'FR') },
    });
}

@InputType('PortalRegistrationInput')
export class RegisterPortalAccountDto {
  @Field(() => String)
  @ApiProperty({ description: 'The customer (subscription context) the account belongs to' })
  @IsUUID()
  customerId: string;

  @Field(() => String)
  @ApiProperty({ example: 'Jeanne Martin' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @Field(() => String)
  @ApiProperty({ example: 'jeanne@example.fr', description: 'Login, and address of the activation link (ACC-01)' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field(() => String)
  @ApiProperty({ example: '0612345678', description: 'Receives the SMS activation code (ACC-01)' })
  @IsPhone()
  phone: string;

  @Field(() => String)
  @ApiProperty({ description: '12-128 characters, three of: lower case, upper case, digits, others' })
  @IsString()
  @MaxLength(128)
  password: string;

  @Field(() => [String])
  @ApiProperty({ enum: SERVICES, isArray: true, description: 'Services the client holds (ACC-08 MOBILE notice, ACC-09 HOSTED_PBX)' })
  @ArrayMaxSize(SERVICES.length)
  @ArrayUnique()
  @IsIn(SERVICES, { each: true })
  services: string[];

  @Field(() => String)
  @ApiProperty({ example: '2026-02-10', description: 'The terms-of-use version the client accepted by registering (ACC-06)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  acceptedTermsVersion: string;
}

export class ConfirmCodeDto {
  @ApiProperty({ example: '042137' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits', context: { rule: 'ACC-01' } })
  code: string;
}

export class ConfirmLinkDto {
  @ApiProperty({ description: 'The token of the activation or invitation link' })
  @Matches(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/, { message: 'token is not a link token', context: { rule: 'ACC-01' } })
  token: string;
}

export class ResendDto {
  @ApiProperty({ enum: ['sms', 'email'] })
  @IsIn(['sms', 'email'])
  channel: 'sms' | 'email';
}

export class AcceptInvitationDto extends ConfirmLinkDto {
  @ApiProperty()
  @IsString()
  @MaxLength(128)
  password: string;
}

export class LoginDto {
  @ApiProperty({ example: 'jeanne@example.fr' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  login: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({ example: '192.0.2.10', description: 'The end user\'s IP address as the portal front end saw it (connection log, PRV-07)' })
  @IsOptional()
  @IsIP()
  clientIp?: string;

  @ApiPropertyOptional({ example: 'Mozilla/5.0 …' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  userAgent?: string;
}

export class AcceptTermsDto {
  @ApiProperty({ example: '2026-02-10' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  version: string;
}

export class ECorrespondenceDto {
  @ApiProperty({ description: 'Invoices and messages by e-mail (opt-in, ACC-07)' })
  @IsBoolean()
  optIn: boolean;
}

export class PostalAddressDto {
  @ApiProperty({ example: '12 rue de la Paix' }) @IsString() @IsNotEmpty() @MaxLength(200) line1: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty({ example: '75002' }) @Matches(/^\d{5}$/, { message: 'postalCode must be 5 digits' }) postalCode: string;
  @ApiProperty({ example: 'Paris' }) @IsString() @IsNotEmpty() @MaxLength(100) city: string;
  @ApiProperty({ example: 'FR' }) @IsISO31661Alpha2() country: string;
}

export class AddressChangeDto {
  @ApiProperty({ enum: ['postal', 'email'] })
  @IsIn(['postal', 'email'], { context: { rule: 'ACC-08' } })
  kind: 'postal' | 'email';

  @ApiPropertyOptional({ type: PostalAddressDto, description: 'kind postal' })
  @ValidateIf((o: AddressChangeDto) => o.kind === 'postal')
  @IsObject()
  @ValidateNested()
  @Type(() => PostalAddressDto)
  postalAddress?: PostalAddressDto;

  @ApiPropertyOptional({ description: 'kind email' })
  @ValidateIf((o: AddressChangeDto) => o.kind === 'email')
  @IsEmail()
  email?: string;

  @ApiProperty({ example: '2026-04-15', description: 'Date the new address takes effect (MOBILE: at least 7 days ahead, ACC-08)' })
  @IsCalendarDate('ACC-08')
  effectiveOn: string;
}

export class InviteDto {
  @ApiProperty({ example: 'Cabinet Comptable Leroy' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'compta@leroy.example', description: 'Login of the invited user; receives the invitation link' })
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class DelegationDto extends InviteDto {
  @ApiPropertyOptional({ example: '2026-12-31T23:00:00Z', description: 'End of the delegation (none: until revoked)' })
  @IsOptional()
  @IsInstant()
  expiresAt?: string;
}

export class UpdateDelegationDto {
  @ApiProperty({ nullable: true, example: '2027-06-30T22:00:00Z', description: 'New end of the delegation; null: until revoked' })
  @ValidateIf((o: UpdateDelegationDto) => o.expiresAt !== null)
  @IsInstant()
  expiresAt: string | null;
}

export class PbxUserDto extends InviteDto {
  @ApiProperty({ enum: ['internal', 'external'], description: 'internal: every file; external: own files, by function and duration (ACC-09)' })
  @IsIn(['internal', 'external'], { context: { rule: 'ACC-09' } })
  access: 'internal' | 'external';

  @ApiPropertyOptional({ type: [String], description: 'external: the files the user may work on' })
  @ValidateIf((o: PbxUserDto) => o.access === 'external' || o.files !== undefined)
  @ArrayMinSize(1, { context: { rule: 'ACC-09' } })
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(FILE_ID, { each: true, message: 'files must be file ids' })
  files?: string[];

  @ApiPropertyOptional({ example: 'accountant', description: 'external: the function its rights follow' })
  @ValidateIf((o: PbxUserDto) => o.access === 'external')
  @IsString({ context: { rule: 'ACC-09' } })
  @IsNotEmpty({ context: { rule: 'ACC-09' } })
  @MaxLength(100)
  function?: string;

  @ApiPropertyOptional({ example: '2026-12-31T23:00:00Z', description: 'external: end of the access' })
  @ValidateIf((o: PbxUserDto) => o.access === 'external' || o.expiresAt !== undefined)
  @IsInstant('ACC-09')
  expiresAt?: string;
}

export class PbxFileDto {
  @ApiProperty({ example: { extension: '201', forwardTo: '0612345678' }, description: 'The file\'s modifiable data (stored encrypted)' })
  @IsObject()
  content: Record<string, unknown>;
}

export class BlockDto {
  @ApiProperty({ enum: BLOCK_REASONS, description: 'security_risk (operator) or client_request (written request of the client)' })
  @IsIn(BLOCK_REASONS, { context: { rule: 'ACC-05' } })
  reason: BlockReason;

  @ApiPropertyOptional({ description: 'End of a temporary block; absent: until unblocked' })
  @IsOptional()
  @IsInstant()
  until?: string;

  @ApiPropertyOptional({ example: 'LRAR 1A 234 567 8901 2', description: 'Required with client_request: reference of the written request' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  writtenRequestReference?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class CloseAccountDto {
  @ApiProperty({ example: 'Courrier du 02/03/2026', description: 'The client\'s written request to delete its access (ACC-05)' })
  @IsString({ context: { rule: 'ACC-05' } })
  @IsNotEmpty({ context: { rule: 'ACC-05' } })
  @MaxLength(200)
  writtenRequestReference: string;
}

@InputType('PortalTermsInput')
export class PublishTermsDto {
  @Field(() => String)
  @ApiProperty({ example: '2026-09-01' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/, { message: 'version must be 1-50 letters, digits or _.-' })
  version: string;

  @Field(() => String)
  @ApiProperty({ example: 'Conditions d\'utilisation, édition du 01.09.2026' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ description: 'When the version comes into force (default: now)' })
  @IsOptional()
  @IsInstant()
  publishedAt?: string;
}

export class SettingDto {
  @ApiProperty({ example: 'PT30M' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  value: string;
}

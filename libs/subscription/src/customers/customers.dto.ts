import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A telephone number libphonenumber-js accepts (national French form or E.164). */
export function IsPhone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPhone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a valid telephone number`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && isValidPhoneNumber(v, 'FR') },
    });
}

/** One class per input: REST body (OpenAPI), GraphQL input and validation rules together. */
@InputType('AddressInput')
export class AddressDto {
  @Field() @ApiProperty({ example: '12 rue de la Paix' }) @IsString() @IsNotEmpty() @MaxLength(200) line1: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @Field() @ApiProperty({ example: '75002' }) @Matches(/^\d{5}$/, { message: 'postalCode must be 5 digits' }) postalCode: string;
  @Field() @ApiProperty({ example: 'Paris' }) @IsString() @IsNotEmpty() @MaxLength(100) city: string;
  @Field() @ApiProperty({ example: 'FR' }) @IsISO31661Alpha2() country: string;
}

@InputType('ContactInput')
export class ContactDto {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ description: 'Generated when absent' }) @IsOptional() @IsUUID() contactId?: string;
  @Field() @ApiProperty({ enum: ['signatory', 'technical', 'billing', 'other'] }) @IsIn(['signatory', 'technical', 'billing', 'other']) role:
    | 'signatory'
    | 'technical'
    | 'billing'
    | 'other';
  @Field() @ApiProperty({ description: 'May call support and open tickets (INC-02)' }) @IsBoolean() authorisedForSupport: boolean;
  @Field() @ApiProperty({ example: 'Jeanne Martin' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @Field() @ApiProperty({ example: 'jeanne.martin@example.fr' }) @IsEmail() email: string;
  @Field() @ApiProperty({ example: '0612345678' }) @IsPhone() phone: string;
}

@InputType('RegisterCustomerInput')
export class RegisterCustomerDto {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ description: 'Generated when absent' }) @IsOptional() @IsUUID() customerId?: string;
  @Field() @ApiProperty({ example: 'Boulangerie Martin SARL' }) @IsString() @IsNotEmpty() @MaxLength(200) companyName: string;
  @Field() @ApiProperty({ example: '73282932000074' }) @Matches(/^\d{14}$/, { message: 'siret must be 14 digits' }) siret: string;
  @Field(() => AddressDto) @ApiProperty({ type: AddressDto }) @IsDefined() @ValidateNested() @Type(() => AddressDto) billingAddress: AddressDto;
  @Field(() => [ContactDto])
  @ApiProperty({ type: [ContactDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts: ContactDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsYearMonth } from '@oksio/platform';

const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;
const PRICE = /^\d{1,7}(\.\d{1,4})?$/;
const ID = /^[A-Za-z0-9._:-]{1,100}$/;
const m = (field: string, what: string, rule?: string) => ({ message: `${field} must be ${what}`, ...(rule ? { context: { rule } } : {}) });

/** One class per input: REST body (OpenAPI), GraphQL input and validation rules together. */
@InputType('RunBillingMonthInput')
export class RunBillingMonthDto {
  @Field() @ApiProperty({ example: '2026-03', description: 'The month billed in arrears (BIL-02); the run is allowed from the 1st of the next month' })
  @IsYearMonth('BIL-02')
  month: string;
}

@InputType('RecordPaymentInput')
export class RecordPaymentDto {
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'Generated from the Idempotency-Key when absent' }) @IsOptional() @Matches(ID, m('paymentId', 'an identifier')) paymentId?: string;
  @Field() @ApiProperty({ example: '712.38' }) @Matches(AMOUNT, m('amount', 'an amount in euros with at most 2 decimals', 'BIL-04')) amount: string;
  @Field() @ApiProperty({ example: '2026-04-28' }) @IsCalendarDate('BIL-04') receivedOn: string;
  @Field() @ApiProperty({ enum: ['sepa_direct_debit', 'bank_transfer', 'cheque'], description: 'cheque: handset orders before the bank details are registered (CP Mobile 15)' }) @IsIn(['sepa_direct_debit', 'bank_transfer', 'cheque']) method: 'sepa_direct_debit' | 'bank_transfer' | 'cheque';
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'SEPA mandate (RUM); the active mandate when absent' }) @IsOptional() @IsString() @MaxLength(35) mandateId?: string;
}

@InputType('RejectPaymentInput')
export class RejectPaymentDto {
  @Field() @ApiProperty({ example: '2026-05-05' }) @IsCalendarDate('BIL-04') rejectedOn: string;
  @Field() @ApiProperty({ example: 'AM04 insufficient funds' }) @IsString() @IsNotEmpty() @MaxLength(200) reason: string;
}

@InputType('OpenDisputeInput')
export class OpenDisputeDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @Matches(ID, m('disputeId', 'an identifier')) disputeId?: string;
  @Field() @ApiProperty({ enum: ['registered_letter_with_ack', 'letter', 'email', 'phone'] }) @IsIn(['registered_letter_with_ack', 'letter', 'email', 'phone']) channel: string;
  @Field() @ApiProperty({ example: '2026-04-20' }) @IsCalendarDate('BIL-06') lrarReceivedOn: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'When the client received the invoice; the invoice date when absent' }) @IsOptional() @IsCalendarDate('BIL-06') invoiceReceivedOn?: string;
  @Field() @ApiProperty({ example: 'Ligne facturée deux fois' }) @IsString() @MaxLength(2000) reasons: string;
  @Field() @ApiProperty({ example: '240.00', description: 'Disputed amount TTC (suspended)' }) @Matches(AMOUNT, m('amount', 'an amount in euros with at most 2 decimals', 'BIL-06')) amount: string;
}

@InputType('DisputeDocumentsInput')
export class DisputeDocumentsDto {
  @Field() @ApiProperty({ example: '2026-05-10' }) @IsCalendarDate('BIL-06') receivedOn: string;
}

@InputType('ResolveDisputeInput')
export class ResolveDisputeDto {
  @Field() @ApiProperty({ enum: ['upheld', 'partially_upheld', 'rejected'] }) @IsIn(['upheld', 'partially_upheld', 'rejected']) outcome: 'upheld' | 'partially_upheld' | 'rejected';
  @Field({ nullable: true }) @ApiPropertyOptional({ example: '120.00', description: 'Credit TTC (required when partially upheld)' }) @IsOptional() @Matches(AMOUNT, m('creditAmount', 'an amount in euros', 'BIL-06')) creditAmount?: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

@InputType('GrantCreditInput')
export class GrantCreditDto {
  @Field() @ApiProperty({ example: '50.00', description: 'Credit HT; VAT at the invoice rate is added' }) @Matches(AMOUNT, m('amountHT', 'an amount in euros', 'BIL-01')) amountHT: string;
  @Field() @ApiProperty({ example: 'Geste commercial' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

@InputType('AssessLateInterestInput')
export class AssessLateInterestDto {
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'Interest up to this date (today when absent)' }) @IsOptional() @IsCalendarDate('BIL-05') asOf?: string;
}

@InputType('PriceChangeInput')
export class PriceChangeDto {
  @Field() @ApiProperty({ example: 'MONTHLY:MOBILE:DEFAULT' }) @IsString() @MaxLength(100) code: string;
  @Field() @ApiProperty({ example: '21.90' }) @Matches(PRICE, m('price', 'a price HT with at most 4 decimals', 'BIL-01')) price: string;
  @Field() @ApiProperty({ example: '2026-09-01' }) @IsCalendarDate('CON-02') effectiveFrom: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) label?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ enum: ['monthly', 'access', 'option_monthly', 'fee'] }) @IsOptional() @IsIn(['monthly', 'access', 'option_monthly', 'fee']) kind?: 'monthly' | 'access' | 'option_monthly' | 'fee';
  @Field({ nullable: true }) @ApiPropertyOptional({ enum: ['force_majeure', 'supplier_price_surge'] }) @IsOptional() @IsIn(['force_majeure', 'supplier_price_surge']) exception?: 'force_majeure' | 'supplier_price_surge';
}

@InputType('LegalRateInput')
export class LegalRateDto {
  @Field() @ApiProperty({ example: '2026-H2' }) @Matches(/^\d{4}-H[12]$/, m('halfYear', "a half-year 'YYYY-H1' or 'YYYY-H2'", 'BIL-05')) halfYear: string;
  @Field() @ApiProperty({ example: '2.41' }) @Matches(/^\d{1,2}(\.\d{1,4})?$/, m('rate', 'a percentage such as "2.62"', 'BIL-05')) rate: string;
}

@InputType('RecordChargeInput')
export class RecordChargeDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @Matches(ID, m('chargeId', 'an identifier')) chargeId?: string;
  @Field() @ApiProperty({ example: 'FEE:SIM_SWAP' }) @Matches(/^FEE:[A-Z0-9_]+$/, m('code', 'a fee code of the catalogue (FEE:…)', 'BIL-08')) code: string;
  @Field(() => Int) @ApiProperty({ example: 1 }) @Type(() => Number) @IsInt() @Min(1) @Max(10000) quantity: number;
  @Field() @ApiProperty({ example: '2026-04-22' }) @IsCalendarDate('BIL-08') occurredOn: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) itemId?: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}

@InputType('ChangeOptionInput')
export class ChangeOptionDto {
  @Field() @ApiProperty({ example: 'sda-1' }) @Matches(ID, m('optionId', 'an identifier')) optionId: string;
  @Field() @ApiProperty({ example: 'OPTION:SDA_BLOCK_10' }) @Matches(/^OPTION:[A-Z0-9_]+$/, m('code', 'an option code of the catalogue (OPTION:…)', 'BIL-02')) code: string;
  @Field(() => Int) @ApiProperty({ example: 3, description: '0 ends the option' }) @Type(() => Number) @IsInt() @Min(0) @Max(10000) quantity: number;
  @Field() @ApiProperty({ example: '2026-04-01' }) @IsCalendarDate('BIL-02') effectiveOn: string;
}

@InputType('RegisterMandateInput')
export class RegisterMandateDto {
  @Field() @ApiProperty({ example: 'RUM-OKSIO-000123', description: 'Unique mandate reference (RUM)' }) @IsString() @IsNotEmpty() @MaxLength(35) mandateId: string;
  @Field() @ApiProperty({ example: 'FR7630006000011234567890189' }) @IsString() @MaxLength(42) iban: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ example: 'AGRIFRPP' }) @IsOptional() @Matches(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, m('bic', 'a BIC', 'BIL-04')) bic?: string;
  @Field() @ApiProperty({ example: '2026-03-01' }) @IsCalendarDate('BIL-04') signedOn: string;
}

@InputType('RevokeMandateInput')
export class RevokeMandateDto {
  @Field() @ApiProperty({ example: 'Client request' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

// The list queries (invoices, balances, overdue, disputes, handset orders, mandates) are in ./billing.queries.ts.

export class AsOfQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() asOf?: string;
}

export class LiabilityQueryDto {
  @ApiProperty({ example: '2026-06-10' }) @IsCalendarDate('BIL-12') eventOn: string;
}

// ---- BIL-13 handset orders

@InputType('HandsetLineInput')
export class HandsetLineDto {
  @Field() @ApiProperty({ example: 'Fairphone 5' }) @IsString() @IsNotEmpty() @MaxLength(100) model: string;
  @Field() @ApiProperty({ example: 'Smartphone' }) @IsString() @IsNotEmpty() @MaxLength(200) label: string;
  @Field(() => Int) @ApiProperty({ example: 2 }) @IsInt() @Min(1) @Max(1000) quantity: number;
  @Field() @ApiProperty({ example: '449.00', description: 'Unit price EUR HT as quoted (BIL-01)' }) @Matches(PRICE, m('unitPrice', 'a price in euros HT with at most 4 decimals', 'BIL-01')) unitPrice: string;
}

@InputType('PlaceHandsetOrderInput')
export class PlaceHandsetOrderDto {
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'Generated from the Idempotency-Key when absent' }) @IsOptional() @Matches(ID, m('orderId', 'an identifier')) orderId?: string;
  @Field() @ApiProperty({ description: 'The MOBILE subscription the handsets are for' }) @IsString() @IsNotEmpty() @MaxLength(100) subscriptionId: string;
  @Field(() => [HandsetLineDto])
  @ApiProperty({ type: [HandsetLineDto] })
  @IsArray()
  @ArrayMinSize(1, m('lines', 'at least one line', 'BIL-13'))
  @ArrayMaxSize(50, m('lines', 'at most 50 lines', 'BIL-13'))
  @ValidateNested({ each: true })
  @Type(() => HandsetLineDto)
  lines: HandsetLineDto[];
}

@InputType('RecordHandsetShipmentInput')
export class RecordHandsetShipmentDto {
  @Field() @ApiProperty({ example: 'COLISSIMO-6A12345678901' }) @IsString() @IsNotEmpty() @MaxLength(100) shipmentRef: string;
  @Field() @ApiProperty({ example: '2026-05-07' }) @IsCalendarDate('BIL-13') shippedOn: string;
}


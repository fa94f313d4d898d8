import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsInstant } from '@oksio/platform';
import type { AccessPendingOperation, DonorRefusalCode, FixedLineService, NumberStatus, NumerisOffer, PlainDocument } from '../domain';

/** One class per input: REST body (OpenAPI), GraphQL input and validation rules together. */

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
export const idMessage = (field: string) => ({ message: `${field} must be 1–100 letters, digits, '.', '_', ':' or '-'` });

export const PLAIN_DOCUMENT_KINDS: PlainDocument[] = ['previous_contracts', 'last_three_invoices', 'signed_termination_letters', 'subscription_documents'];
export const NUMBER_STATUSES: NumberStatus[] = ['active', 'suspended', 'inactive'];
export const DONOR_REFUSAL_CODES: DonorRefusalCode[] = [
  'requester_not_holder_nor_mandated',
  'incomplete_or_wrong_request',
  'number_inactive_on_porting_day',
  'porting_request_already_pending',
  'other',
];
export const PORTING_QUEUES = ['documents_missing', 'ready', 'scheduled', 'ported', 'new_number', 'port_out_pending', 'ported_out', 'closed'] as const;

@InputType('PortingHolderInput')
export class HolderDto {
  @Field(() => String) @ApiProperty({ enum: ['customer', 'third_party'], description: 'POR-03: the customer holds the donor contract, or a third party (mandate needed)' })
  @IsIn(['customer', 'third_party'])
  kind: 'customer' | 'third_party';

  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ description: "Third party's name (personal data, stored encrypted)" })
  @ValidateIf((o: HolderDto) => o.kind === 'third_party')
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) position?: string;

  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ description: "The holder's mandate document (POR-03), may come later" })
  @IsOptional()
  @Matches(ID_PATTERN, idMessage('mandateDocumentId'))
  mandateDocumentId?: string;
}

@InputType('InboundPortingInput')
export class InboundPortingDto {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ description: 'Generated when absent' }) @IsOptional() @Matches(ID_PATTERN, idMessage('portingId')) portingId?: string;
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('customerId')) customerId: string;
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('subscriptionId')) subscriptionId: string;
  @Field(() => String) @ApiProperty({ description: 'The MOBILE line of the subscription that takes the number' }) @Matches(ID_PATTERN, idMessage('lineId')) lineId: string;
  @Field(() => String) @ApiProperty({ example: '06 12 34 56 78', description: 'POR-07: a metropolitan mobile number 06/07' }) @IsString() @MaxLength(32) msisdn: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ example: '02E123456TZE', description: 'POR-07: checked (syntax and key) at once' }) @IsOptional() @IsString() @MaxLength(32) rio?: string;
  @Field(() => HolderDto) @ApiProperty({ type: HolderDto }) @IsDefined() @ValidateNested() @Type(() => HolderDto) holder: HolderDto;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ description: "POR-01/SUB-15 clocks start here; defaults to the subscription's signature date" })
  @IsOptional()
  @IsCalendarDate()
  contractSignedOn?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ description: 'ICCID of the SIM OKSIO gives the line' }) @IsOptional() @IsString() @MaxLength(32) simNumber?: string;
}

@InputType('ProvideRioInput')
export class ProvideRioDto {
  @Field(() => String) @ApiProperty({ example: '02E123456TZE' }) @IsString() @MaxLength(32) rio: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() receivedOn?: string;
}

@InputType('PortingDocumentInput')
export class DocumentDto {
  @Field(() => String) @ApiProperty({ enum: PLAIN_DOCUMENT_KINDS }) @IsIn(PLAIN_DOCUMENT_KINDS) kind: PlainDocument;
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('documentId')) documentId: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() receivedOn?: string;
}

@InputType('PortingFormInput')
export class PortingFormDto {
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('documentId')) documentId: string;
  @Field(() => String) @ApiProperty({ description: 'POR-05: at least 30 days after the complete file' }) @IsCalendarDate() portingDate: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() receivedOn?: string;
}

@InputType('MandateDocumentInput')
export class MandateDocumentDto {
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('mandateDocumentId')) mandateDocumentId: string;
}

@InputType('PreviousContractEndInput')
export class PreviousContractEndDto {
  @Field(() => String) @ApiProperty({ description: 'SUB-15: firm and final' }) @IsCalendarDate() endsOn: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() collectedOn?: string;
}

@InputType('CheckEligibilityInput')
export class CheckEligibilityDto {
  @Field(() => String) @ApiProperty({ enum: NUMBER_STATUSES, description: 'POR-03: the PNM answer for the porting day (suspended counts as active)' })
  @IsIn(NUMBER_STATUSES)
  numberStatusOnPortingDay: NumberStatus;
}

@InputType('AnsweredOnInput')
export class AnsweredOnDto {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() answeredOn?: string;
}

@InputType('DonorRefusalInput')
export class DonorRefusalDto {
  @Field(() => String) @ApiProperty({ enum: DONOR_REFUSAL_CODES }) @IsIn(DONOR_REFUSAL_CODES) reasonCode: DonorRefusalCode;
  @Field(() => String) @ApiProperty({ description: 'POR-03: a refusal must be reasoned' }) @IsString() @MaxLength(500) reason: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() answeredOn?: string;
}

@InputType('ExecutePortingInput')
export class ExecutePortingDto {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsInstant('POR-04') interruptionStartedAt?: string;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({
    description: 'POR-06: ICCID of the SIM that serves the ported number; required when the request did not give one. Also completes a port recorded without its number assignment.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  simNumber?: string;
}

@InputType('ServiceRestoredInput')
export class ServiceRestoredDto {
  @Field(() => String) @ApiProperty({ description: 'POR-04: end of the porting interruption' }) @IsInstant('POR-04') restoredAt: string;
}

@InputType('PortingFailureInput')
export class PortingFailureDto {
  @Field(() => String) @ApiProperty({ enum: ['other_operator', 'loss_of_eligibility'] }) @IsIn(['other_operator', 'loss_of_eligibility']) cause: 'other_operator' | 'loss_of_eligibility';
  @Field(() => String) @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) detail: string;
}

@InputType('NewNumberInput')
export class NewNumberDto {
  @Field(() => String) @ApiProperty({ example: '0712345678' }) @IsString() @MaxLength(32) msisdn: string;
  @Field(() => String) @ApiProperty({ description: 'ICCID of the SIM serving the new number' }) @IsString() @MaxLength(32) simNumber: string;
}

@InputType('PortOutInput')
export class PortOutDto {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ description: 'Generated when absent' }) @IsOptional() @Matches(ID_PATTERN, idMessage('portingId')) portingId?: string;
  @Field(() => String) @ApiProperty() @IsString() @MaxLength(32) msisdn: string;
  @Field(() => String) @ApiProperty({ description: 'The RIO the recipient operator presents (POR-07)' }) @IsString() @MaxLength(32) rio: string;
  @Field(() => String) @ApiProperty({ example: '02' }) @Matches(/^\d{2}$/, { message: 'recipientOperatorCode must be 2 digits' }) recipientOperatorCode: string;
  @Field(() => String) @ApiProperty() @IsCalendarDate() plannedPortingDate: string;
}

@InputType('ConfirmPortOutInput')
export class ConfirmPortOutDto {
  @Field(() => String) @ApiProperty({ description: 'POR-06: the actual porting date, when the OKSIO contract for the number ends' }) @IsCalendarDate() portedOn: string;
}

@InputType('ReasonInput')
export class ReasonDto {
  @Field(() => String) @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

// The list queries (porting queue, numbers, mandates) are in ./queries.ts.

// ---- numbers and RIO ------------------------------------------------------------------------------

@InputType('AssignNumberInput')
export class AssignNumberDto {
  @Field(() => String) @ApiProperty() @IsString() @MaxLength(32) msisdn: string;
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('subscriptionId')) subscriptionId: string;
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('lineId')) lineId: string;
  @Field(() => String) @ApiProperty() @IsString() @MaxLength(32) simNumber: string;
}

@InputType('RioRequestInput')
export class RioRequestDto {
  @Field(() => String) @ApiProperty({ description: 'POR-06: the mobile number' }) @IsString() @MaxLength(32) msisdn: string;
  @Field(() => String) @ApiProperty({ description: 'POR-06: the SIM card number (ICCID)' }) @IsString() @MaxLength(40) simNumber: string;
  @Field(() => String) @ApiProperty({ description: "POR-06: the customer's SIRET" }) @IsString() @MaxLength(20) siret: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, idMessage('requestId')) requestId?: string;
}

@InputType('RioCheckInput')
export class RioCheckDto {
  @Field(() => String) @ApiProperty({ example: '02E123456TZE' }) @IsString() @MaxLength(32) rio: string;
  @Field(() => String) @ApiProperty({ example: '0612345678' }) @IsString() @MaxLength(32) msisdn: string;
}

// ---- fixed-line mandates ------------------------------------------------------------------------

const PENDING_OPERATIONS: AccessPendingOperation[] = ['none', 'creation', 'termination', 'renumbering', 'move'];
const NUMERIS: NumerisOffer[] = ['NUMERIS_T2', 'NUMERIS_DUO', 'NUMERIS_COMMERCE', 'NUMERIS_ITOO'];

@InputType('FixedAccessFactsInput')
export class FixedAccessFactsDto {
  @Field(() => Boolean) @ApiProperty() @IsBoolean() orangeInternalPost: boolean;
  @Field(() => Boolean) @ApiProperty() @IsBoolean() groupHeadLine: boolean;
  @Field(() => String) @ApiProperty({ enum: PENDING_OPERATIONS }) @IsIn(PENDING_OPERATIONS) pendingOperation: AccessPendingOperation;
  @Field(() => Boolean) @ApiProperty() @IsBoolean() temporaryAccess: boolean;
  @Field(() => Boolean) @ApiProperty() @IsBoolean() cabinOrPayphone: boolean;
  @Field(() => [String]) @ApiProperty({ enum: NUMERIS, isArray: true }) @ArrayMaxSize(4) @IsIn(NUMERIS, { each: true }) siteNumerisOffers: NumerisOffer[];
}

@InputType('FixedLineResaleInput')
export class FixedLineResaleDto {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, idMessage('mandateId')) mandateId?: string;
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('customerId')) customerId: string;
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('subscriptionId')) subscriptionId: string;
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('lineId')) lineId: string;
  @Field(() => String) @ApiProperty({ enum: ['FIXED_VGA', 'FIXED_SIP'] }) @IsIn(['FIXED_VGA', 'FIXED_SIP']) service: FixedLineService;
  @Field(() => String) @ApiProperty({ example: 'Orange' }) @IsString() @IsNotEmpty() @MaxLength(100) localLoopOperator: string;
  @Field(() => String) @ApiProperty({ enum: ['existing_line', 'new_line'] }) @IsIn(['existing_line', 'new_line']) accessKind: 'existing_line' | 'new_line';
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ example: '0145678901' }) @ValidateIf((o: FixedLineResaleDto) => o.accessKind === 'existing_line') @IsString() @MaxLength(32) ndi?: string;
  @Field(() => String) @ApiProperty({ enum: ['customer', 'third_party'] }) @IsIn(['customer', 'third_party']) holderKind: 'customer' | 'third_party';
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional()
  @ValidateIf((o: FixedLineResaleDto) => o.holderKind === 'third_party')
  @Matches(ID_PATTERN, idMessage('holderAgreementDocumentId'))
  holderAgreementDocumentId?: string;
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('mandateDocumentId')) mandateDocumentId: string;
  @Field(() => String) @ApiProperty() @IsCalendarDate() signedOn: string;
  @Field(() => FixedAccessFactsDto) @ApiProperty({ type: FixedAccessFactsDto }) @IsDefined() @ValidateNested() @Type(() => FixedAccessFactsDto) accessFacts: FixedAccessFactsDto;
}

@InputType('OnDateInput')
export class OnDateDto {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() on?: string;
}

@InputType('OblAcceptanceInput')
export class OblAcceptanceDto {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() acceptedOn?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ description: 'POR-08: a new line’s number; an existing line keeps its NDI' }) @IsOptional() @IsString() @MaxLength(32) number?: string;
}

@InputType('OblRejectionInput')
export class OblRejectionDto {
  @Field(() => String) @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() rejectedOn?: string;
}

@InputType('NdiChangeNoticeInput')
export class NdiChangeNoticeDto {
  @Field(() => String) @ApiProperty() @Matches(ID_PATTERN, idMessage('noticeId')) noticeId: string;
  @Field(() => String) @ApiProperty() @IsString() @MaxLength(32) newNdi: string;
  @Field(() => String) @ApiProperty() @IsCalendarDate() notifiedOn: string;
  @Field(() => String) @ApiProperty({ description: 'POR-08: 6 months after the notice at the earliest' }) @IsCalendarDate() effectiveOn: string;
}


import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, ID, InputType, Int, ArgsType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import GraphQLJSON from 'graphql-type-json';
import { IsCalendarDate, PageArgs } from '@oksio/platform';
import { SERVICE_KINDS } from '../domain/terms';

/**
 * One class per command input: REST body (OpenAPI), GraphQL input and validation rules together.
 * Dates are Europe/Paris calendar dates 'YYYY-MM-DD' (`IsCalendarDate`: years 1900–2999, no 30 February):
 * anything else is a 400 naming the field and the rule whose date it is.
 */

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const amountMessage = (field: string) => ({ message: `${field} must be a decimal string such as "120.00"` });

// ---- order ----------------------------------------------------------------------------------------

@InputType('FixedLineFactsInput')
export class FixedLineFactsDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() orangeInternalPost?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() groupHeadLine?: boolean;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ enum: ['in_service', 'being_created', 'being_terminated', 'being_renumbered', 'being_moved'] })
  @IsOptional()
  @IsIn(['in_service', 'being_created', 'being_terminated', 'being_renumbered', 'being_moved'], { context: { rule: 'SUB-17' } })
  accessStatus?: 'in_service' | 'being_created' | 'being_terminated' | 'being_renumbered' | 'being_moved';
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() temporaryAccess?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() cabinOrPayphone?: boolean;
  @Field(() => [String], { nullable: true })
  @ApiPropertyOptional({ type: [String], enum: ['NUMERIS_T2', 'NUMERIS_DUO', 'NUMERIS_COMMERCE', 'NUMERIS_ITOO'] })
  @IsOptional()
  @IsArray()
  @IsIn(['NUMERIS_T2', 'NUMERIS_DUO', 'NUMERIS_COMMERCE', 'NUMERIS_ITOO'], { each: true, context: { rule: 'SUB-17' } })
  siteNumerisOffers?: Array<'NUMERIS_T2' | 'NUMERIS_DUO' | 'NUMERIS_COMMERCE' | 'NUMERIS_ITOO'>;
}

@InputType('DataLineFactsInput')
export class DataLineFactsDto {
  @Field() @ApiProperty() @IsBoolean() inDslCoverage: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() radioSegment?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() signalProcessingEquipment?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() automaticSubDistribution?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() lineGroup?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() nonPermanentTerminal?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() publicUseTerminal?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() externalExtraLine?: boolean;
}

@InputType('OrderItemInput')
export class OrderItemDto {
  @Field() @ApiProperty({ example: 'link-1' }) @IsString() @IsNotEmpty() @MaxLength(100) itemId: string;
  @Field() @ApiProperty({ example: 'SDSL Paris 2e' }) @IsString() @IsNotEmpty() @MaxLength(200) label: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ example: 'SDSL-4M' }) @IsOptional() @IsString() @MaxLength(100) plan?: string;
  @Field(() => FixedLineFactsDto, { nullable: true })
  @ApiPropertyOptional({ type: FixedLineFactsDto, description: 'SUB-17: facts of a fixed line to resell' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FixedLineFactsDto)
  fixedLineFacts?: FixedLineFactsDto;
  @Field(() => DataLineFactsDto, { nullable: true })
  @ApiPropertyOptional({ type: DataLineFactsDto, description: 'SUB-18: facts of a DATA access line' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DataLineFactsDto)
  dataLineFacts?: DataLineFactsDto;
}

@InputType('PlaceOrderInput')
export class PlaceOrderDto {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ description: 'Derived from the command id when absent' }) @IsOptional() @IsUUID() subscriptionId?: string;
  @Field(() => ID) @ApiProperty() @IsUUID() customerId: string;
  @Field(() => String) @ApiProperty({ enum: SERVICE_KINDS }) @IsIn(SERVICE_KINDS, { context: { rule: 'CON-01' }, message: `service must be one of ${SERVICE_KINDS.join(', ')} (CON-01)` }) service: (typeof SERVICE_KINDS)[number];
  @Field(() => [OrderItemDto]) @ApiProperty({ type: [OrderItemDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => OrderItemDto) items: OrderItemDto[];
  @Field(() => GraphQLJSON, { nullable: true })
  @ApiPropertyOptional({ description: 'CON-01: per-contract overrides of the terms profile fields', example: { noticeMonths: 4 } })
  @IsOptional()
  @IsObject()
  contractOverrides?: Record<string, unknown>;
  @Field() @ApiProperty({ example: '2026-02-20' }) @IsCalendarDate('SUB-09') quoteDate: string;
  @Field() @ApiProperty({ example: '1200.00' }) @Matches(AMOUNT, { ...amountMessage('orderAmount'), context: { rule: 'SUB-09' } }) orderAmount: string;
}

@InputType('RecordFeasibilityResultInput')
export class RecordFeasibilityResultDto {
  @Field() @ApiProperty() @IsBoolean() feasible: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'Required when not feasible (SUB-09)' }) @IsOptional() @IsString() @MaxLength(1000) reason?: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) studyReference?: string;
}

@InputType('RequestGuaranteeInput')
export class RequestGuaranteeDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) insolvencyRiskReason: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ example: '500.00' }) @IsOptional() @Matches(AMOUNT, { ...amountMessage('amount'), context: { rule: 'SUB-09' } }) amount?: string;
}

@InputType('RecordGuaranteeAnswerInput')
export class RecordGuaranteeAnswerDto {
  @Field() @ApiProperty() @IsBoolean() provided: boolean;
}

@InputType('CancelOrderByClientInput')
export class CancelOrderByClientDto {
  @Field() @ApiProperty() @IsBoolean() withOksioWrittenAgreement: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) agreementReference?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ example: '150.00' }) @IsOptional() @Matches(AMOUNT, { ...amountMessage('costsIncurred'), context: { rule: 'SUB-09' } }) costsIncurred?: string;
}

@InputType('SignSubscriptionInput')
export class SignSubscriptionDto {
  @Field() @ApiProperty({ example: '2026-03-02' }) @IsCalendarDate('SUB-01') signedOn: string;
}

@InputType('ActivateServiceInput')
export class ActivateServiceDto {
  @Field() @ApiProperty({ example: '2026-03-15' }) @IsCalendarDate('SUB-02') activatedOn: string;
}

@InputType('ActivateMobileLineInput')
export class ActivateMobileLineDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) lineId: string;
  @Field() @ApiProperty({ example: '2026-03-15' }) @IsCalendarDate('SUB-15') simActivatedOn: string;
}

@InputType('RecordLineInfoInput')
export class RecordLineInfoDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) lineId: string;
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20) rio: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ nullable: true, description: 'null: no previous contract' }) @IsOptional() @IsCalendarDate('SUB-15') previousContractEndsOn?: string | null;
}

// ---- renewal and termination ------------------------------------------------------------------------

@InputType('ApplyRenewalInput')
export class ApplyRenewalDto {
  @Field() @ApiProperty({ description: 'Last day (inclusive) of the period that ends' }) @IsCalendarDate('SUB-03') periodLastDay: string;
}

@InputType('ReceiveTerminationNoticeInput')
export class ReceiveTerminationNoticeDto {
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'Derived from the command id when absent' }) @IsOptional() @IsString() @MaxLength(100) noticeId?: string;
  @Field(() => String) @ApiProperty({ enum: ['client', 'oksio'] }) @IsIn(['client', 'oksio']) from: 'client' | 'oksio';
  @Field(() => String)
  @ApiProperty({ enum: ['registered_letter_with_ack', 'letter', 'email', 'phone'], description: 'Only a registered letter with acknowledgement is admissible (SUB-04/05)' })
  @IsIn(['registered_letter_with_ack', 'letter', 'email', 'phone'], { context: { rule: 'SUB-04' } })
  channel: 'registered_letter_with_ack' | 'letter' | 'email' | 'phone';
  @Field() @ApiProperty({ example: '2030-12-31' }) @IsCalendarDate('SUB-04') lrarReceivedOn: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'An earlier end than the notice rules give is an early termination (SUB-07)' }) @IsOptional() @IsCalendarDate('SUB-07') requestedEndOn?: string;
}

@InputType('ApplyTerminationInput')
export class ApplyTerminationDto {
  @Field() @ApiProperty() @IsCalendarDate('SUB-04') endsOn: string;
}

@InputType('TerminateImmediatelyInput')
export class TerminateImmediatelyDto {
  @Field(() => String)
  @ApiProperty({ enum: ['client_breach', 'false_declaration', 'payment_incident', 'force_majeure', 'fraud_or_sim_duplication'] })
  @IsIn(['client_breach', 'false_declaration', 'payment_incident', 'force_majeure', 'fraud_or_sim_duplication'], { context: { rule: 'SUB-08' } })
  reason: 'client_breach' | 'false_declaration' | 'payment_incident' | 'force_majeure' | 'fraud_or_sim_duplication';
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) details: string;
}

@InputType('TerminateForForceMajeureInput')
export class TerminateForForceMajeureDto {
  @Field(() => String) @ApiProperty({ enum: ['client', 'oksio'] }) @IsIn(['client', 'oksio'], { context: { rule: 'SUS-05' } }) by: 'client' | 'oksio';
}

@InputType('RecordLocalLoopSubscriptionEndedInput')
export class RecordLocalLoopSubscriptionEndedDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) lineId: string;
  @Field() @ApiProperty() @IsCalendarDate('SUB-16') endedOn: string;
  @Field(() => String)
  @ApiProperty({ enum: ['cancelled', 'temporary', 'moderated', 'selective_access', 'other_limitation'] })
  @IsIn(['cancelled', 'temporary', 'moderated', 'selective_access', 'other_limitation'], { context: { rule: 'SUB-16' } })
  change: 'cancelled' | 'temporary' | 'moderated' | 'selective_access' | 'other_limitation';
}

@InputType('TerminateLineByPortOutInput')
export class TerminateLineByPortOutDto {
  @Field() @ApiProperty({ description: 'The MOBILE line whose number was ported out' }) @IsString() @IsNotEmpty() @MaxLength(100) lineId: string;
  @Field() @ApiProperty({ description: 'The porting case (Portability) that moved the number away' }) @IsString() @IsNotEmpty() @MaxLength(100) portingId: string;
  @Field() @ApiProperty({ description: 'POR-06: the actual porting date, last day of the line' }) @IsCalendarDate('POR-06') portedOn: string;
}

@InputType('AnnounceSoftwareWithdrawalInput')
export class AnnounceSoftwareWithdrawalDto {
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'Defaults to notice + 18 months (SUB-19)' }) @IsOptional() @IsCalendarDate('SUB-19') serviceEndsOn?: string;
}

@InputType('NotifyTerminationForNonPaymentInput')
export class NotifyTerminationForNonPaymentDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) invoiceRef: string;
  @Field() @ApiProperty() @IsCalendarDate('SUS-02') invoiceDueOn: string;
  @Field() @ApiProperty() @IsCalendarDate('SUS-02') lrarReceivedOn: string;
}

// ---- DATA changes -----------------------------------------------------------------------------------

@InputType('RequestPlanMigrationInput')
export class RequestPlanMigrationDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) migrationId?: string;
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) itemId: string;
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) targetPlan: string;
  @Field() @ApiProperty({ example: 'DATA' }) @IsString() @IsNotEmpty() @MaxLength(100) targetRange: string;
  @Field() @ApiProperty() @IsCalendarDate('SUB-12') requestedOn: string;
}

@InputType('AnswerPlanMigrationInput')
export class AnswerPlanMigrationDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) migrationId: string;
  @Field(() => String) @ApiProperty({ enum: ['accepted', 'refused', 'postponed'] }) @IsIn(['accepted', 'refused', 'postponed'], { context: { rule: 'SUB-12' } }) outcome: 'accepted' | 'refused' | 'postponed';
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate('SUB-12') plannedOn?: string;
}

@InputType('PlanMigrationRefInput')
export class PlanMigrationRefDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) migrationId: string;
}

@InputType('CompletePlanMigrationInput')
export class CompletePlanMigrationDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) migrationId: string;
  @Field() @ApiProperty() @IsCalendarDate('SUB-12') migratedOn: string;
  @Field() @ApiProperty({ description: 'A speed change re-commits (SUB-13)' }) @IsBoolean() speedChanged: boolean;
}

@InputType('ChangeDataLinkCapacityInput')
export class ChangeDataLinkCapacityDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) itemId: string;
  @Field(() => String) @ApiProperty({ enum: ['speed', 'sdsl_pairs'] }) @IsIn(['speed', 'sdsl_pairs'], { context: { rule: 'SUB-13' } }) change: 'speed' | 'sdsl_pairs';
  @Field() @ApiProperty({ example: '4M' }) @IsString() @IsNotEmpty() @MaxLength(50) from: string;
  @Field() @ApiProperty({ example: '8M' }) @IsString() @IsNotEmpty() @MaxLength(50) to: string;
  @Field() @ApiProperty() @IsCalendarDate('SUB-13') changedOn: string;
}

@InputType('RequestDataChangeInput')
export class RequestDataChangeDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) changeId?: string;
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) itemId: string;
  @Field(() => String) @ApiProperty({ enum: ['range', 'endpoint', 'address'] }) @IsIn(['range', 'endpoint', 'address'], { context: { rule: 'SUB-14' } }) kind: 'range' | 'endpoint' | 'address';
  @Field(() => String) @ApiProperty({ enum: ['electronic', 'letter', 'phone'] }) @IsIn(['electronic', 'letter', 'phone'], { context: { rule: 'SUB-14' } }) channel: 'electronic' | 'letter' | 'phone';
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) details: string;
}

@InputType('RecordDataChangeFeasibilityInput')
export class RecordDataChangeFeasibilityDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) changeId: string;
  @Field() @ApiProperty() @IsBoolean() feasible: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

@InputType('CompleteDataChangeInput')
export class CompleteDataChangeDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) changeId: string;
  @Field() @ApiProperty() @IsCalendarDate('SUB-14') changedOn: string;
}

@InputType('RequestEquipmentModificationInput')
export class RequestEquipmentModificationDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) requestId?: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) itemId?: string;
  @Field(() => String) @ApiProperty({ enum: ['electronic', 'letter', 'phone'] }) @IsIn(['electronic', 'letter', 'phone'], { context: { rule: 'SUB-11' } }) channel: 'electronic' | 'letter' | 'phone';
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
}

@InputType('AnswerEquipmentModificationInput')
export class AnswerEquipmentModificationDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) requestId: string;
  @Field() @ApiProperty() @IsBoolean() approved: boolean;
}

@InputType('RecordSaturationInput')
export class RecordSaturationDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) saturationId?: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) itemId?: string;
  @Field() @ApiProperty() @IsCalendarDate('SUB-10') triggeredOn: string;
}

@InputType('SaturationRefInput')
export class SaturationRefDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) saturationId: string;
}

// ---- suspensions ------------------------------------------------------------------------------------

@InputType('UnpaidInvoiceInput')
export class UnpaidInvoiceDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) invoiceRef: string;
  @Field() @ApiProperty() @IsCalendarDate('SUS-02') dueOn: string;
}

const SUSPENSION_REASONS = ['legal_obligation', 'illegal_use', 'unpaid', 'misuse', 'force_majeure'] as const;
const SCOPES = ['full', 'international_calls', 'premium_rate_numbers', 'outgoing_calls', 'mobile_data'] as const;
const MISUSE = ['spam', 'mass_generation', 'gsm_gateway', 'sim_box', 'rerouting', 'other_misuse'] as const;

@InputType('SuspendServiceInput')
export class SuspendServiceDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) suspensionId?: string;
  @Field(() => String) @ApiProperty({ enum: SUSPENSION_REASONS }) @IsIn(SUSPENSION_REASONS, { context: { rule: 'SUS-01' } }) reason: (typeof SUSPENSION_REASONS)[number];
  @Field(() => String) @ApiProperty({ enum: SCOPES }) @IsIn(SCOPES, { context: { rule: 'SUS-01' } }) scope: (typeof SCOPES)[number];
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ type: [String], description: 'Empty: the whole contract' }) @IsOptional() @IsArray() @IsString({ each: true }) @ArrayMaxSize(500) itemIds?: string[];
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate('SUS-01') clientInformedOn?: string;
  @Field(() => UnpaidInvoiceDto, { nullable: true }) @ApiPropertyOptional({ type: UnpaidInvoiceDto }) @IsOptional() @ValidateNested() @Type(() => UnpaidInvoiceDto) unpaidInvoice?: UnpaidInvoiceDto;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: MISUSE }) @IsOptional() @IsIn(MISUSE, { context: { rule: 'SUS-03' } }) misuseKind?: (typeof MISUSE)[number];
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate('SUS-05') forceMajeureStartedOn?: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) details?: string;
}

@InputType('ReportLostOrStolenSimInput')
export class ReportLostOrStolenSimDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) suspensionId?: string;
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) lineId: string;
  @Field(() => String)
  @ApiProperty({ enum: ['lost', 'stolen', 'misappropriated', 'unauthorised_use'] })
  @IsIn(['lost', 'stolen', 'misappropriated', 'unauthorised_use'], { context: { rule: 'SUS-04' } })
  kind: 'lost' | 'stolen' | 'misappropriated' | 'unauthorised_use';
  @Field() @ApiProperty() @IsCalendarDate('SUS-04') factsOn: string;
}

@InputType('ConfirmLostOrStolenSimInput')
export class ConfirmLostOrStolenSimDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) suspensionId: string;
  @Field() @ApiProperty() @IsCalendarDate('SUS-04') lrarReceivedOn: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate('SUS-04') lrarSentOn?: string;
  @Field() @ApiProperty() @IsBoolean() policeReportEnclosed: boolean;
}

@InputType('LiftSuspensionInput')
export class LiftSuspensionDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) suspensionId: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'SUS-04: reactivation of a lost/stolen SIM needs a written request' }) @IsOptional() @IsBoolean() writtenRequestFromClient?: boolean;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(30) newNumber?: string;
}

@InputType('SuspendDeliveriesInput')
export class SuspendDeliveriesDto {
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) invoiceRef: string;
  @Field() @ApiProperty() @IsCalendarDate('SUS-06') invoiceDueOn: string;
}

@InputType('RecordDeadlinePassedInput')
export class RecordDeadlinePassedDto {
  @Field() @ApiProperty({ description: 'Key of a due date listed by the contract' }) @IsString() @IsNotEmpty() @MaxLength(300) key: string;
}

// ---- notices of changes -----------------------------------------------------------------------------

@InputType('NotifyTariffChangeInput')
export class NotifyTariffChangeDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) changeId?: string;
  @Field() @ApiProperty() @IsCalendarDate('CON-02') noticeOn: string;
  @Field() @ApiProperty() @IsCalendarDate('CON-02') effectiveOn: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: ['force_majeure', 'supplier_price_surge'] }) @IsOptional() @IsIn(['force_majeure', 'supplier_price_surge'], { context: { rule: 'CON-02' } }) exception?: 'force_majeure' | 'supplier_price_surge';
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
}

@InputType('NotifyTermsChangeInput')
export class NotifyTermsChangeDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) changeId?: string;
  @Field() @ApiProperty() @IsCalendarDate('CON-03') noticeOn: string;
  @Field() @ApiProperty() @IsCalendarDate('CON-03') effectiveOn: string;
  @Field() @ApiProperty({ example: 'CG-2026.2' }) @IsString() @IsNotEmpty() @MaxLength(50) termsVersion: string;
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
}

@InputType('NotifySipRateChangeInput')
export class NotifySipRateChangeDto {
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) changeId?: string;
  @Field() @ApiProperty() @IsCalendarDate('CON-04') noticeOn: string;
  @Field() @ApiProperty() @IsCalendarDate('CON-04') effectiveOn: string;
  @Field() @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
}

// ---- queries ----------------------------------------------------------------------------------------

const PHASES = ['ordered', 'refused', 'cancelled', 'signed', 'active', 'terminated'] as const;
const ORDER_STATUSES = ['pending_feasibility', 'accepted', 'refused', 'cancelled', 'delivered'] as const;

@ArgsType()
export class SubscriptionsQueryDto extends PageArgs {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: PHASES }) @IsOptional() @IsIn(PHASES) status?: (typeof PHASES)[number];
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: SERVICE_KINDS }) @IsOptional() @IsIn(SERVICE_KINDS, { context: { rule: 'CON-01' } }) service?: (typeof SERVICE_KINDS)[number];
}

@ArgsType()
export class OrdersQueryDto extends PageArgs {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: ORDER_STATUSES }) @IsOptional() @IsIn(ORDER_STATUSES, { context: { rule: 'SUB-09' } }) status?: (typeof ORDER_STATUSES)[number];
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: SERVICE_KINDS }) @IsOptional() @IsIn(SERVICE_KINDS, { context: { rule: 'CON-01' } }) service?: (typeof SERVICE_KINDS)[number];
}

@ArgsType()
export class CommitmentsQueryDto extends PageArgs {
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() subscriptionId?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: SERVICE_KINDS }) @IsOptional() @IsIn(SERVICE_KINDS, { context: { rule: 'CON-01' } }) service?: (typeof SERVICE_KINDS)[number];
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: ['contract', 'line'] }) @IsOptional() @IsIn(['contract', 'line']) scope?: 'contract' | 'line';
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: ['active', 'terminated'] }) @IsOptional() @IsIn(['active', 'terminated']) status?: 'active' | 'terminated';
}

@ArgsType()
export class DateRangeQueryDto extends PageArgs {
  @Field() @ApiProperty({ example: '2031-01-01' }) @IsCalendarDate('SUB-03') from: string;
  @Field() @ApiProperty({ example: '2031-12-31' }) @IsCalendarDate('SUB-03') to: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: SERVICE_KINDS }) @IsOptional() @IsIn(SERVICE_KINDS, { context: { rule: 'CON-01' } }) service?: (typeof SERVICE_KINDS)[number];
}

@ArgsType()
export class SuspensionsQueryDto extends PageArgs {
  @Field(() => String, { nullable: true, description: 'active: in force; ended: lifted or ended with the contract; all (default): the history' })
  @ApiPropertyOptional({ enum: ['active', 'ended', 'all'], default: 'all' })
  @IsOptional()
  @IsIn(['active', 'ended', 'all'])
  state?: 'active' | 'ended' | 'all';
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() subscriptionId?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @Field({ nullable: true })
  @ApiPropertyOptional({ enum: [...SUSPENSION_REASONS, 'lost_or_stolen_sim'] })
  @IsOptional()
  @IsIn([...SUSPENSION_REASONS, 'lost_or_stolen_sim'], { context: { rule: 'SUS-01' } })
  reason?: string;
}

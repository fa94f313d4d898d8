import { ArgsType, Field } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsYearMonth, PageArgs } from '@oksio/platform';

/** The billing lists, REST (`@Query()`) and GraphQL (`@Args()`) alike: a page and their filters. */

/** GET /billing/balances and /billing/overdue; GraphQL `balances`, `overdueInvoices`. */
@ArgsType()
export class PageQueryDto extends PageArgs {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) customerId?: string | null;
}

/** GET /billing/invoices; GraphQL `invoices`. */
@ArgsType()
export class InvoicesQueryDto extends PageQueryDto {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ example: '2026-03' }) @IsOptional() @IsYearMonth() month?: string | null;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ enum: ['issued', 'paid', 'overdue', 'disputed', 'credit_note'] })
  @IsOptional()
  @IsIn(['issued', 'paid', 'overdue', 'disputed', 'credit_note'])
  status?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: ['invoice', 'credit_note'] }) @IsOptional() @IsIn(['invoice', 'credit_note']) kind?: string | null;
}

/** GET /billing/disputes; GraphQL `disputes`. */
@ArgsType()
export class DisputesQueryDto extends PageQueryDto {
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ enum: ['open', 'documents_received', 'lapsed', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'documents_received', 'lapsed', 'resolved'])
  status?: string | null;
}

/** GET /billing/handset-orders; GraphQL `handsetOrders` (BIL-13). */
@ArgsType()
export class HandsetOrdersQueryDto extends PageQueryDto {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: ['awaiting_payment', 'released', 'shipped'] }) @IsOptional() @IsIn(['awaiting_payment', 'released', 'shipped']) status?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subscriptionId?: string | null;
}

/** GraphQL `sepaMandates(customerId)`: a customer's SEPA mandates, one page (REST takes the id in the path). */
@ArgsType()
export class SepaMandatesArgs extends PageArgs {
  @Field(() => String) @IsString() @IsNotEmpty() @MaxLength(100) customerId: string;
}

import { ArgsType, Field } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDate, PageArgs } from '@oksio/platform';
import { ID_PATTERN, PORTING_QUEUES, idMessage } from './dto';

/** GET /porting and GraphQL `portingQueue`: one page of the queue, validated the same way. */
@ArgsType()
export class PortingQueueQuery extends PageArgs {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: PORTING_QUEUES }) @IsOptional() @IsIn(PORTING_QUEUES) queue?: (typeof PORTING_QUEUES)[number] | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: ['inbound', 'outbound'] }) @IsOptional() @IsIn(['inbound', 'outbound']) direction?: 'inbound' | 'outbound' | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) msisdn?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, idMessage('customerId')) customerId?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsCalendarDate() deadlineBefore?: string | null;
}

/** GET /numbers and GraphQL `mobileNumbers`: the number registry, one page. */
@ArgsType()
export class NumbersQuery extends PageArgs {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subscriptionId?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) status?: string | null;
}

/** GET /fixed-line-mandates and GraphQL `fixedLineMandates`: one page. */
@ArgsType()
export class MandatesQuery extends PageArgs {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) status?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) customerId?: string | null;
}

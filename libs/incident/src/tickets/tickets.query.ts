import { ArgsType, Field, ID } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageArgs } from '@oksio/platform';

export const TICKET_STATUSES = ['qualified', 'open', 'resolved', 'closed'] as const;

/** GET /tickets and GraphQL `tickets`: the history, filtered, one page. */
@ArgsType()
export class TicketsQueryDto extends PageArgs {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_STATUSES }) @IsOptional() @IsIn(TICKET_STATUSES) status?: string | null;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) siteId?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subscriptionId?: string | null;
}

/** GET /tickets/penalties and GraphQL `penalties`: a link's months, one page. */
@ArgsType()
export class PenaltiesQueryDto extends PageArgs {
  @Field(() => String) @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) subscriptionId: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  @ApiPropertyOptional({ description: 'YYYY-MM (Paris month of the notification)' })
  @IsOptional()
  @IsString()
  month?: string | null;
}

import { ArgsType, Field } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageArgs } from '@oksio/platform';

export const REQUEST_STATUSES = ['open', 'fulfilled', 'refused'] as const;

/** GET /privacy/requests and GraphQL `dataSubjectRequests`: due date first, one page. */
@ArgsType()
export class RequestsQuery extends PageArgs {
  @Field(() => String, { nullable: true }) @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) subjectId?: string | null;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ enum: REQUEST_STATUSES }) @IsOptional() @IsIn(REQUEST_STATUSES) status?: string | null;
  @Field(() => Boolean, { nullable: true })
  @ApiPropertyOptional({ type: 'boolean' })
  @IsOptional()
  // A query string says 'true' or 'false'; anything else stays text and fails IsBoolean, named.
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean | null;
}

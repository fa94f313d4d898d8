import { ArgsType, Field } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageArgs } from '@oksio/platform';

/** GET /privacy/purges and GraphQL `purgesDue`: one page of the purges due (the service checks `until` and `category`). */
@ArgsType()
export class PurgesDueQuery extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Instant (ISO 8601): purges due by then (default now)' })
  @ApiPropertyOptional({ description: 'Instant (ISO 8601): purges due by then (default now; a future instant shows what is coming)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  until?: string | null;

  @Field(() => String, { nullable: true, description: 'One personal-data category' })
  @ApiPropertyOptional({ description: 'One personal-data category' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  category?: string | null;
}

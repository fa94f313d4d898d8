import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Rows a list answers when the client does not say. */
export const PAGE_LIMIT_DEFAULT = 50;
/** The largest page any list answers: a bigger `limit` is a 400 naming `limit`, never a silent clamp. */
export const PAGE_LIMIT_MAX = 200;
/**
 * The deepest offset: PostgreSQL reads and drops every skipped row, so a deeper page costs as much
 * as reading them all; and `1e20` must be refused here, not reach the database as a bigint overflow.
 */
export const PAGE_OFFSET_MAX = 1_000_000;

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${PAGE_LIMIT_MAX}`;
const OFFSET_MESSAGE = `offset must be an integer from 0 to ${PAGE_OFFSET_MAX}`;

/**
 * A query string carries text: only plain decimal digits become a number. `Number()` would read
 * '1e20', '0x10', ' 5' or '' as numbers; left as text they fail IsInt with the field named.
 */
const IntegerFromQuery = () => Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value));

/**
 * The one paging input of every list, REST (`@Query() q: XQuery extends PageArgs`) and GraphQL
 * (`@Args() q: XQuery`, the same class): `limit` 1–PAGE_LIMIT_MAX (default PAGE_LIMIT_DEFAULT) and
 * `offset` 0–PAGE_OFFSET_MAX. Lists add their filters by extending it.
 */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: PAGE_LIMIT_DEFAULT, description: `Page size, 1–${PAGE_LIMIT_MAX}` })
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT, description: `Page size, 1–${PAGE_LIMIT_MAX}` })
  @IsOptional()
  @IntegerFromQuery()
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(PAGE_LIMIT_MAX, { message: LIMIT_MESSAGE })
  limit?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: `Rows skipped, 0–${PAGE_OFFSET_MAX}` })
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: PAGE_OFFSET_MAX, default: 0, description: `Rows skipped, 0–${PAGE_OFFSET_MAX}` })
  @IsOptional()
  @IntegerFromQuery()
  @IsInt({ message: OFFSET_MESSAGE })
  @Min(0, { message: OFFSET_MESSAGE })
  @Max(PAGE_OFFSET_MAX, { message: OFFSET_MESSAGE })
  offset?: number | null;
}

/** A validated page: what the query runs with and what the answer reports. */
export interface Paging {
  limit: number;
  offset: number;
}

/** The page of validated PageArgs, defaults applied (GraphQL passes an explicit null as null). */
export function pageOf(args: Pick<PageArgs, 'limit' | 'offset'> = {}): Paging {
  return { limit: args.limit ?? PAGE_LIMIT_DEFAULT, offset: args.offset ?? 0 };
}

/** A page of a list already in memory (a stream's events, an account's connections). */
export function pageSlice<T>(items: readonly T[], page: Paging): T[] {
  return items.slice(page.offset, page.offset + page.limit);
}

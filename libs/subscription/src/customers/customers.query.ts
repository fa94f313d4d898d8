import { ArgsType, Field } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageArgs } from '@oksio/platform';

/** GET /customers?q=…: company name (substring) or SIRET prefix, one page. */
export class CustomerSearchQueryDto extends PageArgs {
  @ApiPropertyOptional({ description: 'Company name (substring) or SIRET prefix; empty lists every customer' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

/** GraphQL `customers(query, limit, offset)`. */
@ArgsType()
export class CustomerSearchArgs extends PageArgs {
  @Field({ description: 'Company name (substring) or SIRET prefix' }) @IsString() @MaxLength(200) query: string;
}

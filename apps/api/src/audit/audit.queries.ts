import { ArgsType, Field } from '@nestjs/graphql';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PageArgs } from '@oksio/platform';

/** GraphQL `streamEvents`: one page of a stream, `offset` being the first revision read. */
@ArgsType()
export class StreamEventsArgs extends PageArgs {
  @Field(() => String) @IsString() @IsNotEmpty() @MaxLength(300) streamId: string;
}

import { Args, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { formatPosition, type RecordedEvent } from '@oksio/event-store';
import { AuditService, Roles } from '@oksio/platform';

@ObjectType('Actor')
class ActorType {
  @Field() id: string;
  @Field() role: string;
}

@ObjectType('EventMetadata')
class EventMetadataType {
  // Strings, not DateTime: the instant exactly as stored and hashed (DateTime serialises Date objects only).
  @Field({ description: 'ISO 8601 instant, as stored (covered by the hash)' }) occurredAt: string;
  @Field({ description: 'ISO 8601 instant of the append, as stored (covered by the hash)' }) recordedAt: string;
  @Field(() => ActorType) actor: ActorType;
  @Field() correlationId: string;
  @Field(() => String, { nullable: true }) causationId: string | null;
  @Field(() => String, { nullable: true }) commandId: string | null;
  @Field(() => String, { nullable: true }) reason: string | null;
}

@ObjectType('RecordedEvent')
export class RecordedEventType {
  @Field() eventId: string;
  @Field() streamId: string;
  @Field(() => Int) revision: number;
  @Field() globalPosition: string;
  @Field() type: string;
  @Field(() => Int) schemaVersion: number;
  @Field(() => GraphQLJSON) data: unknown;
  @Field(() => EventMetadataType) metadata: EventMetadataType;
  @Field(() => String, { nullable: true }) prevHash: string | null;
  @Field() hash: string;
}

@ObjectType('ChainCheck')
class ChainCheckType {
  @Field() streamId: string;
  @Field() valid: boolean;
  @Field(() => String, { nullable: true }) problemKind: string | null;
  @Field(() => String, { nullable: true }) badEventId: string | null;
  @Field(() => Int, { nullable: true }) badRevision: number | null;
  @Field(() => String, { nullable: true }) message: string | null;
}

export function toEventType(e: RecordedEvent): RecordedEventType {
  return { ...e, globalPosition: formatPosition(e.position) } as unknown as RecordedEventType;
}

@Resolver()
@Roles('auditor', 'admin')
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => [RecordedEventType], { description: "A stream's events with metadata and hash chain" })
  async streamEvents(
    @Args('streamId') streamId: string,
    @Args('fromRevision', { type: () => Int, defaultValue: 0 }) fromRevision: number,
    @Args('maxCount', { type: () => Int, defaultValue: 1000 }) maxCount: number,
  ): Promise<RecordedEventType[]> {
    const events = await this.audit.streamEvents(streamId, { fromRevision, maxCount: Math.min(Math.max(maxCount, 1), 10000) });
    return events.map(toEventType);
  }

  @Query(() => ChainCheckType, { description: "Verifies a stream's hash chain" })
  async verifyStream(@Args('streamId') streamId: string): Promise<ChainCheckType> {
    const problem = await this.audit.verifyStream(streamId);
    return {
      streamId,
      valid: problem === null,
      problemKind: problem?.kind ?? null,
      badEventId: problem?.eventId ?? null,
      badRevision: problem?.revision ?? null,
      message: problem?.message ?? null,
    };
  }
}

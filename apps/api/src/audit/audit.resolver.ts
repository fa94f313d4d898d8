import { Args, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { formatPosition, type RecordedEvent } from '@oksio/event-store';
import { AuditService, Roles, pageOf } from '@oksio/platform';
import { StreamEventsArgs } from './audit.queries';

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
  @Field(() => String, { nullable: true, description: 'X-Reason, opened from its sealed form (personal data); "[erased]" once its subject is erased' }) reason: string | null;
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

  @Query(() => [RecordedEventType], { description: "A stream's events with metadata and hash chain; one page, `offset` being the first revision" })
  async streamEvents(@Args() q: StreamEventsArgs): Promise<RecordedEventType[]> {
    const { limit, offset } = pageOf(q);
    const events = await this.audit.streamEvents(q.streamId, { fromRevision: offset, maxCount: limit });
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

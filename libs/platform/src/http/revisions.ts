import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Args, GqlExecutionContext, Int } from '@nestjs/graphql';
import { ApiExtension, type OpenAPIObject } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { ValidationError } from '@oksio/kernel';
import { EVENT_STORE, type EventStore } from '@oksio/event-store';
import { parseExpectedRevision, parseIfMatch, type RevisionPrecondition } from '../application/revision-precondition';
import { requestOf } from './auth';

/**
 * Revisions at the API's edge, for every context alike: `If-Match` (REST) and `expectedRevision`
 * (GraphQL) become the CommandContext's precondition, enforced by EventSourcedRepository.execute;
 * command responses and reads of one aggregate carry `ETag: "<stream revision>"`.
 */

const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const NO_AGGREGATE = 'oksio:no-aggregate-revision';
const NO_AGGREGATE_EXTENSION = 'x-no-aggregate-revision';
const ETAG_STREAM = 'oksio:etag-stream';

type RevisionRequest = Request & { revisionPrecondition?: RevisionPrecondition };

/**
 * The precondition of the command this execution context runs: REST — the request's `If-Match`
 * (parsed once per request, on command methods only); GraphQL — the mutation's `expectedRevision`
 * argument (one per mutation field, several may share a request). Undefined for queries and reads.
 */
export function preconditionOf(context: ExecutionContext): RevisionPrecondition | undefined {
  if (context.getType<string>() === 'graphql') {
    const gql = GqlExecutionContext.create(context);
    if (gql.getInfo<{ parentType?: { name?: string } }>()?.parentType?.name !== 'Mutation') return undefined;
    const args = gql.getArgs<{ expectedRevision?: unknown }>() ?? {};
    return { expected: parseExpectedRevision(args.expectedRevision), field: 'expectedRevision', reached: null };
  }
  const request = requestOf(context) as RevisionRequest;
  if (!COMMAND_METHODS.has(request.method)) return undefined;
  request.revisionPrecondition ??= { expected: parseIfMatch(request.headers['if-match']), field: 'If-Match', reached: null };
  return request.revisionPrecondition;
}

/**
 * Declares the GraphQL argument `expectedRevision: Int` on a mutation; its value reaches the
 * CommandContext through `@Ctx()` (the resolver does not handle it). Every mutation on an
 * aggregate has it; a creation accepts -1 or nothing.
 */
export function ExpectedRevisionArg(): MethodDecorator {
  return (target, key, descriptor) => {
    // Declared after the method's own parameters: the resolver is called with one argument more, unread.
    const declared = (Reflect.getMetadata('design:paramtypes', target, key) as unknown[] | undefined)?.length ?? (descriptor.value as unknown as Function).length;
    Args('expectedRevision', {
      type: () => Int,
      nullable: true,
      description: 'The revision the change is based on (from the last read or command); another current revision is a 409 revision_mismatch. -1: the aggregate must not exist yet.',
    })(target, key, declared);
  };
}

/**
 * Marks a command that addresses no single aggregate (a billing run, a check, an operation on
 * technical state): no revision can be expected of it, so an `If-Match` is refused (400) rather
 * than ignored.
 */
export const NoAggregateRevision = (why: string): MethodDecorator => applyDecorators(SetMetadata(NO_AGGREGATE, why), ApiExtension(NO_AGGREGATE_EXTENSION, why));

/** Documents `If-Match` on every command of the OpenAPI document (those marked NoAggregateRevision excepted). */
export function documentIfMatch(document: OpenAPIObject): OpenAPIObject {
  for (const operations of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(operations as Record<string, { parameters?: unknown[]; [extension: string]: unknown }>)) {
      if (!COMMAND_METHODS.has(method.toUpperCase()) || operation[NO_AGGREGATE_EXTENSION]) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'If-Match',
          in: 'header',
          required: false,
          schema: { type: 'string', example: '"3"' },
          description: 'The revision of the aggregate the change is based on (the ETag of its read or of the last command): another current revision is a 409 revision_mismatch and nothing is written. -1: the aggregate must not exist yet (a creation).',
        },
      ];
    }
  }
  return document;
}

/** The reason a handler was marked with `NoAggregateRevision`, or undefined. */
export function noAggregateRevisionReason(handler: Function): string | undefined {
  return Reflect.getMetadata(NO_AGGREGATE, handler) as string | undefined;
}

/** Which stream a read of one aggregate shows, from its path parameters and its answer. */
export type StreamOfRead = (params: Record<string, string>, body: any) => string | null | undefined;

/** A REST read of one aggregate: its answer carries `ETag: "<revision>"` of that stream, to send back as If-Match. */
export const RevisionETag = (streamOf: StreamOfRead): MethodDecorator => SetMetadata(ETAG_STREAM, streamOf);

/**
 * REST side of revisions, installed globally: parses If-Match on every command (400
 * `invalid_if_match` for a malformed one, or on a route marked NoAggregateRevision), and sets the
 * ETag of command answers (the revision the addressed stream reached) and of reads of one
 * aggregate (the stream's current revision).
 */
@Injectable()
export class RevisionInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<RevisionRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const notApplicable = this.reflector.get<string | undefined>(NO_AGGREGATE, context.getHandler());
    const precondition = preconditionOf(context);
    if (notApplicable && precondition?.expected !== null && precondition?.expected !== undefined) {
      throw new ValidationError('invalid_if_match', `${request.method} ${request.path} addresses no single aggregate (${notApplicable}): If-Match does not apply`, [
        { field: 'If-Match', message: 'not accepted on this route' },
      ]);
    }
    const streamOf = this.reflector.get<StreamOfRead | undefined>(ETAG_STREAM, context.getHandler());
    return next.handle().pipe(
      mergeMap((body) =>
        from(
          (async () => {
            if (notApplicable) return body;
            const revision = precondition ? precondition.reached : streamOf ? await this.currentRevision(streamOf(request.params as Record<string, string>, body)) : null;
            // -1: the aggregate does not exist yet (If-Match: -1 creates it only if still so).
            if (revision !== null && !response.headersSent) response.setHeader('ETag', `"${revision}"`);
            return body;
          })(),
        ),
      ),
    );
  }

  private async currentRevision(streamId: string | null | undefined): Promise<number | null> {
    if (!streamId) return null;
    const [last] = await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last ? last.revision : -1;
  }
}

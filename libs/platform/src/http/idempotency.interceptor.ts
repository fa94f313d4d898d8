import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { PlatformError, ValidationError, newId, type ErrorDetail } from '@oksio/kernel';
import { toProblem } from './problem';
import { assertAcceptableInput } from './validation';
import type { AuthenticatedRequest } from './auth';
import { IdempotencyService, type IdempotentUse } from './idempotency.service';

const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type CommandRequest = AuthenticatedRequest & { commandId?: string; idempotencyKey?: string };

/**
 * Idempotency-Key on every command, REST and GraphQL alike, through one IdempotencyService (one
 * key space per client): the first request with a key runs and its answer is stored; the same key
 * with the same operation and input gets that answer again (`Idempotent-Replayed: true`), with
 * another operation or input a 422; while the first is still running, a 409. The operation is the
 * REST method and URL, or the GraphQL mutation field; the input, the body or the mutation's
 * arguments. The command id given to the handler is derived from the key, so the event store also
 * writes once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() === 'graphql') return this.interceptMutation(context, next);
    if (context.getType<string>() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<CommandRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!COMMAND_METHODS.has(request.method)) return next.handle();
    // Before anything recursive touches the body (hashing below, class-transformer in the pipe).
    assertAcceptableInput(request.body);
    // The revision the command is based on is part of the request (GraphQL: its expectedRevision argument).
    const ifMatch = request.headers['if-match'];
    const use = this.useOf(request, `${request.method} ${request.originalUrl}${ifMatch ? `\nIf-Match: ${String(ifMatch)}` : ''}`, request.body);
    if (!use) return next.handle();
    return from(this.runRest(use, response, next));
  }

  /** Each mutation field of a GraphQL request is one command: its own claim under the request's key. */
  private interceptMutation(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const gql = GqlExecutionContext.create(context);
    if (gql.getInfo<{ parentType?: { name?: string } }>()?.parentType?.name !== 'Mutation') return next.handle();
    const { req: request, res: response } = gql.getContext<{ req: CommandRequest; res?: Response }>();
    const use = this.useOf(request, `graphql ${gql.getInfo<{ fieldName: string }>().fieldName}`, gql.getArgs());
    if (!use) return next.handle();
    return from(this.runMutation(use, response, next));
  }

  /** The key's use by this request, with the command id set on the request; null without a key (a new command id). */
  private useOf(request: CommandRequest, operation: string, input: unknown): IdempotentUse | null {
    const key = request.headers['idempotency-key'];
    const principal = request.principal ? `${request.principal.role}:${request.principal.id}` : 'anonymous';
    // Set for every command, GraphQL mutations of one request included (they run one after another).
    if (typeof key !== 'string' || key === '') {
      request.commandId = newId();
      return null;
    }
    if (key.length > 200) {
      throw new ValidationError('invalid_idempotency_key', 'Idempotency-Key is longer than 200 characters', [
        { field: 'Idempotency-Key', message: 'at most 200 characters' },
      ]);
    }
    request.idempotencyKey = key;
    request.commandId = IdempotencyService.commandId(principal, key);
    return { principal, key, fingerprint: IdempotencyService.fingerprint(operation, input) };
  }

  private async runRest(use: IdempotentUse, response: Response, next: CallHandler) {
    const claim = await this.idempotency.claim(use);
    if (claim.kind === 'replay') {
      response.setHeader('Idempotent-Replayed', 'true');
      for (const [name, value] of Object.entries(claim.headers)) response.setHeader(name, value);
      response.status(claim.status);
      if (claim.status >= 400) {
        const { stored: _stored, ...problem } = claim.body;
        response.type('application/problem+json').send(JSON.stringify(problem));
        return undefined;
      }
      return claim.body;
    }
    return this.run(use, next, () => ({ status: response.statusCode, headers: storedHeaders(response) }));
  }

  private async runMutation(use: IdempotentUse, response: Response | undefined, next: CallHandler) {
    const claim = await this.idempotency.claim(use);
    if (claim.kind === 'replay') {
      if (response && !response.headersSent) response.setHeader('Idempotent-Replayed', 'true');
      if (claim.status >= 400) throw new ReplayedProblem(claim.status, claim.body);
      return withDates(claim.body);
    }
    return this.run(use, next, () => ({ status: 200, headers: {} }), markDates);
  }

  /** Runs the claimed request: its answer is stored, a 4xx too; a 5xx releases the claim for a retry. */
  private async run(
    use: IdempotentUse,
    next: CallHandler,
    answered: () => { status: number; headers: Record<string, string> },
    stored: (body: unknown) => unknown = (body) => body,
  ) {
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      const problem = toProblem(error);
      if (problem.status >= 500) await this.idempotency.release(use);
      else await this.keep(use, () => this.idempotency.complete(use, problem.status, { ...problem, stored: true }));
      throw error;
    }
    const { status, headers } = answered();
    await this.keep(use, () => this.idempotency.complete(use, status, stored(body ?? null), headers));
    return body;
  }

  /**
   * Stores an answer; when that fails (the database went away after the command), the claim is
   * released for this request instead: its retry runs again and the event store's command id
   * answers it with what the first run recorded.
   */
  private async keep(use: IdempotentUse, store: () => Promise<void>): Promise<void> {
    try {
      await store();
    } catch (error) {
      await this.idempotency.release(use);
      throw error;
    }
  }
}

/** Headers of the first answer a replay gives again. */
function storedHeaders(response: Response): Record<string, string> {
  const etag = response.getHeader('ETag');
  return typeof etag === 'string' ? { ETag: etag } : {};
}

/**
 * A resolver's answer as stored for a GraphQL replay: JSON, with its Date values marked — GraphQL's
 * DateTime serializes Date objects only, so the replay must give Dates back where there were Dates.
 */
export function markDates(body: unknown): unknown {
  return JSON.parse(
    JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
      return this[key] instanceof Date ? { $date: value } : value;
    }) ?? 'null',
  );
}

export function withDates(stored: unknown): unknown {
  if (Array.isArray(stored)) return stored.map(withDates);
  if (stored === null || typeof stored !== 'object') return stored;
  const record = stored as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '$date' && typeof record.$date === 'string') return new Date(record.$date);
  return Object.fromEntries(keys.map((k) => [k, withDates(record[k])]));
}

/** A stored 4xx answered again over GraphQL: the same problem, raised as the resolver's error. */
class ReplayedProblem extends PlatformError {
  constructor(
    readonly status: number,
    problem: { code: string; detail: string; errors?: ErrorDetail[] },
  ) {
    super(problem.code, problem.detail, problem.errors ?? []);
  }
}

import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ConflictError, DomainError, ValidationError, deterministicId, newId } from '@oksio/kernel';
import { canonicalJson } from '@oksio/event-store';
import { toProblem } from './problem';
import { assertAcceptableInput } from './validation';
import type { AuthenticatedRequest } from './auth';

const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A claim still unanswered after this long belongs to a process that died mid-request (a live
 * request is bounded by the HTTP timeouts well below it). It is taken over rather than pinning the
 * key forever; the command id derived from the key makes the event store write at most once anyway.
 */
const ABANDONED_CLAIM_SECONDS = 120;

export type CommandRequest = AuthenticatedRequest & { commandId?: string; idempotencyKey?: string };

/**
 * Idempotency-Key on every command endpoint: the first request with a key runs and its response
 * (status and body, errors included, except 5xx) is stored; the same key with the same body gets
 * that response again, with another body a 422; while the first is still running, a 409. The
 * command id given to the handler is derived from the key, so the event store also writes once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly pool: Pool) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<CommandRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!COMMAND_METHODS.has(request.method)) return next.handle();
    // Before anything recursive touches the body (hashing below, class-transformer in the pipe).
    assertAcceptableInput(request.body);
    const key = request.headers['idempotency-key'];
    const principal = request.principal ? `${request.principal.role}:${request.principal.id}` : 'anonymous';
    if (typeof key !== 'string' || key === '') {
      request.commandId = newId();
      return next.handle();
    }
    if (key.length > 200) {
      throw new ValidationError('invalid_idempotency_key', 'Idempotency-Key is longer than 200 characters', [
        { field: 'Idempotency-Key', message: 'at most 200 characters' },
      ]);
    }
    request.idempotencyKey = key;
    request.commandId = deterministicId('idempotency', principal, key);
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    return from(this.run(principal, key, requestHash, response, next));
  }

  private async run(principal: string, key: string, requestHash: string, response: Response, next: CallHandler) {
    const claimed = await this.pool.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [principal, key, requestHash],
    );
    if (claimed.rowCount === 0 && !(await this.takeOverAbandoned(principal, key, requestHash))) {
      return this.replay(principal, key, requestHash, response);
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store(principal, key, response.statusCode, body ?? null);
      return body;
    } catch (error) {
      const problem = toProblem(error);
      if (problem.status >= 500) {
        // A failure of ours must not pin the key: the client may retry it.
        await this.pool.query('DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2', [principal, key]);
      } else {
        await this.store(principal, key, problem.status, { ...problem, stored: true });
      }
      throw error;
    }
  }

  private async takeOverAbandoned(principal: string, key: string, requestHash: string): Promise<boolean> {
    const taken = await this.pool.query(
      `UPDATE idempotency_keys SET created_at = now()
        WHERE principal = $1 AND key = $2 AND request_hash = $3 AND status_code IS NULL
          AND created_at < now() - make_interval(secs => $4)`,
      [principal, key, requestHash, ABANDONED_CLAIM_SECONDS],
    );
    return taken.rowCount === 1;
  }

  private async store(principal: string, key: string, status: number, body: unknown) {
    await this.pool.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE principal = $1 AND key = $2', [
      principal,
      key,
      status,
      JSON.stringify(body),
    ]);
  }

  private async replay(principal: string, key: string, requestHash: string, response: Response) {
    const { rows } = await this.pool.query<{ request_hash: string; status_code: number | null; response: any }>(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE principal = $1 AND key = $2',
      [principal, key],
    );
    const row = rows[0];
    if (!row) throw new ConflictError('idempotency_request_in_progress', 'A request with this Idempotency-Key is being retried; try again');
    if (row.request_hash !== requestHash) {
      throw new DomainError(
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request',
        undefined,
        'Idempotency-Key',
      );
    }
    if (row.status_code === null) {
      throw new ConflictError('idempotency_request_in_progress', 'The first request with this Idempotency-Key is still running');
    }
    response.setHeader('Idempotent-Replayed', 'true');
    response.status(row.status_code);
    if (row.status_code >= 400) {
      const { stored: _stored, ...problem } = row.response;
      response.type('application/problem+json').send(JSON.stringify(problem));
      return undefined;
    }
    return row.response;
  }
}

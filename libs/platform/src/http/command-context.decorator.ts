import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { deterministicId, newId } from '@oksio/kernel';
import type { CommandContext } from '../application/command-context';
import { requestOf } from './auth';
import type { CommandRequest } from './idempotency.interceptor';
import { correlationIdHeader, reasonHeader } from './request-headers';
import { preconditionOf } from './revisions';

function header(request: CommandRequest, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value ? value : null;
}

/**
 * The CommandContext of the current request: actor from the API key, correlation id from
 * X-Correlation-Id (or new), command id from the Idempotency-Key (or new), reason from X-Reason.
 */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = requestOf(context) as CommandRequest;
  const principal = request.principal ?? { id: 'anonymous', role: 'system' };
  // GraphQL mutations skip the REST interceptor; their Idempotency-Key still fixes the command id.
  const key = header(request, 'idempotency-key');
  request.commandId ??= key ? deterministicId('idempotency', `${principal.role}:${principal.id}`, key) : newId();
  const reason = reasonHeader(request);
  return {
    actor: { id: principal.id, role: principal.role },
    correlationId: correlationIdHeader(request) ?? newId(),
    causationId: null,
    commandId: request.commandId!,
    reason,
    // If-Match (REST) / expectedRevision (GraphQL): enforced by EventSourcedRepository.execute.
    precondition: preconditionOf(context),
  };
});

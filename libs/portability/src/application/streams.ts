import { ConflictError, DomainError, deterministicId, type Decider, type DomainEvent } from '@oksio/kernel';
import { type CommandContext, type DueAction, type EventSourcedRepository, causedBy } from '@oksio/platform';

/** OKSIO's 2-digit operator code in RIOs (ARCEP allocation; configuration, `OKSIO_OPERATOR_CODE`). */
export function oksioOperatorCode(env: NodeJS.ProcessEnv = process.env): string {
  const code = env.OKSIO_OPERATOR_CODE ?? '38';
  if (!/^\d{2}$/.test(code)) throw new Error(`OKSIO_OPERATOR_CODE must be 2 digits, got ${code}`);
  return code;
}

/**
 * The context of a command this one causes on another stream: a command id derived from the cause,
 * so a retry writes once; the caller's If-Match stays with the stream it addressed (`causedBy`).
 */
export function followUp(ctx: CommandContext, ...parts: string[]): CommandContext {
  return causedBy(ctx, deterministicId(ctx.commandId, ...parts));
}

export function systemContext(action: DueAction, reason: string): CommandContext {
  return {
    actor: { id: 'portability-scheduler', role: 'system' },
    correlationId: action.commandId,
    causationId: null,
    commandId: action.commandId,
    reason,
  };
}

/**
 * Executes with a re-decision on a concurrency conflict: the loser of a race is decided again on
 * the winner's state, so it gets the business answer (e.g. POR-03 "already pending", 422) instead
 * of a bare 409.
 */
export async function executeDecidingAgain<C, E extends DomainEvent, S>(
  repository: EventSourcedRepository,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  ctx: CommandContext,
  now: () => Date,
  attempts = 5,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await repository.execute(decider, streamId, command, ctx, now());
    } catch (error) {
      if (!(error instanceof ConflictError) || error.code !== 'concurrency_conflict' || attempt >= attempts) throw error;
    }
  }
}

export function requireFound(condition: unknown, error: DomainError | Error): asserts condition {
  if (!condition) throw error;
}

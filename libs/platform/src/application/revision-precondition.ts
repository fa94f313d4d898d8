import { ConflictError, ValidationError } from '@oksio/kernel';
import type { CommandContext } from './command-context';

/**
 * The caller's optimistic-concurrency precondition on the stream its command addresses — the
 * aggregate in the URL (REST `If-Match`) or named by the mutation's arguments (GraphQL
 * `expectedRevision`). It travels in the CommandContext of that stream only: a command's effects on
 * other streams run under `causedBy(ctx, …)`, which drops it. `EventSourcedRepository.execute`
 * enforces it (the append is made at exactly that revision) and records the revision the stream
 * reached, which the REST layer returns as the response's `ETag`.
 */
export interface RevisionPrecondition {
  /** The revision the caller's change is based on; -1: the aggregate must not exist yet; null: none given. */
  expected: number | null;
  /** Where it came from, named in the 409: the `If-Match` header or the `expectedRevision` argument. */
  field: 'If-Match' | 'expectedRevision';
  /** Set by the repository once the command ran: the revision the addressed stream is at. */
  reached: number | null;
}

/** The one 409 of a failed precondition, whatever the context (REST and GraphQL alike). */
export const REVISION_MISMATCH = 'revision_mismatch';

/** Revisions fit in a JavaScript number (and the stores' bigint): at most 15 digits. */
const IF_MATCH = /^\s*(?:W\/)?("?)(-1|\d{1,15})\1\s*$/;

/**
 * The one parsing of `If-Match`: `3`, `"3"` or `W/"3"` → 3 (`-1`: must not exist yet); absent or
 * empty → null; anything else (a list, `*`, text, a duplicated header) → 400 `invalid_if_match`.
 */
export function parseIfMatch(header: string | string[] | undefined): number | null {
  if (header === undefined || (typeof header === 'string' && header.trim() === '')) return null;
  const match = typeof header === 'string' ? IF_MATCH.exec(header) : null;
  if (!match) {
    throw new ValidationError('invalid_if_match', 'If-Match must be one stream revision, as returned in the ETag of the last read or command (e.g. If-Match: "3")', [
      { field: 'If-Match', message: 'expected one revision: 3, "3" or W/"3" (-1: the aggregate must not exist yet)' },
    ]);
  }
  return Number(match[2]);
}

/** GraphQL's `expectedRevision` argument (already an Int): null when absent; below -1 → 400. */
export function parseExpectedRevision(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < -1) {
    throw new ValidationError('invalid_expected_revision', 'expectedRevision must be a stream revision (-1: the aggregate must not exist yet)', [
      { field: 'expectedRevision', message: 'an integer ≥ -1' },
    ]);
  }
  return value;
}

/** 409 unless the stream is at the revision the caller expects (no expectation: always met). */
export function checkPrecondition(context: Pick<CommandContext, 'precondition'>, streamId: string, actual: number): void {
  const precondition = context.precondition;
  if (!precondition || precondition.expected === null || precondition.expected === actual) return;
  throw revisionMismatch(precondition, streamId, actual);
}

export function revisionMismatch(precondition: RevisionPrecondition, streamId: string, actual: number | 'no_stream'): ConflictError {
  const current = actual === 'no_stream' || actual < 0 ? 'does not exist' : `is at revision ${actual}`;
  return new ConflictError(REVISION_MISMATCH, `${streamId} ${current}, not ${precondition.expected}: reload it and decide again`, [
    { field: precondition.field, message: actual === 'no_stream' || actual < 0 ? 'current revision is -1 (no such aggregate yet)' : `current revision is ${actual}` },
  ]);
}

/** Records the revision the addressed stream reached (the response ETag). */
export function recordReached(context: Pick<CommandContext, 'precondition'>, revision: number): void {
  if (context.precondition) context.precondition.reached = revision;
}

/**
 * The context of a command this one causes on another stream: its own command id (derived, so a
 * retry writes once), caused by this one. The caller's precondition stays with the stream it
 * addressed.
 */
export function causedBy(ctx: CommandContext, commandId: string): CommandContext {
  const { precondition: _addressedStreamOnly, ...rest } = ctx;
  return { ...rest, commandId, causationId: ctx.commandId };
}

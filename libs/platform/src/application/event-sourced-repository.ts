import { ConflictError, type Decider, DomainError, type DomainEvent } from '@oksio/kernel';
import {
  type AppendResult,
  type EventStore,
  type RecordedEvent,
  Upcasters,
  WrongExpectedRevisionError,
} from '@oksio/event-store';
import type { CommandContext } from './command-context';
import { checkPrecondition, recordReached, revisionMismatch } from './revision-precondition';
import { MultiStreamCommand } from './multi-stream-command';
import { PersonalTextSealer, dataSubjectOf } from '../personal-data/personal-text';

/**
 * A command id answers only for the stream it was first used on: another command under the same
 * Idempotency-Key must not be told "done" with someone else's outcome (422, as over HTTP).
 */
export function assertRecordedOn(earlier: AppendResult, streamId: string): void {
  const recordedOn = earlier.events[0]?.streamId;
  if (recordedOn !== undefined && recordedOn !== streamId) {
    throw new DomainError('idempotency_key_reused', `This command id was already used for another command (on ${recordedOn}): use a new Idempotency-Key`, undefined, 'Idempotency-Key');
  }
}

export interface Loaded<S> {
  state: S;
  /** -1 when the stream does not exist. */
  revision: number;
  events: RecordedEvent[];
}

/**
 * Runs a decider against its stream: load (fold), decide with the injected `now`, append with the
 * revision that was read. A concurrent writer makes the append fail with a 409, never a lost update.
 * The caller's If-Match / expectedRevision (`context.precondition`) is checked here, once for every
 * context: a stream at another revision is the 409 `revision_mismatch`, and nothing is written.
 */
export class EventSourcedRepository {
  constructor(
    private readonly store: EventStore,
    private readonly upcasters = new Upcasters(),
    /** Seals the command's free text and reason before the append (personal data, issue 18 item 7). */
    readonly personalText = new PersonalTextSealer(),
  ) {}

  async load<S, E extends DomainEvent>(decider: Decider<any, E, S>, streamId: string, asOf?: Date): Promise<Loaded<S>> {
    const recorded = (await this.store.readStream(streamId)).map((e) => this.upcasters.apply(e));
    const upTo = asOf ? prefixRecordedBy(recorded, asOf) : recorded;
    const state = upTo.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState);
    return { state, revision: recorded.length - 1, events: upTo };
  }

  /** The recorded outcome of this command id, when an earlier attempt already wrote it. */
  private async priorOutcome<C, S, E extends DomainEvent>(
    decider: Decider<C, E, S>,
    streamId: string,
    context: CommandContext,
  ): Promise<(AppendResult & { state: S }) | null> {
    const earlier = await this.store.commandResult?.(context.commandId);
    if (!earlier) return null;
    assertRecordedOn(earlier, streamId);
    const { state } = await this.load(decider, streamId);
    recordReached(context, earlier.nextExpectedRevision);
    return { ...earlier, duplicateCommand: true, state };
  }

  /** A command over several streams, appended together at its commit (multi-stream-command.ts, ADR 0008). */
  multiStream(now: Date): MultiStreamCommand {
    return new MultiStreamCommand(this.store, this, now);
  }

  async execute<C, S, E extends DomainEvent>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    context: CommandContext,
    now: Date,
  ): Promise<AppendResult & { state: S }> {
    const earlier = await this.priorOutcome(decider, streamId, context);
    if (earlier) return earlier;
    const { state, revision, events: recorded } = await this.load(decider, streamId);
    try {
      // The caller's If-Match / expectedRevision, before anything is decided: the append below is
      // made at this very revision, so a change in between is a 409 too.
      checkPrecondition(context, streamId, revision);
    } catch (mismatch) {
      const late = await this.priorOutcome(decider, streamId, context);
      if (late) return late;
      throw mismatch;
    }
    let events: E[];
    try {
      events = decider.decide(command, state, now);
    } catch (refusal) {
      // A retry of the same command may have loaded the state its first attempt just wrote (and
      // been refused by it, e.g. "already registered"): the retry answers with the first outcome.
      const late = await this.priorOutcome(decider, streamId, context);
      if (late) return late;
      throw refusal;
    }
    if (events.length === 0) {
      recordReached(context, revision);
      return { nextExpectedRevision: revision, events: [], duplicateCommand: false, state };
    }
    const sealed = await this.personalText.seal(dataSubjectOf(recorded, events), events, context.reason);
    try {
      const result = await this.store.append(
        streamId,
        sealed.events.map((e) => ({
          type: e.type,
          data: e.data as Record<string, unknown>,
          metadata: {
            occurredAt: now.toISOString(),
            actor: context.actor,
            correlationId: context.correlationId,
            causationId: context.causationId,
            commandId: context.commandId,
            reason: sealed.reason,
          },
        })),
        { expectedRevision: revision < 0 ? 'no_stream' : revision },
      );
      const newState = result.events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), state);
      recordReached(context, result.nextExpectedRevision);
      return { ...result, state: newState };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        const late = await this.priorOutcome(decider, streamId, context);
        if (late) return late;
        // With an If-Match, the caller's revision is what moved on: the one precondition 409.
        if (context.precondition && context.precondition.expected !== null) throw revisionMismatch(context.precondition, streamId, error.actual);
        throw new ConflictError('concurrency_conflict', `${streamId} was changed by another command; reload and retry`, [
          { field: 'expectedRevision', message: error.message },
        ]);
      }
      throw error;
    }
  }
}

/**
 * The stream as it stood at `asOf`: its longest prefix whose events were all recorded at or before
 * that instant — never a filter, which would fold a later event recorded under an earlier clock
 * into a state the stream never had. "Recorded" is the envelope's `occurredAt`, the platform clock
 * when the command was decided and appended (the test clock included), not the adapter's
 * `recordedAt` (the host's wall clock, which ignores time travel and is set per process): it is the
 * time axis of every other date the platform shows, and in production (system clock) the two agree
 * to the milliseconds of an append.
 */
export function prefixRecordedBy<T extends { metadata: { occurredAt: string } }>(events: T[], asOf: Date): T[] {
  const firstAfter = events.findIndex((e) => Date.parse(e.metadata.occurredAt) > asOf.getTime());
  return firstAfter < 0 ? events : events.slice(0, firstAfter);
}

import { ConflictError, type Decider, type DomainEvent, type SealedText } from '@oksio/kernel';
import { type EventStore, type NewEvent, type StreamAppend, WrongExpectedRevisionError } from '@oksio/event-store';
import type { CommandContext } from './command-context';
import { assertRecordedOn, type EventSourcedRepository } from './event-sourced-repository';
import { checkPrecondition, recordReached, revisionMismatch } from './revision-precondition';
import { dataSubjectOf } from '../personal-data/personal-text';

/** What one stream's decider decided inside a multi-stream command. */
export interface StreamDecision<S, E extends DomainEvent> {
  /** The stream's state with the decided events folded in (they are appended at `commit`). */
  state: S;
  /** The events decided now; for a step whose command id was already recorded, the recorded ones. */
  events: E[];
  /** True when this step's command id had already been appended: nothing is staged for it. */
  duplicateCommand: boolean;
  /** The stream's revision as read (-1: no stream). */
  revision: number;
}

interface Staged {
  streamId: string;
  events: NewEvent[];
  expectedRevision: number | 'no_stream';
  context: CommandContext;
}

/**
 * A command that decides on several streams and appends them together (docs/adr/0008): every
 * decider runs first — on the stream as read, or as already decided in this command — and only
 * `commit` writes, in one `appendMany` (one transaction on PostgreSQL). A refusal anywhere throws
 * before anything is written.
 *
 * Each step names its context: the command's own on its primary stream, ids derived from it
 * (`deterministicId(commandId, …)`) on the others, so each stream's batch is claimed under its own
 * id and a retry finds them all recorded or none. A step whose id is already recorded (an earlier
 * attempt, or data written before multi-stream commands existed) is not decided again: its recorded
 * events are returned and nothing is staged for it — so re-running a command appends only what is
 * missing.
 */
export class MultiStreamCommand {
  private readonly staged = new Map<string, Staged>();

  constructor(
    private readonly store: EventStore,
    private readonly repository: EventSourcedRepository,
    readonly now: Date,
  ) {}

  async decide<C, S, E extends DomainEvent>(decider: Decider<C, E, S>, streamId: string, command: C, context: CommandContext): Promise<StreamDecision<S, E>> {
    if (this.staged.has(streamId)) throw new Error(`${streamId} is decided twice in one multi-stream command: decide one command per stream`);
    const earlier = await this.recorded(decider, streamId, context);
    if (earlier) return earlier;
    const { state, revision, events: recorded } = await this.repository.load(decider, streamId);
    try {
      // The caller's If-Match on the stream it addressed (the others' contexts carry none).
      checkPrecondition(context, streamId, revision);
    } catch (mismatch) {
      const late = await this.recorded(decider, streamId, context);
      if (late) return late;
      throw mismatch;
    }
    let events: E[];
    try {
      events = decider.decide(command, state, this.now);
    } catch (refusal) {
      // A retry racing its own first attempt may be refused by the state that attempt wrote.
      const late = await this.recorded(decider, streamId, context);
      if (late) return late;
      throw refusal;
    }
    // Free text and reason sealed for each stream's own data subject (personal-text.ts).
    const sealed = await this.repository.personalText.seal(dataSubjectOf(recorded, events), events, context.reason);
    this.staged.set(streamId, {
      streamId,
      events: sealed.events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: eventMetadata(context, this.now, sealed.reason) })),
      expectedRevision: revision < 0 ? 'no_stream' : revision,
      context,
    });
    return { state: events.reduce((s, e) => decider.evolve(s, e), state), events, duplicateCommand: false, revision };
  }

  /** True when some step decided events to append. */
  get hasChanges(): boolean {
    return [...this.staged.values()].some((s) => s.events.length > 0);
  }

  /**
   * Appends every stream's events in one `appendMany`. A stream changed since it was read gives a
   * 409 `concurrency_conflict` naming it; decided again (`executeMultiStream`), a step recorded
   * meanwhile by a concurrent attempt of the same command then answers with that attempt's events.
   */
  async commit(): Promise<{ duplicateCommand: boolean }> {
    const batches: Array<StreamAppend & Pick<Staged, 'context'>> = [...this.staged.values()].filter((s) => s.events.length > 0);
    for (const step of this.staged.values()) {
      if (step.events.length === 0) recordReached(step.context, step.expectedRevision === 'no_stream' ? -1 : Number(step.expectedRevision));
    }
    if (batches.length === 0) return { duplicateCommand: false };
    try {
      const result = await this.store.appendMany(batches.map(({ streamId, events, expectedRevision }) => ({ streamId, events, expectedRevision })));
      batches.forEach((batch, i) => recordReached(batch.context, result.results[i].nextExpectedRevision));
      return { duplicateCommand: result.duplicateCommand };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const precondition = this.staged.get(error.streamId)?.context.precondition;
      if (precondition && precondition.expected !== null) throw revisionMismatch(precondition, error.streamId, error.actual);
      throw new ConflictError('concurrency_conflict', `${error.streamId} was changed by another command; reload and retry`, [
        { field: 'expectedRevision', message: error.message },
      ]);
    }
  }

  private async recorded<C, S, E extends DomainEvent>(decider: Decider<C, E, S>, streamId: string, context: CommandContext): Promise<StreamDecision<S, E> | null> {
    const earlier = await this.store.commandResult?.(context.commandId);
    if (!earlier) return null;
    assertRecordedOn(earlier, streamId);
    const { state, revision } = await this.repository.load(decider, streamId);
    recordReached(context, revision);
    this.staged.set(streamId, { streamId, events: [], expectedRevision: revision < 0 ? 'no_stream' : revision, context });
    return { state, events: earlier.events.map((e) => ({ type: e.type, data: e.data }) as E), duplicateCommand: true, revision };
  }
}

/**
 * The envelope metadata of the events a command writes (the same as `EventSourcedRepository.execute`).
 * `reason` is the command's reason as `PersonalTextSealer.seal` returned it, never the clear text.
 */
export function eventMetadata(context: CommandContext, now: Date, reason: SealedText | null): NewEvent['metadata'] {
  return {
    occurredAt: now.toISOString(),
    actor: context.actor,
    correlationId: context.correlationId,
    causationId: context.causationId,
    commandId: context.commandId,
    reason,
  };
}

/**
 * Runs a multi-stream command to its end: `build` decides every step on a fresh
 * `MultiStreamCommand` and returns the command's answer; the steps are then committed together.
 * A concurrent change of one of the streams makes the whole command decided again on the new
 * states (the loser gets the business answer, not a bare 409), up to `attempts` times.
 */
export async function executeMultiStream<T>(
  repository: EventSourcedRepository,
  now: () => Date,
  build: (command: MultiStreamCommand) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const command = repository.multiStream(now());
    try {
      const answer = await build(command);
      await command.commit();
      return answer;
    } catch (error) {
      if (!(error instanceof ConflictError) || error.code !== 'concurrency_conflict' || attempt >= attempts) throw error;
    }
  }
}

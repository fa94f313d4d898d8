import { ConflictError, type Decider, type DomainEvent } from '@oksio/kernel';
import {
  type AppendResult,
  type EventStore,
  type RecordedEvent,
  Upcasters,
  WrongExpectedRevisionError,
} from '@oksio/event-store';
import type { CommandContext } from './command-context';

export interface Loaded<S> {
  state: S;
  /** -1 when the stream does not exist. */
  revision: number;
  events: RecordedEvent[];
}

/**
 * Runs a decider against its stream: load (fold), decide with the injected `now`, append with the
 * revision that was read. A concurrent writer makes the append fail with a 409, never a lost update.
 */
export class EventSourcedRepository {
  constructor(
    private readonly store: EventStore,
    private readonly upcasters = new Upcasters(),
  ) {}

  async load<S, E extends DomainEvent>(decider: Decider<any, E, S>, streamId: string, asOf?: Date): Promise<Loaded<S>> {
    const recorded = (await this.store.readStream(streamId)).map((e) => this.upcasters.apply(e));
    const upTo = asOf ? recorded.filter((e) => new Date(e.metadata.occurredAt) <= asOf) : recorded;
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
    const { state } = await this.load(decider, streamId);
    return { ...earlier, duplicateCommand: true, state };
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
    const { state, revision } = await this.load(decider, streamId);
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
    if (events.length === 0) return { nextExpectedRevision: revision, events: [], duplicateCommand: false, state };
    try {
      const result = await this.store.append(
        streamId,
        events.map((e) => ({
          type: e.type,
          data: e.data as Record<string, unknown>,
          metadata: {
            occurredAt: now.toISOString(),
            actor: context.actor,
            correlationId: context.correlationId,
            causationId: context.causationId,
            commandId: context.commandId,
            reason: context.reason,
          },
        })),
        { expectedRevision: revision < 0 ? 'no_stream' : revision },
      );
      const newState = result.events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), state);
      return { ...result, state: newState };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        const late = await this.priorOutcome(decider, streamId, context);
        if (late) return late;
        throw new ConflictError('concurrency_conflict', `${streamId} was changed by another command; reload and retry`, [
          { field: 'expectedRevision', message: error.message },
        ]);
      }
      throw error;
    }
  }
}

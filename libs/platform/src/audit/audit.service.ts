import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type Decider } from '@oksio/kernel';
import { type ChainProblem, type RecordedEvent, verifyStreamChain } from '@oksio/event-store';
import { RUNTIME } from '../tokens';
import type { Runtime } from '../runtime';

export interface VerifyReport {
  streams: number;
  events: number;
  problem: ChainProblem | null;
}

type AnyDecider = Decider<unknown, { type: string; data: Record<string, unknown> }, unknown>;

/**
 * Read side for auditors: stream history, hash-chain verification and replay of an aggregate's
 * state as of an instant. Contexts register which decider folds which stream category.
 */
@Injectable()
export class AuditService {
  private readonly deciders = new Map<string, AnyDecider>();

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  /** `category` is the stream id prefix before the first '-' (e.g. `subscription`). */
  registerStreamCategory(category: string, decider: AnyDecider): void {
    this.deciders.set(category, decider);
  }

  async streamEvents(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const events = await this.runtime.store.readStream(streamId, { fromRevision: options.fromRevision, maxCount: options.maxCount });
    if (events.length === 0 && (options.fromRevision ?? 0) === 0) {
      throw new NotFoundError('stream_not_found', `No stream ${streamId}`, [{ field: 'streamId', message: 'unknown stream' }]);
    }
    return this.withReasonsRevealed(events);
  }

  /**
   * The auditor reads why: each sealed reason opened (one key lookup for the page), `[erased]` once
   * its subject's key is shredded. The hash still verifies against the stored (sealed) event, which
   * `verifyStream` reads itself; event data is returned as stored.
   */
  private async withReasonsRevealed(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const reasons = await this.runtime.personalText.revealTexts(events.map((e) => e.metadata.reason));
    return events.map((e, i) => (e.metadata.reason === null ? e : { ...e, metadata: { ...e.metadata, reason: reasons[i] } }));
  }

  async verifyStream(streamId: string): Promise<ChainProblem | null> {
    const events = await this.runtime.store.readStream(streamId);
    const head = await headOf(this.runtime, streamId);
    if (events.length === 0 && !head) {
      throw new NotFoundError('stream_not_found', `No stream ${streamId}`, [{ field: 'streamId', message: 'unknown stream' }]);
    }
    return verifyStreamChain(streamId, events, head);
  }

  /** Every stream, in creation order; stops at the first problem. */
  async verifyAll(onProgress?: (streams: number, events: number) => void): Promise<VerifyReport> {
    let streams = 0;
    let events = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.runtime.store.listStreams({ afterStreamId: after, limit: 500 });
      if (page.length === 0) return { streams, events, problem: null };
      for (const streamId of page) {
        const stream = await this.runtime.store.readStream(streamId);
        const problem = verifyStreamChain(streamId, stream, await headOf(this.runtime, streamId));
        streams++;
        events += stream.length;
        if (problem) return { streams, events, problem };
      }
      onProgress?.(streams, events);
      after = page[page.length - 1];
    }
  }

  /** The aggregate's state as the stream stood at `asOf`: its prefix recorded by then (`prefixRecordedBy`). */
  async replay(streamId: string, asOf: Date): Promise<{ state: unknown; events: number; lastEvent: RecordedEvent | null }> {
    const category = streamId.split('-')[0];
    const decider = this.deciders.get(category);
    if (!decider) {
      throw new NotFoundError('unknown_stream_category', `No aggregate is registered for streams "${category}-…"`, [
        { field: 'streamId', message: `known categories: ${[...this.deciders.keys()].join(', ') || 'none'}` },
      ]);
    }
    const loaded = await this.runtime.repository.load(decider, streamId, asOf);
    if (loaded.revision < 0) throw new NotFoundError('stream_not_found', `No stream ${streamId}`, [{ field: 'streamId', message: 'unknown stream' }]);
    return { state: loaded.state, events: loaded.events.length, lastEvent: loaded.events[loaded.events.length - 1] ?? null };
  }
}

function headOf(runtime: Runtime, streamId: string) {
  return runtime.store.streamHead ? runtime.store.streamHead(streamId) : Promise.resolve(null);
}

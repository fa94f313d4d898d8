import type { StreamHead } from '../hash-chain';

/**
 * The heads this process last saw (its own appends, streams read to the end), so that an append
 * can hash its events without reading the head first. A guess only: the append's compare-and-set
 * on revision and hash rejects a stale one. Bounded: the least recently touched head is dropped.
 */
export class StreamHeads {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): StreamHead | undefined {
    return this.heads.get(streamId);
  }

  remember(streamId: string, head: StreamHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value!);
  }

  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}

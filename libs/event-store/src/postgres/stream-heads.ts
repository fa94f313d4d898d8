/** A stream's last revision and the hash of its last event (null: no event yet). */
export interface KnownHead {
  revision: number;
  hash: string | null;
}

/**
 * The heads this process last saw (its own appends, streams read to the end), so that an append
 * can hash its events without reading the head first. A guess only: the append's compare-and-set
 * on revision and hash rejects a stale one. Bounded: the least recently touched head is dropped.
 */
export class StreamHeads {
  private readonly heads = new Map<string, KnownHead>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): KnownHead | undefined {
    return this.heads.get(streamId);
  }

  remember(streamId: string, head: KnownHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value!);
  }

  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}

import type { Position } from './envelope';
import type { EventStore, EventSubscription, SubscribeToAllOptions } from './event-store';

/**
 * Catch-up subscription on top of `readAll`: pages through history, then waits for the store's
 * wake-up signal (or a poll timeout) and pages again. Used by the PostgreSQL adapter.
 */
export class CatchUpSubscription implements EventSubscription {
  private current: Position;
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly options: SubscribeToAllOptions,
    private readonly waitForEvents: (timeoutMs: number) => Promise<void>,
  ) {
    this.current = options.after;
    this.done = this.run();
  }

  get position(): Position {
    return this.current;
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    while (!this.stopped) {
      try {
        const batch = await this.store.readAll({ after: this.current, maxCount: batchSize });
        for (const event of batch) {
          if (this.stopped) return;
          await this.options.onEvent(event);
          this.current = event.position;
        }
        if (batch.length < batchSize) await this.waitForEvents(1000);
      } catch (error) {
        if (this.stopped) return;
        this.options.onError?.(error);
        await this.waitForEvents(1000);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

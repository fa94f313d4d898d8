import { InvalidAppendError, type StreamAppend } from './event-store';
import { validateBatch } from './postgres/postgres-event-store';

/**
 * The rules every adapter applies to `appendMany` before touching anything: each batch is a valid
 * append of its own, a stream appears once (one expectation per stream), and a command id is
 * claimed by one batch only (the store records one stream per command id).
 */
export function validateStreamAppends(batches: StreamAppend[]): void {
  if (batches.length === 0) throw new InvalidAppendError('appendMany needs at least one stream');
  const streams = new Set<string>();
  const commands = new Set<string>();
  for (const batch of batches) {
    validateBatch(batch.streamId, batch.events);
    if (streams.has(batch.streamId)) throw new InvalidAppendError(`stream ${batch.streamId} appears twice in one appendMany`);
    streams.add(batch.streamId);
    const commandId = batch.events[0].metadata.commandId ?? null;
    if (commandId === null) continue;
    if (commands.has(commandId)) {
      throw new InvalidAppendError(`command ${commandId} is claimed by two streams: each stream's batch needs its own command id (e.g. derived from the command's)`);
    }
    commands.add(commandId);
  }
}

/** The command id of a batch, or null. */
export function batchCommandId(batch: StreamAppend): string | null {
  return batch.events[0]?.metadata.commandId ?? null;
}

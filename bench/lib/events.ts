import { randomUUID } from 'node:crypto';
import type { EventMetadataInput, NewEvent } from '@oksio/event-store';

/**
 * Synthetic events shaped like the platform's (a subscription-ish payload of ≈ 400 bytes of JSON
 * plus the ARCHITECTURE.md §2 metadata). Until the contexts publish their event types, the types
 * below are stand-ins; when real projections are benchmarked, generate their own event types here.
 */
export const BENCH_EVENT_TYPES = ['SubscriptionActivated', 'UsageRecorded', 'InvoiceLineAdded', 'CommitmentRenewed'] as const;

const OCCURRED_AT = '2031-02-01T08:00:00.000Z';

export function benchMetadata(commandId: string | null = null): EventMetadataInput {
  return {
    occurredAt: OCCURRED_AT,
    actor: { id: 'bench', role: 'system' },
    correlationId: randomUUID(),
    causationId: null,
    commandId,
    reason: null,
  };
}

export function benchData(streamNo: number, seq: number): Record<string, unknown> {
  return {
    subscriptionId: `sub-${streamNo}`,
    customerId: `cus-${streamNo % 5000}`,
    siteId: `site-${streamNo % 20000}`,
    offer: 'FIBRE_PRO_1G',
    seq,
    amountCents: 4990 + (seq % 100),
    currency: 'EUR',
    periodStart: '2031-02-01',
    periodEnd: '2031-03-01',
    lines: [
      { msisdn: `+3361${String(streamNo % 10_000_000).padStart(7, '0')}`, plan: 'DATA_50G', quantity: 1 },
      { msisdn: `+3362${String(seq % 10_000_000).padStart(7, '0')}`, plan: 'VOICE_UNLIMITED', quantity: 1 },
    ],
    note: null,
  };
}

/** `count` events for one append; all share one commandId when given (the port requires it). */
export function benchBatch(streamNo: number, firstSeq: number, count: number, commandId: string | null = null): NewEvent[] {
  const events: NewEvent[] = [];
  for (let i = 0; i < count; i++) {
    const seq = firstSeq + i;
    events.push({
      type: BENCH_EVENT_TYPES[seq % BENCH_EVENT_TYPES.length],
      data: benchData(streamNo, seq),
      metadata: benchMetadata(commandId),
    });
  }
  return events;
}

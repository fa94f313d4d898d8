import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, deterministicId } from '@oksio/kernel';
import { WrongExpectedRevisionError, type EventStore } from '@oksio/event-store';
import { RUNTIME, type CommandContext, type Runtime } from '@oksio/platform';
import { createRegisterDecider, registerStream, seriesOf, type CreditNoteDocument, type InvoiceDocument, type RegisterEvent, type Series } from '../domain';

export interface Issued {
  number: string;
  sequence: number;
  streamId: string;
  /** True when this document had already been issued (a retried or re-run command): nothing new was written. */
  duplicate: boolean;
}

/**
 * Issues invoices and credit notes in their register stream. The number is allocated by the same
 * append that records the document (one transaction): read the register's last event, decide
 * last + 1, append with that revision; a concurrent issuer makes the append fail on the revision
 * and we retry with the next number, so numbers stay sequential without gaps. The command id is
 * derived from the document id: issuing the same document twice returns the first number.
 */
@Injectable()
export class InvoiceRegisterService {
  private readonly store: EventStore;

  constructor(@Inject(RUNTIME) runtime: Runtime) {
    this.store = runtime.store;
  }

  issueInvoice(document: InvoiceDocument, ctx: CommandContext, now: Date): Promise<Issued> {
    return this.issue('FA', document.issuedOn, { type: 'IssueInvoice', document }, deterministicId('billing-issue', document.invoiceId), ctx, now);
  }

  issueCreditNote(document: CreditNoteDocument, ctx: CommandContext, now: Date): Promise<Issued> {
    return this.issue('AV', document.issuedOn, { type: 'IssueCreditNote', document }, deterministicId('billing-issue', document.creditNoteId), ctx, now);
  }

  private async issue(prefix: Series, issuedOn: string, command: Parameters<ReturnType<typeof createRegisterDecider>['decide']>[0], commandId: string, ctx: CommandContext, now: Date): Promise<Issued> {
    const series = seriesOf(prefix, issuedOn);
    const streamId = registerStream(series);
    const decider = createRegisterDecider(series);
    for (let attempt = 0; attempt < 200; attempt++) {
      const earlier = await this.store.commandResult?.(commandId);
      if (earlier) return this.result(earlier.events[0] as never, streamId, true);
      const [last] = await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      const state = last ? decider.evolve(decider.initialState, last as unknown as RegisterEvent) : decider.initialState;
      const events = decider.decide(command, state, now);
      try {
        const appended = await this.store.append(
          streamId,
          events.map((e) => ({
            type: e.type,
            data: e.data as Record<string, unknown>,
            metadata: { occurredAt: now.toISOString(), actor: ctx.actor, correlationId: ctx.correlationId, causationId: ctx.commandId, commandId, reason: ctx.reason },
          })),
          { expectedRevision: last ? last.revision : 'no_stream' },
        );
        return this.result(appended.events[0] as never, streamId, appended.duplicateCommand);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        // Another document took this number: back off a little (jittered) and take the next one.
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * Math.min(50, 2 + attempt * 3))));
      }
    }
    throw new ConflictError('register_busy', `The ${series} register stayed busy; retry`, [{ field: 'series', message: 'too many concurrent issues' }]);
  }

  private result(event: { data: { number: string; sequence: number } }, streamId: string, duplicate: boolean): Issued {
    return { number: event.data.number, sequence: event.data.sequence, streamId, duplicate };
  }
}

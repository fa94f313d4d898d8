import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, deterministicId } from '@oksio/kernel';
import { WrongExpectedRevisionError, type EventStore } from '@oksio/event-store';
import { type PersonalTextSealer, RUNTIME, type CommandContext, type Runtime, dataSubjectOf } from '@oksio/platform';
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
 * A register is never the stream a request addresses: the caller's If-Match (`ctx.precondition`)
 * belongs to the invoice or order it issues the document for, and is not applied here.
 */
@Injectable()
export class InvoiceRegisterService {
  private readonly store: EventStore;
  private readonly personalText: PersonalTextSealer;

  constructor(@Inject(RUNTIME) runtime: Runtime) {
    this.store = runtime.store;
    this.personalText = runtime.personalText;
  }

  issueInvoice(document: InvoiceDocument, ctx: CommandContext, now: Date): Promise<Issued> {
    return this.issue('FA', document.issuedOn, { type: 'IssueInvoice', document }, deterministicId('billing-issue', document.invoiceId), ctx, now);
  }

  /**
   * The register's own checks on an invoice (BIL-01) without numbering it: a run makes them before
   * it reserves the draft, so a reservation never waits for a number it can never get
   * (docs/adr/0008: every decision of a multi-step command before its first write).
   */
  checkInvoice(document: InvoiceDocument, now: Date): void {
    const decider = createRegisterDecider(seriesOf('FA', document.issuedOn));
    decider.decide({ type: 'IssueInvoice', document }, decider.initialState, now);
  }

  issueCreditNote(document: CreditNoteDocument, ctx: CommandContext, now: Date): Promise<Issued> {
    return this.issue('AV', document.issuedOn, { type: 'IssueCreditNote', document }, deterministicId('billing-issue', document.creditNoteId), ctx, now);
  }

  private async issue(prefix: Series, issuedOn: string, command: Parameters<ReturnType<typeof createRegisterDecider>['decide']>[0], commandId: string, ctx: CommandContext, now: Date): Promise<Issued> {
    const series = seriesOf(prefix, issuedOn);
    const streamId = registerStream(series);
    const decider = createRegisterDecider(series);
    // The register is shared by every customer: the reason is sealed for the document's own customer.
    const { reason } = await this.personalText.seal(dataSubjectOf([{ data: command.document }]), [], ctx.reason);
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
            metadata: { occurredAt: now.toISOString(), actor: ctx.actor, correlationId: ctx.correlationId, causationId: ctx.commandId, commandId, reason },
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

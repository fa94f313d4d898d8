import { DomainError } from '@oksio/kernel';
import type { TicketCommand } from './commands';
import { slaDeadline } from './interruption-clock';
import { slaApplies, type TicketState } from './state';
import { iso, plusParisDays } from './time';

/**
 * Time-driven behaviour as data (ARCHITECTURE.md property 5). A projection folds the ticket state
 * and calls `dueDates(state)` after each event, then syncs the due-actions table with the result
 * (`DueActions.sync`): keys no longer wanted are cancelled, moved dates rescheduled.
 *
 * - 'incident.sla_breach': at the SLA deadline (INC-10) of an open ticket that carries the
 *   commitment and has no breach recorded yet. Key `sla:<ticketId>:<deadline ISO>`: a freeze that
 *   moves the deadline gives a new key (the old one is cancelled); while frozen there is no row.
 * - 'incident.auto_close': `autoCloseAfterDays` calendar days (Paris wall clock) after a resolution
 *   the client has not confirmed (INC-09). Key `auto-close:<ticketId>:<resolved ISO>`: a reopened
 *   and re-resolved ticket gets a fresh key, since done rows stay done.
 */
export type DueActionKind = 'incident.sla_breach' | 'incident.auto_close';

export interface TicketDueDate {
  kind: DueActionKind;
  key: string;
  dueAt: Date;
  payload: { ticketId: string; deadline?: string };
}

export function dueDates(state: TicketState): TicketDueDate[] {
  const due: TicketDueDate[] = [];
  const ticketId = state.ticketId;
  if (ticketId === null || state.clock === null || state.terms === null) return due;

  if (state.status === 'open' && slaApplies(state) && state.slaBreach === null) {
    const deadline = slaDeadline(state.clock);
    if (deadline !== null) {
      const at = iso(deadline);
      due.push({ kind: 'incident.sla_breach', key: `sla:${ticketId}:${at}`, dueAt: deadline, payload: { ticketId, deadline: at } });
    }
  }

  if (state.status === 'resolved' && state.resolution !== null) {
    const dueAt = plusParisDays(state.resolution.at, state.terms.autoCloseAfterDays);
    due.push({ kind: 'incident.auto_close', key: `auto-close:${ticketId}:${state.resolution.at}`, dueAt, payload: { ticketId } });
  }
  return due;
}

/** The command a due action of this context sends to the ticket stream `ticket-<payload.ticketId>`. */
export function commandForDueAction(kind: string, payload: Record<string, unknown>): TicketCommand {
  switch (kind) {
    case 'incident.sla_breach':
      return { type: 'RecordSlaBreach', deadline: String(payload.deadline) };
    case 'incident.auto_close':
      return { type: 'AutoCloseTicket' };
    default:
      throw new DomainError('unknown_due_action', `No incident command for due action ${kind}`, undefined, 'kind');
  }
}

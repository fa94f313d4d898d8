import { calendarFor } from './time';

/**
 * INC-01 (CG 9.1): the single support entry point receives, routes and follows up interruption
 * notifications from 09:00 to 18:00, Monday to Friday (business days, Europe/Paris).
 *
 * What this means for the system (decision):
 * - A notification is accepted and time-stamped whenever it arrives (e-mail, portal, voicemail):
 *   its instant is a contractual fact (INC-10 distinguishes notifications outside business hours,
 *   INC-13 counts from it), so the system never refuses or shifts it.
 * - Support *takes it into account* at the first business instant at or after the notification:
 *   `supportReceptionInstant`. Routing queues and follow-up reminders are ordered by that instant,
 *   and it is stored on the ticket (`TicketOpened.receivedAt`).
 * - The business-hours interruption clock agrees by construction: it counts nothing between a
 *   20:00 notification and the next 09:00 opening, so its elapsed time at `receivedAt` is 0.
 * - OKSIO staff may still act outside these hours (nothing is refused): INC-01 bounds OKSIO's
 *   obligation, not what the system lets an agent record.
 */
export function supportReceptionInstant(notifiedAt: Date, alsaceMoselle = false): Date {
  return calendarFor(alsaceMoselle).nextBusinessOpening(notifiedAt);
}

/** Whether the support desk is open at `instant` (INC-01). */
export function isSupportOpen(instant: Date, alsaceMoselle = false): boolean {
  return calendarFor(alsaceMoselle).isBusinessTime(instant);
}

import { deterministicId } from '@oksio/kernel';
import type { EventStore, NewEvent } from '@oksio/event-store';
import { TICKET_FREE_TEXT, type TicketCommand, type TicketEvent, ticketDecider } from '@oksio/incident';
import { generateDataset, rngFor, type GenerateReport } from '../../apps/cli/src/generate';

/**
 * The domain data set of the rebuild benchmark: real histories decided by the contexts' own
 * deciders and appended through the port — customers and subscriptions by the CLI generator
 * (`npm run cli -- generate`), and tickets here (qualified, opened, classified, sometimes frozen for
 * site access, restored, closed). One append per aggregate, as the command path writes them.
 */
export interface DomainDataReport {
  subscriptions: GenerateReport;
  tickets: number;
  ticketEvents: number;
  events: number;
}

const HOUR = 3_600_000;
const SEED = 7;
const PARIS_YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Paris', year: 'numeric' });

/** One ticket's history through the decider, dated inside the last three years before `now`. */
export function ticketHistory(n: number, now: Date): { streamId: string; events: NewEvent[] } {
  const random = rngFor(SEED, 'ticket', n);
  const ticketId = deterministicId('bench-ticket', String(n));
  const customerId = deterministicId('bench-customer', String(Math.floor(random() * 10_000)));
  const notified = new Date(now.getTime() - Math.floor(random() * 3 * 365 * 24) * HOUR - 48 * HOUR);
  const at = (hours: number) => new Date(notified.getTime() + hours * HOUR);
  const caller = { contactId: `contact-${n}`, kind: 'contact' as const, authorisedForSupport: true };
  const site = `site-${n % 97}`;
  const steps: Array<[TicketCommand, Date]> = [
    [{ type: 'QualifyCall', ticketId, customerId, callerContactId: caller.contactId, authorisedCallers: [caller], customerSiteIds: [site], impactedSiteIds: [site] }, notified],
    [
      {
        type: 'OpenTicket',
        reference: `INC-${PARIS_YEAR.format(notified)}-${String(n + 1).padStart(6, '0')}`,
        notifiedAt: notified.toISOString(),
        declaredByContactId: caller.contactId,
        serviceType: 'DATA',
        subscriptionId: deterministicId('bench-subscription', String(n % 50_000)),
        description: 'No Internet access at all',
        location: 'head office',
        consequences: 'office offline',
        terms: { guaranteedLink: true, monthlyFee: '120.00' },
      },
      notified,
    ],
    [{ type: 'ClassifyIncident', totalUnavailability: random() < 0.8, attributableToNetworkOnly: true }, at(0.25)],
  ];
  const siteAccess = random() < 0.3;
  if (siteAccess) {
    steps.push([{ type: 'RequestSiteAccess', siteId: site, at: at(1).toISOString() }, at(1)]);
    steps.push([{ type: 'RecordSiteAccessObtained', at: at(3).toISOString() }, at(3)]);
  }
  const restoredAfter = (siteAccess ? 3 : 0.5) + random() * 8;
  steps.push([{ type: 'NotifyRestoration', via: 'phone', at: at(restoredAfter).toISOString() }, at(restoredAfter)]);
  steps.push([{ type: 'CloseTicket', clientInformedVia: 'email' }, at(restoredAfter + 1)]);

  let state = ticketDecider.initialState;
  const events: NewEvent[] = [];
  for (const [command, when] of steps) {
    for (const e of ticketDecider.decide(command, state, when) as TicketEvent[]) {
      state = ticketDecider.evolve(state, e);
      events.push({
        type: e.type,
        data: sealedLikeTheCommandPath(e, `customer-${customerId}`),
        metadata: { occurredAt: when.toISOString(), actor: { id: 'bench', role: 'support' }, correlationId: ticketId, causationId: null, commandId: null, reason: null },
      });
    }
  }
  return { streamId: `ticket-${ticketId}`, events };
}

/**
 * The command path stores a ticket's free text sealed (TICKET_FREE_TEXT, issue 18 item 7). A
 * rebuild never opens it, so an envelope of the same shape and size (AES-GCM: the text's length,
 * a 12-byte IV, a 16-byte tag, base64) stands in for it without a vault.
 */
function sealedLikeTheCommandPath(e: TicketEvent, subject: string): Record<string, unknown> {
  const fields = TICKET_FREE_TEXT[e.type] ?? [];
  if (fields.length === 0) return e.data as Record<string, unknown>;
  const data = { ...(e.data as Record<string, unknown>) };
  for (const field of fields) {
    const text = data[field];
    if (typeof text !== 'string') continue;
    const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
    data[field] = { $pii: 1, subject, category: 'communications', keyId: deterministicId('bench-key', subject), iv: b64(12), ct: b64(Buffer.byteLength(JSON.stringify(text))), tag: b64(16) };
  }
  return data;
}

export async function generateDomainData(
  store: EventStore,
  protect: (subject: string, category: 'identity_contact', value: unknown) => Promise<Record<string, unknown>>,
  options: { subscriptions: number; tickets: number; writers: number; now: Date },
): Promise<DomainDataReport> {
  const subscriptions = await generateDataset({ store, protect }, { subscriptions: options.subscriptions, concurrency: options.writers, now: options.now, seed: SEED });
  let next = 0;
  let ticketEvents = 0;
  await Promise.all(
    Array.from({ length: options.writers }, async () => {
      for (let n = next++; n < options.tickets; n = next++) {
        const { streamId, events } = ticketHistory(n, options.now);
        await store.append(streamId, events, { expectedRevision: 'no_stream' });
        ticketEvents += events.length;
      }
    }),
  );
  return { subscriptions, tickets: options.tickets, ticketEvents, events: subscriptions.events + ticketEvents };
}

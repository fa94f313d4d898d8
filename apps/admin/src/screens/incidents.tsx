import { useState } from 'preact/hooks';
import { ApiError, graphql } from '../api';
import { Badge, ErrorBox, PageTitle, QueryResult } from '../components';
import { formatDateTime, formatDuration, formatMoney } from '../format';
import { Link, navigate, useRoute } from '../router';
import { businessNow, useAsync, useMutation, useNow, useQuery, useSession } from '../session';
import { parisLocal, parisLocalToInstant } from '../time';

interface FrozenPeriod {
  from: string;
  to: string | null;
  reason: string;
}

export interface TicketClock {
  asOf: string;
  status: 'running' | 'frozen' | 'stopped';
  basis: string;
  notifiedAt: string;
  elapsedMs: number;
  allowanceMs: number | null;
  deadline: string | null;
  remainingMs: number | null;
  breached: boolean;
  frozen: FrozenPeriod[];
}

interface Ticket {
  ticketId: string;
  reference: string | null;
  status: string;
  customerId: string;
  subscriptionId: string | null;
  serviceType: string | null;
  impactedSiteIds: string[];
  classification: string | null;
  slaApplies: boolean;
  notifiedAt: string | null;
  openedAt: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  closedAt: string | null;
  description: string | null;
  location: string | null;
  consequences: string | null;
  breachDeadline: string | null;
  breachRecordedAt: string | null;
  exclusionCause: string | null;
  penaltyComputed: string | null;
  penaltyTier: string | null;
  penaltyGranted: string;
  feesCharged: string[];
  revision: number;
  clock: TicketClock | null;
}

const TICKET_FIELDS = `ticketId reference status customerId subscriptionId serviceType impactedSiteIds classification slaApplies notifiedAt openedAt resolvedAt resolution closedAt
  description location consequences breachDeadline breachRecordedAt exclusionCause penaltyComputed penaltyTier penaltyGranted feesCharged revision
  clock { asOf status basis notifiedAt elapsedMs allowanceMs deadline remainingMs breached frozen { from to reason } }`;
const BOARD = `query TicketBoard { ticketBoard(limit: 200) { total items { ${TICKET_FIELDS} } } }`;
const ONE = `query Ticket($id: ID!) { ticket(ticketId: $id) { ${TICKET_FIELDS} } }`;

const STATUS: Record<string, { label: string; tone: 'info' | 'warn' | 'ok' | 'neutral' }> = {
  qualified: { label: 'Qualifié', tone: 'info' },
  open: { label: 'Ouvert', tone: 'warn' },
  resolved: { label: 'Rétabli', tone: 'ok' },
  closed: { label: 'Clôturé', tone: 'neutral' },
};
const CLOCK_STATUS: Record<string, string> = { running: 'en cours', frozen: 'gelée', stopped: 'arrêtée' };
const FREEZE_REASONS: Record<string, string> = { site_access: 'accès au site demandé (INC-06)', restored_until_reopened: 'rétabli jusqu’à réouverture' };
const SUBSCRIPTION_STATUSES: Record<string, string> = { ordered: 'commandé', refused: 'refusé', cancelled: 'annulé', signed: 'signé', active: 'actif', terminated: 'résilié' };
const SERVICES: Record<string, string> = { DATA: 'Data', MOBILE: 'Mobile', FIXED_VGA: 'Fixe analogique', FIXED_SIP: 'Fixe SIP', HOSTED_PBX: 'Standard hébergé' };

/**
 * The interruption clock, ticking in the browser between refreshes: the time left to the SLA
 * deadline is the deadline (an instant computed by the server: business hours, freezes) minus
 * business time now; counted time ticks only on a calendar basis (business-hours counting stays
 * the server's, shown as of its computation).
 */
export function LiveClock({ clock, slaApplies }: { clock: TicketClock; slaApplies: boolean }) {
  const now = useNow(1000);
  const asOf = new Date(clock.asOf).getTime();
  const elapsed = clock.status === 'running' && clock.basis === 'calendar' ? clock.elapsedMs + Math.max(0, now - asOf) : clock.elapsedMs;
  const deadline = clock.deadline ? new Date(clock.deadline).getTime() : null;
  const left = deadline !== null ? deadline - now : null;
  const breached = clock.breached || (clock.status === 'running' && left !== null && left <= 0);
  const openFreeze = clock.frozen.find((f) => f.to === null);
  return (
    <div class={`clock-box clock-${clock.status}${breached ? ' clock-breached' : ''}`} data-testid="ticket-clock">
      <p>
        Horloge d'interruption : <strong data-testid="clock-status">{CLOCK_STATUS[clock.status] ?? clock.status}</strong>
        <span class="muted"> ({clock.basis === 'calendar' ? 'heures calendaires' : 'heures ouvrées'})</span>
        {breached ? <Badge tone="danger">SLA dépassé</Badge> : null}
      </p>
      {slaApplies && clock.status === 'running' && left !== null ? (
        <p>
          {left > 0 ? 'Temps restant avant l’échéance SLA : ' : 'Échéance SLA dépassée de '}
          <span class="clock" role="timer" aria-label="Temps restant avant l’échéance SLA" data-testid="time-left">
            {formatDuration(left)}
          </span>
          <span class="muted"> — échéance {formatDateTime(clock.deadline)}</span>
        </p>
      ) : null}
      {slaApplies && clock.status === 'frozen' ? (
        <p>
          Gelée depuis {formatDateTime(openFreeze?.from)} ({FREEZE_REASONS[openFreeze?.reason ?? ''] ?? openFreeze?.reason}) : l’échéance SLA sera recalculée quand l’accès sera obtenu.
        </p>
      ) : null}
      {!slaApplies ? <p class="muted">Pas d’engagement de rétablissement pour ce ticket (lien non garanti, mobile, anomalie mineure ou pas encore qualifié).</p> : null}
      <p class="muted">
        Temps décompté : <span class="clock">{formatDuration(elapsed)}</span>
        {clock.status === 'running' && clock.basis !== 'calendar' ? ` (calculé au ${formatDateTime(clock.asOf)})` : ''} · signalé le {formatDateTime(clock.notifiedAt)}
      </p>
      {clock.frozen.length > 0 ? (
        <p class="muted">
          Gels : {clock.frozen.map((f) => `${formatDateTime(f.from)} → ${f.to ? formatDateTime(f.to) : 'en cours'}`).join(' ; ')}
        </p>
      ) : null}
    </div>
  );
}

function TicketCard({ ticket }: { ticket: Ticket }) {
  return (
    <li class="card">
      <h3>
        <Link to={`incidents/${ticket.ticketId}`}>{ticket.reference ?? 'Appel qualifié (sans référence)'}</Link>
        <Badge tone={STATUS[ticket.status]?.tone ?? 'neutral'}>{STATUS[ticket.status]?.label ?? ticket.status}</Badge>
      </h3>
      <p class="muted">
        {SERVICES[ticket.serviceType ?? ''] ?? ticket.serviceType ?? '—'} · {ticket.location ?? '—'}
      </p>
      {ticket.clock ? <LiveClock clock={ticket.clock} slaApplies={ticket.slaApplies} /> : <p class="muted">Horloge non démarrée (ticket pas encore ouvert).</p>}
    </li>
  );
}

function Board() {
  const { session } = useSession();
  const board = useQuery<{ ticketBoard: { total: number; items: Ticket[] } }>(BOARD, {}, [session.serverNow]);
  return (
    <section aria-labelledby="board-title">
      <h2 id="board-title">Tableau des tickets en cours</h2>
      <p>
        <button type="button" class="secondary" onClick={board.reload}>
          Actualiser
        </button>
      </p>
      <QueryResult state={board} api="Incident (ticketBoard)">
        {({ ticketBoard }) =>
          ticketBoard.items.length === 0 ? (
            <p role="status">Aucun ticket en cours.</p>
          ) : (
            <ul class="cards" aria-label={`${ticketBoard.total} ticket(s) en cours, les plus urgents d’abord`}>
              {ticketBoard.items.map((t) => (
                <TicketCard key={t.ticketId} ticket={t} />
              ))}
            </ul>
          )
        }
      </QueryResult>
    </section>
  );
}

interface CustomerForTicket {
  customer: { customerId: string; companyName: string; contacts: Array<{ contactId: string; name: string | null; authorisedForSupport: boolean }> };
  subscriptions: { items: Array<{ subscriptionId: string; service: string; status: string; items: Array<{ itemId: string; label: string }> }> };
}
const FOR_TICKET = `query ForTicket($id: ID!) {
  customer(customerId: $id) { customerId companyName contacts { contactId name authorisedForSupport } }
  subscriptions(customerId: $id, limit: 100) { items { subscriptionId service status items { itemId label } } }
}`;

function OpenTicketForm({ customerId }: { customerId: string }) {
  const { session } = useSession();
  const mutate = useMutation();
  const data = useQuery<CustomerForTicket>(FOR_TICKET, { id: customerId }, [customerId]);
  const [form, setForm] = useState({ caller: '', subscriptionId: '', site: '', notifiedAt: parisLocal(businessNow(session)), description: '', location: '', consequences: '', guaranteed: true, monthlyFee: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: Event) => {
    const target = e.target as HTMLInputElement;
    setForm({ ...form, [key]: target.type === 'checkbox' ? target.checked : target.value });
  };
  if (data.error || data.loading || !data.data) return <QueryResult state={data} api="Clients / Abonnements (customer, subscriptions)">{() => null}</QueryResult>;
  const { customer, subscriptions } = data.data;
  const callers = customer.contacts.filter((c) => c.authorisedForSupport);
  const subscription = subscriptions.items.find((s) => s.subscriptionId === form.subscriptionId) ?? null;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const notifiedAt = parisLocalToInstant(form.notifiedAt);
    if (!notifiedAt) return setError(new ApiError('Indiquez l’heure du signalement (heure de Paris).', 'validation', null, null, [{ field: 'notifiedAt', message: 'date et heure attendues' }]));
    if (!subscription) return setError(new ApiError('Choisissez l’abonnement concerné.', 'validation', null, null, [{ field: 'subscriptionId', message: 'obligatoire' }]));
    setBusy(true);
    try {
      const qualified = await mutate<{ qualifyCall: { ticketId: string } }>(
        `mutation Qualify($input: QualifyCallInput!) { qualifyCall(input: $input) { ticketId status revision } }`,
        { input: { customerId, callerContactId: form.caller, impactedSiteIds: [form.site] } },
      );
      const ticketId = qualified.qualifyCall.ticketId;
      const terms = { guaranteedLink: form.guaranteed, ...(form.monthlyFee ? { monthlyFee: form.monthlyFee.replace(',', '.') } : {}) };
      const opened = await mutate<{ openTicket: { revision: number } }>(`mutation Open($id: ID!, $input: OpenTicketInput!) { openTicket(ticketId: $id, input: $input) { ticketId reference revision } }`, {
        id: ticketId,
        input: { notifiedAt, declaredByContactId: form.caller, serviceType: subscription.service, subscriptionId: subscription.subscriptionId, description: form.description, location: form.location, consequences: form.consequences, terms },
      });
      navigate(`incidents/${ticketId}?rev=${opened.openTicket.revision}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(String(err), 'server'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack-form" onSubmit={submit} aria-labelledby="open-title">
      <h2 id="open-title">Ouvrir un ticket — {customer.companyName}</h2>
      <label for="t-caller">Appelant (contact autorisé, INC-02)</label>
      <select id="t-caller" required value={form.caller} onChange={set('caller')}>
        <option value="">— choisir —</option>
        {callers.map((c) => (
          <option key={c.contactId} value={c.contactId}>
            {c.name ?? c.contactId}
          </option>
        ))}
      </select>
      <label for="t-sub">Abonnement concerné</label>
      <select id="t-sub" required value={form.subscriptionId} onChange={(e) => setForm({ ...form, subscriptionId: (e.target as HTMLSelectElement).value, site: '' })}>
        <option value="">— choisir —</option>
        {subscriptions.items.map((s) => (
          <option key={s.subscriptionId} value={s.subscriptionId}>
            {SERVICES[s.service] ?? s.service} — {s.items.map((i) => i.label).join(', ')} ({SUBSCRIPTION_STATUSES[s.status] ?? s.status})
          </option>
        ))}
      </select>
      <label for="t-site">Site impacté</label>
      <select id="t-site" required value={form.site} onChange={set('site')} disabled={!subscription}>
        <option value="">— choisir —</option>
        {(subscription?.items ?? []).map((i) => (
          <option key={i.itemId} value={i.itemId}>
            {i.label}
          </option>
        ))}
      </select>
      <label for="t-notified">Signalé par le client le (heure de Paris)</label>
      <input id="t-notified" type="datetime-local" required value={form.notifiedAt} onInput={set('notifiedAt')} />
      <label for="t-desc">Description</label>
      <textarea id="t-desc" required maxLength={4000} value={form.description} onInput={set('description')} />
      <label for="t-loc">Localisation</label>
      <input id="t-loc" required maxLength={1000} value={form.location} onInput={set('location')} />
      <label for="t-cons">Conséquences</label>
      <textarea id="t-cons" required maxLength={4000} value={form.consequences} onInput={set('consequences')} />
      <label class="checkbox">
        <input type="checkbox" checked={form.guaranteed} onChange={set('guaranteed')} /> Lien Data garanti (rétablissement sous 4 h ouvrées, INC-10)
      </label>
      <label for="t-fee">Redevance mensuelle HT (base des pénalités, facultatif)</label>
      <input id="t-fee" inputMode="decimal" pattern="\d+([.,]\d{1,2})?" value={form.monthlyFee} onInput={set('monthlyFee')} placeholder="ex. 450,00" />
      <p>
        <button type="submit" disabled={busy}>
          {busy ? 'Ouverture…' : 'Ouvrir le ticket'}
        </button>
      </p>
      {error ? <ErrorBox error={error} context="ouverture du ticket" /> : null}
    </form>
  );
}

function TicketActions({ ticket, onDone }: { ticket: Ticket; onDone: (revision: number) => void }) {
  const { session, refresh } = useSession();
  const mutate = useMutation();
  const [reason, setReason] = useState('');
  const [via, setVia] = useState<'phone' | 'email'>('phone');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  if (session.role === 'auditor') return <p class="muted">Rôle auditeur : lecture seule.</p>;
  const run = async (label: string, query: string, variables: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const data = await mutate<Record<string, { revision: number }>>(query, { id: ticket.ticketId, rev: ticket.revision, ...variables }, { reason: reason.trim() || label });
      await refresh();
      onDone(Object.values(data)[0].revision);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(String(err), 'server'));
    } finally {
      setBusy(false);
    }
  };
  const clock = ticket.clock;
  const site = ticket.impactedSiteIds[0];
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div class="inline-form">
        <label for="action-reason">Motif (gardé dans le journal)</label>
        <input id="action-reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} maxLength={500} />
        <label for="action-via">Client informé par</label>
        <select id="action-via" value={via} onChange={(e) => setVia((e.target as HTMLSelectElement).value as 'phone' | 'email')}>
          <option value="phone">téléphone</option>
          <option value="email">courriel</option>
        </select>
      </div>
      <div class="button-row" role="group" aria-label="Actions sur le ticket">
        {ticket.status === 'open' && ticket.classification === null ? (
          <>
            <button type="button" disabled={busy} onClick={() => run('Qualifié en interruption', `mutation($id: ID!, $rev: Int) { classifyIncident(ticketId: $id, expectedRevision: $rev, input: { totalUnavailability: true, attributableToNetworkOnly: true }) { revision } }`, {})}>
              Interruption totale (réseau)
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => run('Qualifié en anomalie mineure', `mutation($id: ID!, $rev: Int) { classifyIncident(ticketId: $id, expectedRevision: $rev, input: { totalUnavailability: false, attributableToNetworkOnly: true, minorSymptom: "other" }) { revision } }`, {})}>
              Anomalie mineure
            </button>
          </>
        ) : null}
        {ticket.status === 'open' && clock?.status === 'running' && site ? (
          <button type="button" disabled={busy} onClick={() => run('Accès au site demandé', `mutation($id: ID!, $rev: Int, $site: String!) { requestSiteAccess(ticketId: $id, expectedRevision: $rev, input: { siteId: $site }) { revision } }`, { site })}>
            Geler l’horloge (accès au site demandé)
          </button>
        ) : null}
        {ticket.status === 'open' && clock?.status === 'frozen' ? (
          <button type="button" disabled={busy} onClick={() => run('Accès au site obtenu', `mutation($id: ID!, $rev: Int) { recordSiteAccessObtained(ticketId: $id, expectedRevision: $rev) { revision } }`, {})}>
            Reprendre l’horloge (accès obtenu)
          </button>
        ) : null}
        {ticket.status === 'open' ? (
          <button type="button" disabled={busy} onClick={() => run('Rétablissement notifié', `mutation($id: ID!, $rev: Int, $via: String!) { notifyRestoration(ticketId: $id, expectedRevision: $rev, input: { via: $via }) { revision } }`, { via })}>
            Rétablir (client prévenu)
          </button>
        ) : null}
        {ticket.status === 'resolved' ? (
          <button type="button" disabled={busy} onClick={() => run('Ticket clôturé', `mutation($id: ID!, $rev: Int, $via: String!) { closeTicket(ticketId: $id, expectedRevision: $rev, input: { clientInformedVia: $via }) { revision } }`, { via })}>
            Clôturer
          </button>
        ) : null}
      </div>
      {error ? <ErrorBox error={error} context="action sur le ticket" /> : null}
    </section>
  );
}

/**
 * The ticket read model, waiting (up to 10 s) until it reflects `minRevision`: a command answers
 * with the stream revision it wrote, and the projection follows shortly after.
 */
async function loadTicket(apiKey: string, ticketId: string, minRevision: number, signal: AbortSignal): Promise<{ ticket: Ticket }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const data = await graphql<{ ticket: Ticket }>(apiKey, ONE, { id: ticketId }, { signal });
    if (data.ticket.revision >= minRevision || Date.now() > deadline) return data;
    await new Promise((r) => setTimeout(r, 150));
  }
}

function TicketDetail({ ticketId, minRevision }: { ticketId: string; minRevision: number }) {
  const result = useAsync((apiKey, signal) => loadTicket(apiKey, ticketId, minRevision, signal), [ticketId, minRevision]);
  return (
    <section aria-labelledby="page-title">
      <p class="breadcrumb">
        <Link to="incidents">← Incidents</Link>
      </p>
      <QueryResult state={result} api="Incident (ticket)">
        {({ ticket: t }) => (
          <>
            <PageTitle>
              Ticket {t.reference ?? '(sans référence)'} <Badge tone={STATUS[t.status]?.tone ?? 'neutral'}>{STATUS[t.status]?.label ?? t.status}</Badge>
            </PageTitle>
            {t.clock ? <LiveClock clock={t.clock} slaApplies={t.slaApplies} /> : null}
            <dl class="facts">
              <dt>Client</dt>
              <dd>
                <Link to={`customers/${t.customerId}`}>fiche client</Link>
              </dd>
              <dt>Service</dt>
              <dd>{SERVICES[t.serviceType ?? ''] ?? t.serviceType ?? '—'}</dd>
              <dt>Qualification</dt>
              <dd>{t.classification === 'interruption' ? 'Interruption (INC-05)' : t.classification === 'minor_anomaly' ? 'Anomalie mineure' : 'à qualifier'}</dd>
              <dt>Description</dt>
              <dd>{t.description ?? '—'}</dd>
              <dt>Localisation</dt>
              <dd>{t.location ?? '—'}</dd>
              <dt>Conséquences</dt>
              <dd>{t.consequences ?? '—'}</dd>
              <dt>Ouvert le</dt>
              <dd>{formatDateTime(t.openedAt)}</dd>
              {t.resolvedAt ? (
                <>
                  <dt>Rétabli le</dt>
                  <dd>{formatDateTime(t.resolvedAt)}</dd>
                </>
              ) : null}
              {t.closedAt ? (
                <>
                  <dt>Clôturé le</dt>
                  <dd>{formatDateTime(t.closedAt)}</dd>
                </>
              ) : null}
              {t.breachRecordedAt ? (
                <>
                  <dt>Dépassement SLA</dt>
                  <dd>
                    <Badge tone="danger">enregistré</Badge> échéance {formatDateTime(t.breachDeadline)}
                  </dd>
                </>
              ) : null}
              {t.penaltyComputed ? (
                <>
                  <dt>Pénalité</dt>
                  <dd>
                    {formatMoney(t.penaltyComputed)} ({t.penaltyTier} %) · accordée {formatMoney(t.penaltyGranted)}
                  </dd>
                </>
              ) : null}
              {t.exclusionCause ? (
                <>
                  <dt>Exclusion</dt>
                  <dd>{t.exclusionCause}</dd>
                </>
              ) : null}
            </dl>
            <TicketActions ticket={t} onDone={(revision) => navigate(`incidents/${t.ticketId}?rev=${revision}`, true)} />
            <p>
              <Link to={`events/ticket-${t.ticketId}`}>Journal d’événements du ticket</Link>
            </p>
          </>
        )}
      </QueryResult>
    </section>
  );
}

export function IncidentsScreen({ ticketId }: { ticketId: string | null }) {
  const route = useRoute();
  const customerId = route.params.get('customer');
  if (ticketId) return <TicketDetail ticketId={ticketId} minRevision={Number(route.params.get('rev') ?? 0)} />;
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Incidents</PageTitle>
      {customerId ? <OpenTicketForm customerId={customerId} /> : <p class="muted">Pour ouvrir un ticket, partez de la fiche du client (« Ouvrir un ticket »).</p>}
      <Board />
    </section>
  );
}


import { useState } from 'preact/hooks';
import { Badge, PageTitle, QueryResult } from '../components';
import { formatDate, formatDateTime } from '../format';
import { Link, navigate } from '../router';
import { useNow, useQuery } from '../session';

interface DataSubjectRequest {
  requestId: string;
  subjectId: string;
  requestType: string;
  channel: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  extended: boolean;
  overdue: boolean;
  late: boolean | null;
}

interface CategoryRetention {
  category: string;
  rule: string;
  phase: string;
  anchorAt: string | null;
  activeUntil: string | null;
  holdUntil: string | null;
  debtOpen: boolean;
  purgeAt: string | null;
  purgedAt: string | null;
  restricted: boolean;
  restrictionReason: string | null;
}

const REQUESTS = `query Requests($subjectId: String, $overdue: Boolean) {
  dataSubjectRequests(subjectId: $subjectId, overdue: $overdue) { requestId subjectId requestType channel status receivedAt dueAt extended overdue late }
}`;
const RETENTION = `query Retention($subjectId: String!) {
  subjectRetention(subjectId: $subjectId) { subjectId asOf categories { category rule phase anchorAt activeUntil holdUntil debtOpen purgeAt purgedAt restricted restrictionReason } }
}`;

const TYPES: Record<string, string> = {
  access: 'Accès',
  portability: 'Portabilité',
  rectification: 'Rectification',
  objection: 'Opposition',
  restriction: 'Limitation',
  erasure: 'Effacement',
};
const STATUSES: Record<string, string> = { open: 'Ouverte', fulfilled: 'Traitée', refused: 'Refusée' };
const PHASES: Record<string, { label: string; tone: 'ok' | 'info' | 'danger' | 'neutral' }> = {
  active: { label: 'En usage', tone: 'ok' },
  archived: { label: 'Archivage restreint', tone: 'info' },
  due: { label: 'Purge due', tone: 'danger' },
  purged: { label: 'Purgée', tone: 'neutral' },
};
const CATEGORIES: Record<string, string> = {
  identity_contact: 'Identité et coordonnées',
  contract: 'Contrat',
  communications: 'Communications',
  connection: 'Données de connexion',
  financial: 'Données financières',
  bank_details: 'Coordonnées bancaires',
  satisfaction: 'Satisfaction',
  marketing: 'Prospection',
  hosted_pbx: 'Standard hébergé',
};

function Requests({ subjectId }: { subjectId: string }) {
  const [overdueOnly, setOverdueOnly] = useState(false);
  const now = useNow(60_000);
  const result = useQuery<{ dataSubjectRequests: DataSubjectRequest[] }>(
    REQUESTS,
    // Absent variables, not nulls: the server reads `overdue: null` as "overdue = NULL".
    { ...(subjectId ? { subjectId } : {}), ...(overdueOnly ? { overdue: true } : {}) },
    [subjectId, overdueOnly],
  );
  return (
    <section aria-labelledby="dsr-title">
      <h2 id="dsr-title">Demandes des personnes concernées{subjectId ? ` — ${subjectId}` : ''}</h2>
      <p>
        <label class="checkbox">
          <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly((e.target as HTMLInputElement).checked)} /> En retard seulement (délai d'un mois dépassé)
        </label>
      </p>
      <QueryResult state={result} api="Données personnelles (dataSubjectRequests)">
        {({ dataSubjectRequests: list }) =>
          list.length === 0 ? (
            <p role="status">Aucune demande{overdueOnly ? ' en retard' : ''}.</p>
          ) : (
            <table>
              <caption>{list.length} demande(s), échéances en heure de Paris</caption>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Personne</th>
                  <th scope="col">Reçue</th>
                  <th scope="col">Échéance</th>
                  <th scope="col">Statut</th>
                  <th scope="col">Journal</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => {
                  const days = Math.ceil((new Date(r.dueAt).getTime() - now) / 86_400_000);
                  return (
                    <tr key={r.requestId}>
                      <th scope="row">{TYPES[r.requestType] ?? r.requestType}</th>
                      <td>
                        <Link to={`privacy?subject=${encodeURIComponent(r.subjectId)}`}>
                          <code>{r.subjectId}</code>
                        </Link>
                      </td>
                      <td>
                        {formatDateTime(r.receivedAt)} <span class="muted">({r.channel === 'post' ? 'courrier' : 'courriel'})</span>
                      </td>
                      <td>
                        {formatDate(r.dueAt)}
                        {r.extended ? <Badge tone="info">prolongée</Badge> : null}
                        {r.status === 'open' ? <span class="muted"> · {days >= 0 ? `J-${days}` : `dépassée de ${-days} j`}</span> : null}
                      </td>
                      <td>
                        {STATUSES[r.status] ?? r.status}
                        {r.overdue ? <Badge tone="danger">en retard</Badge> : null}
                        {r.late ? <Badge tone="warn">traitée hors délai</Badge> : null}
                      </td>
                      <td>
                        <Link to={`events/dsr-${r.requestId}`}>événements</Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </QueryResult>
    </section>
  );
}

function Retention({ subjectId }: { subjectId: string }) {
  const result = useQuery<{ subjectRetention: { subjectId: string; asOf: string; categories: CategoryRetention[] } }>(RETENTION, { subjectId }, [subjectId]);
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">Conservation et purges — {subjectId}</h2>
      <QueryResult state={result} api="Données personnelles (subjectRetention)">
        {({ subjectRetention: r }) => {
          const due = r.categories.filter((c) => c.phase === 'due');
          return (
            <>
              <p role="status" class={due.length ? 'notice notice-danger' : 'notice'}>
                {due.length
                  ? `Purges dues : ${due.map((c) => CATEGORIES[c.category] ?? c.category).join(', ')}.`
                  : 'Aucune purge due pour cette personne.'}{' '}
                <span class="muted">État au {formatDateTime(r.asOf)}.</span>
              </p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Catégorie</th>
                    <th scope="col">Phase</th>
                    <th scope="col">En usage jusqu'au</th>
                    <th scope="col">Obligation légale jusqu'au</th>
                    <th scope="col">Purge</th>
                    <th scope="col">Règle</th>
                  </tr>
                </thead>
                <tbody>
                  {r.categories.map((c) => (
                    <tr key={c.category}>
                      <th scope="row">{CATEGORIES[c.category] ?? c.category}</th>
                      <td>
                        <Badge tone={PHASES[c.phase]?.tone ?? 'neutral'}>{PHASES[c.phase]?.label ?? c.phase}</Badge>
                        {c.restricted ? <Badge tone="warn">limitée{c.restrictionReason ? ` (${c.restrictionReason})` : ''}</Badge> : null}
                        {c.debtOpen ? <Badge tone="warn">dette ouverte</Badge> : null}
                      </td>
                      <td>{formatDate(c.activeUntil)}</td>
                      <td>{formatDate(c.holdUntil)}</td>
                      <td>{c.purgedAt ? `purgée le ${formatDate(c.purgedAt)}` : formatDate(c.purgeAt)}</td>
                      <td>{c.rule}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p>
                <Link to={`events/datasubject-${r.subjectId}`}>Journal d'événements de la personne</Link>
              </p>
            </>
          );
        }}
      </QueryResult>
    </section>
  );
}

export function PrivacyScreen({ subjectId }: { subjectId: string }) {
  const [text, setText] = useState(subjectId);
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Données personnelles</PageTitle>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(text.trim() ? `privacy?subject=${encodeURIComponent(text.trim())}` : 'privacy');
        }}
      >
        <label for="subject-id">Personne concernée</label>
        <input id="subject-id" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} placeholder="contact-… ou customer-…" spellcheck={false} />
        <button type="submit">Afficher</button>
      </form>
      {subjectId ? <Retention subjectId={subjectId} /> : <p class="muted">Indiquez une personne (contact-… ou customer-…) pour voir la conservation de ses données et les purges dues.</p>}
      <Requests subjectId={subjectId} />
    </section>
  );
}

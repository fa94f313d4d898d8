import { Badge, PageTitle, QueryResult } from '../components';
import { formatDate, formatDateTime, formatPhone } from '../format';
import { Link, navigate, useRoute } from '../router';
import { useNow, useQuery } from '../session';

interface PortingCase {
  portingId: string;
  direction: string;
  status: string;
  queue: string;
  customerId: string;
  subscriptionId: string;
  lineId: string;
  msisdn: string;
  holderKind: string | null;
  holderName: string | null;
  contractSignedOn: string | null;
  documentsDueOn: string | null;
  lineInfoDueOn: string | null;
  portingDate: string | null;
  fileDueOn: string | null;
  missingDocuments: string[];
  outstandingLineInfo: string[];
  nextDeadlineOn: string | null;
  nextDeadlineKind: string | null;
  nextDeadlineRule: string | null;
  ineligibilityReasons: Array<{ code: string; rule: string; message: string }>;
  fallbackCause: string | null;
  donorRefusal: string | null;
  portedOn: string | null;
  updatedAt: string;
}

const QUEUE = `query PortingQueue($queue: String, $direction: String) {
  portingQueue(queue: $queue, direction: $direction, limit: 200) {
    portingId direction status queue customerId subscriptionId lineId msisdn holderKind holderName contractSignedOn documentsDueOn lineInfoDueOn portingDate fileDueOn
    missingDocuments outstandingLineInfo nextDeadlineOn nextDeadlineKind nextDeadlineRule ineligibilityReasons { code rule message } fallbackCause donorRefusal portedOn updatedAt
  }
}`;

const QUEUES: Record<string, string> = {
  documents_missing: 'Pièces manquantes',
  ready: 'Dossier complet',
  scheduled: 'Portage planifié',
  ported: 'Porté',
  new_number: 'Nouveau numéro',
  port_out_pending: 'Portage sortant en cours',
  ported_out: 'Porté vers un autre opérateur',
  closed: 'Clos',
};
const DOCUMENTS: Record<string, string> = {
  rio: 'RIO',
  previous_contracts: 'contrats précédents',
  last_three_invoices: 'trois dernières factures',
  signed_termination_letters: 'lettres de résiliation signées',
  subscription_documents: 'documents de souscription',
  porting_form: 'bon de portage',
};
const DEADLINES: Record<string, string> = {
  'portability.documents_deadline': 'pièces du dossier',
  'portability.sub15_deadline': 'RIO et fin du contrat précédent',
  'portability.file_deadline': 'dossier complet',
  'portability.eligibility_check': 'contrôle d’éligibilité',
  'portability.execute': 'portage',
  'portability.port_out': 'portage sortant',
};
const LINE_INFO: Record<string, string> = { rio: 'RIO de la ligne', previous_contract_end_date: 'date de fin du contrat précédent' };

function daysUntil(date: string, now: number): number {
  return Math.round((new Date(`${date}T00:00:00Z`).getTime() - Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate())) / 86_400_000);
}

export function PortingScreen() {
  const route = useRoute();
  const queue = route.params.get('queue') ?? '';
  const direction = route.params.get('direction') ?? '';
  const now = useNow(60_000);
  const result = useQuery<{ portingQueue: PortingCase[] }>(QUEUE, { ...(queue ? { queue } : {}), ...(direction ? { direction } : {}) }, [queue, direction]);
  const filter = (next: { queue?: string; direction?: string }) => {
    const params = new URLSearchParams({ ...(queue ? { queue } : {}), ...(direction ? { direction } : {}) });
    for (const [k, v] of Object.entries(next)) v ? params.set(k, v) : params.delete(k);
    navigate(`porting${params.size ? `?${params}` : ''}`, true);
  };
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Portabilité — file des dossiers</PageTitle>
      <div class="inline-form">
        <label for="p-queue">File</label>
        <select id="p-queue" value={queue} onChange={(e) => filter({ queue: (e.target as HTMLSelectElement).value })}>
          <option value="">toutes</option>
          {Object.entries(QUEUES).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <label for="p-direction">Sens</label>
        <select id="p-direction" value={direction} onChange={(e) => filter({ direction: (e.target as HTMLSelectElement).value })}>
          <option value="">entrant et sortant</option>
          <option value="inbound">entrant</option>
          <option value="outbound">sortant</option>
        </select>
      </div>
      <QueryResult state={result} api="Portabilité (portingQueue)">
        {({ portingQueue }) =>
          portingQueue.length === 0 ? (
            <p role="status">Aucun dossier de portage dans cette file.</p>
          ) : (
            <table>
              <caption>{portingQueue.length} dossier(s), échéance la plus proche d’abord</caption>
              <thead>
                <tr>
                  <th scope="col">Numéro</th>
                  <th scope="col">File</th>
                  <th scope="col">Pièces manquantes</th>
                  <th scope="col">Prochaine échéance</th>
                  <th scope="col">Date de portage</th>
                  <th scope="col">Client / journal</th>
                </tr>
              </thead>
              <tbody>
                {portingQueue.map((p) => {
                  const days = p.nextDeadlineOn ? daysUntil(p.nextDeadlineOn, now) : null;
                  return (
                    <tr key={p.portingId}>
                      <th scope="row" class="nowrap">
                        {formatPhone(p.msisdn)}
                        <div class="muted">{p.direction === 'outbound' ? 'sortant' : 'entrant'}</div>
                      </th>
                      <td>
                        {QUEUES[p.queue] ?? p.queue}
                        {p.ineligibilityReasons.length ? <Badge tone="danger">inéligible</Badge> : null}
                        {p.donorRefusal ? <Badge tone="danger">refus opérateur donneur</Badge> : null}
                      </td>
                      <td>
                        {p.missingDocuments.length === 0 && p.outstandingLineInfo.length === 0 ? (
                          <span class="muted">aucune</span>
                        ) : (
                          <ul class="plain">
                            {p.missingDocuments.map((d) => (
                              <li key={d}>{DOCUMENTS[d] ?? d}</li>
                            ))}
                            {p.outstandingLineInfo.map((d) => (
                              <li key={`line-${d}`}>{LINE_INFO[d] ?? d} (SUB-15)</li>
                            ))}
                          </ul>
                        )}
                        {p.documentsDueOn ? <div class="muted">pièces avant le {formatDate(p.documentsDueOn)} (POR-01)</div> : null}
                      </td>
                      <td>
                        {p.nextDeadlineOn ? (
                          <>
                            {formatDate(p.nextDeadlineOn)} {days !== null ? <Badge tone={days < 0 ? 'danger' : days <= 7 ? 'warn' : 'neutral'}>{days < 0 ? `dépassée de ${-days} j` : `J-${days}`}</Badge> : null}
                            <div class="muted">
                              {DEADLINES[p.nextDeadlineKind ?? ''] ?? p.nextDeadlineKind ?? ''} {p.nextDeadlineRule ? <span class="rule">[{p.nextDeadlineRule}]</span> : null}
                            </div>
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>
                        {formatDate(p.portingDate)}
                        {p.fileDueOn ? <div class="muted">dossier complet avant le {formatDate(p.fileDueOn)} (POR-05)</div> : null}
                        {p.portedOn ? <div class="muted">porté le {formatDate(p.portedOn)}</div> : null}
                      </td>
                      <td>
                        <Link to={`customers/${p.customerId}`}>fiche client</Link>
                        <div>
                          <Link to={`events/porting-${p.portingId}`}>événements</Link>
                        </div>
                        <div class="muted">mis à jour {formatDateTime(p.updatedAt)}</div>
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

import { Badge, QueryResult } from '../components';
import { formatDate, formatDateTime, formatMoney } from '../format';
import { Link } from '../router';
import { useQuery } from '../session';

interface Commitment {
  subscriptionId: string;
  lineId: string;
  scope: string;
  service: string;
  status: string;
  serviceStartOn: string | null;
  noticeRule: string;
  noticeMonths: number;
  anchorOn: string;
  initialTermMonths: number;
  renewalPeriodMonths: number;
  initialEndOn: string;
  periodIndex: number;
  periodKind: string;
  periodStartOn: string;
  periodEndOn: string;
  noticeDeadlineOn: string | null;
  renewsAtPeriodEnd: boolean;
  pendingEndOn: string | null;
  endedOn: string | null;
  monthsRemaining: number;
  renewalCount: number;
  asOf: string;
}

interface Subscription {
  subscriptionId: string;
  service: string;
  status: string;
  orderStatus: string;
  orderAmount: string | null;
  signedOn: string | null;
  activatedOn: string | null;
  endedOn: string | null;
  pendingEndOn: string | null;
  pendingEndRule: string | null;
  activeSuspensions: number;
  items: Array<{ itemId: string; label: string; plan: string | null; status: string; serviceStartOn: string | null; endsOn: string | null }>;
}

interface Suspension {
  suspensionId: string;
  subscriptionId: string;
  reason: string;
  scope: string;
  itemIds: string[];
  rule: string | null;
  active: boolean;
  suspendedAt: string;
  endedAt: string | null;
  endedBy: string | null;
}

const QUERY = `query CustomerContracts($id: ID!) {
  subscriptions(customerId: $id, limit: 200) { total items { subscriptionId service status orderStatus orderAmount signedOn activatedOn endedOn pendingEndOn pendingEndRule activeSuspensions
    items { itemId label plan status serviceStartOn endsOn } } }
  commitments(customerId: $id, limit: 200) { items { subscriptionId lineId scope service status serviceStartOn noticeRule noticeMonths anchorOn initialTermMonths renewalPeriodMonths
    initialEndOn periodIndex periodKind periodStartOn periodEndOn noticeDeadlineOn renewsAtPeriodEnd pendingEndOn endedOn monthsRemaining renewalCount asOf } }
  suspensions(customerId: $id, limit: 200) { items { suspensionId subscriptionId reason scope itemIds rule active suspendedAt endedAt endedBy } }
}`;

const SERVICES: Record<string, string> = { DATA: 'Data', MOBILE: 'Mobile', FIXED_VGA: 'Fixe analogique', FIXED_SIP: 'Fixe SIP', HOSTED_PBX: 'Standard hébergé' };
const STATUSES: Record<string, string> = { ordered: 'Commandé', refused: 'Refusé', cancelled: 'Annulé', signed: 'Signé', active: 'Actif', terminated: 'Résilié' };

/** A customer's contracts and lines: commitment timeline (start, end, renewals, notice deadline, months remaining) and suspensions. */
export function CustomerSubscriptions({ customerId }: { customerId: string }) {
  const result = useQuery<{ subscriptions: { total: number; items: Subscription[] }; commitments: { items: Commitment[] }; suspensions: { items: Suspension[] } }>(QUERY, { id: customerId }, [customerId]);
  return (
    <section aria-labelledby="subscriptions-title">
      <h2 id="subscriptions-title">Abonnements et lignes</h2>
      <QueryResult state={result} api="Abonnements (subscriptions, commitments, suspensions)">
        {({ subscriptions, commitments, suspensions }) =>
          subscriptions.items.length === 0 ? (
            <p role="status">Aucun abonnement pour ce client.</p>
          ) : (
            <>
              <table>
                <caption>{subscriptions.total} abonnement(s)</caption>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col">Statut</th>
                    <th scope="col">Éléments / lignes</th>
                    <th scope="col">Signé / actif</th>
                    <th scope="col">Fin</th>
                    <th scope="col">Journal</th>
                  </tr>
                </thead>
                <tbody>
                  {subscriptions.items.map((s) => (
                    <tr key={s.subscriptionId}>
                      <th scope="row">{SERVICES[s.service] ?? s.service}</th>
                      <td>
                        {STATUSES[s.status] ?? s.status}
                        {s.activeSuspensions > 0 ? <Badge tone="danger">suspendu</Badge> : null}
                        {s.status === 'ordered' ? <span class="muted"> ({s.orderStatus})</span> : null}
                      </td>
                      <td>
                        {s.items.map((i) => (
                          <div key={i.itemId}>
                            {i.label} <span class="muted">({i.status}{i.serviceStartOn ? `, depuis le ${formatDate(i.serviceStartOn)}` : ''})</span>
                          </div>
                        ))}
                      </td>
                      <td>
                        {formatDate(s.signedOn)} / {formatDate(s.activatedOn)}
                        {s.orderAmount ? <div class="muted">commande {formatMoney(s.orderAmount)}</div> : null}
                      </td>
                      <td>{s.endedOn ? `résilié le ${formatDate(s.endedOn)}` : s.pendingEndOn ? `fin prévue le ${formatDate(s.pendingEndOn)}${s.pendingEndRule ? ` (${s.pendingEndRule})` : ''}` : '—'}</td>
                      <td>
                        <Link to={`events/subscription-${s.subscriptionId}`}>événements</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>Engagements</h3>
              {commitments.items.length === 0 ? (
                <p class="muted">Aucun engagement en cours (contrats non encore activés).</p>
              ) : (
                <table>
                  <caption>Calendrier d’engagement, au {formatDateTime(commitments.items[0].asOf)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Contrat / ligne</th>
                      <th scope="col">Début</th>
                      <th scope="col">Fin de période</th>
                      <th scope="col">Renouvellements</th>
                      <th scope="col">Préavis à recevoir avant le</th>
                      <th scope="col" class="num">Mois restants</th>
                    </tr>
                  </thead>
                  <tbody>
                    {commitments.items.map((c) => (
                      <tr key={`${c.subscriptionId}/${c.lineId}`}>
                        <th scope="row">
                          {SERVICES[c.service] ?? c.service} {c.scope === 'line' ? `— ligne ${c.lineId}` : '— contrat'}
                          {c.status === 'terminated' ? <Badge>résilié</Badge> : null}
                        </th>
                        <td>{formatDate(c.serviceStartOn ?? c.anchorOn)}</td>
                        <td>
                          {formatDate(c.periodEndOn)}
                          <div class="muted">
                            {c.periodKind === 'initial' ? `période initiale de ${c.initialTermMonths} mois` : `période ${c.periodIndex} (${c.renewalPeriodMonths} mois)`}
                          </div>
                        </td>
                        <td>
                          {c.renewalCount}
                          {c.renewsAtPeriodEnd ? <span class="muted"> · tacite au {formatDate(c.periodEndOn)}</span> : <span class="muted"> · pas de renouvellement</span>}
                        </td>
                        <td>
                          {c.pendingEndOn ? `fin au ${formatDate(c.pendingEndOn)}` : formatDate(c.noticeDeadlineOn)}
                          <div class="muted">
                            {c.noticeMonths} mois, {c.noticeRule === 'from_receipt' ? 'à réception (SUB-05)' : 'avant l’échéance (SUB-04)'}
                          </div>
                        </td>
                        <td class="num">{c.monthsRemaining}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h3>Suspensions</h3>
              {suspensions.items.length === 0 ? (
                <p class="muted">Aucune suspension.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Motif</th>
                      <th scope="col">Périmètre</th>
                      <th scope="col">Depuis</th>
                      <th scope="col">Fin</th>
                    </tr>
                  </thead>
                  <tbody>
                    {suspensions.items.map((s) => (
                      <tr key={s.suspensionId}>
                        <th scope="row">
                          {s.reason} {s.rule ? <span class="rule">[{s.rule}]</span> : null}
                          {s.active ? <Badge tone="danger">en cours</Badge> : null}
                        </th>
                        <td>{s.scope === 'items' ? s.itemIds.join(', ') : 'tout le contrat'}</td>
                        <td>{formatDateTime(s.suspendedAt)}</td>
                        <td>{s.endedAt ? `${formatDateTime(s.endedAt)} (${s.endedBy === 'lifted' ? 'levée' : 'résiliation'})` : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )
        }
      </QueryResult>
    </section>
  );
}

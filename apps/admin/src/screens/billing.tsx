import { Badge, PageTitle, QueryResult } from '../components';
import { formatDate, formatMoney } from '../format';
import { Link, navigate } from '../router';
import { useQuery } from '../session';
import { useState } from 'preact/hooks';

interface Invoice {
  invoiceId: string;
  kind: string;
  number: string;
  customerId: string;
  billingMonth: string | null;
  issuedOn: string;
  dueOn: string | null;
  totalHT: string;
  totalTTC: string;
  paid: string;
  credited: string;
  disputed: string;
  outstanding: string;
  status: string;
  overdueSince: string | null;
  indemnity: string;
}
interface Overdue extends Invoice {
  daysLate: number;
  accruedInterest: string | null;
  interestError: string | null;
}
interface Dispute {
  disputeId: string;
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  amount: string;
  reasons: string;
  status: string;
  lrarReceivedOn: string;
  documentsDueOn: string;
  documentsReceivedOn: string | null;
  closedOn: string | null;
  outcome: string | null;
  creditAmount: string | null;
}

const INVOICE = 'invoiceId kind number customerId billingMonth issuedOn dueOn totalHT totalTTC paid credited disputed outstanding status overdueSince indemnity';
const QUERY = `query Billing($customerId: String) {
  invoices(customerId: $customerId, limit: 100) { total items { ${INVOICE} } }
  overdueInvoices(customerId: $customerId, limit: 100) { total asOf items { ${INVOICE} daysLate accruedInterest interestError } }
  disputes(customerId: $customerId, limit: 100) { total items { disputeId invoiceId invoiceNumber customerId amount reasons status lrarReceivedOn documentsDueOn documentsReceivedOn closedOn outcome creditAmount } }
}`;

const STATUS: Record<string, { label: string; tone: 'ok' | 'warn' | 'danger' | 'info' | 'neutral' }> = {
  issued: { label: 'Émise', tone: 'info' },
  paid: { label: 'Payée', tone: 'ok' },
  overdue: { label: 'Impayée', tone: 'danger' },
  disputed: { label: 'Contestée', tone: 'warn' },
  credit_note: { label: 'Avoir', tone: 'neutral' },
};
const DISPUTE_STATUS: Record<string, string> = { open: 'Ouverte', documents_received: 'Pièces reçues', lapsed: 'Caduque', resolved: 'Résolue' };

function monthLabel(month: string | null): string {
  if (!month) return '—';
  return new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

export function BillingScreen({ customerId }: { customerId: string | null }) {
  const [text, setText] = useState(customerId ?? '');
  const result = useQuery<{ invoices: { total: number; items: Invoice[] }; overdueInvoices: { total: number; asOf: string; items: Overdue[] }; disputes: { total: number; items: Dispute[] } }>(
    QUERY,
    customerId ? { customerId } : {},
    [customerId],
  );
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Facturation{customerId ? ' — client' : ''}</PageTitle>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(text.trim() ? `billing?customer=${encodeURIComponent(text.trim())}` : 'billing');
        }}
      >
        <label for="b-customer">Identifiant client (vide : tous)</label>
        <input id="b-customer" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} spellcheck={false} />
        <button type="submit">Filtrer</button>
        {customerId ? <Link to={`customers/${customerId}`}>fiche client</Link> : null}
      </form>
      <QueryResult state={result} api="Facturation (invoices, overdueInvoices, disputes)">
        {({ invoices, overdueInvoices, disputes }) => (
          <>
            <section aria-labelledby="overdue-title">
              <h2 id="overdue-title">Impayés ({overdueInvoices.total})</h2>
              {overdueInvoices.items.length === 0 ? (
                <p role="status">Aucune facture impayée.</p>
              ) : (
                <table>
                  <caption>Au {formatDate(overdueInvoices.asOf)} ; montants TTC en euros</caption>
                  <thead>
                    <tr>
                      <th scope="col">Facture</th>
                      <th scope="col">Échéance</th>
                      <th scope="col" class="num">Reste dû</th>
                      <th scope="col" class="num">Indemnité</th>
                      <th scope="col" class="num">Intérêts courus</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overdueInvoices.items.map((i) => (
                      <tr key={i.invoiceId}>
                        <th scope="row">
                          <Link to={`events/invoice-${i.invoiceId}`}>{i.number}</Link>
                        </th>
                        <td>
                          {formatDate(i.dueOn)} <Badge tone="danger">{i.daysLate} j de retard</Badge>
                        </td>
                        <td class="num">{formatMoney(i.outstanding)}</td>
                        <td class="num">{formatMoney(i.indemnity)}</td>
                        <td class="num">{i.accruedInterest ? formatMoney(i.accruedInterest) : <span class="muted">{i.interestError ?? '—'}</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="disputes-title">
              <h2 id="disputes-title">Contestations ({disputes.total})</h2>
              {disputes.items.length === 0 ? (
                <p role="status">Aucune contestation.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Facture</th>
                      <th scope="col" class="num">Montant contesté</th>
                      <th scope="col">Reçue (LRAR)</th>
                      <th scope="col">Pièces attendues avant le</th>
                      <th scope="col">Statut</th>
                    </tr>
                  </thead>
                  <tbody>
                    {disputes.items.map((d) => (
                      <tr key={d.disputeId}>
                        <th scope="row">{d.invoiceNumber}</th>
                        <td class="num">{formatMoney(d.amount)}</td>
                        <td>{formatDate(d.lrarReceivedOn)}</td>
                        <td>{d.documentsReceivedOn ? `reçues le ${formatDate(d.documentsReceivedOn)}` : formatDate(d.documentsDueOn)}</td>
                        <td>
                          {DISPUTE_STATUS[d.status] ?? d.status}
                          {d.creditAmount ? <span class="muted"> · avoir {formatMoney(d.creditAmount)}</span> : null}
                          <div class="muted">{d.reasons}</div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="invoices-title">
              <h2 id="invoices-title">Factures et avoirs ({invoices.total})</h2>
              {invoices.items.length === 0 ? (
                <p role="status">Aucune facture.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Numéro</th>
                      <th scope="col">Mois</th>
                      <th scope="col">Émise le</th>
                      <th scope="col" class="num">Total HT</th>
                      <th scope="col" class="num">Total TTC</th>
                      <th scope="col" class="num">Reste dû</th>
                      <th scope="col">Statut</th>
                    </tr>
                  </thead>
                  <tbody>
                    {invoices.items.map((i) => (
                      <tr key={i.invoiceId}>
                        <th scope="row">
                          <Link to={`events/invoice-${i.invoiceId}`}>{i.number}</Link>
                        </th>
                        <td>{monthLabel(i.billingMonth)}</td>
                        <td>{formatDate(i.issuedOn)}</td>
                        <td class="num">{formatMoney(i.totalHT)}</td>
                        <td class="num">{formatMoney(i.totalTTC)}</td>
                        <td class="num">{formatMoney(i.outstanding)}</td>
                        <td>
                          <Badge tone={STATUS[i.status]?.tone ?? 'neutral'}>{STATUS[i.status]?.label ?? i.status}</Badge>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </>
        )}
      </QueryResult>
    </section>
  );
}

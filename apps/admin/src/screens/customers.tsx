import { useState } from 'preact/hooks';
import { Badge, PageTitle, QueryResult } from '../components';
import { formatDateTime, formatPhone } from '../format';
import { Link, navigate } from '../router';
import { useQuery } from '../session';
import { CustomerSubscriptions } from './subscriptions';

interface CustomerRow {
  customerId: string;
  companyName: string;
  siret: string;
  billingAddress: { line1?: string; line2?: string; postalCode?: string; city?: string; country?: string } | null;
  registeredAt: string;
}

interface Contact {
  contactId: string;
  role: string;
  authorisedForSupport: boolean;
  name: string | null;
  email: string | null;
  phone: string | null;
  erased: boolean;
}

const SEARCH = `query SearchCustomers($query: String!) { customers(query: $query, limit: 50) { customerId companyName siret billingAddress registeredAt } }`;
const ONE = `query Customer($id: ID!) { customer(customerId: $id) { customerId companyName siret billingAddress registeredAt contacts { contactId role authorisedForSupport name email phone erased } } }`;

/** 732 829 320 00074: SIREN then NIC. */
export function formatSiret(siret: string): string {
  return /^\d{14}$/.test(siret) ? `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}` : siret;
}

const CONTACT_ROLES: Record<string, string> = { signatory: 'Signataire', technical: 'Technique', billing: 'Facturation', other: 'Autre' };

export function CustomerSearch({ query }: { query: string }) {
  const [text, setText] = useState(query);
  const result = useQuery<{ customers: CustomerRow[] }>(SEARCH, { query }, [query], query.trim() === '');
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Clients</PageTitle>
      <form
        role="search"
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`customers?q=${encodeURIComponent(text.trim())}`);
        }}
      >
        <label for="customer-q">Raison sociale ou début de SIRET</label>
        <input id="customer-q" type="search" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} placeholder="ex. Martin ou 7328293" />
        <button type="submit">Rechercher</button>
      </form>
      {query.trim() === '' ? (
        <p class="muted">Saisissez au moins un mot de la raison sociale ou les premiers chiffres du SIRET.</p>
      ) : (
        <QueryResult state={result} api="Clients (customers)">
          {(data) =>
            data.customers.length === 0 ? (
              <p role="status">Aucun client ne correspond à « {query} ».</p>
            ) : (
              <table>
                <caption>
                  {data.customers.length} client{data.customers.length > 1 ? 's' : ''} pour « {query} »
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Raison sociale</th>
                    <th scope="col">SIRET</th>
                    <th scope="col">Ville</th>
                    <th scope="col">Client depuis</th>
                  </tr>
                </thead>
                <tbody>
                  {data.customers.map((c) => (
                    <tr key={c.customerId}>
                      <th scope="row">
                        <Link to={`customers/${c.customerId}`}>{c.companyName}</Link>
                      </th>
                      <td class="nowrap">{formatSiret(c.siret)}</td>
                      <td>{c.billingAddress?.city ?? '—'}</td>
                      <td>{formatDateTime(c.registeredAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </QueryResult>
      )}
    </section>
  );
}

export function CustomerDetail({ customerId }: { customerId: string }) {
  const result = useQuery<{ customer: CustomerRow & { contacts: Contact[] } }>(ONE, { id: customerId }, [customerId]);
  return (
    <section aria-labelledby="page-title">
      <p class="breadcrumb">
        <Link to="customers">← Clients</Link>
      </p>
      <QueryResult state={result} api="Clients (customer)">
        {({ customer: c }) => (
          <>
            <PageTitle>{c.companyName}</PageTitle>
            <dl class="facts">
              <dt>SIRET</dt>
              <dd>{formatSiret(c.siret)}</dd>
              <dt>Adresse de facturation</dt>
              <dd>{[c.billingAddress?.line1, c.billingAddress?.line2, `${c.billingAddress?.postalCode ?? ''} ${c.billingAddress?.city ?? ''}`.trim(), c.billingAddress?.country].filter(Boolean).join(', ')}</dd>
              <dt>Client depuis</dt>
              <dd>{formatDateTime(c.registeredAt)}</dd>
              <dt>Identifiant</dt>
              <dd>
                <code>{c.customerId}</code>
              </dd>
            </dl>
            <p class="actions">
              <Link to={`events/customer-${c.customerId}`}>Journal d'événements du client</Link>
              <Link to={`privacy?subject=customer-${c.customerId}`}>Données personnelles</Link>
              <Link to={`billing?customer=${c.customerId}`}>Factures</Link>
              <Link to={`incidents?customer=${c.customerId}`}>Ouvrir un ticket</Link>
            </p>
            <h2>Contacts</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Nom</th>
                  <th scope="col">Rôle</th>
                  <th scope="col">Peut appeler le support</th>
                  <th scope="col">Courriel</th>
                  <th scope="col">Téléphone</th>
                  <th scope="col">Données</th>
                </tr>
              </thead>
              <tbody>
                {(c.contacts ?? []).map((k) => (
                  <tr key={k.contactId}>
                    <th scope="row">{k.erased ? <em>effacé</em> : k.name}</th>
                    <td>{CONTACT_ROLES[k.role] ?? k.role}</td>
                    <td>{k.authorisedForSupport ? 'oui' : 'non'}</td>
                    <td>{k.email ?? '—'}</td>
                    <td class="nowrap">{formatPhone(k.phone)}</td>
                    <td>
                      {k.erased ? <Badge tone="warn">effacées (clé détruite)</Badge> : <Link to={`privacy?subject=contact-${k.contactId}`}>Demandes et conservation</Link>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <CustomerSubscriptions customerId={c.customerId} />
          </>
        )}
      </QueryResult>
    </section>
  );
}

import { PageTitle, Unavailable } from '../components';

export function IncidentsScreen(_: { ticketId: string | null }) {
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Incidents</PageTitle>
      <Unavailable api="Incident (tickets, horloges d'interruption)" />
    </section>
  );
}

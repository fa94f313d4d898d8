import { PageTitle, Unavailable } from '../components';

export function PortingScreen() {
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Portabilité</PageTitle>
      <Unavailable api="Portabilité (demandes de portage)" />
    </section>
  );
}

import { PageTitle, Unavailable } from '../components';

export function BillingScreen(_: { customerId: string | null }) {
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Facturation</PageTitle>
      <Unavailable api="Facturation (factures, impayés, litiges)" />
    </section>
  );
}

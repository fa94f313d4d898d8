import { Unavailable } from '../components';

export function CustomerSubscriptions(_: { customerId: string }) {
  return (
    <section aria-labelledby="subscriptions-title">
      <h2 id="subscriptions-title">Abonnements et lignes</h2>
      <Unavailable api="Abonnements (subscriptions)" />
    </section>
  );
}

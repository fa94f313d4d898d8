import { aggregateStateProjection, DueActions, type Projection } from '@oksio/platform';
import { NonPaymentCaseRow } from './non-payment.entities';
import { BILLING_NON_PAYMENT_EVENT_TYPES, caseStatus, INVOICE_STREAM_CATEGORY, nonPaymentCaseFold, wantedActions, type NonPaymentCase } from './non-payment.process';

export const NON_PAYMENT_PROJECTION = 'subscription-nonpayment';

/**
 * The non-payment process manager's projection: Billing's invoice events folded into one case per
 * invoice (`evolveNonPaymentCase`), the case row written, and the case's due actions made exactly
 * `wantedActions(case)` in the same transaction (scheduled, moved or cancelled). The scheduler then
 * runs each action with its deterministic command id (NonPaymentService.runDueAction). A rebuild
 * replays the same history into the same keys and dates, hence the same command ids: commands that
 * already ran are recognised by the event store and record nothing again.
 */
export function createNonPaymentProjection(): Projection {
  return aggregateStateProjection<NonPaymentCase>({
    name: NON_PAYMENT_PROJECTION,
    category: INVOICE_STREAM_CATEGORY,
    eventTypes: BILLING_NON_PAYMENT_EVENT_TYPES,
    decider: nonPaymentCaseFold,
    onState(state, recorded, rows) {
      const status = caseStatus(state);
      if (status === 'none' || !state.invoiceId || !state.invoiceRef || !state.customerId || !state.dueOn) return;
      const row: NonPaymentCaseRow = {
        invoiceId: state.invoiceId,
        invoiceRef: state.invoiceRef,
        customerId: state.customerId,
        dueOn: state.dueOn,
        status,
        suspensionAllowedFrom: state.suspension?.allowedFrom ?? null,
        subscriptionIds: state.suspension?.subscriptionIds ?? [],
        deliveriesAllowedFrom: state.deliveries?.allowedFrom ?? null,
        deliveriesSubscriptionIds: state.deliveries?.subscriptionIds ?? [],
        settledOn: state.settledOn,
        round: state.round,
        updatedAt: new Date(recorded.metadata.occurredAt),
      };
      rows.upsert(NonPaymentCaseRow, row);
      rows.syncDueActions(
        state.invoiceId,
        NON_PAYMENT_PROJECTION,
        wantedActions(state).map((a) => ({ key: a.key, kind: a.kind, dueAt: a.dueAt, payload: a.payload })),
      );
    },
    async resetRows(tx) {
      await tx.query('DELETE FROM subscription_nonpayment_cases');
      await DueActions.resetSource(tx, NON_PAYMENT_PROJECTION);
    },
  });
}

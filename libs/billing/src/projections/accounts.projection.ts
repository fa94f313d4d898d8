import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';
import { DueActions, type Projection } from '@oksio/platform';
import { DUE } from '../application/tokens';
import {
  applyInvoiceToAccount,
  evolveAccount,
  firstDayOf,
  localDateOf,
  nextMonth,
  startOfLocalDay,
  yearMonthOf,
  type AccountBillingFacts,
  type AccountState,
} from '../domain';

/** Event types of other contexts (and Billing's own) that change a billing account. */
export const ACCOUNT_EVENT_TYPES = [
  // Subscription
  'OrderPlaced',
  'OrderRefused',
  'OrderCancelledByOksio',
  'OrderCancelledByClient',
  'SubscriptionSigned',
  'ServiceActivated',
  'MobileLineActivated',
  'PlanMigrated',
  'SubscriptionTerminated',
  'ItemTerminated',
  'DataChangeCompleted',
  'ServiceSuspended',
  'SuspensionLifted',
  // Incident
  'SlaPenaltyGranted',
  'IncidentFeeCharged',
  // Portability
  'LineContractTerminatedByPortOut',
  'PortOutEarlyTerminationFeeDue',
  // Billing
  'ChargeRecorded',
  'BillingOptionChanged',
  'InvoiceIssued',
] as const;

const SOURCES = ['subscription-', 'ticket-', 'porting-', 'billingaccount-'];

/** The run of a month is due at Paris midnight on the 1st of the next month. */
export const runDueAt = (month: string): Date => startOfLocalDay(firstDayOf(nextMonth(month)));

/**
 * One billing account per subscription, folded from the events of Subscription, Incident,
 * Portability and Billing (see domain/account.ts). Each change schedules the billing run of the
 * month it happened in (the run of a month schedules the next one).
 */
@Injectable()
export class BillingAccountsProjection implements Projection {
  readonly name = 'billing-accounts';
  readonly eventTypes = ACCOUNT_EVENT_TYPES;

  async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
    if (event.type === 'InvoiceIssued') {
      if (!event.streamId.startsWith('invoiceregister-')) return;
      const invoiceId = String(event.data.invoiceId);
      for (const facts of (event.data.accounts ?? []) as AccountBillingFacts[]) {
        const state = await this.load(tx, facts.subscriptionId);
        if (state) await this.save(tx, applyInvoiceToAccount(state, invoiceId, facts));
      }
      return;
    }
    if (!SOURCES.some((p) => event.streamId.startsWith(p))) return;
    const subscriptionId = event.data.subscriptionId;
    if (typeof subscriptionId !== 'string') return;
    const before = await this.load(tx, subscriptionId);
    const after = evolveAccount(before, {
      type: event.type,
      data: event.data as Record<string, any>,
      streamId: event.streamId,
      eventId: event.eventId,
      occurredAt: event.metadata.occurredAt,
    });
    if (!after || after === before) return;
    await this.save(tx, after);
    if (after.status !== 'ordered') {
      const month = yearMonthOf(localDateOf(new Date(event.metadata.occurredAt)));
      await DueActions.schedule(tx, { key: `billing.run:${month}`, kind: DUE.runMonth, aggregateId: 'billing-runs', dueAt: runDueAt(month), payload: { month }, source: this.name });
    }
  }

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM billing_accounts');
    await DueActions.resetSource(tx, this.name);
  }

  private async load(tx: EntityManager, subscriptionId: string): Promise<AccountState | null> {
    const rows: Array<{ state: AccountState }> = await tx.query('SELECT state FROM billing_accounts WHERE subscription_id = $1', [subscriptionId]);
    return rows[0]?.state ?? null;
  }

  private async save(tx: EntityManager, s: AccountState): Promise<void> {
    await tx.query(
      `INSERT INTO billing_accounts (subscription_id, customer_id, service, status, state, updated_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (subscription_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, service = EXCLUDED.service, status = EXCLUDED.status, state = EXCLUDED.state, updated_at = now()`,
      [s.subscriptionId, s.customerId, s.service, s.status, JSON.stringify(s)],
    );
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';
import { DueActions, type Projection } from '@oksio/platform';
import { DUE } from '../application/tokens';
import { HANDSET_ORDER_EVENT_TYPES } from '../domain';

/** Ledger events that change what is owed on an invoice: a handset order's release is checked after each. */
const PAYMENT_EVENTS = ['PaymentRecorded', 'PaymentRejected', 'CreditGranted', 'DisputeResolved'];

/**
 * BIL-13: handset orders as a read model, and the due actions that drive them: the invoice of a
 * new order (issued at once by the command; the action only catches a crash in between), and a
 * payment check after each change of what is owed on that invoice, which releases the order for
 * delivery once it is paid (or withdraws the release when a payment is rejected before shipment).
 */
@Injectable()
export class BillingHandsetOrdersProjection implements Projection {
  readonly name = 'billing-handset-orders';
  readonly eventTypes = [...HANDSET_ORDER_EVENT_TYPES, 'InvoiceIssued', ...PAYMENT_EVENTS];

  async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
    const d = event.data as Record<string, any>;
    if (event.streamId.startsWith('handsetorder-')) return this.orderEvent(event, d, tx);
    if (event.type === 'InvoiceIssued' && event.streamId.startsWith('invoiceregister-')) {
      if (typeof d.handsetOrderId !== 'string') return;
      await tx.query('UPDATE billing_handset_orders SET invoice_number = $2, total_ttc = $3, payment_method = $4, updated_at = now() WHERE order_id = $1', [
        d.handsetOrderId,
        d.number,
        d.totalTTC,
        d.payment?.method ?? null,
      ]);
      await DueActions.cancel(tx, `billing.handset_invoice:${d.handsetOrderId}`);
      return;
    }
    if (event.streamId.startsWith('invoice-') && PAYMENT_EVENTS.includes(event.type)) {
      const rows: Array<{ order_id: string }> = await tx.query('SELECT order_id FROM billing_handset_orders WHERE invoice_id = $1', [d.invoiceId]);
      if (!rows[0]) return;
      await DueActions.schedule(tx, {
        key: `billing.handset_payment:${rows[0].order_id}:${event.eventId}`,
        kind: DUE.handsetPayment,
        aggregateId: rows[0].order_id,
        dueAt: new Date(event.metadata.occurredAt),
        payload: { orderId: rows[0].order_id },
        source: this.name,
      });
    }
  }

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM billing_handset_orders');
    await DueActions.resetSource(tx, this.name);
  }

  private async orderEvent(event: RecordedEvent, d: Record<string, any>, tx: EntityManager): Promise<void> {
    switch (event.type) {
      case 'HandsetOrderPlaced':
        await tx.query(
          `INSERT INTO billing_handset_orders (order_id, customer_id, subscription_id, invoice_id, status, lines, ordered_on) VALUES ($1, $2, $3, $4, 'awaiting_payment', $5, $6)
           ON CONFLICT (order_id) DO NOTHING`,
          [d.orderId, d.customerId, d.subscriptionId, d.invoiceId, JSON.stringify(d.lines), d.orderedOn],
        );
        await DueActions.schedule(tx, {
          key: `billing.handset_invoice:${d.orderId}`,
          kind: DUE.handsetInvoice,
          aggregateId: d.orderId,
          dueAt: new Date(event.metadata.occurredAt),
          payload: { orderId: d.orderId },
          source: this.name,
        });
        return;
      case 'HandsetOrderReleasedForDelivery':
        await tx.query(`UPDATE billing_handset_orders SET status = 'released', paid_on = $2, released_on = $3, updated_at = now() WHERE order_id = $1`, [d.orderId, d.paidOn, d.releasedOn]);
        return;
      case 'HandsetOrderReleaseWithdrawn':
        await tx.query(`UPDATE billing_handset_orders SET status = 'awaiting_payment', paid_on = NULL, released_on = NULL, updated_at = now() WHERE order_id = $1`, [d.orderId]);
        return;
      case 'HandsetOrderShipped':
        await tx.query(`UPDATE billing_handset_orders SET status = 'shipped', shipped_on = $2, shipment_ref = $3, updated_at = now() WHERE order_id = $1`, [d.orderId, d.shippedOn, d.shipmentRef]);
        return;
      default:
        return;
    }
  }
}

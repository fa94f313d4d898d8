import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';
import type { Projection } from '@oksio/platform';
import type { SubscriptionEvent } from '@oksio/subscription';
import { parseSipPlan } from './domain/charging';
import { type PlanPeriod, type RatedService, SipLineRow } from './rating.entities';

const RATED_SERVICES: readonly string[] = ['FIXED_SIP', 'FIXED_VGA'] satisfies RatedService[];

/**
 * The lines rating needs, from the Subscription context's events: every item of a FIXED_SIP order
 * is a line (one simultaneous line each) with its plan (`SIP_OK`, `SIP_OK_PLUS`, `SIP_OKSIO`), every
 * item of a FIXED_VGA order a line without plan (BIL-10), each with the date its service starts and
 * the date it ends. Rating reads nothing else from Subscription, so the two contexts only share these
 * published events.
 */
@Injectable()
export class SipLinesProjection implements Projection {
  // The name predates VGA lines; migration VgaRating1764000500100 replays it from the start so
  // that FIXED_VGA orders placed earlier are picked up.
  readonly name = 'rating-sip-lines';
  readonly eventTypes = [
    'OrderPlaced',
    'OrderRefused',
    'OrderCancelledByOksio',
    'OrderCancelledByClient',
    'ServiceActivated',
    'PlanMigrated',
    'ItemTerminated',
    'SubscriptionTerminated',
  ];

  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as SubscriptionEvent;
    const subscriptionId = event.data.subscriptionId;
    switch (event.type) {
      case 'OrderPlaced':
        if (!RATED_SERVICES.includes(event.data.service)) return;
        for (const item of event.data.items) {
          const service = event.data.service as RatedService;
          const plans: PlanPeriod[] = [{ from: null, plan: service === 'FIXED_SIP' ? parseSipPlan(item.plan) : null }];
          await tx.upsert(
            SipLineRow,
            { subscriptionId, lineId: item.itemId, service, customerId: event.data.customerId, label: item.label, plans, simultaneousLines: 1, activatedOn: null, endsOn: null, cancelled: false },
            ['subscriptionId', 'lineId'],
          );
        }
        return;
      case 'OrderRefused':
      case 'OrderCancelledByOksio':
      case 'OrderCancelledByClient':
        await tx.update(SipLineRow, { subscriptionId }, { cancelled: true });
        return;
      case 'ServiceActivated':
        await tx.query('UPDATE rating_sip_lines SET activated_on = $3 WHERE subscription_id = $1 AND line_id = ANY($2::text[])', [subscriptionId, event.data.itemIds, event.data.activatedOn]);
        return;
      case 'PlanMigrated': {
        const line = await tx.findOneBy(SipLineRow, { subscriptionId, lineId: event.data.itemId });
        if (!line) return;
        const plans = [...line.plans.filter((p) => p.from === null || p.from < event.data.migratedOn), { from: event.data.migratedOn, plan: parseSipPlan(event.data.toPlan) }];
        await tx.update(SipLineRow, { subscriptionId, lineId: event.data.itemId }, { plans });
        return;
      }
      case 'ItemTerminated':
        await tx.query('UPDATE rating_sip_lines SET ends_on = LEAST(COALESCE(ends_on, $3::date), $3::date) WHERE subscription_id = $1 AND line_id = $2', [subscriptionId, event.data.itemId, event.data.endsOn]);
        return;
      case 'SubscriptionTerminated':
        await tx.query('UPDATE rating_sip_lines SET ends_on = LEAST(COALESCE(ends_on, $2::date), $2::date) WHERE subscription_id = $1', [subscriptionId, event.data.endsOn]);
        return;
    }
  }

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM rating_sip_lines');
  }
}

/** The plan in force on a Paris date (periods ordered by `from`). */
export function planOn(plans: readonly PlanPeriod[], date: string): string | null {
  let plan: string | null = null;
  for (const p of plans) if (p.from === null || p.from <= date) plan = p.plan;
  return plan;
}

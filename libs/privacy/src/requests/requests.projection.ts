import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';
import { DueActions, type Projection } from '@oksio/platform';
import { REQUEST_EVENT_TYPES, requestStream, type RequestEvent } from './request.decider';
import { DataSubjectRequestRow } from './request.entities';

export const OVERDUE_ACTION = 'privacy.dsr-overdue';
const NAME = 'privacy-requests';

/** Data-subject requests with their deadline; an open request has a due action at its deadline (PRV-04). */
@Injectable()
export class RequestsProjection implements Projection {
  readonly name = NAME;
  readonly eventTypes = REQUEST_EVENT_TYPES;

  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as RequestEvent;
    const repo = tx.getRepository(DataSubjectRequestRow);
    const key = (requestId: string) => `${OVERDUE_ACTION}:${requestId}`;
    const schedule = (requestId: string, dueAt: string) =>
      DueActions.schedule(tx, { key: key(requestId), kind: OVERDUE_ACTION, aggregateId: requestStream(requestId), dueAt: new Date(dueAt), payload: { requestId }, source: NAME });
    switch (event.type) {
      case 'DataSubjectRequestReceived': {
        const d = event.data;
        await tx.upsert(
          DataSubjectRequestRow,
          {
            requestId: d.requestId,
            subjectId: d.subjectId,
            requestType: d.requestType,
            channel: d.channel,
            status: 'open',
            receivedAt: new Date(d.receivedAt),
            dueAt: new Date(d.dueAt),
            extended: false,
            extensionReason: null,
            overdue: false,
            closedAt: null,
            late: null,
            outcome: null,
            refusalReason: null,
          },
          ['requestId'],
        );
        await schedule(d.requestId, d.dueAt);
        return;
      }
      case 'DataSubjectRequestDeadlineExtended':
        await repo.update({ requestId: event.data.requestId }, { dueAt: new Date(event.data.dueAt), extended: true, extensionReason: event.data.reason, overdue: false });
        await schedule(event.data.requestId, event.data.dueAt);
        return;
      case 'DataSubjectRequestOverdue':
        await repo.update({ requestId: event.data.requestId }, { overdue: true });
        return;
      case 'DataSubjectRequestFulfilled':
        await repo.update({ requestId: event.data.requestId }, { status: 'fulfilled', closedAt: new Date(event.data.fulfilledAt), late: event.data.late, outcome: event.data.outcome as never });
        await DueActions.cancel(tx, key(event.data.requestId));
        return;
      case 'DataSubjectRequestRefused':
        await repo.update({ requestId: event.data.requestId }, { status: 'refused', closedAt: new Date(event.data.refusedAt), late: event.data.late, refusalReason: event.data.reason });
        await DueActions.cancel(tx, key(event.data.requestId));
        return;
    }
  }

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM privacy_requests');
    await DueActions.resetSource(tx, NAME);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, NotFoundError, newId } from '@oksio/kernel';
import type { Paging } from '@oksio/platform';

export interface OutboxMessage {
  messageId: string;
  accountId: string;
  userId: string;
  channel: 'sms' | 'email';
  recipient: string;
  subject: string;
  body: string;
  createdAt: string;
}

/**
 * Messages for the SMS and e-mail gateways (activation codes and links, invitations). The
 * gateway (system role) pulls them and acknowledges each one, which deletes it: the clear code
 * does not outlive its delivery.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async enqueue(message: Omit<OutboxMessage, 'messageId' | 'createdAt'>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO portal_outbox (message_id, account_id, user_id, channel, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [newId(), message.accountId, message.userId, message.channel, message.recipient, message.subject, message.body, this.clock.now()],
    );
  }

  async pending(page: Paging): Promise<OutboxMessage[]> {
    const rows: Array<Record<string, any>> = await this.dataSource.query(
      'SELECT message_id, account_id, user_id, channel, recipient, subject, body, created_at FROM portal_outbox ORDER BY created_at, message_id LIMIT $1 OFFSET $2',
      [page.limit, page.offset],
    );
    return rows.map((r) => ({
      messageId: r.message_id,
      accountId: r.account_id,
      userId: r.user_id,
      channel: r.channel,
      recipient: r.recipient,
      subject: r.subject,
      body: r.body,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  async acknowledge(messageId: string): Promise<void> {
    const result = await this.dataSource.query('DELETE FROM portal_outbox WHERE message_id = $1 RETURNING message_id', [messageId]);
    if (result[1] === 0 || (Array.isArray(result[0]) && result[0].length === 0)) {
      throw new NotFoundError('message_not_found', `No pending message ${messageId}`, [{ field: 'messageId', message: 'unknown or already acknowledged' }]);
    }
  }
}

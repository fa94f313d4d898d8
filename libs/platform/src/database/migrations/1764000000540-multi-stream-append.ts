import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_APPEND_MANY_FUNCTION } from '@oksio/event-store';

/** The PostgreSQL adapter appends a multi-stream command in one statement, one transaction (docs/adr/0008). */
export class MultiStreamAppend1764000000540 implements MigrationInterface {
  name = 'MultiStreamAppend1764000000540';

  async up(q: QueryRunner): Promise<void> {
    await q.query(EVENT_STORE_APPEND_MANY_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION es_append_many');
  }
}

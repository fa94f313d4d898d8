import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_APPEND_FUNCTION } from '@oksio/event-store';

/** The PostgreSQL adapter appends through one function call (docs/adr/0007). */
export class OneStatementAppend1764000000400 implements MigrationInterface {
  name = 'OneStatementAppend1764000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(EVENT_STORE_APPEND_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION es_append');
  }
}

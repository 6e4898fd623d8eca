import { MigrationInterface, QueryRunner } from 'typeorm';

/** The W3C trace context an event was published in, so its delivery joins that trace. */
export class OutboxTraceContext1764600000000 implements MigrationInterface {
  name = 'OutboxTraceContext1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE events.outbox ADD COLUMN trace_context jsonb');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE events.outbox DROP COLUMN trace_context');
  }
}

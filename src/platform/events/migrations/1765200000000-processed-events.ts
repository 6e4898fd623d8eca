import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which handler has processed which event: a redelivered event is skipped, not redone. */
export class ProcessedEvents1765200000000 implements MigrationInterface {
  name = 'ProcessedEvents1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE events.processed_events (
        handler text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (handler, event_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE events.processed_events');
  }
}

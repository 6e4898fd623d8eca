import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1763800002000 implements MigrationInterface {
  name = 'CreateOutbox1763800002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE SCHEMA IF NOT EXISTS events');
    await db.query(`
      CREATE TABLE events.outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        available_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        completed_at timestamptz,
        last_error text
      )`);
    await db.query(
      'CREATE INDEX outbox_pending ON events.outbox (available_at) WHERE completed_at IS NULL',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP SCHEMA events CASCADE');
  }
}

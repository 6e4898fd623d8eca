import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery state per destination instead of one `completed_at` per event, so an instance
 * without the broker can never mark an event done for it. A destination is required for an
 * event iff some instance had registered it when the event was written: the trigger adds one
 * pending delivery per registered destination to every outbox row, whoever inserts it.
 */
export class OutboxDestinations1765000000000 implements MigrationInterface {
  name = 'OutboxDestinations1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE events.destinations (
        name text PRIMARY KEY,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE events.deliveries (
        event_id uuid NOT NULL REFERENCES events.outbox (id) ON DELETE CASCADE,
        destination text NOT NULL REFERENCES events.destinations (name),
        delivered_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        PRIMARY KEY (event_id, destination)
      )`);
    await db.query(`CREATE INDEX deliveries_pending ON events.deliveries (destination, available_at)
      WHERE delivered_at IS NULL`);
    await db.query(`
      CREATE FUNCTION events.require_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO events.deliveries (event_id, destination)
          SELECT NEW.id, name FROM events.destinations;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER outbox_deliveries AFTER INSERT ON events.outbox
      FOR EACH ROW EXECUTE FUNCTION events.require_deliveries()`);
    // Events still pending: their in-process listeners have not run. Before this version the
    // broker publish was one of those listeners; it was never a destination of its own.
    await db.query(`INSERT INTO events.destinations (name) VALUES ('in-process')`);
    await db.query(`
      INSERT INTO events.deliveries (event_id, destination, attempts, available_at, last_error)
      SELECT id, 'in-process', attempts, available_at, last_error FROM events.outbox
       WHERE completed_at IS NULL`);
    await db.query('DROP INDEX events.outbox_pending');
    await db.query(`ALTER TABLE events.outbox DROP COLUMN completed_at, DROP COLUMN attempts,
      DROP COLUMN available_at, DROP COLUMN last_error`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE events.outbox ADD COLUMN completed_at timestamptz,
      ADD COLUMN attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN available_at timestamptz NOT NULL DEFAULT now(), ADD COLUMN last_error text`);
    await db.query(`UPDATE events.outbox o SET completed_at = now() WHERE NOT EXISTS (
      SELECT 1 FROM events.deliveries d WHERE d.event_id = o.id AND d.delivered_at IS NULL)`);
    await db.query(
      'CREATE INDEX outbox_pending ON events.outbox (available_at) WHERE completed_at IS NULL',
    );
    await db.query('DROP TRIGGER outbox_deliveries ON events.outbox');
    await db.query('DROP FUNCTION events.require_deliveries()');
    await db.query('DROP TABLE events.deliveries');
    await db.query('DROP TABLE events.destinations');
  }
}

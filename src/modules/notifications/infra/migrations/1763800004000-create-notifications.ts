import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1763800004000 implements MigrationInterface {
  name = 'CreateNotifications1763800004000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE SCHEMA IF NOT EXISTS notifications');
    await db.query(`
      CREATE TABLE notifications.order_confirmations (
        order_number uuid PRIMARY KEY,
        email text NOT NULL,
        customer_name text NOT NULL,
        total numeric(12, 2) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP SCHEMA notifications CASCADE');
  }
}

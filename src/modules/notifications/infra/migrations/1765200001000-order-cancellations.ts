import { MigrationInterface, QueryRunner } from 'typeorm';

/** The notice a customer gets when their order is cancelled. */
export class OrderCancellations1765200001000 implements MigrationInterface {
  name = 'OrderCancellations1765200001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notifications.order_cancellations (
        order_number uuid PRIMARY KEY,
        email text NOT NULL,
        customer_name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE notifications.order_cancellations');
  }
}

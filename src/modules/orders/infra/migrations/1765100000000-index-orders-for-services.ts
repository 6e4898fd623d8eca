import { MigrationInterface, QueryRunner } from 'typeorm';

/** Trusted services (gRPC) list every order newest first, or one customer's by email. */
export class IndexOrdersForServices1765100000000 implements MigrationInterface {
  name = 'IndexOrdersForServices1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX orders_by_created ON orders.orders (created_at DESC, id DESC)');
    await db.query(
      `CREATE INDEX orders_by_customer_email
         ON orders.orders (lower(customer_email), created_at DESC, id DESC)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX orders.orders_by_customer_email');
    await db.query('DROP INDEX orders.orders_by_created');
  }
}

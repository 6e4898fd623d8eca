import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1763800003000 implements MigrationInterface {
  name = 'CreateOrders1763800003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE SCHEMA IF NOT EXISTS orders');
    await db.query(`
      CREATE TABLE orders.orders (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_number uuid NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'NEW'
          CHECK (status IN ('NEW', 'IN_PROCESS', 'DELIVERED', 'CANCELLED', 'ERROR')),
        customer_name text NOT NULL,
        customer_email text NOT NULL,
        customer_phone text NOT NULL,
        delivery_address text NOT NULL,
        total numeric(12, 2) NOT NULL CHECK (total >= 0),
        visitor_key uuid NOT NULL,
        username text,
        idempotency_key text,
        from_cart boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (visitor_key, idempotency_key)
      )`);
    await db.query(
      'CREATE INDEX orders_by_visitor ON orders.orders (visitor_key, created_at DESC)',
    );
    await db.query('CREATE INDEX orders_by_user ON orders.orders (username, created_at DESC)');
    await db.query(`
      CREATE TABLE orders.order_lines (
        order_id bigint NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        price numeric(10, 2) NOT NULL CHECK (price >= 0),
        quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
        PRIMARY KEY (order_id, line_no)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP SCHEMA orders CASCADE');
  }
}

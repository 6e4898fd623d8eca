import { MigrationInterface, QueryRunner } from 'typeorm';

/** Starting stock per product code, from the reference bookstore's seed data. */
const STOCK: Array<[string, number]> = [
  ['P100', 400],
  ['P101', 200],
  ['P102', 300],
  ['P103', 100],
  ['P104', 40],
  ['P105', 100],
  ['P106', 1400],
  ['P107', 4200],
  ['P108', 430],
  ['P109', 405],
  ['P110', 300],
  ['P111', 4100],
  ['P112', 4300],
  ['P113', 700],
  ['P114', 600],
];

export class CreateInventory1763800001000 implements MigrationInterface {
  name = 'CreateInventory1763800001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE SCHEMA IF NOT EXISTS inventory');
    await db.query(`
      CREATE TABLE inventory.stock (
        product_code text PRIMARY KEY,
        quantity integer NOT NULL CHECK (quantity >= 0)
      )`);
    for (const row of STOCK) {
      await db.query('INSERT INTO inventory.stock (product_code, quantity) VALUES ($1, $2)', row);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP SCHEMA inventory CASCADE');
  }
}

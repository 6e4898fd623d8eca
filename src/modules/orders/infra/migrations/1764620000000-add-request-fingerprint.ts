import { MigrationInterface, QueryRunner } from 'typeorm';

/** What an Idempotency-Key was first used with, so a reuse with another body is refused. */
export class AddRequestFingerprint1764620000000 implements MigrationInterface {
  name = 'AddRequestFingerprint1764620000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE orders.orders ADD COLUMN request_fingerprint text');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE orders.orders DROP COLUMN request_fingerprint');
  }
}

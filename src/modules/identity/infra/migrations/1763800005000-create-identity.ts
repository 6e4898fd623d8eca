import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentity1763800005000 implements MigrationInterface {
  name = 'CreateIdentity1763800005000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE SCHEMA IF NOT EXISTS identity');
    await db.query(`
      CREATE TABLE identity.users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username text NOT NULL UNIQUE CHECK (username = lower(username)),
        password_hash text NOT NULL,
        display_name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP SCHEMA identity CASCADE');
  }
}

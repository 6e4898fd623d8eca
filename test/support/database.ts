import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ADMIN_DATABASE_URL, dropDatabase, RUN_ID, track, withAdminClient } from './resources';

export interface TestDatabase {
  url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, empty database per suite, so suites run in parallel and start from nothing. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `bookstore_test_${RUN_ID}_${randomBytes(6).toString('hex')}`;
  track('databases', name);
  await withAdminClient((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async query<T>(sql: string, params: unknown[] = []) {
      const client = new Client({
        connectionString: url.toString(),
        connectionTimeoutMillis: 5_000,
      });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    drop: () => dropDatabase(name),
  };
}

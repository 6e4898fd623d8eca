import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';

const LOCK_KEY = 'bookstore.migrations';
const LOCK_WAIT_MS = 60_000;
const LOCK_POLL_MS = 250;

/**
 * Runs pending migrations while holding a Postgres advisory lock, so instances that
 * start together on an empty database migrate once and the others wait, then find
 * nothing to do. Polls with pg_try_advisory_lock to keep every query short.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await acquire(runner.query.bind(runner));
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const done = await executor.executePendingMigrations();
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

type Query = (sql: string, params: unknown[]) => Promise<Array<{ locked: boolean }>>;

async function acquire(query: Query): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let waiting = false;
  for (;;) {
    const [row] = await query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [LOCK_KEY]);
    if (row.locked) return;
    if (Date.now() > deadline) throw new Error('Timed out waiting for the migration lock');
    if (!waiting) new Logger('Migrations').log('Another instance is migrating; waiting');
    waiting = true;
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }
}

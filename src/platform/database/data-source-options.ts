import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { TimeoutDroppingClient } from './timeout-dropping-client';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  migrations: PostgresConnectionOptions['migrations'];
  /** Opening a connection, or waiting for a free one in the pool. */
  connectTimeoutMs: number;
  /** Every statement, BEGIN and COMMIT included: the server cancels it, the client stops waiting. */
  queryTimeoutMs: number;
}

/** Migrations may rewrite tables: minutes, not the serving pool's seconds. */
const MIGRATION_TIMEOUT_MS = 300_000;

/** Shared by the app and the stand-alone migration command. */
export function dataSourceOptions(s: DatabaseSettings): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: s.url,
    migrations: s.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    extra: {
      max: s.poolSize,
      application_name: 'bookstore',
      connectionTimeoutMillis: s.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      statement_timeout: s.queryTimeoutMs,
      // Client side too: a server that accepts but never answers (a black hole) is bounded.
      query_timeout: s.queryTimeoutMs,
      Client: TimeoutDroppingClient,
    },
  };
}

/** The same database with one connection and generous timeouts, to run the migrations on. */
export function migrationOptions(options: PostgresConnectionOptions): PostgresConnectionOptions {
  return {
    ...options,
    extra: {
      ...(options.extra as Record<string, unknown>),
      max: 1,
      statement_timeout: MIGRATION_TIMEOUT_MS,
      query_timeout: MIGRATION_TIMEOUT_MS,
    },
  };
}

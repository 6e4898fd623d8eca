import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  migrations: PostgresConnectionOptions['migrations'];
}

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
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 10_000,
      query_timeout: 15_000,
    },
  };
}

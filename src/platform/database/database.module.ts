import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { Env } from '../../config/env';
import { dataSourceOptions, DatabaseSettings, migrationOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrationsLocked } from './migrate';

@Module({ providers: [EmbeddedPostgres], exports: [EmbeddedPostgres] })
class EmbeddedPostgresModule {}

/** TypeORM over Postgres (or embedded PGlite), migrated under an advisory lock before use. */
@Module({})
export class DatabaseModule {
  static forRoot(opts: { migrations: DatabaseSettings['migrations'] }): DynamicModule {
    let embeddedDb = false;
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          imports: [EmbeddedPostgresModule],
          inject: [ConfigService, EmbeddedPostgres],
          useFactory: async (config: ConfigService<Env, true>, embedded: EmbeddedPostgres) => {
            const url = config.get('DATABASE_URL', { infer: true });
            if (url) new Logger('Database').log(`Database: PostgreSQL at ${redactUrl(url)}`);
            embeddedDb = !url;
            return {
              ...dataSourceOptions({
                url: url ?? (await embedded.start(config.get('PGLITE_DATA_DIR', { infer: true }))),
                // PGlite is one connection: interleaved transactions would not be isolated.
                poolSize: url ? config.get('DATABASE_POOL_SIZE', { infer: true }) : 1,
                migrations: opts.migrations,
                connectTimeoutMs: config.get('DATABASE_CONNECT_TIMEOUT_MS', { infer: true }),
                queryTimeoutMs: config.get('DATABASE_QUERY_TIMEOUT_MS', { infer: true }),
              }),
              autoLoadEntities: true,
              retryAttempts: 5,
              retryDelay: 2_000,
            };
          },
          dataSourceFactory: async (options) => {
            const serving = options as PostgresConnectionOptions;
            // PGlite serves one connection for the process's life: it migrates on that one.
            if (embeddedDb) return migrated(await new DataSource(serving).initialize());
            const migrator = await new DataSource(migrationOptions(serving)).initialize();
            await (await migrated(migrator)).destroy();
            return new DataSource(serving).initialize();
          },
        }),
      ],
    };
  }
}

/** Applies pending migrations on `dataSource`, which it then returns. */
async function migrated(dataSource: DataSource): Promise<DataSource> {
  try {
    const applied = await runMigrationsLocked(dataSource);
    new Logger('Database').log(`Migrations applied now: ${applied.length}`);
    return dataSource;
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
}

function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

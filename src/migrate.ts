import { Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { appMigrations } from './app.migrations';
import { validateEnv } from './config/env';
import { DatabaseModule } from './platform/database/database.module';

/** The database module alone: starting it applies pending migrations under the lock. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnv }),
    DatabaseModule.forRoot({ migrations: appMigrations }),
  ],
})
class MigrationModule {}

async function migrate(): Promise<void> {
  const app = await NestFactory.createApplicationContext(MigrationModule, {
    logger: ['log', 'warn', 'error'],
  });
  await app.close();
  new Logger('Migrations').log('Database is up to date');
}

migrate().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

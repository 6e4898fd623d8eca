import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appMigrations } from './app.migrations';
import { validateEnv } from './config/env';
import { CatalogModule } from './modules/catalog';
import { DatabaseModule } from './platform/database/database.module';
import { ObservabilityModule } from './platform/observability/observability.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, validate: validateEnv }),
    ObservabilityModule,
    DatabaseModule.forRoot({ migrations: appMigrations }),
    CatalogModule,
  ],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { appMigrations } from './app.migrations';
import { validateEnv } from './config/env';
import { sessionOptions } from './config/session.config';
import { CartModule } from './modules/cart';
import { CatalogModule } from './modules/catalog';
import { IdentityModule } from './modules/identity';
import { InventoryModule } from './modules/inventory';
import { NotificationsModule } from './modules/notifications';
import { OrdersModule } from './modules/orders';
import { EventsModule } from './platform/events';
import { GrpcModule } from './platform/grpc/grpc.module';
import { DatabaseModule } from './platform/database/database.module';
import { METRICS_REGISTRY } from './platform/observability/http-metrics';
import { ObservabilityModule } from './platform/observability/observability.module';
import { SessionModule } from './session';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, validate: validateEnv }),
    ObservabilityModule,
    DatabaseModule.forRoot({ migrations: appMigrations }),
    SessionModule.forRootAsync({
      inject: [ConfigService, METRICS_REGISTRY],
      useFactory: sessionOptions,
    }),
    EventsModule,
    GrpcModule,
    CatalogModule,
    InventoryModule,
    CartModule,
    OrdersModule,
    NotificationsModule,
    IdentityModule,
  ],
})
export class AppModule {}

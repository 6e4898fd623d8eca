import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HttpMetrics, METRICS_REGISTRY } from './http-metrics';
import { LoggingModule } from './logging.module';
import { createRegistry } from './metrics';
import { MetricsController } from './metrics.controller';

@Module({
  imports: [LoggingModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [{ provide: METRICS_REGISTRY, useFactory: createRegistry }, HttpMetrics],
  exports: [METRICS_REGISTRY, HttpMetrics],
})
export class ObservabilityModule {}

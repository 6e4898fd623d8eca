import { Global, Module } from '@nestjs/common';
import { HttpMetrics, METRICS_REGISTRY } from './http-metrics';
import { createRegistry } from './metrics';
import { MetricsController } from './metrics.controller';

/** The instance's prom-client registry, for every module that records metrics. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: METRICS_REGISTRY, useFactory: createRegistry }, HttpMetrics],
  exports: [METRICS_REGISTRY, HttpMetrics],
})
export class MetricsModule {}

import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { LoggingModule } from './logging.module';
import { MetricsModule } from './metrics.module';
import { Readiness } from './readiness';
import { ShutdownState } from './shutdown-state';
import { TracingShutdown } from './tracing/tracing-shutdown';

@Module({
  imports: [LoggingModule, MetricsModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [TracingShutdown, ShutdownState, Readiness],
  exports: [ShutdownState, Readiness],
})
export class ObservabilityModule {}

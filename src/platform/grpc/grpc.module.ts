import { Module } from '@nestjs/common';
import { ObservabilityModule } from '../observability/observability.module';
import { GrpcDrain } from './grpc-drain';
import { GrpcHealth } from './grpc-health';

/** What every gRPC server of the app shares: health from the readiness checks, a bounded drain. */
@Module({
  imports: [ObservabilityModule],
  providers: [GrpcHealth, GrpcDrain],
  exports: [GrpcHealth, GrpcDrain],
})
export class GrpcModule {}

import { Module } from '@nestjs/common';
import { ObservabilityModule } from '../../../platform/observability/observability.module';
import { LiveCartGateway } from './live-cart.gateway';

@Module({ imports: [ObservabilityModule], providers: [LiveCartGateway] })
export class LiveCartModule {}

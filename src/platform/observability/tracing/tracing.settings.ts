import { IsIn, IsOptional, Matches } from 'class-validator';
import { parseSettings } from '../../../config/settings';

/**
 * The standard OpenTelemetry variables this app validates (the SDK reads them, and the
 * other OTEL_* ones, itself). No OTEL_EXPORTER_OTLP_ENDPOINT: tracing is off.
 */
export class TracingEnv {
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsOptional()
  @IsIn(['http/protobuf', 'http/json', 'grpc'])
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;

  @IsOptional()
  @Matches(/^[\w.-]{1,100}$/, { message: 'OTEL_SERVICE_NAME must be 1-100 of [A-Za-z0-9_.-]' })
  OTEL_SERVICE_NAME = 'bookstore';

  @IsOptional()
  @Matches(/^[^=,\s]+=[^,]*(,[^=,\s]+=[^,]*)*$/, {
    message: 'OTEL_RESOURCE_ATTRIBUTES must be key=value,key=value',
  })
  OTEL_RESOURCE_ATTRIBUTES?: string;
}

export interface TracingSettings {
  /** Where spans go; none: tracing is off. */
  endpoint?: string;
  serviceName: string;
}

export function tracingSettings(raw: Record<string, unknown>): TracingSettings {
  const env = parseSettings(TracingEnv, raw);
  return { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: env.OTEL_SERVICE_NAME };
}

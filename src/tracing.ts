// Imported first by main.ts: OpenTelemetry must patch http, gRPC, express, Nest, pg, ioredis,
// amqplib and pino before anything requires them. Off unless OTEL_EXPORTER_OTLP_ENDPOINT;
// the SDK takes seconds to load, so it is required only then (synchronously: an import()
// would let main.ts load Nest first).
import { tracingStarted } from './platform/observability/tracing/tracing-state';
import { tracingSettings } from './platform/observability/tracing/tracing.settings';

try {
  const settings = tracingSettings(process.env);
  if (settings.endpoint) {
    type Tracing = typeof import('./platform/observability/tracing/tracing');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tracing = require('./platform/observability/tracing/tracing') as Tracing;
    const sdk = tracing.startTracing(settings);
    tracingStarted({
      description: `OpenTelemetry tracing on: ${settings.serviceName} to ${settings.endpoint}`,
      flush: () => sdk.shutdown(),
    });
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}

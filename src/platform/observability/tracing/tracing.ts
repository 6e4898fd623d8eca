import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { TracingSettings } from './tracing.settings';

/** Probes and scrapes: frequent, and of no interest in a trace. */
const UNTRACED_PATHS = /^\/(health\/|metrics)/;

/**
 * Starts the OpenTelemetry Node SDK: traces only (metrics stay on /metrics), exported over
 * OTLP as the standard OTEL_* variables say, W3C trace context in and out (HTTP headers,
 * gRPC metadata). It patches
 * modules as they are required, so it must run before Nest, pg, ioredis and pino load.
 */
export function startTracing(settings: TracingSettings): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    resource: defaultResource().merge(
      resourceFromAttributes({
        'service.namespace': 'bookstore',
        'deployment.environment.name': process.env.NODE_ENV ?? 'development',
      }),
    ),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
      }),
      // Health probes and reflection, like the HTTP probes, make no traces.
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch', 'ServerReflectionInfo'] }),
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new NestInstrumentation(),
      // Only inside a request or a delivery: the relay's idle polling makes no traces.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new AmqplibInstrumentation(),
      // trace_id and span_id on each log line; the logs themselves stay on stdout.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
  sdk.start();
  return sdk;
}

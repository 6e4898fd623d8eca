import { Injectable, OnApplicationShutdown } from '@nestjs/common';

let flush: (() => Promise<void>) | undefined;

/** Registers how to export what the tracer still buffers (src/tracing.ts, when tracing is on). */
export function onTracingShutdown(fn: () => Promise<void>): void {
  flush = fn;
}

/** Flushes the spans still buffered when the app closes (SIGTERM), before the process exits. */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flush?.();
  }
}

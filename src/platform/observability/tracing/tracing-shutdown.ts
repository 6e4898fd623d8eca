import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { runningTracing } from './tracing-state';

/** Says in the log that tracing is on; flushes buffered spans when the app closes. */
@Injectable()
export class TracingShutdown implements OnApplicationBootstrap, OnApplicationShutdown {
  onApplicationBootstrap(): void {
    const tracing = runningTracing();
    if (tracing) new Logger('Tracing').log(tracing.description);
  }

  async onApplicationShutdown(): Promise<void> {
    await runningTracing()?.flush();
  }
}

import './tracing';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { ConfigService } from '@nestjs/config';
import { Env } from './config/env';
import { createApp } from './create-app';
import { drainAndClose } from './platform/http/graceful-shutdown';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function bootstrap(): Promise<void> {
  const app = await createApp();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
      drainAndClose(app).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  const port = app.get(ConfigService<Env, true>).get('PORT', { infer: true });
  // Before HTTP: once /health/live answers, gRPC (when on) is listening too.
  await app.startAllMicroservices();
  await app.listen(port);
  // Bound to every address (IPv4 and IPv6); getUrl() would name just one of them.
  const { port: bound } = app.getHttpServer().address() as AddressInfo;
  new Logger('Bootstrap').log(
    `Listening on port ${bound} (all addresses): http://localhost:${bound}`,
  );
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

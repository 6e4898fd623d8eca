import { Logger } from '@nestjs/common';
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
  await app.listen(port);
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()}`);
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

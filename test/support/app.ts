import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * The real app, in this test process, on the given environment. Config is read when
 * the app module is first imported, so a test file sets its environment once.
 */
export async function startApp(env: Record<string, string>): Promise<NestExpressApplication> {
  Object.assign(process.env, { LOG_LEVEL: 'silent', ...env });
  const { createApp } = await import('../../src/create-app');
  const app = await createApp();
  await app.init();
  return app;
}

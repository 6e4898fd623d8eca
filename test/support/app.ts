import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { TEST_APP_ENV } from './app-process';
import { createTestDatabase, TestDatabase } from './database';

/**
 * The real app, in this test process, on the given environment. Config is read when
 * the app module is first imported, so a test file sets its environment once.
 */
export async function startApp(env: Record<string, string>): Promise<NestExpressApplication> {
  Object.assign(process.env, { LOG_LEVEL: 'silent', ...TEST_APP_ENV, ...env });
  const { createApp } = await import('../../src/create-app');
  const app = await createApp();
  await app.init();
  return app;
}

export interface AppContext {
  db: TestDatabase;
  app: NestExpressApplication;
  http(): TestAgent;
}

/** A suite's app on its own fresh database, started before and torn down after the suite. */
export function useAppOnFreshDatabase(env: Record<string, string> = {}): AppContext {
  const ctx = { http: () => request(ctx.app.getHttpServer()) } as AppContext;
  beforeAll(async () => {
    ctx.db = await createTestDatabase();
    ctx.app = await startApp({ DATABASE_URL: ctx.db.url, ...env });
  });
  afterAll(async () => {
    await ctx.app?.close();
    await ctx.db?.drop();
  });
  return ctx;
}

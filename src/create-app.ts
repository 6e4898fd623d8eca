import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureHttp } from './platform/http/configure-http';
import { setupOpenApi } from './platform/http/openapi';
import { serveStorefront } from './platform/http/storefront';
import { HttpMetrics } from './platform/observability/http-metrics';

/** The whole app, configured but not listening; main.ts and the e2e tests share it. */
export async function createApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.use(app.get(HttpMetrics).middleware);
  configureHttp(app);
  serveStorefront(app);
  setupOpenApi(app);
  return app;
}

import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module';
import { connectOrdersGrpc } from './modules/orders';
import { configureHttp } from './platform/http/configure-http';
import { setupOpenApi } from './platform/http/openapi';
import { serveStorefront } from './platform/http/storefront';
import { HttpMetrics } from './platform/observability/http-metrics';

/**
 * The whole app, configured but not listening; main.ts and the e2e tests share it. The
 * gRPC server (when GRPC_PORT is set) is connected here and started by main.ts.
 */
export async function createApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.use(app.get(HttpMetrics).middleware);
  configureHttp(app);
  // Plain WebSocket for the live cart (browsers speak it natively; no socket.io protocol).
  app.useWebSocketAdapter(new WsAdapter(app));
  serveStorefront(app);
  setupOpenApi(app);
  connectOrdersGrpc(app);
  return app;
}

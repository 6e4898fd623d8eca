import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigService } from '@nestjs/config';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { Env } from '../../config/env';
import { ShutdownState } from '../observability/shutdown-state';
import { CleanTextPipe } from './clean-text.pipe';
import { CrossOriginGuard } from './cross-origin.guard';
import { HttpExceptionFilter } from './http-exception.filter';
import { jsonBodyOptions } from './json-body';
import { applyTrustProxy } from './trust-proxy';
import { createValidationPipe } from './validation';

/** Everything about the HTTP edge that is not a route; shared by main.ts and the tests. */
export function configureHttp(app: NestExpressApplication): void {
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  app.useLogger(app.get(Logger));
  applyTrustProxy(app, config.get('TRUST_PROXY', { infer: true }));
  app.disable('x-powered-by');
  app.use(closeWhileDraining(app.get(ShutdownState)));
  // No upgrade-insecure-requests: nginx may serve plain HTTP, and Swagger UI must still load.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.useBodyParser('json', jsonBodyOptions);
  const origins = corsOrigins(config.get('CORS_ORIGINS', { infer: true }));
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      credentials: true,
      exposedHeaders: ['X-Request-Id', 'Location'],
    });
  }
  app.useGlobalGuards(
    new CrossOriginGuard({
      trustedOrigins: new Set(origins),
      sessionIdIn: config.get('SESSION_ID_RESOLVER', { infer: true }),
    }),
  );
  app.useGlobalPipes(new CleanTextPipe(), createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
}

export function corsOrigins(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** While draining, every response ends its keep-alive connection. */
function closeWhileDraining(shutdown: ShutdownState) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (shutdown.draining) res.setHeader('Connection', 'close');
    next();
  };
}

import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigService } from '@nestjs/config';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { Env } from '../../config/env';
import { HttpExceptionFilter } from './http-exception.filter';
import { createValidationPipe } from './validation';

const BODY_LIMIT = '1mb';

/** Everything about the HTTP edge that is not a route; shared by main.ts and the tests. */
export function configureHttp(app: NestExpressApplication): void {
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  // No upgrade-insecure-requests: nginx may serve plain HTTP, and Swagger UI must still load.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  const origins = config.get('CORS_ORIGINS', { infer: true });
  if (origins) {
    app.enableCors({
      origin: origins.split(',').map((o) => o.trim()),
      credentials: true,
      exposedHeaders: ['X-Request-Id', 'Location'],
    });
  }
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
}

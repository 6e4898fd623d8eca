import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { Env } from '../../config/env';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Reuses a sane incoming X-Request-Id (nginx sets one) or makes one, and echoes it back. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** pino JSON logs; the request id is on every line logged while serving a request. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({
        pinoHttp: {
          level: config.get('LOG_LEVEL', { infer: true }),
          genReqId: requestId,
          customAttributeKeys: { reqId: 'requestId' },
          // Session ids and credentials travel in these; they never reach the log.
          redact: {
            paths: [
              'req.headers.cookie',
              'req.headers.authorization',
              'req.headers["x-auth-token"]',
              'res.headers["set-cookie"]',
              'res.headers["x-auth-token"]',
            ],
            censor: '[redacted]',
          },
          autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}

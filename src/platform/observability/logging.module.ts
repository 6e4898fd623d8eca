import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { Env } from '../../config/env';
import { requestLine } from './logging.request-line';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Reuses a sane incoming X-Request-Id (nginx sets one) or makes one, and echoes it back. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

const VERBOSE = new Set(['debug', 'trace']);

/**
 * pino JSON logs; the request id is on every line logged while serving a request, and
 * each request ends with one compact line (headers only at debug and trace).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => {
        const level = config.get('LOG_LEVEL', { infer: true });
        return {
          pinoHttp: {
            level,
            genReqId: requestId,
            customAttributeKeys: { reqId: 'requestId' },
            // Loggers bound to a request carry only its id, not the serialized request.
            quietReqLogger: true,
            quietResLogger: true,
            ...requestLine(VERBOSE.has(level)),
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
        };
      },
    }),
  ],
})
export class LoggingModule {}

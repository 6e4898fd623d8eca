import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { BodyRejected } from './body-rejected';
import { errorBody } from './error-body';

interface HttpErrorResponse {
  message?: string | string[];
  details?: unknown[];
}

/** Errors raised by express middleware (body-parser) carry a status but are not HttpExceptions. */
interface StatusError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

const MIDDLEWARE_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON request body',
  'entity.too.large': 'Request body too large',
  'encoding.unsupported': 'Unsupported request body encoding',
  'charset.unsupported': 'Unsupported request body charset',
};

/** Maps every error to the standard body; anything unexpected is a logged 500 with no details. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const { status, message, details, headers } = this.describe(exception);
    if (status === 500) this.logger.error(exception);
    else if (status === 503) this.logger.warn(message);
    if (res.headersSent) return void res.end();
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    res.status(status).json(errorBody(status, message, req.originalUrl.split('?')[0], details));
  }

  private describe(exception: unknown): {
    status: number;
    message: string;
    details?: unknown[];
    headers?: Record<string, string>;
  } {
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const { message, details } =
        typeof body === 'string'
          ? { message: body, details: undefined }
          : (body as HttpErrorResponse);
      const text = Array.isArray(message) ? message.join('; ') : (message ?? exception.message);
      // 429 and 503 exceptions may say when to come back (login throttle, session store down).
      const retryAfter = (exception as { retryAfterSeconds?: number }).retryAfterSeconds;
      const headers = retryAfter ? { 'Retry-After': String(retryAfter) } : undefined;
      return { status: exception.getStatus(), message: text, details, headers };
    }
    if (exception instanceof BodyRejected) return { status: 400, message: exception.message };
    const err = exception as StatusError;
    const status = err?.status ?? err?.statusCode;
    if (err?.expose && typeof status === 'number' && status >= 400 && status < 500) {
      return { status, message: MIDDLEWARE_MESSAGES[err.type ?? ''] ?? 'Bad request' };
    }
    if (isDatabaseUnavailable(exception)) {
      return { status: 503, message: 'Database unavailable', headers: { 'Retry-After': '5' } };
    }
    return { status: 500, message: 'Internal server error' };
  }
}

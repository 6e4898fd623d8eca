import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { SessionStoreUnavailable } from './session.errors';
import { SessionStoreUnavailableError } from './stores/session-store';

/** A store failure seen by a handler is a 503 (SessionStoreUnavailable, Retry-After: 2). */
export function toHttpError(err: unknown): never {
  throw err instanceof SessionStoreUnavailableError ? new SessionStoreUnavailable() : err;
}

/** toHttpError, and Retry-After on the response for an error that carries `retryAfterSeconds`. */
export function asHttpError(res: Response, err: unknown): unknown {
  const mapped = err instanceof SessionStoreUnavailableError ? new SessionStoreUnavailable() : err;
  const retryAfter = (mapped as { retryAfterSeconds?: number }).retryAfterSeconds;
  if (mapped instanceof HttpException && retryAfter && !res.headersSent) {
    res.setHeader('Retry-After', String(retryAfter));
  }
  return mapped;
}

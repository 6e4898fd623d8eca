import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { SessionStoreUnavailable } from './session.errors';
import { SessionStoreUnavailableError } from './stores/session-store';

/** A store failure becomes 503; any error with `retryAfterSeconds` also sets Retry-After. */
export function asHttpError(res: Response, err: unknown): unknown {
  const mapped = err instanceof SessionStoreUnavailableError ? new SessionStoreUnavailable() : err;
  const retryAfter = (mapped as { retryAfterSeconds?: number }).retryAfterSeconds;
  if (mapped instanceof HttpException && retryAfter && !res.headersSent) {
    res.setHeader('Retry-After', String(retryAfter));
  }
  return mapped;
}

import { HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';

/**
 * 429: one client address opened more new sessions this minute than allowed.
 * `retryAfterSeconds` is for the app's exception filter to send as Retry-After.
 */
export class TooManyNewSessionsException extends HttpException {
  readonly retryAfterSeconds = 60;

  constructor() {
    super('Too many new sessions from this address; try again later', HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** 503: the session store cannot be reached; the client may retry shortly. */
export class SessionStoreUnavailableException extends ServiceUnavailableException {
  readonly retryAfterSeconds = 2;

  constructor() {
    super('Session store unavailable; try again shortly');
  }
}

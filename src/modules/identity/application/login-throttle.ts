import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { SessionManager } from '../../../session';
import { IDENTITY_SETTINGS, IdentitySettings } from '../identity.settings';

/** 429 once a username or a client address has made too many login attempts in the window. */
export class TooManyLoginAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many login attempts; try again later', HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** Counts attempts in the session store, so the limit holds across every app instance. */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly sessions: SessionManager,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  async attempt(username: string, address: string): Promise<void> {
    const {
      attemptWindowSeconds: window,
      maxAttemptsPerUser,
      maxAttemptsPerAddress,
    } = this.settings;
    const windowMs = window * 1_000;
    const [byUser, byAddress] = await Promise.all([
      this.sessions.hit(`login:user:${username.trim().toLowerCase()}`, windowMs),
      this.sessions.hit(`login:address:${address}`, windowMs),
    ]);
    if (byUser > maxAttemptsPerUser || byAddress > maxAttemptsPerAddress) {
      throw new TooManyLoginAttempts(window);
    }
  }
}

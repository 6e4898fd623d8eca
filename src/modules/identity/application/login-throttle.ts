import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectSessionRateCounter, RateCounter } from '../../../session';
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
  private readonly counter: RateCounter;

  constructor(
    @InjectSessionRateCounter() counter: RateCounter | null,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {
    if (!counter) throw new Error('Login throttling needs a session store with a rate counter');
    this.counter = counter;
  }

  /** Before checking a password: 429 when the user or the address is over its limit. */
  async check(username: string, address: string): Promise<void> {
    const { maxAttemptsPerUser, maxAttemptsPerAddress } = this.settings;
    const [failures, attempts] = await Promise.all([
      this.counter.hit(this.userBucket(username), this.windowMs, 0),
      this.counter.hit(`login:address:${address}`, this.windowMs),
    ]);
    if (failures >= maxAttemptsPerUser || attempts > maxAttemptsPerAddress) {
      throw new TooManyLoginAttempts(this.settings.attemptWindowSeconds);
    }
  }

  /** Only failures count against a username, so its owner can log in as often as needed. */
  async failed(username: string): Promise<void> {
    await this.counter.hit(this.userBucket(username), this.windowMs);
  }

  private get windowMs(): number {
    return this.settings.attemptWindowSeconds * 1_000;
  }

  private userBucket(username: string): string {
    return `login:user:${username.trim().toLowerCase()}`;
  }
}

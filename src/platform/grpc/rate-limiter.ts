import { LRUCache } from 'lru-cache';

interface Bucket {
  tokens: number;
  at: number;
}

/** Callers remembered at once; the least recently seen are forgotten (and start full). */
const MAX_KEYS = 10_000;

/**
 * A token bucket per key (a caller's address): `perSecond` calls a second, bursts of as
 * many. In memory, per instance: a guard against a runaway caller, not a quota.
 */
export class RateLimiter {
  private readonly buckets = new LRUCache<string, Bucket>({ max: MAX_KEYS });

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `key` may make one more call now (which is then counted). */
  take(key: string): boolean {
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perSecond, at };
    const tokens = Math.min(
      this.perSecond,
      bucket.tokens + ((at - bucket.at) / 1_000) * this.perSecond,
    );
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at });
    return allowed;
  }
}

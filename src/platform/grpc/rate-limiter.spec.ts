import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  let now = 0;
  const limiter = () => new RateLimiter(3, () => now);

  beforeEach(() => (now = 1_000_000));

  it('allows a burst of the rate, then refuses until tokens come back', () => {
    const l = limiter();
    expect([l.take('a'), l.take('a'), l.take('a'), l.take('a')]).toEqual([true, true, true, false]);
    now += 200; // 0.6 of a token
    expect(l.take('a')).toBe(false);
    now += 200; // 1.2 tokens
    expect([l.take('a'), l.take('a')]).toEqual([true, false]);
  });

  it('counts each key on its own', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.take('a');
    expect([l.take('a'), l.take('b')]).toEqual([false, true]);
  });

  it('refills to the burst size, never beyond', () => {
    const l = limiter();
    l.take('a');
    now += 60_000;
    expect([l.take('a'), l.take('a'), l.take('a'), l.take('a')]).toEqual([true, true, true, false]);
  });
});

import { outlived, ttlSeconds } from './session-lifetime';
import { resolveOptions } from './session.options';
import { MemorySessionStore } from './stores/memory-session.store';

describe('absolute lifetime', () => {
  const record = (creationTime: number, maxInactiveInterval = 1_800) => ({
    creationTime,
    lastAccessedTime: creationTime,
    maxInactiveInterval,
    attributes: new Map<string, string>(),
  });

  it('is off at 0, and ends a session at its age whatever its activity', () => {
    expect(outlived(record(0), 0, 10 ** 12)).toBe(false);
    expect(outlived(record(0), 60, 59_999)).toBe(false);
    expect(outlived(record(0), 60, 60_000)).toBe(true);
  });

  it('keeps the TTL within the lifetime: the shorter of the two wins', () => {
    expect(ttlSeconds(record(0), 0, 5_000)).toBe(1_800);
    expect(ttlSeconds(record(0), 3_600, 0)).toBe(1_800);
    expect(ttlSeconds(record(0, 30 * 86_400), 3_600, 3_000_000)).toBe(600);
    expect(ttlSeconds(record(0), 60, 60_500)).toBe(1); // never 0 or less: EXPIRE would delete it
  });
});

describe('cookie options', () => {
  const store = new MemorySessionStore();
  afterAll(() => store.close());

  it('refuses SameSite=None without secure cookies, and malformed attributes', () => {
    expect(() => resolveOptions({ store, cookieSameSite: 'None' })).toThrow(
      /requires secureCookies/,
    );
    expect(
      resolveOptions({ store, cookieSameSite: 'None', secureCookies: true }).cookieSameSite,
    ).toBe('None');
    expect(() => resolveOptions({ store, cookieName: 'a b' })).toThrow(/cookieName/);
    expect(() => resolveOptions({ store, cookiePath: 'api' })).toThrow(/cookiePath/);
    expect(() => resolveOptions({ store, cookieDomain: 'a;b' })).toThrow(/cookieDomain/);
  });
});

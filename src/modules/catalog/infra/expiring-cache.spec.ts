import { ExpiringCache } from './expiring-cache';

/** A loader that counts its calls and answers when told to. */
function loader() {
  const calls: string[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const load = async (key: string) => {
    calls.push(key);
    await gate;
    return key === 'none' ? null : `value of ${key}`;
  };
  return { calls, load, release: () => release() };
}

describe('ExpiringCache', () => {
  it('loads a key once for concurrent and later reads', async () => {
    const { calls, load, release } = loader();
    const cache = new ExpiringCache(load, { ttlMs: 60_000, max: 10 });
    const reads = Promise.all([cache.get('a'), cache.get('a'), cache.get('a')]);
    release();
    expect(await reads).toEqual(['value of a', 'value of a', 'value of a']);
    expect(await cache.get('a')).toBe('value of a');
    expect(calls).toEqual(['a']);
  });

  it('remembers that a key has no value', async () => {
    const { calls, load, release } = loader();
    release();
    const cache = new ExpiringCache(load, { ttlMs: 60_000, max: 10 });
    expect(await cache.get('none')).toBeNull();
    expect(await cache.get('none')).toBeNull();
    expect(calls).toEqual(['none']);
    expect(cache.peek('none')).toEqual({ value: null });
  });

  it('never remembers a failed load', async () => {
    let fail = true;
    const cache = new ExpiringCache(
      (key: string) => (fail ? Promise.reject(new Error('database down')) : Promise.resolve(key)),
      { ttlMs: 60_000, max: 10 },
    );
    await expect(cache.get('a')).rejects.toThrow('database down');
    fail = false;
    expect(await cache.get('a')).toBe('a');
  });

  it('keeps at most `max` entries, dropping the least recently used', async () => {
    const { calls, load, release } = loader();
    release();
    const cache = new ExpiringCache(load, { ttlMs: 60_000, max: 2 });
    for (const key of ['a', 'b', 'a', 'c', 'a', 'b']) await cache.get(key);
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('loads on every read when the TTL is 0', async () => {
    const { calls, load, release } = loader();
    release();
    const cache = new ExpiringCache(load, { ttlMs: 0, max: 10 });
    cache.set('a', 'stale');
    expect(await cache.get('a')).toBe('value of a');
    expect(await cache.get('a')).toBe('value of a');
    expect(cache.peek('a')).toBeUndefined();
    expect(calls).toEqual(['a', 'a']);
  });
});

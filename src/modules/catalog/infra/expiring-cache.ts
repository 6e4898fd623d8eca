import { LRUCache } from 'lru-cache';

/** Boxed, so that "no such product" (null) can be remembered too. */
interface Box<V> {
  value: V;
}

export interface ExpiringCacheOptions {
  /** Age at which an entry is loaded again; 0: no cache, every read loads. */
  ttlMs: number;
  max: number;
}

/**
 * A bounded in-process cache (lru-cache) whose entries expire `ttlMs` after they were
 * loaded, however often they are read: what another instance changed in the database
 * shows here within that time. Concurrent misses for one key share one load, and a
 * failed load is never remembered.
 */
export class ExpiringCache<K extends string | number, V> {
  private readonly lru?: LRUCache<K, Box<V>>;

  constructor(
    private readonly load: (key: K) => Promise<V>,
    { ttlMs, max }: ExpiringCacheOptions,
  ) {
    if (ttlMs <= 0) return;
    this.lru = new LRUCache<K, Box<V>>({
      max,
      ttl: ttlMs,
      // An entry evicted while its load runs still answers the callers waiting for it.
      ignoreFetchAbort: true,
      fetchMethod: async (key) => ({ value: await load(key) }),
    });
  }

  async get(key: K): Promise<V> {
    const box = await this.lru?.fetch(key);
    return box ? box.value : this.load(key);
  }

  /** The fresh cached value, if any, without loading. */
  peek(key: K): Box<V> | undefined {
    return this.lru?.get(key);
  }

  set(key: K, value: V): void {
    this.lru?.set(key, { value });
  }
}

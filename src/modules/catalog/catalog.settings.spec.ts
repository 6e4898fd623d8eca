import { catalogSettings } from './catalog.settings';

describe('catalog settings', () => {
  it('defaults to a 5 s TTL and 5000 entries', () => {
    expect(catalogSettings({})).toEqual({ cacheTtlMs: 5_000, cacheMaxEntries: 5_000 });
  });

  it.each([
    ['0', 0],
    ['250ms', 250],
    ['2', 2_000],
    ['2s', 2_000],
    ['1m', 60_000],
    ['1h', 3_600_000],
  ])('reads CATALOG_CACHE_TTL=%p as %p ms', (raw, ms) => {
    expect(catalogSettings({ CATALOG_CACHE_TTL: raw }).cacheTtlMs).toBe(ms);
  });

  it.each([
    ['CATALOG_CACHE_TTL', '2h'],
    ['CATALOG_CACHE_TTL', '5 s'],
    ['CATALOG_CACHE_TTL', '-1'],
    ['CATALOG_CACHE_TTL', '61m'],
    ['CATALOG_CACHE_MAX_ENTRIES', '0'],
    ['CATALOG_CACHE_MAX_ENTRIES', 'many'],
    ['CATALOG_CACHE_MAX_ENTRIES', '1000001'],
  ])('rejects %s=%p with a message naming it', (name, value) => {
    expect(() => catalogSettings({ [name]: value })).toThrow(name);
  });
});

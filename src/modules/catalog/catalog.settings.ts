import { ConfigService } from '@nestjs/config';

export const CATALOG_SETTINGS = Symbol('CATALOG_SETTINGS');

export interface CatalogSettings {
  /** How long a product or page is served from memory after it was read; 0 turns caching off. */
  cacheTtlMs: number;
  /** Entries kept per cache (products, pages); the least recently used go first. */
  cacheMaxEntries: number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const MAX_TTL_MS = 3_600_000;

/** `500ms`, or seconds as `5`, `5s`, `1m`, `1h`; at most 1 h. */
export function parseTtl(raw: string): number | undefined {
  const match = /^(\d{1,7})(ms|s|m|h)?$/.exec(raw);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] ?? 's'] : NaN;
  return ms <= MAX_TTL_MS ? ms : undefined;
}

function parseEntries(raw: string): number | undefined {
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  return n >= 1 && n <= 1_000_000 ? n : undefined;
}

interface Rule {
  fallback: string;
  parse: (raw: string) => number | undefined;
  message: string;
}

const RULES: Record<'CATALOG_CACHE_TTL' | 'CATALOG_CACHE_MAX_ENTRIES', Rule> = {
  CATALOG_CACHE_TTL: {
    fallback: '5s',
    parse: parseTtl,
    message: 'a duration like 500ms, 5s or 1m, at most 1h (0: no cache)',
  },
  CATALOG_CACHE_MAX_ENTRIES: {
    fallback: '5000',
    parse: parseEntries,
    message: 'an integer from 1 to 1000000',
  },
};

/** The variables this file validates (for the README's table check). */
export const CATALOG_VARIABLES = Object.keys(RULES);

function read(config: ConfigService, name: keyof typeof RULES): number {
  const { fallback, parse, message } = RULES[name];
  const raw = String(config.get<string | number>(name) ?? '').trim();
  const value = parse(raw === '' ? fallback : raw);
  if (value === undefined) throw new Error(`Invalid configuration:\n  ${name} must be ${message}`);
  return value;
}

/** The catalog's settings from the environment, validated at start-up (a bad value stops the app). */
export function catalogSettings(config: ConfigService): CatalogSettings {
  return {
    cacheTtlMs: read(config, 'CATALOG_CACHE_TTL'),
    cacheMaxEntries: read(config, 'CATALOG_CACHE_MAX_ENTRIES'),
  };
}

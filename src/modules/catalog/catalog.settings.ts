import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { toInt, toMilliseconds } from '../../config/env-transforms';
import { parseSettings } from '../../config/settings';

export const CATALOG_SETTINGS = Symbol('CATALOG_SETTINGS');

export interface CatalogSettings {
  /** How long a product or page is served from memory after it was read; 0 turns caching off. */
  cacheTtlMs: number;
  /** Entries kept per cache (products, pages); the least recently used go first. */
  cacheMaxEntries: number;
}

/** The catalog's environment variables, validated at start-up (a bad value stops the app). */
export class CatalogEnv {
  @IsOptional()
  @Transform(toMilliseconds)
  @IsInt({ message: 'CATALOG_CACHE_TTL must be a duration like 500ms, 5s or 1m (0: no cache)' })
  @Min(0)
  @Max(3_600_000, { message: 'CATALOG_CACHE_TTL must be at most 1h' })
  CATALOG_CACHE_TTL = 5_000;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'CATALOG_CACHE_MAX_ENTRIES must be an integer from 1 to 1000000' })
  @Min(1)
  @Max(1_000_000)
  CATALOG_CACHE_MAX_ENTRIES = 5_000;
}

export function catalogSettings(raw: Record<string, unknown>): CatalogSettings {
  const env = parseSettings(CatalogEnv, raw);
  return { cacheTtlMs: env.CATALOG_CACHE_TTL, cacheMaxEntries: env.CATALOG_CACHE_MAX_ENTRIES };
}

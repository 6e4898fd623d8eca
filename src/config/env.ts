import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toBool, toInt } from './env-transforms';
import { parseSettings } from './settings';
import { SessionEnv, validateSessionEnv } from './session.env';

const TRUST_ITEM = String.raw`(loopback|linklocal|uniquelocal|[\da-fA-F.:]+(\/[\d.]+)?)`;
const TRUST_LIST = new RegExp(String.raw`^(false|\d{1,2}|${TRUST_ITEM}(\s*,\s*${TRUST_ITEM})*)$`);

/**
 * The process-wide settings: port, database, logging, the HTTP edge. Each module keeps its own
 * beside it (e.g. identity.settings.ts); the session store's are in session.env.ts.
 */
export class AppEnv {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Absent: an embedded PGlite database under PGLITE_DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  /** Opening a database connection, or waiting for a free one: then 503. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  DATABASE_CONNECT_TIMEOUT_MS = 3_000;

  /** Any one database statement (BEGIN, COMMIT included): then 503. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  DATABASE_QUERY_TIMEOUT_MS = 3_000;

  @IsOptional()
  @IsString()
  PGLITE_DATA_DIR = '.data/pglite';

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Whose X-Forwarded-For to believe: nobody (default), a hop count, or addresses / subnets. */
  @IsOptional()
  @Matches(TRUST_LIST, {
    message:
      'TRUST_PROXY must be false, a hop count, or addresses/subnets like 10.0.0.0/8,loopback',
  })
  TRUST_PROXY?: string;

  /** Comma-separated origins allowed to make credentialed CORS calls; empty: CORS off. */
  @IsOptional()
  @Matches(/^(https?:\/\/[^\s,]+)(,\s*https?:\/\/[^\s,]+)*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins',
  })
  CORS_ORIGINS?: string;

  /** The live cart WebSocket (/api/cart/live); it turns SESSION_LIVE_EVENTS on. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'LIVE_CART must be true or false' })
  LIVE_CART = true;

  /** Open live-cart sockets on one instance; beyond it the upgrade gets 503. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LIVE_CART_MAX_SOCKETS = 10_000;

  /** Open live-cart sockets of one session on one instance (tabs, devices); beyond it 429. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  LIVE_CART_MAX_SOCKETS_PER_SESSION = 8;
}

/** What ConfigService holds: the global settings and the session module's. */
export type Env = AppEnv & SessionEnv;

export function validateEnv(raw: Record<string, unknown>): Env {
  return Object.assign(parseSettings(AppEnv, raw), validateSessionEnv(raw));
}

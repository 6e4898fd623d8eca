import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { toBool, toInt, toSeconds } from './env-transforms';
import { parseSettings } from './settings';

const HOST_PORT_LIST = /^[\w.-]+:\d{1,5}(,\s*[\w.-]+:\d{1,5})*$/;

/** The session store and cookie settings (session.config.ts turns them into module options). */
export class SessionEnv {
  /** Standalone Redis for sessions, e.g. redis://127.0.0.1:6379. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Redis Cluster seed nodes: host:port,host:port,... */
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'REDIS_CLUSTER_NODES must be host:port,host:port,...' })
  REDIS_CLUSTER_NODES?: string;

  /** Redis Sentinels: host:port,host:port,...; needs REDIS_SENTINEL_NAME. */
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'REDIS_SENTINELS must be host:port,host:port,...' })
  REDIS_SENTINELS?: string;

  @ValidateIf((env: SessionEnv) => env.REDIS_SENTINELS !== undefined)
  @IsString({ message: 'REDIS_SENTINEL_NAME is required with REDIS_SENTINELS' })
  @Matches(/^[\w.-]+$/, { message: 'REDIS_SENTINEL_NAME must be a master name' })
  REDIS_SENTINEL_NAME?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(10_000)
  REDIS_COMMAND_TIMEOUT_MS = 500;

  /** Inactivity timeout: seconds, or a duration such as 30m, 2h, 1d. */
  @IsOptional()
  @Transform(toSeconds)
  @IsInt({ message: 'SESSION_TIMEOUT must be seconds or a duration like 30m, 2h, 1d' })
  @Min(10)
  @Max(90 * 24 * 3600)
  SESSION_TIMEOUT = 1_800;

  /** Inactivity timeout of a "remember me" login: seconds or a duration (default 30 days). */
  @IsOptional()
  @Transform(toSeconds)
  @IsInt({ message: 'SESSION_REMEMBER_ME_TIMEOUT must be seconds or a duration like 30d' })
  @Min(60)
  @Max(365 * 24 * 3600)
  SESSION_REMEMBER_ME_TIMEOUT = 30 * 24 * 3600;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'USE_SECURE_COOKIES must be true or false' })
  USE_SECURE_COOKIES = false;

  /** Absolute lifetime: seconds or a duration; older sessions end whatever their activity. 0: off. */
  @IsOptional()
  @Transform(toSeconds)
  @IsInt({ message: 'SESSION_MAX_LIFETIME must be seconds or a duration like 12h, 7d (0: off)' })
  @Min(0)
  @Max(365 * 24 * 3600)
  SESSION_MAX_LIFETIME = 0;

  @IsOptional()
  @Matches(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/, {
    message: "SESSION_COOKIE_NAME must be a cookie name (letters, digits, !#$%&'*+-.^_`|~)",
  })
  SESSION_COOKIE_NAME = 'BOOKSTORE_SESSION';

  /** Domain attribute of the cookie; unset: this host only. */
  @IsOptional()
  @Matches(
    /^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/,
    {
      message: 'SESSION_COOKIE_DOMAIN must be a domain name, e.g. shop.example.com',
    },
  )
  SESSION_COOKIE_DOMAIN?: string;

  @IsOptional()
  @Matches(/^\/[\x21-\x3A\x3C-\x7E]*$/, {
    message: 'SESSION_COOKIE_PATH must start with / (visible ASCII, no ;)',
  })
  SESSION_COOKIE_PATH = '/';

  @IsOptional()
  @IsIn(['Strict', 'Lax', 'None'], {
    message: 'SESSION_COOKIE_SAME_SITE must be Strict, Lax or None',
  })
  SESSION_COOKIE_SAME_SITE: 'Strict' | 'Lax' | 'None' = 'Strict';

  /** Publish session changes, rotations and ends to every instance (hooks for live channels). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'SESSION_LIVE_EVENTS must be true or false' })
  SESSION_LIVE_EVENTS = false;

  @IsOptional()
  @Matches(/^[\w:.-]{1,64}$/, { message: 'SESSION_NAMESPACE must be 1-64 of [A-Za-z0-9_:.-]' })
  SESSION_NAMESPACE = 'spring:session';

  /** How clients send the session id: the BOOKSTORE_SESSION cookie, or the X-Auth-Token header. */
  @IsOptional()
  @IsIn(['cookie', 'header'])
  SESSION_ID_RESOLVER: 'cookie' | 'header' = 'cookie';

  /** Sessions per user; the least recently used ends beyond it. 0: no limit. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SESSION_MAX_PER_USER = 0;

  /** New sessions one client address may create per minute (429 beyond). 0: no limit. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SESSION_NEW_PER_MINUTE = 300;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1_024)
  @Max(16 * 1024 * 1024)
  SESSION_MAX_BYTES = 65_536;

  /** Replicas that must acknowledge each session save (Redis WAIT). 0: don't wait. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  SESSION_DURABLE_REPLICAS = 0;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(10_000)
  SESSION_DURABLE_TIMEOUT_MS = 500;

  /** configure: CONFIG SET keyspace events for expiry; assume: already set (managed Redis); off. */
  @IsOptional()
  @IsIn(['configure', 'assume', 'off'])
  SESSION_KEYSPACE_EVENTS: 'configure' | 'assume' | 'off' = 'configure';
}

export function validateSessionEnv(raw: Record<string, unknown>): SessionEnv {
  const env = parseSettings(SessionEnv, raw);
  const modes = [env.REDIS_URL, env.REDIS_CLUSTER_NODES, env.REDIS_SENTINELS].filter(Boolean);
  if (modes.length > 1) {
    throw new Error(
      'Invalid configuration:\n  REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS are exclusive: set one',
    );
  }
  if (env.SESSION_COOKIE_SAME_SITE === 'None' && !env.USE_SECURE_COOKIES) {
    throw new Error(
      'Invalid configuration:\n  SESSION_COOKIE_SAME_SITE=None requires USE_SECURE_COOKIES=true (browsers drop SameSite=None cookies without Secure)',
    );
  }
  return env;
}

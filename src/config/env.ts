import { plainToInstance, Transform } from 'class-transformer';
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
  ValidationError,
  validateSync,
} from 'class-validator';

const HOST_PORT_LIST = /^[\w.-]+:\d{1,5}(,\s*[\w.-]+:\d{1,5})*$/;
const TRUST_ITEM = String.raw`(loopback|linklocal|uniquelocal|[\da-fA-F.:]+(\/[\d.]+)?)`;
const TRUST_LIST = new RegExp(String.raw`^(false|\d{1,2}|${TRUST_ITEM}(\s*,\s*${TRUST_ITEM})*)$`);
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

const toSeconds = ({ value }: { value: unknown }) => {
  const match = typeof value === 'string' ? /^(\d{1,9})([smhd]?)$/.exec(value.trim()) : null;
  return match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : value;
};

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** Every environment variable the app reads; validated once at start-up. */
export class Env {
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

  @ValidateIf((env: Env) => env.REDIS_SENTINELS !== undefined)
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

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'USE_SECURE_COOKIES must be true or false' })
  USE_SECURE_COOKIES = false;

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

  /** Inactivity timeout of a "remember me" login: seconds or a duration (default 30 days). */
  @IsOptional()
  @Transform(toSeconds)
  @IsInt({ message: 'SESSION_REMEMBER_ME_TIMEOUT must be seconds or a duration like 30d' })
  @Min(60)
  @Max(365 * 24 * 3600)
  SESSION_REMEMBER_ME_TIMEOUT = 30 * 24 * 3600;

  /** Seed the README's demo users; defaults to false when NODE_ENV=production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'DEMO_USERS must be true or false' })
  DEMO_USERS = process.env.NODE_ENV !== 'production';

  /** Failed logins per username, and attempts per client address, in LOGIN_ATTEMPT_WINDOW (then 429). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_ATTEMPTS_PER_USER = 5;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 30;

  @IsOptional()
  @Transform(toSeconds)
  @IsInt({ message: 'LOGIN_ATTEMPT_WINDOW must be seconds or a duration like 5m' })
  @Min(1)
  @Max(24 * 3600)
  LOGIN_ATTEMPT_WINDOW = 300;

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
}

export function validateEnv(raw: Record<string, unknown>): Env {
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = plainToInstance(Env, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false });
  const redisModes = [env.REDIS_URL, env.REDIS_CLUSTER_NODES, env.REDIS_SENTINELS].filter(Boolean);
  if (redisModes.length > 1) {
    errors.push(
      Object.assign(new ValidationError(), {
        property: 'REDIS_URL',
        constraints: {
          oneOf: 'REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS are exclusive: set one',
        },
      }),
    );
  }
  if (errors.length > 0) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return env;
}

import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { toBool, toInt, toSeconds } from '../../config/env-transforms';
import { parseSettings } from '../../config/settings';

export const IDENTITY_SETTINGS = Symbol('IDENTITY_SETTINGS');

export interface IdentitySettings {
  /** Seed the documented demo users at start-up (off in production). */
  demoUsers: boolean;
  maxAttemptsPerUser: number;
  maxAttemptsPerAddress: number;
  attemptWindowSeconds: number;
}

/** Identity's environment variables, validated at start-up. */
export class IdentityEnv {
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
}

export function identitySettings(raw: Record<string, unknown>): IdentitySettings {
  const env = parseSettings(IdentityEnv, raw);
  return {
    demoUsers: env.DEMO_USERS,
    maxAttemptsPerUser: env.LOGIN_MAX_ATTEMPTS_PER_USER,
    maxAttemptsPerAddress: env.LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
    attemptWindowSeconds: env.LOGIN_ATTEMPT_WINDOW,
  };
}

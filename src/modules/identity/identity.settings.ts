export const IDENTITY_SETTINGS = Symbol('IDENTITY_SETTINGS');

export interface IdentitySettings {
  /** Seed the documented demo users at start-up (off in production). */
  demoUsers: boolean;
  rememberMeTimeoutSeconds: number;
  maxAttemptsPerUser: number;
  maxAttemptsPerAddress: number;
  attemptWindowSeconds: number;
}

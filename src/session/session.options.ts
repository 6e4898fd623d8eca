import type { Registry } from 'prom-client';
import type { SessionStore } from './stores/session-store';

export interface SessionModuleOptions {
  store: SessionStore;
  /** Cookie carrying the id (default SESSION, as Spring Session's). */
  cookieName?: string;
  /** Where the id travels: a cookie (browsers) or a header (non-browser clients). */
  idResolver?: 'cookie' | 'header';
  /** Header name when idResolver is "header" (default X-Auth-Token). */
  headerName?: string;
  secureCookies?: boolean;
  /** Seconds of inactivity before a session expires (default 1800). */
  timeoutSeconds?: number;
  /** Inactivity timeout of a session marked `persistent` ("remember me"; default 30 days). */
  persistentTimeoutSeconds?: number;
  /** An unchanged session's expiry is refreshed at most this often (default timeout/30, ≤ 60 s). */
  touchIntervalSeconds?: number;
  /** Sessions one principal may hold; the least recently used is ended beyond it. 0: no limit. */
  maxSessionsPerPrincipal?: number;
  /** New sessions one client address may create per minute; 429 beyond it. 0: no limit. */
  maxNewSessionsPerMinute?: number;
  /** Cap on one session's serialized attributes, in bytes; 413 beyond it. */
  maxSessionBytes?: number;
  /** Compare-and-set attempts of one `update` before giving up (default 50). */
  updateAttempts?: number;
  /** prom-client registry for session metrics; none: no metrics. */
  metricsRegistry?: Registry;
}

export type ResolvedSessionOptions = Required<Omit<SessionModuleOptions, 'metricsRegistry'>> &
  Pick<SessionModuleOptions, 'metricsRegistry'>;

export function resolveOptions(o: SessionModuleOptions): ResolvedSessionOptions {
  const timeoutSeconds = o.timeoutSeconds ?? 1_800;
  return {
    store: o.store,
    cookieName: o.cookieName ?? 'SESSION',
    idResolver: o.idResolver ?? 'cookie',
    headerName: o.headerName ?? 'X-Auth-Token',
    secureCookies: o.secureCookies ?? false,
    timeoutSeconds,
    persistentTimeoutSeconds: o.persistentTimeoutSeconds ?? 30 * 24 * 3_600,
    touchIntervalSeconds: o.touchIntervalSeconds ?? Math.min(60, timeoutSeconds / 30),
    maxSessionsPerPrincipal: o.maxSessionsPerPrincipal ?? 0,
    maxNewSessionsPerMinute: o.maxNewSessionsPerMinute ?? 0,
    maxSessionBytes: o.maxSessionBytes ?? 64 * 1024,
    updateAttempts: o.updateAttempts ?? 50,
    metricsRegistry: o.metricsRegistry,
  };
}

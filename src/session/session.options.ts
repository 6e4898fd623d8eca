import type { Registry } from 'prom-client';
import type { SessionStore } from './stores/session-store';

export interface SessionModuleOptions {
  store: SessionStore;
  /** Cookie carrying the id (default SESSION, as Spring Session's). */
  cookieName?: string;
  /** The cookie's Domain attribute (default none: this host only). */
  cookieDomain?: string;
  /** The cookie's Path attribute (default /). */
  cookiePath?: string;
  /** The cookie's SameSite attribute (default Strict); None requires `secureCookies`. */
  cookieSameSite?: 'Strict' | 'Lax' | 'None';
  /** Where the id travels: a cookie (browsers) or a header (non-browser clients). */
  idResolver?: 'cookie' | 'header';
  /** Header name when idResolver is "header" (default X-Auth-Token). */
  headerName?: string;
  secureCookies?: boolean;
  /** Seconds of inactivity before a session expires (default 1800). */
  timeoutSeconds?: number;
  /** Inactivity timeout of a session marked `persistent` ("remember me"; default 30 days). */
  persistentTimeoutSeconds?: number;
  /** Absolute lifetime: older sessions are expired whatever their activity. 0: none (default). */
  maxLifetimeSeconds?: number;
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
  /**
   * Publish what happens to sessions to every instance (LiveSessions.on): one message per
   * change, rotation or end, on the store's own deployment. Off by default: it costs a publish
   * per save.
   */
  liveEvents?: boolean;
  /** prom-client registry for session metrics; none: no metrics. */
  metricsRegistry?: Registry;
}

export type ResolvedSessionOptions = Required<
  Omit<SessionModuleOptions, 'metricsRegistry' | 'cookieDomain'>
> &
  Pick<SessionModuleOptions, 'metricsRegistry' | 'cookieDomain'>;

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_DOMAIN =
  /^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const COOKIE_PATH = /^\/[\x21-\x3A\x3C-\x7E]*$/; // visible ASCII without ';'

/** Defaults applied and the cookie attributes checked: a bad one stops the app at start. */
export function resolveOptions(o: SessionModuleOptions): ResolvedSessionOptions {
  const timeoutSeconds = o.timeoutSeconds ?? 1_800;
  const cookie = {
    cookieName: o.cookieName ?? 'SESSION',
    cookieDomain: o.cookieDomain,
    cookiePath: o.cookiePath ?? '/',
    cookieSameSite: o.cookieSameSite ?? 'Strict',
  };
  checkCookie(cookie, o.secureCookies ?? false);
  return {
    store: o.store,
    ...cookie,
    idResolver: o.idResolver ?? 'cookie',
    headerName: o.headerName ?? 'X-Auth-Token',
    secureCookies: o.secureCookies ?? false,
    timeoutSeconds,
    persistentTimeoutSeconds: o.persistentTimeoutSeconds ?? 30 * 24 * 3_600,
    maxLifetimeSeconds: o.maxLifetimeSeconds ?? 0,
    liveEvents: o.liveEvents ?? false,
    touchIntervalSeconds: o.touchIntervalSeconds ?? Math.min(60, timeoutSeconds / 30),
    maxSessionsPerPrincipal: o.maxSessionsPerPrincipal ?? 0,
    maxNewSessionsPerMinute: o.maxNewSessionsPerMinute ?? 0,
    maxSessionBytes: o.maxSessionBytes ?? 64 * 1024,
    updateAttempts: o.updateAttempts ?? 50,
    metricsRegistry: o.metricsRegistry,
  };
}

function checkCookie(
  c: Pick<ResolvedSessionOptions, 'cookieName' | 'cookiePath' | 'cookieSameSite' | 'cookieDomain'>,
  secure: boolean,
): void {
  const problems = [
    !COOKIE_NAME.test(c.cookieName) && `cookieName '${c.cookieName}' is not a cookie name`,
    c.cookieDomain !== undefined &&
      !COOKIE_DOMAIN.test(c.cookieDomain) &&
      `cookieDomain '${c.cookieDomain}' is not a domain`,
    !COOKIE_PATH.test(c.cookiePath) && `cookiePath '${c.cookiePath}' is not a path`,
    !['Strict', 'Lax', 'None'].includes(c.cookieSameSite) &&
      `cookieSameSite must be Strict, Lax or None`,
    c.cookieSameSite === 'None' && !secure && `cookieSameSite 'None' requires secureCookies`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`Session options: ${problems.join('; ')}`);
}

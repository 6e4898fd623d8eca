/** What the rule reads from a request (header values as received; absent: undefined). */
export interface CrossOriginRequest {
  method: string;
  /** The Host header: host and port, as the client (or nginx's `$http_host`) sent it. */
  host?: string;
  origin?: string;
  secFetchSite?: string;
  /**
   * A WebSocket handshake: a GET, but it opens a channel that acts with the session, so it is
   * checked as an unsafe request and, since every browser sends Origin with it, one without
   * Origin is refused.
   */
  upgrade?: boolean;
}

export interface CrossOriginPolicy {
  /** Origins (`scheme://host[:port]`, exact) trusted to act with the session: CORS_ORIGINS. */
  trustedOrigins: ReadonlySet<string>;
  /**
   * Where the session id travels. A browser attaches a cookie to cross-site requests by
   * itself, but never a custom header: header mode (X-Auth-Token) cannot be forged this way.
   */
  sessionIdIn: 'cookie' | 'header';
}

export type CrossOriginVerdict =
  { allowed: true; reason: AllowReason } | { allowed: false; reason: RefuseReason };

type AllowReason =
  | 'safe method'
  | 'session id in a header'
  | 'same origin (Sec-Fetch-Site)'
  | 'trusted origin'
  | 'no Origin (not a browser)'
  | 'Origin matches Host';
type RefuseReason = 'cross-site (Sec-Fetch-Site)' | 'Origin does not match Host' | 'no Origin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const allow = (reason: AllowReason): CrossOriginVerdict => ({ allowed: true, reason });
const refuse = (reason: RefuseReason): CrossOriginVerdict => ({ allowed: false, reason });

/**
 * Go 1.25 `http.CrossOriginProtection`'s rule, without tokens: the browser says where a request
 * comes from (Fetch Metadata, else Origin). Safe methods pass; `Sec-Fetch-Site: same-origin` or
 * `none` (typed URL, bookmark) passes, any other value only from a trusted origin; without it
 * (older browsers, non-browser clients) no Origin passes, otherwise Origin's host must equal
 * Host or the origin be trusted (`Origin: null` never is). HTTP → HTTPS on one host passes,
 * as in Go: HSTS covers that.
 */
export function checkCrossOrigin(
  req: CrossOriginRequest,
  policy: CrossOriginPolicy,
): CrossOriginVerdict {
  if (policy.sessionIdIn === 'header') return allow('session id in a header');
  // An empty header is no header, as in Go (Header.Get).
  const origin = req.origin || undefined;
  const site = req.secFetchSite || undefined;
  if (req.upgrade && origin === undefined) return refuse('no Origin');
  if (!req.upgrade && SAFE_METHODS.has(req.method)) return allow('safe method');
  const trusted = origin !== undefined && policy.trustedOrigins.has(origin);
  if (site !== undefined) {
    if (site === 'same-origin' || site === 'none') return allow('same origin (Sec-Fetch-Site)');
    return trusted ? allow('trusted origin') : refuse('cross-site (Sec-Fetch-Site)');
  }
  if (origin === undefined) return allow('no Origin (not a browser)');
  if (req.host && hostOf(origin) === req.host.toLowerCase()) return allow('Origin matches Host');
  return trusted ? allow('trusted origin') : refuse('Origin does not match Host');
}

/** `host[:port]` of a serialized origin; undefined for `null` or anything unparsable. */
function hostOf(origin: string): string | undefined {
  if (!URL.canParse(origin)) return undefined;
  const { host, protocol } = new URL(origin);
  return protocol === 'http:' || protocol === 'https:' ? host : undefined;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { isWellFormedSessionId } from './session-id';
import { ttlSeconds } from './session-lifetime';
import type { SessionState } from './session-state';
import type { ResolvedSessionOptions } from './session.options';

const CLEARED = 'Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';

/** Where the id travels: read from the request's cookie or header, written back on the response. */
export class SessionIdTransport {
  private readonly headerName: string;
  private readonly flags: string;

  constructor(private readonly options: ResolvedSessionOptions) {
    this.headerName = options.headerName.toLowerCase();
    const { cookieDomain, cookiePath, cookieSameSite, secureCookies } = options;
    const domain = cookieDomain ? `; Domain=${cookieDomain}` : '';
    // The clearing cookie carries the same attributes, or the browser would keep the id.
    this.flags = `; Path=${cookiePath}${domain}; HttpOnly; SameSite=${cookieSameSite}${secureCookies ? '; Secure' : ''}`;
  }

  /** The id the client sent, if well formed; anything else means no session, without a store call. */
  read(req: IncomingMessage): string | undefined {
    const raw =
      this.options.idResolver === 'header'
        ? req.headers[this.headerName]
        : readCookie(req.headers.cookie, this.options.cookieName);
    return isWellFormedSessionId(raw) ? raw : undefined;
  }

  /** Set-Cookie (or the header) only when the id is new or changed, or to clear it. */
  write(res: ServerResponse, state: SessionState): void {
    const { id, changed, ended, persistent } = state;
    if (id && changed) {
      const maxAge = ttlSeconds(state.record, this.options.maxLifetimeSeconds);
      this.send(res, id, persistent ? `; Max-Age=${maxAge}` : '');
    } else if (!id && ended) {
      this.send(res, '', `; ${CLEARED}`);
    }
  }

  private send(res: ServerResponse, id: string, expiry: string): void {
    const o = this.options;
    if (o.idResolver === 'header') return void res.setHeader(o.headerName, id);
    const cookie = `${o.cookieName}=${id}${this.flags}${expiry}`;
    const previous = res.getHeader('Set-Cookie');
    res.setHeader(
      'Set-Cookie',
      previous === undefined ? cookie : [previous, cookie].flat().map(String),
    );
  }
}

/** The value of one cookie, without splitting the header into an array; ids need no decoding. */
function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (let from = 0; from < header.length;) {
    const semicolon = header.indexOf(';', from);
    const end = semicolon < 0 ? header.length : semicolon;
    const eq = header.indexOf('=', from);
    if (eq > from && eq < end && header.slice(from, eq).trim() === name) {
      return header.slice(eq + 1, end).trim();
    }
    from = end + 1;
  }
  return undefined;
}

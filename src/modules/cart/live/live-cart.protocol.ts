/** Application close codes of the live cart socket (4000–4999 are the application's). */
export const LIVE_CLOSE = {
  /** The session's id changed (login): reconnect at once, the browser has the new cookie. */
  reconnect: 4001,
  /** Logout, revocation, expiry: the socket is not coming back with this session. */
  sessionEnded: 4401,
  /** More sockets of this session than allowed (tabs beyond the bound): do not retry soon. */
  tooMany: 4429,
} as const;

const WELL_FORMED_ID = /^[\w-]{43}$/;

/** The session id from a Cookie header (first one wins); a malformed one is none, no store call. */
export function sessionIdFromCookie(
  cookieHeader: string | undefined,
  cookieName: string,
): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === cookieName) {
      const id = part.slice(eq + 1).trim();
      return WELL_FORMED_ID.test(id) ? id : undefined;
    }
  }
  return undefined;
}

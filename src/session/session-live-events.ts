import { createHash } from 'node:crypto';

export type SessionEndReason = 'logout' | 'revoked' | 'expired' | 'evicted';

/**
 * What happened to a session, on any instance. `session` (and `to`) are references, not ids:
 * `LiveSessions.ref(id)`, a hash, so that no session id travels on the wire.
 */
export type LiveSessionEvent =
  | { type: 'changed'; session: string; attributes: string[] }
  | { type: 'rotated'; session: string; to: string }
  | { type: 'ended'; session: string; reason: SessionEndReason };

/** A session's reference: SHA-256 of its id, base64url (the id cannot be found from it). */
export const sessionRef = (id: string): string =>
  createHash('sha256').update(id).digest('base64url');

/** The wire form; anything else on the channel is ignored. */
export function decodeEvent(message: string): LiveSessionEvent | undefined {
  try {
    const e = JSON.parse(message) as Partial<LiveSessionEvent>;
    if (typeof e.session !== 'string') return undefined;
    if (e.type === 'changed' && Array.isArray(e.attributes)) return e as LiveSessionEvent;
    if (e.type === 'rotated' && typeof e.to === 'string') return e as LiveSessionEvent;
    if (e.type === 'ended' && typeof e.reason === 'string') return e as LiveSessionEvent;
  } catch {
    // not ours
  }
  return undefined;
}

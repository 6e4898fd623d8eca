import type { SessionRecord } from './stores/session-store';

/** The session is older than its absolute lifetime (0: none), whatever its activity. */
export function outlived(record: SessionRecord, maxLifetimeSeconds: number, now = Date.now()) {
  return maxLifetimeSeconds > 0 && now - record.creationTime >= maxLifetimeSeconds * 1_000;
}

/** How long a session written now lives: its inactivity timeout, never past its lifetime. */
export function ttlSeconds(record: SessionRecord, maxLifetimeSeconds: number, now = Date.now()) {
  if (maxLifetimeSeconds <= 0) return record.maxInactiveInterval;
  const left = Math.ceil((record.creationTime + maxLifetimeSeconds * 1_000 - now) / 1_000);
  return Math.max(1, Math.min(record.maxInactiveInterval, left));
}

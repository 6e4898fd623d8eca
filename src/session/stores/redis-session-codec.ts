import { SessionRecord, SessionWrite, WriteResult } from './session-store';

const ATTR = 'sessionAttr:';
/** Marks an absent attribute (expected or current) and a removal: no JSON text is "\0". */
const ABSENT = '\0';

/** A positive integer as Redis holds one, else NaN. */
const count = (text: string | undefined) =>
  text && /^[1-9]\d{0,15}$/.test(text) ? Number(text) : NaN;

/**
 * The HGETALL reply as a record, or null for a missing, half-expired or malformed session:
 * without trustworthy times a session cannot be expired or saved, so it is no session.
 */
export function decodeSession(hash: Record<string, string>): SessionRecord | null {
  const creationTime = count(hash.creationTime);
  const lastAccessedTime = count(hash.lastAccessedTime);
  const maxInactiveInterval = count(hash.maxInactiveInterval);
  if (!(creationTime && lastAccessedTime && maxInactiveInterval)) return null;
  const attributes = new Map<string, string>();
  for (const field in hash) {
    if (field.startsWith(ATTR)) attributes.set(field.slice(ATTR.length), hash[field]);
  }
  return { creationTime, lastAccessedTime, maxInactiveInterval, attributes };
}

/** The write script's ARGV (see WRITE_SESSION): one flat array, built in one pass. */
export function encodeWrite(change: SessionWrite): (string | number)[] {
  const { expect } = change;
  const args: (string | number)[] = [
    change.lastAccessedTime,
    change.maxInactiveInterval,
    change.create ? change.create.creationTime : '',
    expect ? ATTR + expect.name : '',
    expect?.json ?? ABSENT,
    change.ttlSeconds ?? change.maxInactiveInterval,
  ];
  for (const [name, json] of change.changes) args.push(ATTR + name, json ?? ABSENT);
  return args;
}

/** Shared, frozen results: the common replies allocate nothing. */
const STATUS: Record<string, WriteResult> = {
  ok: Object.freeze({ status: 'ok' }),
  gone: Object.freeze({ status: 'gone' }),
  exists: Object.freeze({ status: 'exists' }),
};

export function decodeWriteReply(reply: string | [string, string]): WriteResult {
  if (typeof reply === 'string') return STATUS[reply];
  return { status: 'conflict', current: reply[1] === ABSENT ? null : reply[1] };
}

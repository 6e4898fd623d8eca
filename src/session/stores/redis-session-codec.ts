import { SessionRecord, SessionWrite, WriteResult } from './session-store';

const ATTR = 'sessionAttr:';
/** Marks an absent attribute (expected or current) and a removal: no JSON text is "\0". */
const ABSENT = '\0';

/** The HGETALL reply as a record, or null for a missing (or half-expired) session. */
export function decodeSession(hash: Record<string, string>): SessionRecord | null {
  if (!hash.lastAccessedTime) return null;
  const attributes = new Map<string, string>();
  for (const field in hash) {
    if (field.startsWith(ATTR)) attributes.set(field.slice(ATTR.length), hash[field]);
  }
  return {
    creationTime: Number(hash.creationTime),
    lastAccessedTime: Number(hash.lastAccessedTime),
    maxInactiveInterval: Number(hash.maxInactiveInterval),
    attributes,
  };
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

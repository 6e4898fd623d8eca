import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { BodyRejected } from './body-rejected';

/** Deeper than any DTO (two levels); far below what recursion in validation can take. */
export const MAX_JSON_DEPTH = 32;
const BODY_LIMIT = '1mb';
export const INVALID_TEXT = 'Request body contains invalid text (NUL or malformed Unicode)';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/** Text a database column can hold: no NUL, no unpaired surrogate. */
export function isCleanText(s: string): boolean {
  return !s.includes('\0') && (s as string & { isWellFormed(): boolean }).isWellFormed();
}

/**
 * One pass over the raw bytes, before JSON.parse builds anything: nesting beyond
 * MAX_JSON_DEPTH, bytes that are not UTF-8 and raw NULs are refused here.
 */
function verify(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf) || buf.includes(0)) throw new BodyRejected(INVALID_TEXT);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPENERS.has(c) && ++depth > MAX_JSON_DEPTH) {
      throw new BodyRejected(`Request body nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (CLOSERS.has(c)) depth--;
  }
}

/**
 * Runs on every key and value JSON.parse produces. Escaped NULs and lone surrogates
 * ("\u0000", "\ud800") only exist after parsing; keys named like Object.prototype
 * members (constructor, __proto__, toString...) are unknown fields that class-transformer
 * would drop silently, so they are refused as unknown here.
 */
function reviver(key: string, value: unknown): unknown {
  if (!isCleanText(key) || (typeof value === 'string' && !isCleanText(value))) {
    throw new BodyRejected(INVALID_TEXT);
  }
  if (key in Object.prototype) throw new BodyRejected(`property ${key} should not exist`);
  return value;
}

/** body-parser's JSON options: the size limit plus the depth and text checks above. */
export const jsonBodyOptions = { limit: BODY_LIMIT, verify, reviver };

import { randomBytes } from 'node:crypto';

const ID_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** 32 bytes from the CSPRNG, base64url: 43 characters, 256 bits. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** Anything else is ignored without asking the store. */
export function isWellFormedSessionId(value: unknown): value is string {
  return typeof value === 'string' && ID_FORMAT.test(value);
}

import { SessionStoreUnavailableException } from './session.errors';
import { SessionStoreError } from './stores/session-store';

/**
 * The one translation of store failures for HTTP: wherever an error leaves the module (guard,
 * reply hook, a handler's session call, the public services), a store failure is a 503.
 */
export function rethrowForHttp(err: unknown): never {
  throw err instanceof SessionStoreError ? new SessionStoreUnavailableException() : err;
}

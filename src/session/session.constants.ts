/** The module's resolved options (ResolvedSessionOptions). */
export const SESSION_OPTIONS = Symbol('session:options');
/** The SessionStore every service uses; with a metrics registry, the metered wrapper of it. */
export const SESSION_STORE = Symbol('session:store');
/** The store's RateCounter, or null when the store has none. */
export const SESSION_RATE_COUNTER = Symbol('session:rate-counter');
/** Where the guard leaves the request's session state. */
export const REQUEST_SESSION = Symbol('session:request');
/** Set by the guard, taken by the reply hook: the session still has to be saved. */
export const UNSAVED_SESSION = Symbol('session:unsaved');
/** Method metadata: 'required' or 'optional', set by @Session(). */
export const USES_SESSION = 'session:uses';

export type SessionUse = 'required' | 'optional';

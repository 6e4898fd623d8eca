export const SESSION_OPTIONS = Symbol('bookstore:session:options');
/** Method metadata: the handler takes a @Session() parameter, so the guard loads one. */
export const USES_SESSION = 'bookstore:session:uses';
/** Where the guard leaves the request's HttpSession. */
export const REQUEST_SESSION = Symbol('bookstore:session:request');
/** Set by the guard, taken by the reply hook: the session still has to be saved ('required' | 'optional'). */
export const UNSAVED_SESSION = Symbol('bookstore:session:unsaved');

export type SessionUse = 'required' | 'optional';

/** The principal (user name) attribute, used by the principal index. */
export const PRINCIPAL_ATTRIBUTE = 'principalName';

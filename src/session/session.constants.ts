export const SESSION_OPTIONS = Symbol('bookstore:session:options');
/** Method metadata: the handler takes a @Session() parameter, so the interceptor loads one. */
export const USES_SESSION = 'bookstore:session:uses';
/** Where the interceptor leaves the request's Session. */
export const REQUEST_SESSION = Symbol('bookstore:session:request');

/**
 * A request body refused before validation (too deep, invalid text, a prototype-named
 * key): always a 400 with this message. body-parser strips an error's own properties
 * but keeps its class, so the exception filter recognises it by `instanceof`.
 */
export class BodyRejected extends Error {
  readonly status = 400;
}

/**
 * A session's id during one request, and what the response must say about it: the new id
 * (created or rotated), or that the one the client sent has ended.
 */
export class SessionIdentity {
  /** The id changed during this request: the response carries it. */
  changed = false;
  /** The session this request came with ended: the response clears the id. */
  ended = false;
  /** Request-local: the id is next sent with Max-Age = maxInactiveInterval ("remember me"). */
  persistent = false;

  constructor(public id: string | undefined) {}

  movedTo(id: string): void {
    this.id = id;
    this.changed = true;
  }

  forget(ended: boolean): void {
    this.ended ||= ended;
    this.id = undefined;
    this.changed = false;
  }
}

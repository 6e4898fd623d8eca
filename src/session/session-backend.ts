import type { HttpSession } from './http-session';

/** What a session does to the store at once; implemented by SessionManager. */
export interface SessionBackend {
  update(session: HttpSession, name: string, fn: (current: unknown) => unknown): Promise<unknown>;
  invalidate(session: HttpSession): Promise<void>;
  changeId(session: HttpSession): Promise<string | undefined>;
}

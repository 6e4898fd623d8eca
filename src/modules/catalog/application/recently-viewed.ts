import { Injectable } from '@nestjs/common';
import type { HttpSession } from '../../../session';

export const RECENTLY_VIEWED_ATTRIBUTE = 'recentlyViewed';
export const RECENTLY_VIEWED_MAX = 50;

/** Product codes a visitor looked at, newest first; only for visitors who already have a session. */
@Injectable()
export class RecentlyViewed {
  list(session: HttpSession): readonly string[] {
    return session.get<string[]>(RECENTLY_VIEWED_ATTRIBUTE) ?? [];
  }

  /**
   * An atomic update of the attribute, like the cart's, so parallel views in one session are
   * all recorded. Best effort: a product page never fails for it, and viewing never creates a
   * session.
   */
  async record(session: HttpSession, code: string): Promise<void> {
    if (!session.id || this.list(session)[0] === code) return;
    try {
      await session.update<string[]>(RECENTLY_VIEWED_ATTRIBUTE, (current) =>
        // Gone meanwhile, the id is forgotten: a value here would start a new session.
        session.id
          ? [code, ...(current ?? []).filter((c) => c !== code)].slice(0, RECENTLY_VIEWED_MAX)
          : undefined,
      );
    } catch {
      // Store down or too much contention: the view is dropped (update unstaged it).
    }
  }
}

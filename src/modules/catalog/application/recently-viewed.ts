import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { HttpSession, sessionAttribute } from '../../../session';

export const RECENTLY_VIEWED_MAX = 50;

/** Product codes, newest first; a stored list that is not one is dropped (the list resets). */
const RECENTLY_VIEWED = sessionAttribute<string[]>(
  'recentlyViewed',
  z.array(z.string().min(1).max(64)).max(RECENTLY_VIEWED_MAX),
);

/** Product codes a visitor looked at, newest first; only for visitors who already have a session. */
@Injectable()
export class RecentlyViewed {
  list(session: HttpSession): readonly string[] {
    return session.read(RECENTLY_VIEWED) ?? [];
  }

  /**
   * An atomic update of the attribute, like the cart's, so parallel views in one session are
   * all recorded. Best effort: a product page never fails for it, and viewing never creates a
   * session.
   */
  async record(session: HttpSession, code: string): Promise<void> {
    if (!session.id || this.list(session)[0] === code) return;
    try {
      await session.update(RECENTLY_VIEWED, (current) =>
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

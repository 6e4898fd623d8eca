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
   * Viewing never creates a session. An atomic update of the attribute, like the cart's,
   * so parallel views in one session are all recorded.
   */
  async record(session: HttpSession, code: string): Promise<void> {
    if (!session.id || this.list(session)[0] === code) return;
    await session.update<string[]>(RECENTLY_VIEWED_ATTRIBUTE, (current = []) =>
      [code, ...current.filter((c) => c !== code)].slice(0, RECENTLY_VIEWED_MAX),
    );
  }
}

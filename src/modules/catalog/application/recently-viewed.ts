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

  /** Viewing never creates a session; a blind write is enough for a convenience list. */
  record(session: HttpSession, code: string): void {
    if (!session.id) return;
    const current = this.list(session);
    if (current[0] === code) return;
    const next = [code, ...current.filter((c) => c !== code)].slice(0, RECENTLY_VIEWED_MAX);
    session.set(RECENTLY_VIEWED_ATTRIBUTE, next);
  }
}

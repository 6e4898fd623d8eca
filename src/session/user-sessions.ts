import { Inject, Injectable } from '@nestjs/common';
import type { HttpSession } from './http-session';
import { decodeAttribute, DEVICE } from './session-attribute';
import { SESSION_STORE } from './session.constants';
import { SessionEvents } from './session.events';
import { SessionPrincipals } from './session.principals';
import { rethrowForHttp } from './session-store-failure';
import type { SessionRecord, SessionStore } from './stores/session-store';

/** One of a user's sessions, as its owner may see it: never its id. */
export interface SessionSummary {
  /** Random, stored in the session at login: what `revoke` takes. */
  handle: string;
  createdAt: string;
  lastSeenAt: string;
  /** As recorded at login. */
  userAgent: string;
  address: string;
  /** The session asking. */
  current: boolean;
}

/** "My sessions": the logged-in caller's sessions, listed and ended one by one, by handle. */
@Injectable()
export class UserSessions {
  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly principals: SessionPrincipals,
    private readonly events: SessionEvents,
  ) {}

  /** The sessions of `session`'s principal (none when anonymous), newest first. */
  async list(session: HttpSession): Promise<SessionSummary[]> {
    const principal = session.principal;
    if (!principal) return [];
    this.events.emit('listed', principal);
    const found = await this.sessionsOf(principal);
    return found
      .map(({ id, record, handle, device }) => ({
        handle,
        createdAt: new Date(record.creationTime).toISOString(),
        lastSeenAt: new Date(record.lastAccessedTime).toISOString(),
        userAgent: device.userAgent,
        address: device.address,
        current: id === session.id,
      }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * Ends the caller's session with that handle: the caller's own is invalidated (as a logout),
   * another one revoked. False when the caller has none with that handle.
   */
  async revoke(session: HttpSession, handle: string): Promise<boolean> {
    const principal = session.principal;
    if (!principal) return false;
    const match = (await this.sessionsOf(principal)).find((s) => s.handle === handle);
    if (!match) return false;
    if (match.id === session.id) await session.invalidate();
    else await this.principals.end(match.id);
    this.events.emit('revoked', match.id);
    return true;
  }

  private async sessionsOf(principal: string) {
    const ids = await this.principals.find(principal);
    const records = await Promise.all(ids.map((id) => this.store.load(id))).catch(rethrowForHttp);
    return ids.flatMap((id, i) => {
      const record: SessionRecord | null = records[i];
      const json = record?.attributes.get(DEVICE.name);
      const device = json ? decodeAttribute(DEVICE, json) : undefined;
      // Sessions from before devices were recorded have no handle: listed once they log in again.
      return record && device?.ok
        ? [{ id, record, handle: device.value.handle, device: device.value }]
        : [];
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { PRINCIPAL } from './session-attribute';
import { decodeAttribute } from './session-attribute';
import { SESSION_OPTIONS, SESSION_STORE } from './session.constants';
import { SessionEventPublisher } from './session-event-publisher';
import { SessionEvents } from './session.events';
import type { SessionEndReason } from './session-live-events';
import type { SessionState } from './session-state';
import { rethrowForHttp } from './session-store-failure';
import type { ResolvedSessionOptions } from './session.options';
import { hasPrincipalIndex, PrincipalIndex, SessionStore } from './stores/session-store';

const principalOf = (json: string | null | undefined) => {
  const checked = json ? decodeAttribute(PRINCIPAL, json) : undefined;
  return checked?.ok ? checked.value : undefined;
};

/**
 * Sessions by principal (user name), on every instance: "log out everywhere" and the
 * per-principal limit. The only writer of the principal index, and the one place a session
 * ends (deleted, unindexed, the `deleted` event).
 */
@Injectable()
export class SessionPrincipals {
  private readonly index?: PrincipalIndex;

  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly events: SessionEvents,
    private readonly publisher: SessionEventPublisher,
  ) {
    if (hasPrincipalIndex(options.store)) this.index = store as SessionStore & PrincipalIndex;
    else if (options.maxSessionsPerPrincipal > 0) {
      throw new Error(
        `maxSessionsPerPrincipal needs a store with a principal index (${store.kind})`,
      );
    }
  }

  /** Ids of a principal's live sessions; stale ids are pruned on the way. */
  find(principal: string): Promise<string[]> {
    if (!this.index) return Promise.resolve([]);
    return this.index.findByPrincipal(principal).catch(rethrowForHttp);
  }

  /** Ends one session by id, wherever it is used. */
  async end(id: string): Promise<void> {
    const record = await this.store.load(id).catch(rethrowForHttp);
    const principal = principalOf(record?.attributes.get(PRINCIPAL.name));
    await this.ended(id, principal, 'revoked').catch(rethrowForHttp);
  }

  /** After a save: `change` is what it did to the principal attribute (undefined: nothing). */
  async saved(state: SessionState, change: string | null | undefined): Promise<void> {
    const principal = principalOf(change);
    if (principal && state.id)
      await this.add(principal, state.id, state.record.maxInactiveInterval);
  }

  /** After a rotation from `oldId`: the index follows the session to its new id. */
  async rotated(state: SessionState, oldId: string, wasIndexed: boolean): Promise<void> {
    const principal = state.read(PRINCIPAL);
    if (!principal || !state.id || !this.index) return;
    if (wasIndexed) await this.index.unindex(principal, oldId);
    await this.add(principal, state.id, state.record.maxInactiveInterval);
  }

  /** Deletes a session and its index entry; every instance hears why it ended. */
  async ended(id: string, principal: string | undefined, reason: SessionEndReason): Promise<void> {
    const deleted = await this.store.delete(id);
    if (principal && this.index) await this.index.unindex(principal, id);
    if (!deleted) return;
    this.events.emit('deleted', id);
    await this.publisher.ended(id, reason);
  }

  private async add(principal: string, id: string, ttlSeconds: number): Promise<void> {
    if (!this.index) return;
    await this.index.index(principal, id, ttlSeconds);
    await this.enforceLimit(this.index, principal, id);
  }

  /** Ends the least recently used other sessions of a principal beyond the limit. */
  private async enforceLimit(index: PrincipalIndex, principal: string, keepId: string) {
    const limit = this.options.maxSessionsPerPrincipal;
    if (limit <= 0) return;
    const ids = (await index.findByPrincipal(principal)).filter((id) => id !== keepId);
    const excess = ids.length + 1 - limit;
    if (excess <= 0) return;
    const records = await Promise.all(ids.map((id) => this.store.load(id)));
    const byAge = ids
      .map((id, i) => ({ id, lastAccessed: records[i]?.lastAccessedTime ?? 0 }))
      .sort((a, b) => a.lastAccessed - b.lastAccessed);
    for (const { id } of byAge.slice(0, excess)) await this.ended(id, principal, 'evicted');
  }
}

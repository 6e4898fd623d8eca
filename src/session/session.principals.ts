import { Inject, Injectable } from '@nestjs/common';
import { PRINCIPAL_ATTRIBUTE, SESSION_OPTIONS } from './session.constants';
import { SessionEvents } from './session.events';
import { toHttpError } from './session-store-failure';
import { ResolvedSessionOptions } from './session.options';
import { SessionStore } from './stores/session-store';

/**
 * Sessions by principal (user name), on every instance: the index behind "log out
 * everywhere" and the per-principal session limit.
 */
@Injectable()
export class SessionPrincipals {
  private readonly store: SessionStore;

  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly events: SessionEvents,
  ) {
    this.store = options.store;
  }

  /** Ids of a principal's live sessions; stale ids are pruned on the way. */
  find(principal: string): Promise<string[]> {
    return this.store.findByPrincipal(principal).catch(toHttpError);
  }

  /** Ends one session by id, wherever it is used. */
  async end(id: string): Promise<void> {
    const record = await this.store.load(id).catch(toHttpError);
    const principal = record?.attributes.get(PRINCIPAL_ATTRIBUTE);
    await this.destroy(id, principal ? (JSON.parse(principal) as string) : undefined).catch(
      toHttpError,
    );
  }

  /** Indexes a session under its principal, then applies the per-principal limit. */
  async add(principal: string, id: string, ttlSeconds: number, replacing?: string): Promise<void> {
    if (replacing) await this.store.unindex(principal, replacing);
    await this.store.index(principal, id, ttlSeconds);
    await this.enforceLimit(principal, id);
  }

  async destroy(id: string, principal: string | undefined): Promise<void> {
    if (await this.store.delete(id)) this.events.emit('deleted', id);
    if (principal) await this.store.unindex(principal, id);
  }

  /** Ends the least recently used other sessions of a principal beyond the limit. */
  private async enforceLimit(principal: string, keepId: string): Promise<void> {
    const limit = this.options.maxSessionsPerPrincipal;
    if (limit <= 0) return;
    const ids = (await this.store.findByPrincipal(principal)).filter((id) => id !== keepId);
    const excess = ids.length + 1 - limit;
    if (excess <= 0) return;
    const records = await Promise.all(ids.map((id) => this.store.load(id)));
    const byAge = ids
      .map((id, i) => ({ id, lastAccessed: records[i]?.lastAccessedTime ?? 0 }))
      .sort((a, b) => a.lastAccessed - b.lastAccessed);
    for (const { id } of byAge.slice(0, excess)) await this.destroy(id, principal);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { SESSION_STORE } from './session.constants';
import type { SessionStore } from './stores/session-store';

/** For readiness checks: which store, and whether it answers (rejects with SessionStoreError). */
@Injectable()
export class SessionStoreHealth {
  constructor(@Inject(SESSION_STORE) private readonly store: SessionStore) {}

  get kind(): string {
    return this.store.kind;
  }

  ping(): Promise<void> {
    return this.store.ping();
  }
}

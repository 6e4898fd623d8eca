import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { SESSION_STORE } from './session.constants';
import { SessionEvents } from './session.events';
import type { SessionStore } from './stores/session-store';

const STARTUP_WAIT_MS = 5_000;

/** The store's life with the app's: expiry events relayed, connected before serving, closed last. */
@Injectable()
export class SessionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    events: SessionEvents,
  ) {
    store.onExpired((id) => events.emit('expired', id));
  }

  /** Serve only once connected, unless the store stays away: then 503 until it comes back. */
  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.store.ready(STARTUP_WAIT_MS))) {
      new Logger('Session').warn(`Session store (${this.store.kind}) not reachable yet`);
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}

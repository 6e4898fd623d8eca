import { Global, Module, Provider } from '@nestjs/common';
import { SessionActions } from './session-actions';
import { SESSION_OPTIONS, SESSION_RATE_COUNTER, SESSION_STORE } from './session.constants';
import { SessionCreator } from './session-creator';
import { SessionEvents } from './session.events';
import { SessionEventPublisher } from './session-event-publisher';
import { LiveSessions } from './live-sessions';
import { UserSessions } from './user-sessions';
import { SessionGuard } from './session.guard';
import { SessionLifecycle } from './session-lifecycle';
import { SessionLoader } from './session-loader';
import { SESSION_MODULE_OPTIONS, SessionModuleBase } from './session.module-definition';
import { resolveOptions, ResolvedSessionOptions, SessionModuleOptions } from './session.options';
import { SessionPrincipals } from './session.principals';
import { SessionReplyHook } from './session-reply.hook';
import { SessionRotation } from './session-rotation';
import { SessionSaver } from './session-saver';
import { rethrowForHttp } from './session-store-failure';
import { SessionStoreHealth } from './session-store.health';
import { hasRateCounter, RateCounter, SessionStore } from './stores/session-store';

const providers: Provider[] = [
  {
    provide: SESSION_OPTIONS,
    inject: [SESSION_MODULE_OPTIONS],
    useFactory: (options: SessionModuleOptions) => resolveOptions(options),
  },
  {
    provide: SESSION_STORE,
    inject: [SESSION_OPTIONS, SessionEvents],
    useFactory: async (
      { store, metricsRegistry }: ResolvedSessionOptions,
      events: SessionEvents,
    ) => {
      if (!metricsRegistry) return store;
      // Loaded only here: prom-client is needed only by apps that want metrics.
      const metrics = await import('./metered-session.store');
      metrics.countSessionEvents(events, metricsRegistry);
      return new metrics.MeteredSessionStore(store, metricsRegistry);
    },
  },
  {
    // Store failures reach the caller (e.g. a login throttle) as a 503.
    provide: SESSION_RATE_COUNTER,
    inject: [SESSION_OPTIONS, SESSION_STORE],
    useFactory: (options: ResolvedSessionOptions, store: SessionStore): RateCounter | null => {
      if (!hasRateCounter(options.store)) return null;
      const counter = store as SessionStore & RateCounter;
      return { hit: (...args) => counter.hit(...args).catch(rethrowForHttp) };
    },
  },
  SessionEvents,
  SessionEventPublisher,
  LiveSessions,
  UserSessions,
  SessionLifecycle,
  SessionStoreHealth,
  SessionCreator,
  SessionPrincipals,
  SessionSaver,
  SessionRotation,
  SessionActions,
  SessionLoader,
  SessionGuard,
  SessionReplyHook,
];

/**
 * HTTP sessions in a pluggable store: @Session() binds the SessionGuard (load) to the handlers
 * that take a session; the SessionReplyHook saves before the response is written.
 * `SessionModule.forRoot({ store })` or `forRootAsync({ useFactory, inject })`.
 */
@Global()
@Module({
  providers,
  // Nest builds the guard @Session() binds in each module that uses it, from these.
  exports: [
    SessionLoader,
    SESSION_OPTIONS,
    SessionPrincipals,
    SessionEvents,
    SessionStoreHealth,
    LiveSessions,
    UserSessions,
    SESSION_RATE_COUNTER,
  ],
})
export class SessionModule extends SessionModuleBase {}

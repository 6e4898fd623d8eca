import { Global, Module } from '@nestjs/common';
import { SESSION_OPTIONS } from './session.constants';
import { SessionEvents } from './session.events';
import { SessionGuard } from './session.guard';
import { SessionManager } from './session.manager';
import { SessionPrincipals } from './session.principals';
import { SessionReplyHook } from './session-reply.hook';
import { countSessionEvents, instrumentStore } from './session.metrics';
import { SESSION_MODULE_OPTIONS, SessionModuleBase } from './session.module-definition';
import { resolveOptions, SessionModuleOptions } from './session.options';

/**
 * HTTP sessions in a pluggable store: @Session() binds the SessionGuard (load) to the handlers
 * that take a session; the SessionReplyHook saves before the response is written.
 * `SessionModule.forRoot({ store })` or `forRootAsync({ useFactory, inject })`.
 */
@Global()
@Module({
  providers: [
    SessionEvents,
    {
      provide: SESSION_OPTIONS,
      inject: [SESSION_MODULE_OPTIONS, SessionEvents],
      useFactory: (options: SessionModuleOptions, events: SessionEvents) => {
        const resolved = resolveOptions(options);
        if (!resolved.metricsRegistry) return resolved;
        countSessionEvents(events, resolved.metricsRegistry);
        return { ...resolved, store: instrumentStore(resolved.store, resolved.metricsRegistry) };
      },
    },
    SessionManager,
    SessionPrincipals,
    SessionGuard,
    SessionReplyHook,
  ],
  // Exported so the guard that @Session() binds to handlers resolves in any module.
  exports: [SessionManager, SessionPrincipals, SessionEvents, SessionGuard, SESSION_OPTIONS],
})
export class SessionModule extends SessionModuleBase {}

import { Global, Module } from '@nestjs/common';
import { SESSION_OPTIONS } from './session.constants';
import { SessionEvents } from './session.events';
import { SessionInterceptor } from './session.interceptor';
import { SessionManager } from './session.manager';
import { SessionPrincipals } from './session.principals';
import { countSessionEvents, instrumentStore } from './session.metrics';
import { SESSION_MODULE_OPTIONS, SessionModuleBase } from './session.module-definition';
import { resolveOptions, SessionModuleOptions } from './session.options';

/**
 * HTTP sessions in a pluggable store, behind one interceptor that @Session() binds to the
 * handlers that take a session.
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
    SessionInterceptor,
  ],
  // Exported so the interceptor that @Session() binds to handlers resolves in any module.
  exports: [SessionManager, SessionPrincipals, SessionEvents, SessionInterceptor, SESSION_OPTIONS],
})
export class SessionModule extends SessionModuleBase {}

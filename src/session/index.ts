export { SessionModule } from './session.module';
export type { SessionModuleOptions } from './session.options';
export { HttpSession } from './http-session';
export { Session, InjectSessionRateCounter } from './session.decorator';
export type { SessionParamOptions } from './session.decorator';
export { sessionAttribute, PRINCIPAL } from './session-attribute';
export type {
  SessionAttribute,
  AttributeSchema,
  StandardSchemaV1,
  StandardSchemaResult,
} from './session-attribute';
export { SESSION_RATE_COUNTER } from './session.constants';
export { SessionPrincipals } from './session.principals';
export { LiveSessions, LiveSession } from './live-sessions';
export { UserSessions } from './user-sessions';
export type { SessionSummary } from './user-sessions';
export type { LiveSessionEvent, SessionEndReason } from './session-live-events';
export { SessionEvents } from './session.events';
export type { SessionEventName } from './session.events';
export { SessionStoreHealth } from './session-store.health';
export { SessionStoreUnavailableException, TooManyNewSessionsException } from './session.errors';
export type { DeepReadonly } from './deep-freeze';
export { MemorySessionStore } from './stores/memory-session.store';
export type {
  SessionStore,
  PrincipalIndex,
  RateCounter,
  SessionEventBus,
  SessionRecord,
  SessionWrite,
  WriteResult,
} from './stores/session-store';
export { SessionStoreError } from './stores/session-store';

export { SessionModule } from './session.module';
export type { SessionModuleOptions } from './session.options';
export { HttpSession } from './http-session';
export { PRINCIPAL_ATTRIBUTE } from './session.constants';
export { Session } from './session.decorator';
export type { SessionParamOptions } from './session.decorator';
export { SessionManager } from './session.manager';
export { SessionPrincipals } from './session.principals';
export { SessionEvents } from './session.events';
export type { SessionEventName } from './session.events';
export { SessionStoreUnavailable, SessionCreationRateExceeded } from './session.errors';
export type { DeepReadonly } from './deep-freeze';
export { MemorySessionStore } from './stores/memory-session.store';
export { RedisSessionStore, createRedisSessionStore } from './stores/redis-session.store';
export type { RedisStoreSettings } from './stores/redis-session.store';
export { createRedisClient, describeConnection } from './stores/redis-connection';
export type { RedisConnection, RedisNode, RedisClientLimits } from './stores/redis-connection';
export type {
  SessionStore,
  SessionRecord,
  SessionWrite,
  WriteResult,
} from './stores/session-store';
export { SessionStoreUnavailableError } from './stores/session-store';

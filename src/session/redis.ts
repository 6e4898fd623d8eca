// The Redis store: its own entry point, so that ioredis is needed only by apps that use it.
export { RedisSessionStore, createRedisSessionStore } from './stores/redis-session.store';
export type { RedisStoreSettings } from './stores/redis-session.store';
export { createRedisClient, describeConnection } from './stores/redis-connection';
export type { RedisConnection, RedisNode, RedisClientLimits } from './stores/redis-connection';

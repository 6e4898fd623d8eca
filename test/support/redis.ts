import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import {
  createRedisSessionStore,
  RedisClientLimits,
  RedisConnection,
  RedisSessionStore,
  RedisStoreSettings,
} from '../../src/session';

/** The machine's standalone Redis; tests isolate themselves by a random namespace. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const testNamespace = () => `test:${randomBytes(4).toString('hex')}`;

export function redisClient(url = TEST_REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000 });
}

/** A Redis session store for tests, in its own namespace unless told otherwise. */
export function testRedisStore(
  connection: RedisConnection = { mode: 'standalone', url: TEST_REDIS_URL },
  settings: Partial<RedisStoreSettings & RedisClientLimits> = {},
): RedisSessionStore {
  return createRedisSessionStore(connection, {
    namespace: testNamespace(),
    durableReplicas: 0,
    durableTimeoutMs: 500,
    keyspaceNotifications: 'off',
    commandTimeoutMs: 1_000,
    connectTimeoutMs: 2_000,
    ...settings,
  });
}

import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import {
  createRedisSessionStore,
  RedisClientLimits,
  RedisConnection,
  RedisSessionStore,
  RedisStoreSettings,
} from '../../src/session/redis';
import { waitFor } from './http';
import { RUN_ID, TEST_REDIS_URL, track } from './resources';

export { TEST_REDIS_URL };

/** A key namespace of its own on the machine's Redis, removed when the test file ends. */
export function testNamespace(): string {
  const namespace = `test:${RUN_ID}:${randomBytes(4).toString('hex')}`;
  track('namespaces', namespace);
  return namespace;
}

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
    // A slow reply on a busy machine is no outage; the tests' outages refuse or drop connections.
    commandTimeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    ...settings,
  });
}

/** Writes a session that expires after 1 s, retrying while the store is not yet connected. */
export async function writeExpiringSession(store: RedisSessionStore, sid: string): Promise<void> {
  await waitFor('the store to accept a write', async () => {
    await store.write(sid, {
      create: { creationTime: Date.now() },
      lastAccessedTime: Date.now(),
      maxInactiveInterval: 1,
      changes: new Map([['a', '1']]),
    });
    return true;
  });
}

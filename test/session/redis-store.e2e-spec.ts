import { RedisConnection } from '../../src/session/redis';
import { startRedisCluster, startRedisSentinel } from '../support/redis-cluster';
import { redisClient, TEST_REDIS_URL, testNamespace, testRedisStore } from '../support/redis';
import { describeSessionStoreContract } from '../../src/session/testing';

const runner = { describe, it, beforeAll, afterAll };

const open = (connection: RedisConnection, namespace = testNamespace()) =>
  testRedisStore(connection, { namespace, keyspaceNotifications: 'configure' });

describeSessionStoreContract(runner, 'standalone Redis', () => {
  const store = open({ mode: 'standalone', url: TEST_REDIS_URL });
  return Promise.resolve({ store, close: () => store.close() });
});

describeSessionStoreContract(runner, 'Redis Cluster (3 masters + 3 replicas)', async () => {
  const cluster = await startRedisCluster();
  const store = open({ mode: 'cluster', nodes: cluster.nodes });
  return {
    store,
    close: async () => {
      await store.close();
      await cluster.stop();
    },
  };
});

describeSessionStoreContract(
  runner,
  'Redis Sentinel (1 master, 1 replica, 3 sentinels)',
  async () => {
    const sentinel = await startRedisSentinel();
    const store = open({
      mode: 'sentinel',
      sentinels: sentinel.sentinels,
      name: sentinel.masterName,
    });
    return {
      store,
      close: async () => {
        await store.close();
        await sentinel.stop();
      },
    };
  },
);

describe('Redis layout (SPEC §3)', () => {
  const namespace = testNamespace();
  const store = open({ mode: 'standalone', url: TEST_REDIS_URL }, namespace);
  const redis = redisClient();

  afterAll(async () => {
    await store.close();
    redis.disconnect();
  });

  it('keeps a Spring Session hash with a TTL equal to the timeout', async () => {
    const id = 'x'.repeat(43);
    await store.write(id, {
      create: { creationTime: 123 },
      lastAccessedTime: 456,
      maxInactiveInterval: 1_800,
      changes: new Map([['cart', '{"items":[]}']]),
    });
    const key = `${namespace}:sessions:${id}`;
    expect(await redis.hgetall(key)).toEqual({
      creationTime: '123',
      lastAccessedTime: '456',
      maxInactiveInterval: '1800',
      'sessionAttr:cart': '{"items":[]}',
    });
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(1_790_000);
    expect(ttl).toBeLessThanOrEqual(1_800_000);
    await store.write(id, {
      lastAccessedTime: 789,
      maxInactiveInterval: 1_800,
      changes: new Map([['cart', null]]),
    });
    expect(await redis.hgetall(key)).toEqual({
      creationTime: '123',
      lastAccessedTime: '789',
      maxInactiveInterval: '1800',
    });
    expect(await redis.pttl(key)).toBeGreaterThan(1_790_000);
  });
});

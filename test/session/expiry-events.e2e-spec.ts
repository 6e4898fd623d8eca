import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { RedisSessionStore } from '../../src/session/redis';
import { waitFor } from '../support/http';
import { RedisServerHarness, startRedisServer } from '../support/redis-cluster';
import { redisClient, testRedisStore, writeExpiringSession } from '../support/redis';

/** A server that starts with notify-keyspace-events off, as a fresh or restarted Redis does. */
describe('session expiry events on a fresh Redis', () => {
  let server: RedisServerHarness;
  let admin: Redis;
  let store: RedisSessionStore;
  const expired = new Set<string>();

  beforeAll(async () => {
    server = await startRedisServer();
    admin = redisClient(server.url);
  });

  afterAll(async () => {
    await store?.close();
    admin?.disconnect();
    await server?.stop();
  });

  const flags = async () => ((await admin.config('GET', 'notify-keyspace-events')) as string[])[1];

  async function expectExpiryReported(): Promise<void> {
    await waitFor('notify-keyspace-events to include Ex', async () =>
      /E.*x|x.*E/.test(await flags()),
    );
    const sid = randomBytes(32).toString('base64url');
    await writeExpiringSession(store, sid);
    await waitFor('the expired event', async () => {
      await store.load(sid); // an access expires the key at once instead of at a random sweep
      return expired.has(sid);
    });
  }

  it('turns notifications on once connected, and again after Redis restarts', async () => {
    expect(await flags()).toBe('');
    store = testRedisStore(
      { mode: 'standalone', url: server.url },
      { keyspaceNotifications: 'configure' },
    );
    store.onExpired((sid) => expired.add(sid));
    await expectExpiryReported();

    await server.restart();
    admin.disconnect();
    admin = redisClient(server.url);
    await expectExpiryReported();
  });
});

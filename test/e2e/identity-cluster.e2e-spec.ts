import { useAppOnFreshDatabase } from '../support/app';
import { RedisClusterHarness, startRedisCluster } from '../support/redis-cluster';
import { sessionCookie } from '../support/session-app';

/** Login rotation and "log out everywhere" on a real 6-node Redis Cluster. */
describe('identity on Redis Cluster', () => {
  let cluster: RedisClusterHarness;
  const env: Record<string, string> = { SESSION_DURABLE_REPLICAS: '1' };

  beforeAll(async () => {
    cluster = await startRedisCluster();
    env.REDIS_CLUSTER_NODES = cluster.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  }, 120_000);

  const ctx = useAppOnFreshDatabase(env);
  const http = () => ctx.http();
  const as = (id: string) => ({ Cookie: `BOOKSTORE_SESSION=${id}` });
  const bob = { username: 'bob', password: 'bob-secret-2' };

  afterAll(async () => {
    await cluster?.stop();
  });

  it('rotates on login keeping the cart, and logout-all ends the other sessions', async () => {
    const anon = sessionCookie(
      await http().post('/api/cart/items').send({ code: 'P102', quantity: 3 }).expect(201),
    )!;
    const first = sessionCookie(
      await http().post('/api/auth/login').set(as(anon)).send(bob).expect(200),
    )!;
    expect(first).not.toBe(anon);
    expect((await http().get('/api/cart').set(as(first))).body.itemCount).toBe(3);
    await http().get('/api/auth/me').set(as(anon)).expect(401);

    const second = sessionCookie(await http().post('/api/auth/login').send(bob).expect(200))!;
    await http().post('/api/auth/logout-all').set(as(second)).expect(204);
    await http().get('/api/auth/me').set(as(first)).expect(401);
    await http().get('/api/auth/me').set(as(second)).expect(401);
  });
});

import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisClusterHarness, startRedisCluster } from '../support/redis-cluster';
import { testNamespace, testRedisStore } from '../support/redis';
import { sessionCookie, startSessionApp } from '../support/session-app';

/** The session module on a real 6-node Redis Cluster, durable saves on (WAIT 1). */
describe('sessions on Redis Cluster', () => {
  const namespace = testNamespace();
  let cluster: RedisClusterHarness;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const as = (id: string) => ({ Cookie: `BOOKSTORE_SESSION=${id}` });

  beforeAll(async () => {
    cluster = await startRedisCluster();
    const store = testRedisStore(
      { mode: 'cluster', nodes: cluster.nodes },
      { namespace, durableReplicas: 1, durableTimeoutMs: 300, keyspaceNotifications: 'configure' },
    );
    app = await startSessionApp({ store });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
  });

  async function session(attrs: Record<string, unknown>): Promise<string> {
    let id: string | undefined;
    for (const [name, value] of Object.entries(attrs)) {
      const res = await http()
        .put(`/s/attrs/${name}`)
        .set(id ? as(id) : {})
        .send({ value })
        .expect(200);
      id ??= sessionCookie(res);
    }
    return id!;
  }

  it('rotates the id across slots, keeping the attributes', async () => {
    const id = await session({ cart: ['P100', 'P101'] });
    const rotated = sessionCookie(
      await http().post('/s/login').set(as(id)).send({ user: 'carol' }).expect(201),
    )!;
    expect(rotated).not.toBe(id);
    await http()
      .get('/s/attrs')
      .set(as(rotated))
      .expect(200, { cart: ['P100', 'P101'], principalName: 'carol' });
    await http().get('/s/attrs').set(as(id)).expect(200, {});
  });

  it('keeps all of 20 parallel updates of one attribute', async () => {
    const id = await session({ a: 1 });
    const codes = Array.from({ length: 20 }, (_, i) => `P${100 + i}`);
    await Promise.all(
      codes.map((item) => http().post('/s/items').set(as(id)).send({ item }).expect(201)),
    );
    const { items } = (await http().get('/s/attrs').set(as(id))).body as { items: string[] };
    expect([...items].sort()).toEqual(codes);
  });

  it('keeps every acknowledged save through a master failover, and serves again soon', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = await session({ n: i });
      await http()
        .post('/s/items')
        .set(as(id))
        .send({ item: `acked-${i}` })
        .expect(201);
      ids.push(id);
    }
    const victim = `${namespace}:sessions:${ids[0]}`;
    const { failoverMs } = await cluster.killMasterFor(victim);

    const started = Date.now();
    let recoveredMs = -1;
    while (Date.now() - started < 20_000) {
      const res = await http().post('/s/items').set(as(ids[0])).send({ item: 'after' });
      if (res.status === 201) {
        recoveredMs = Date.now() - started;
        break;
      }
      expect(res.status).toBe(503);
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(
      `failover: promotion ${failoverMs} ms, requests succeed again ${recoveredMs} ms later`,
    );
    expect(recoveredMs).toBeGreaterThanOrEqual(0);

    for (const [i, id] of ids.entries()) {
      const attrs = (await http().get('/s/attrs').set(as(id)).expect(200)).body;
      expect(attrs).toMatchObject({ n: i });
      expect(attrs.items).toContain(`acked-${i}`);
    }
  }, 120_000);
});

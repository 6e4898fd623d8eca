import type { NestExpressApplication } from '@nestjs/platform-express';
import request, { Response } from 'supertest';
import { UsersService } from '../../src/modules/identity/application/users.service';
import { LiveSessionEvent, LiveSessions } from '../../src/session';
import { startApp } from '../support/app';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { waitFor } from '../support/http';
import { RedisClusterHarness, startRedisCluster } from '../support/redis-cluster';
import { sessionCookie } from '../support/session-app';

const as = (id: string) => ({ Cookie: `BOOKSTORE_SESSION=${id}` });
const idIn = (res: Response) =>
  /BOOKSTORE_SESSION=([\w-]{43})/.exec(String(res.headers['set-cookie']))?.[1];

/**
 * "My sessions" and the hooks for live channels on a 6-node Redis Cluster: instances A and B
 * are app processes (their logs are read), C runs in this process with a LiveSessions listener.
 */
describe('my sessions and live session events on Redis Cluster, several instances', () => {
  let cluster: RedisClusterHarness;
  let db: TestDatabase;
  let a: AppProcess;
  let b: AppProcess;
  let c: NestExpressApplication;
  const heard: Array<{ event: LiveSessionEvent; at: number }> = [];
  const ids = new Set<string>();
  const bodies: string[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(','),
      SESSION_LIVE_EVENTS: 'true',
      SESSION_NEW_PER_MINUTE: '0',
      LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '1000',
    };
    [a, b] = await Promise.all([
      startAppProcess({ ...env, LOG_LEVEL: 'debug' }),
      startAppProcess({ ...env, LOG_LEVEL: 'debug' }),
    ]);
    c = await startApp(env);
    c.get(LiveSessions).on((event) => heard.push({ event, at: Date.now() }));
    await c.get(UsersService).create('carol', 'carol-secret-3', 'Carol');
  }, 300_000);

  afterAll(async () => {
    await c?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
    await cluster?.stop();
  });

  /** Every response is kept, to show that none carries a session id. */
  function on(app: AppProcess) {
    const keep = async (pending: request.Test) => {
      const res = await pending;
      bodies.push(res.text ?? '');
      const id = idIn(res);
      if (id) ids.add(id);
      return res;
    };
    const agent = request(app.url);
    return {
      login: (username: string, password: string, device: string, id?: string) =>
        keep(
          agent
            .post('/api/auth/login')
            .set({ 'User-Agent': device, ...(id ? as(id) : {}) })
            .send({ username, password }),
        ),
      get: (path: string, id?: string) => keep(agent.get(path).set(id ? as(id) : {})),
      del: (path: string, id: string) => keep(agent.delete(path).set(as(id))),
      post: (path: string, id: string | undefined, body: object) =>
        keep(
          agent
            .post(path)
            .set(id ? as(id) : {})
            .send(body),
        ),
      put: (path: string, id: string, body: object) => keep(agent.put(path).set(as(id)).send(body)),
    };
  }

  it('lists three devices, revokes one from another instance, and never shows an id', async () => {
    const alice = ['alice', 'alice-secret-1'] as const;
    const devices = [];
    for (const device of ['device-1', 'device-2', 'device-3']) {
      const res = await on(a).login(...alice, device);
      expect(res.status).toBe(200);
      devices.push(idIn(res)!);
    }
    const listed = await on(a).get('/api/auth/sessions', devices[0]);
    expect(listed.status).toBe(200);
    const sessions = listed.body as Array<{ handle: string; userAgent: string; current: boolean }>;
    expect(sessions.map((s) => s.userAgent).sort()).toEqual(['device-1', 'device-2', 'device-3']);
    expect(sessions.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['device-1']);
    expect(sessions[0]).toEqual({
      handle: expect.stringMatching(/^[\w-]{22}$/),
      createdAt: expect.any(String),
      lastSeenAt: expect.any(String),
      userAgent: expect.any(String),
      address: expect.any(String),
      current: expect.any(Boolean),
    });
    const handle = (device: string) => sessions.find((s) => s.userAgent === device)!.handle;

    expect((await on(b).del(`/api/auth/sessions/${handle('device-2')}`, devices[2])).status).toBe(
      204,
    );
    expect((await on(a).get('/api/auth/me', devices[1])).status).toBe(401);
    expect((await on(a).get('/api/auth/me', devices[0])).status).toBe(200);
    expect((await on(b).get('/api/auth/me', devices[2])).status).toBe(200);

    const bob = idIn(await on(b).login('bob', 'bob-secret-2', 'bob-phone'))!;
    expect((await on(b).del(`/api/auth/sessions/${handle('device-1')}`, bob)).status).toBe(404);
    expect((await on(a).del('/api/auth/sessions/no-such-handle', bob)).status).toBe(404);
    expect((await on(a).get('/api/auth/sessions', bob)).body).toHaveLength(1);
    expect((await on(a).get('/api/auth/sessions')).status).toBe(401);
    expect((await on(a).get('/api/auth/me', devices[0])).status).toBe(200);

    // The caller's own session: as a logout, its cookie cleared.
    const own = await on(a).del(`/api/auth/sessions/${handle('device-3')}`, devices[2]);
    expect([own.status, String(own.headers['set-cookie'])]).toEqual([
      204,
      expect.stringContaining('Max-Age=0'),
    ]);
    expect((await on(b).get('/api/auth/me', devices[2])).status).toBe(401);
    expect((await on(a).get('/api/auth/sessions', devices[0])).body).toHaveLength(1);

    for (const id of [...ids, ...devices, bob]) {
      expect(bodies.filter((body) => body.includes(id))).toEqual([]);
      expect(a.output().includes(id) || b.output().includes(id)).toBe(false);
    }
  });

  it('tells instance C of writes, a login and a logout on instance A, in order', async () => {
    const done: number[] = [];
    const added = await on(a).post('/api/cart/items', undefined, { code: 'P100', quantity: 1 });
    done.push(Date.now());
    const anon = sessionCookie(added)!;
    await on(a).put('/api/cart/items/P100', anon, { quantity: 2 });
    done.push(Date.now());
    const login = await on(a).login('carol', 'carol-secret-3', 'laptop', anon);
    done.push(Date.now());
    const user = idIn(login)!;
    expect((await on(a).post('/api/auth/logout', user, {})).status).toBe(204);
    done.push(Date.now());

    const live = c.get(LiveSessions);
    const mine = new Set([live.ref(anon), live.ref(user)]);
    const ofMine = () => heard.filter(({ event }) => mine.has(event.session));
    await waitFor('four events at instance C', () => Promise.resolve(ofMine().length >= 4), 30_000);
    expect(ofMine().map(({ event }) => event)).toEqual([
      { type: 'changed', session: live.ref(anon), attributes: ['cart'] },
      { type: 'changed', session: live.ref(anon), attributes: ['cart'] },
      { type: 'rotated', session: live.ref(anon), to: live.ref(user) },
      { type: 'ended', session: live.ref(user), reason: 'logout' },
    ]);
    const latencies = ofMine().map(({ at }, i) => Math.max(0, at - done[i]));
    console.log(`live session events: A's response to C's listener ≤ ${Math.max(...latencies)} ms`);
    // The wire never names a session: no event holds an id.
    expect(JSON.stringify(heard).includes(anon) || JSON.stringify(heard).includes(user)).toBe(
      false,
    );
  });
});

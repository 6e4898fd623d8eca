import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  MemorySessionStore,
  SessionModuleOptions,
  SessionPrincipals,
  SessionStore,
} from '../../src/session';
import { waitFor } from '../support/http';
import { sleep } from '../support/ports';
import { testRedisStore } from '../support/redis';
import { sessionCookie, startSessionApp } from '../support/session-app';

const redisStore = () => testRedisStore();

async function withApp(
  store: SessionStore,
  options: Partial<SessionModuleOptions>,
  run: (
    http: () => request.Agent | ReturnType<typeof request>,
    app: INestApplication,
  ) => Promise<void>,
) {
  const app = await startSessionApp({ store, ...options });
  try {
    await run(() => request(app.getHttpServer()), app);
  } finally {
    await app.close();
  }
}

describe('session options over HTTP', () => {
  it('expires after the timeout, sliding with use', async () => {
    const store = redisStore();
    await withApp(store, { timeoutSeconds: 3, touchIntervalSeconds: 0 }, async (http) => {
      const id = sessionCookie(await http().put('/s/attrs/a').send({ value: 1 }))!;
      const read = () => http().get('/s/attrs').set('Cookie', `BOOKSTORE_SESSION=${id}`);
      // Used every second for longer than the timeout: each use slides the expiry on.
      for (let i = 0; i < 4; i++) {
        await sleep(1_000);
        await read().expect(200, { a: 1 });
      }
      // Watched through the store, which reads without touching (a request would slide it on).
      await waitFor('the idle session to expire', async () => (await store.load(id)) === null);
      await read().expect(200, {});
    });
  });

  it('marks the cookie Secure when configured', async () => {
    await withApp(new MemorySessionStore(), { secureCookies: true }, async (http) => {
      const res = await http().put('/s/attrs/a').send({ value: 1 });
      expect(res.headers['set-cookie'][0]).toMatch(/; Secure$/);
    });
  });

  it('carries the id in X-Auth-Token when configured', async () => {
    await withApp(new MemorySessionStore(), { idResolver: 'header' }, async (http) => {
      const res = await http().put('/s/attrs/a').send({ value: 1 }).expect(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      const token = res.headers['x-auth-token'];
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await http().get('/s/attrs').set('X-Auth-Token', token).expect(200, { a: 1 });
    });
  });

  it('limits new sessions per client address per minute with 429', async () => {
    await withApp(redisStore(), { maxNewSessionsPerMinute: 3 }, async (http) => {
      for (let i = 0; i < 3; i++) await http().put('/s/attrs/a').send({ value: i }).expect(200);
      const res = await http().put('/s/attrs/a').send({ value: 4 }).expect(429);
      expect(res.headers['retry-after']).toBe('60');
      expect(res.body).toMatchObject({ status: 429, error: 'Too Many Requests' });
    });
  });

  it('ends the least recently used session beyond the per-principal limit', async () => {
    await withApp(redisStore(), { maxSessionsPerPrincipal: 2 }, async (http, app) => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const anon = sessionCookie(await http().put('/s/attrs/a').send({ value: i }))!;
        const res = await http()
          .post('/s/login')
          .set('Cookie', `BOOKSTORE_SESSION=${anon}`)
          .send({ user: 'bob' });
        ids.push(sessionCookie(res)!);
        await new Promise((r) => setTimeout(r, 20));
      }
      const live = await app.get(SessionPrincipals).find('bob');
      expect(live.sort()).toEqual([ids[1], ids[2]].sort());
    });
  });
});

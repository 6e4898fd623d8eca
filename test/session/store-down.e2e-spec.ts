import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { waitFor } from '../support/http';
import { TEST_REDIS_URL, testNamespace, testRedisStore } from '../support/redis';
import { sessionCookie, startSessionApp } from '../support/session-app';
import { TcpProxy } from '../support/tcp-proxy';

describe('session store down', () => {
  const proxy = new TcpProxy(TEST_REDIS_URL);
  let sessionApp: INestApplication;
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    await proxy.start();
    const url = proxy.url;
    const store = testRedisStore({ mode: 'standalone', url });
    sessionApp = await startSessionApp({ store });
    db = await createTestDatabase();
    app = await startApp({
      DATABASE_URL: db.url,
      REDIS_URL: url,
      SESSION_NAMESPACE: testNamespace(),
    });
  });

  afterAll(async () => {
    await sessionApp?.close();
    await app?.close();
    await proxy.stop();
    await db?.drop();
  });

  it('answers 503 with Retry-After quickly, keeps other routes up, and recovers by itself', async () => {
    const http = () => request(sessionApp.getHttpServer());
    const id = sessionCookie(await http().put('/s/attrs/a').send({ value: 1 }).expect(200))!;
    const cookie = `BOOKSTORE_SESSION=${id}`;

    await proxy.stop();
    const started = Date.now();
    const down = await http()
      .put('/s/attrs/b')
      .set('Cookie', cookie)
      .send({ value: 2 })
      .expect(503);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(down.headers['retry-after']).toBe('2');
    expect(down.body).toMatchObject({
      status: 503,
      error: 'Service Unavailable',
      path: '/s/attrs/b',
    });
    await http().get('/s/none').expect(200);

    const ready = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(ready.body.message).toBe('Not ready: sessionStore down');
    await request(app.getHttpServer()).get('/api/products/P100').expect(200);
    await request(app.getHttpServer()).get('/health/live').expect(200);

    await proxy.start();
    await waitFor(
      'session writes to succeed again',
      async () =>
        (await http().put('/s/attrs/b').set('Cookie', cookie).send({ value: 2 })).status === 200,
      15_000,
    );
    await http().get('/s/attrs').set('Cookie', cookie).expect(200, { a: 1, b: 2 });
    await waitFor(
      'ready again',
      async () => (await request(app.getHttpServer()).get('/health/ready')).status === 200,
    );
  });
});

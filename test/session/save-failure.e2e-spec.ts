import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { SessionRecord, SessionStore } from '../../src/session';
import { waitFor } from '../support/http';
import { TEST_REDIS_URL, testRedisStore } from '../support/redis';
import { sessionCookie, startSessionApp } from '../support/session-app';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * The save runs after the handler, before the response is written: a store that fails right
 * then must turn the response into a 503, never a 2xx for a change that was lost.
 */
describe('session store failing between load and save', () => {
  const proxy = new TcpProxy(TEST_REDIS_URL);
  let cutAfterLoad = false;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    await proxy.start();
    const real = testRedisStore({ mode: 'standalone', url: proxy.url });
    // The real store; once armed, the connection is cut right after a load succeeded.
    const store: SessionStore = Object.create(real) as SessionStore;
    store.load = async (id: string): Promise<SessionRecord | null> => {
      const record = await real.load(id);
      if (cutAfterLoad) await proxy.stop();
      return record;
    };
    app = await startSessionApp({ store });
  });

  afterAll(async () => {
    await app?.close();
    await proxy.stop();
  });

  async function reconnect(cookie: string): Promise<void> {
    cutAfterLoad = false;
    await proxy.start();
    await waitFor(
      'the store to answer again',
      async () => (await http().get('/s/attrs').set('Cookie', cookie)).status === 200,
      15_000,
    );
  }

  it.each([
    ['a JSON body', () => http().put('/s/attrs/b').send({ value: 2 })],
    ['an empty 204', () => http().post('/s/empty')],
    ['a streamed body', () => http().get('/s/stream')],
    ['an update() inside the handler', () => http().post('/s/items').send({ item: 'P1' })],
  ])('answers 503 with Retry-After when saving %s, and nothing is saved', async (_, send) => {
    const res = await http().put('/s/attrs/a').send({ value: 1 }).expect(200);
    const cookie = `BOOKSTORE_SESSION=${sessionCookie(res)!}`;

    cutAfterLoad = true;
    const failed = await send().set('Cookie', cookie);
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('2');
    expect(failed.body).toMatchObject({ status: 503, error: 'Service Unavailable' });
    expect(failed.headers['set-cookie']).toBeUndefined();

    await reconnect(cookie);
    await http().get('/s/attrs').set('Cookie', cookie).expect(200, { a: 1 });
  });

  it('answers 503 when a new session cannot be created, without a cookie', async () => {
    await proxy.stop();
    try {
      const failed = await http().put('/s/attrs/a').send({ value: 1 });
      expect(failed.status).toBe(503);
      expect(failed.headers['retry-after']).toBe('2');
      expect(failed.headers['set-cookie']).toBeUndefined();
    } finally {
      await proxy.start();
    }
  });
});

import { Controller, Get, INestApplication, Param } from '@nestjs/common';
import request from 'supertest';
import { RecentlyViewed } from '../../src/modules/catalog/application/recently-viewed';
import { HttpSession, Session, SessionStore } from '../../src/session';
import { RedisSessionStore } from '../../src/session/redis';
import { waitFor } from '../support/http';
import { TEST_REDIS_URL, testRedisStore } from '../support/redis';
import { sessionCookie, startSessionApp } from '../support/session-app';
import { TcpProxy } from '../support/tcp-proxy';

/** As the product page binds it: an optional session, the view recorded before answering. */
@Controller('t')
class ViewController {
  constructor(private readonly recent: RecentlyViewed) {}

  @Get('view/:code')
  async view(@Param('code') code: string, @Session({ optional: true }) session: HttpSession) {
    await this.recent.record(session, code);
    return { code };
  }
}

/** "Recently viewed" is best effort: the store failing or the session vanishing mid-request. */
describe('recording a product view while the session store misbehaves', () => {
  const proxy = new TcpProxy(TEST_REDIS_URL);
  let real: RedisSessionStore;
  let afterLoad: ((id: string) => Promise<void>) | undefined;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    await proxy.start();
    real = testRedisStore({ mode: 'standalone', url: proxy.url });
    const store: SessionStore = Object.create(real) as SessionStore;
    store.load = async (id) => {
      const record = await real.load(id);
      await afterLoad?.(id);
      return record;
    };
    app = await startSessionApp(
      { store },
      { controllers: [ViewController], providers: [RecentlyViewed] },
    );
  });

  afterEach(async () => {
    afterLoad = undefined;
    if (!proxy.listening) await proxy.start();
  });

  afterAll(async () => {
    await app?.close();
    await proxy.stop();
  });

  async function sessionWithView(): Promise<string> {
    const res = await http()
      .put('/s/attrs/cart')
      .send({ value: ['P100'] })
      .expect(200);
    const cookie = `BOOKSTORE_SESSION=${sessionCookie(res)!}`;
    await http().get('/t/view/P100').set('Cookie', cookie).expect(200);
    return cookie;
  }

  const attrs = async (cookie: string) =>
    (await http().get('/s/attrs').set('Cookie', cookie).expect(200)).body as Record<
      string,
      unknown
    >;

  it('records a view in the session', async () => {
    const cookie = await sessionWithView();
    await http().get('/t/view/P101').set('Cookie', cookie).expect(200);
    expect((await attrs(cookie)).recentlyViewed).toEqual(['P101', 'P100']);
  });

  it('answers 200 when the store goes down between load and the view, and saves nothing of it', async () => {
    const cookie = await sessionWithView();
    afterLoad = () => proxy.stop();
    await http().get('/t/view/P102').set('Cookie', cookie).expect(200, { code: 'P102' });

    afterLoad = undefined;
    await proxy.start();
    await waitFor(
      'the store to answer again',
      async () => (await http().get('/s/attrs').set('Cookie', cookie)).status === 200,
      15_000,
    );
    expect(await attrs(cookie)).toEqual({ cart: ['P100'], recentlyViewed: ['P100'] });
  });

  it('does not start a new session when the session is deleted between load and the view', async () => {
    const cookie = await sessionWithView();
    afterLoad = async (id) => void (await real.delete(id));
    const res = await http().get('/t/view/P103').set('Cookie', cookie).expect(200);
    afterLoad = undefined;
    // The cookie is cleared, not replaced by a session made of this view.
    expect(sessionCookie(res)).toBeUndefined();
    const after = await http().get('/s/attrs').set('Cookie', cookie).expect(200);
    expect(after.body).toEqual({});
    expect(sessionCookie(after)).toBeUndefined();
  });
});
